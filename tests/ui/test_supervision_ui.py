"""责任分工 and 指定责任单位 in the ledger: every department shown, edits saved, audited and undone with Ctrl+Z."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.services import supervision
from app.storage.db import Database
from app.storage.models import AuditEntry, Department, Project
from app.ui.dialogs import parts_dialog
from app.ui.dialogs.parts_dialog import COL_CONTACT, COL_PERSON, COL_TARGET, AssignDialog, PartsDialog
from app.ui.views.dashboard_view import DashboardView
from app.ui.views.ledger_view import LedgerView, NodeKind, TreeRole
from tests.ui.desk_helpers import open_loaded, screenshot

WAIT_MS = 10_000


@pytest.fixture
def ledger(qtbot: QtBot, db: Database) -> LedgerView:
    view = open_loaded(qtbot, LedgerView, db)
    view.resize(1280, 760)
    return view


def _leads(db: Database, codes: list[str]) -> dict[str, int | None]:
    with db.session() as s:
        return dict(s.execute(select(Project.code, Project.lead_department_id).where(Project.code.in_(codes))).all())


def _task_item_tooltip(view: LedgerView, code: str) -> str:
    model = view.tree_model
    stack = [model.index(r, 0) for r in range(model.rowCount())]
    while stack:
        index = stack.pop()
        if index.data(TreeRole.KIND) == NodeKind.TASK and str(index.data()).startswith(code + " "):
            if "责任单位" in (index.data(3) or ""):
                return str(index.data(3))
        stack.extend(model.index(r, 0, index) for r in range(model.rowCount(index)))
    return ""


def test_task_tree_shows_every_responsible_department(ledger: LedgerView) -> None:
    tip = _task_item_tooltip(ledger, "二(二)2")
    assert "责任单位：省商务厅、省发展改革委、省工业和信息化厅、省邮政管理局" in tip


def test_assigning_selected_projects_is_one_audited_undoable_step(
    ledger: LedgerView, qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.session() as s:
        ndrc = s.scalar(select(Department.id).where(Department.name == "省发展改革委"))
    monkeypatch.setattr(AssignDialog, "exec", lambda self: AssignDialog.DialogCode.Accepted)
    monkeypatch.setattr(AssignDialog, "department_id", lambda self: ndrc)
    selection = ledger.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in range(3):
        selection.select(ledger.proxy.index(row, 0), flags)
    codes = [ledger.proxy.index(r, 0).data() for r in range(3)]
    assert len(ledger.selected_project_ids()) == 3
    ledger.assign_department()
    qtbot.waitUntil(lambda: set(_leads(db, codes).values()) == {ndrc}, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: ledger.undo_stack.count() == 1, timeout=WAIT_MS)
    assert ledger.undo_stack.undoText().startswith("指定责任单位：省发展改革委（3 个项目）")
    with db.session() as s:
        assert len(s.scalars(select(AuditEntry).where(AuditEntry.field == "lead_department_id")).all()) == 3
    ledger.undo_stack.undo()
    qtbot.waitUntil(lambda: set(_leads(db, codes).values()) == {None}, timeout=WAIT_MS)
    ledger.undo_stack.redo()
    qtbot.waitUntil(lambda: set(_leads(db, codes).values()) == {ndrc}, timeout=WAIT_MS)


def _part(db: Database, code: str, dept: str) -> supervision.PartRow:
    return next(p for p in supervision.load_parts(db, department=dept) if p.task_code == code)


def test_parts_dialog_saves_people_and_targets_and_ctrl_z_takes_them_back(
    ledger: LedgerView, qtbot: QtBot, db: Database, artifacts_dir: Path
) -> None:
    task_id = _part(db, "二(一)1", "省工业和信息化厅").task_id
    dialog = PartsDialog(db, task_id, ledger.undo_stack, year=2025, parent=ledger)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=WAIT_MS)
    assert [dialog.table.item(r, 0).text() for r in range(2)] == ["省工业和信息化厅", "省交通运输厅"]
    dialog.table.item(0, COL_PERSON).setText("张处长")
    dialog.table.item(0, COL_CONTACT).setText("李科员")
    dialog.table.item(1, COL_TARGET).setText("完成示范区智慧路网一期")
    dialog.show()
    screenshot(dialog, artifacts_dir, "task-parts-dialog")
    dialog.save()
    qtbot.waitUntil(lambda: _part(db, "二(一)1", "省交通运输厅").year_target != "" or False, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: ledger.undo_stack.count() == 1, timeout=WAIT_MS)
    miit = _part(db, "二(一)1", "省工业和信息化厅")
    assert (miit.responsible_person, miit.contact_person) == ("张处长", "李科员")
    assert _part(db, "二(一)1", "省交通运输厅").targets == {2025: "完成示范区智慧路网一期"}
    ledger.undo_stack.undo()
    qtbot.waitUntil(lambda: _part(db, "二(一)1", "省工业和信息化厅").responsible_person == "", timeout=WAIT_MS)
    assert _part(db, "二(一)1", "省交通运输厅").targets == {}
    dialog.close()


def test_parts_dialog_adds_a_department_undoably(
    ledger: LedgerView, qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    task_id = _part(db, "二(一)1", "省工业和信息化厅").task_id
    dialog = PartsDialog(db, task_id, ledger.undo_stack, parent=ledger)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=WAIT_MS)
    dialog.department.setCurrentIndex(dialog.department.findText("省公安厅"))
    dialog._add()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3, timeout=WAIT_MS)
    assert [p.department_name for p in supervision.load_parts(db, task="二(一)1")][-1] == "省公安厅"
    ledger.undo_stack.undo()
    qtbot.waitUntil(lambda: len(supervision.load_parts(db, task="二(一)1")) == 2, timeout=WAIT_MS)
    monkeypatch.setattr(
        parts_dialog.QMessageBox, "question", lambda *a, **k: parts_dialog.QMessageBox.StandardButton.Discard
    )
    dialog.close()


def test_dashboard_counts_the_parts_owed(qtbot: QtBot, db: Database) -> None:
    view = open_loaded(qtbot, DashboardView, db)
    assert view.dashboard is not None
    parts = view.dashboard.parts
    assert parts.total > 50 and parts.owed == parts.total and parts.reported == 0
    assert f"重点任务分工 {parts.total} 项" in view.parts_label.text()
