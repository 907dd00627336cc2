"""A decision write that fails (a known refusal, a locked database the clerk does not retry) leaves no undo step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.services import decisions
from app.storage.db import Database
from app.storage.errors import KnownError
from app.ui.dialogs.decision_dialog import DecisionDialog
from app.ui.ops import LOCKED_MESSAGE
from app.ui.views.meetings_view import MeetingsView
from tests.reports.seed_returns import PERIOD, Seeded
from tests.ui.desk_helpers import settle


def _meeting_view(qtbot: QtBot, db: Database) -> MeetingsView:
    view = MeetingsView(db)
    view.set_period(PERIOD)
    qtbot.addWidget(view)
    view.new_meeting()
    settle(qtbot)
    return view


def _accept(dialog: DecisionDialog) -> DecisionDialog.DialogCode:
    dialog.text_edit.setPlainText("由省商务厅牵头梳理示范县名单")
    dialog.department_list.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.due_edit.setDate(QDate(2025, 11, 30))
    return DecisionDialog.DialogCode.Accepted


def _locked(*_args: object, **_kwargs: object) -> int:
    import sqlite3

    raise sqlite3.OperationalError("database is locked")


def _known(*_args: object, **_kwargs: object) -> int:
    raise KnownError("办理期限不能早于会议日期。")


@pytest.mark.parametrize(("failure", "message"), [(_known, "办理期限不能早于会议日期。"), (_locked, LOCKED_MESSAGE)])
def test_a_failed_decision_write_leaves_the_undo_stack_unchanged_and_says_why(
    qtbot: QtBot, db: Database, quarter: Seeded, monkeypatch: pytest.MonkeyPatch, failure: object, message: str
) -> None:
    view = _meeting_view(qtbot, db)
    before = view.undo_stack.count()
    seen: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: seen.append(text))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: seen.append(box.text()) or 0)  # 取消, not 重试
    monkeypatch.setattr(DecisionDialog, "exec", _accept)
    monkeypatch.setattr(decisions, "add_decision", failure)
    view.add_decision()
    settle(qtbot)
    assert seen == [message]
    assert view.undo_stack.count() == before and not view.undo_stack.canUndo()
    assert decisions.list_decisions(db) == []


def test_a_refused_undo_of_a_decision_keeps_the_decision_and_leaves_no_step_claiming_otherwise(
    qtbot: QtBot, db: Database, quarter: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _meeting_view(qtbot, db)
    monkeypatch.setattr(DecisionDialog, "exec", _accept)
    view.add_decision()
    settle(qtbot)
    assert view.undo_stack.count() == 1 and len(decisions.list_decisions(db)) == 1
    seen: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: seen.append(text))
    monkeypatch.setattr(decisions, "delete_decision", _known)
    view.undo_stack.undo()
    settle(qtbot)
    # The delete was refused: the decision is still there, and no step offers to redo what is already saved.
    assert seen == ["办理期限不能早于会议日期。"]
    assert len(decisions.list_decisions(db)) == 1
    assert view.undo_stack.count() == 0 and not view.undo_stack.canRedo()


def test_a_refused_close_on_the_supervision_board_leaves_no_undo_step(
    qtbot: QtBot, db: Database, quarter: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    from app.services.supervision_board import KIND_DECISION
    from app.ui.dialogs.decision_dialog import CloseDialog, ClosingValues
    from app.ui.views.supervision_view import SupervisionView

    did = decisions.add_decision(db, "制定测试区5G覆盖方案", [quarter.it_id], date(2025, 12, 31))
    view = SupervisionView(db)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.set_period(PERIOD)
    view.kind_combo.setCurrentIndex(view.kind_combo.findData(KIND_DECISION))
    view.table.selectRow(0)
    seen: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: seen.append(text))
    monkeypatch.setattr(CloseDialog, "exec", lambda self: CloseDialog.DialogCode.Accepted)
    monkeypatch.setattr(CloseDialog, "values", lambda self: ClosingValues("已印发", "文号", date(2025, 12, 1)))
    monkeypatch.setattr(decisions, "close_decision", _known)
    view.close_decision()
    settle(qtbot)
    assert seen == ["办理期限不能早于会议日期。"]
    assert view.undo_stack.count() == 0
    assert not decisions.get_decision(db, did).closed
