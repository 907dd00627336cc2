"""会议报告 view: a 需协调解决的问题 becomes a decision in one step, keeping its source; undo removes it."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from app.services import decisions
from app.storage.db import Database
from app.ui.dialogs.decision_dialog import DecisionDialog
from app.ui.ops import is_busy
from app.ui.views.meetings_view import MeetingsView
from tests.reports.seed_returns import PERIOD, POWER_ISSUE, Seeded
from tests.ui.desk_helpers import settle


def test_issue_becomes_a_decision_then_undo_removes_it(
    qtbot: QtBot, db: Database, quarter: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = MeetingsView(db)
    view.set_period(PERIOD)
    qtbot.addWidget(view)
    view.show()
    view.new_meeting()  # the meetings view reads and writes on the database worker: wait for each step
    settle(qtbot)
    mid = view.current_meeting_id
    view.gather_issues()
    settle(qtbot)
    row = next(i for i, r in enumerate(view.issue_model.rows) if r.text == POWER_ISSUE)
    view.issue_table.selectRow(row)

    def accept(dialog: DecisionDialog) -> DecisionDialog.DialogCode:
        assert dialog.text_edit.toPlainText() == POWER_ISSUE and dialog.meeting_combo.currentData() == mid
        assert dialog.values().department_ids  # the department that raised it, preselected
        dialog.due_edit.setDate(QDate(2025, 12, 31))
        return DecisionDialog.DialogCode.Accepted

    monkeypatch.setattr(DecisionDialog, "exec", accept)
    view.issue_to_decision()
    qtbot.waitUntil(lambda: not is_busy(), timeout=10_000)
    (made,) = decisions.list_decisions(db)
    assert made.text == POWER_ISSUE and made.meeting_id == mid and made.due_date == date(2025, 12, 31)
    assert made.coordination_issue_id == view.issue_model.rows[row].id
    assert made.source_text.startswith("需协调解决的问题（") and ".xlsx" in made.source_text
    view.undo_stack.undo()
    qtbot.waitUntil(lambda: not is_busy(), timeout=10_000)
    assert decisions.list_decisions(db) == []


def test_a_meeting_records_a_decision_of_its_own(
    qtbot: QtBot, db: Database, quarter: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = MeetingsView(db)
    view.set_period(PERIOD)
    qtbot.addWidget(view)
    view.new_meeting()
    settle(qtbot)
    mid = view.current_meeting_id

    def accept(dialog: DecisionDialog) -> DecisionDialog.DialogCode:
        assert dialog.meeting_combo.currentData() == mid
        dialog.text_edit.setPlainText("由省商务厅牵头梳理示范县名单")
        dialog.department_list.item(0).setCheckState(Qt.CheckState.Checked)
        dialog.due_edit.setDate(QDate(2025, 11, 30))
        return DecisionDialog.DialogCode.Accepted

    monkeypatch.setattr(DecisionDialog, "exec", accept)
    view.add_decision()
    qtbot.waitUntil(lambda: not is_busy(), timeout=10_000)
    (made,) = decisions.list_decisions(db, meeting_id=mid)
    assert made.text == "由省商务厅牵头梳理示范县名单" and made.due_date == date(2025, 11, 30)
    view.undo_stack.undo()
    qtbot.waitUntil(lambda: not is_busy(), timeout=10_000)
    assert decisions.list_decisions(db) == []
