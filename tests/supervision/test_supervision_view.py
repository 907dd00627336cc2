"""The 督办 view: lights, filtering in memory, add / close with undo, and the circular button."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.domain.decisions import STATUS_CLOSED, STATUS_OPEN, Light
from app.services import decisions
from app.services.supervision_board import KIND_DECISION, KIND_PART
from app.storage.db import Database
from app.ui.dialogs.decision_dialog import CloseDialog, DecisionDialog, DecisionValues
from app.ui.ops import is_busy
from app.ui.views.supervision_view import SupervisionView
from tests.reports.seed_returns import PERIOD, Seeded

TODAY = date.today()


@pytest.fixture
def seeded(db: Database, quarter: Seeded) -> Seeded:
    decisions.add_decision(db, "制定测试区5G覆盖方案", [quarter.it_id], TODAY - timedelta(days=3))
    decisions.add_decision(db, "拨付云计算专项资金", [quarter.commerce_id], TODAY + timedelta(days=2))
    decisions.add_decision(db, "梳理数字乡村试点名单", [quarter.drc_id, quarter.it_id], TODAY + timedelta(days=40))
    return quarter


@pytest.fixture
def view(qtbot: QtBot, db: Database, seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> SupervisionView:
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: pytest.fail(f"unexpected warning {a[2:]}"))
    v = SupervisionView(db)
    qtbot.addWidget(v)
    v.resize(1180, 640)
    v.show()
    with qtbot.waitSignal(v.loaded, timeout=10_000):
        v.set_period(PERIOD)
    return v


def _texts(v: SupervisionView, kind: str = KIND_DECISION) -> list[str]:
    return [v.model.index(r, 2).data() for r in range(v.model.rowCount()) if v.model.index(r, 1).data() == kind]


def _wait_idle(qtbot: QtBot, v: SupervisionView) -> None:
    qtbot.waitUntil(lambda: not is_busy(), timeout=10_000)
    qtbot.wait(50)


def test_rows_are_lit_red_first_then_yellow_then_green(view: SupervisionView, artifacts_dir: Path) -> None:
    assert _texts(view) == ["制定测试区5G覆盖方案", "拨付云计算专项资金", "梳理数字乡村试点名单"]
    order = [Light.RED, Light.YELLOW, Light.GREEN]
    lights = [row.light for row in view.model.rows]
    assert lights == sorted(lights, key=order.index)
    shown = {view.model.index(r, 0).data() for r in range(view.model.rowCount())}
    assert {"● 已逾期", "● 临近到期", "● 正常", "● 本期未报"} <= shown  # decisions' and parts' own words
    assert "已逾期 1 项" in view.counts_label.text() and "临近到期 1 项" in view.counts_label.text()
    view.grab().save(str(artifacts_dir / "supervision_view.png"))


def test_filter_box_and_combos_narrow_the_rows(view: SupervisionView, seeded: Seeded, qtbot: QtBot) -> None:
    view.search_edit.setText("5G")
    assert _texts(view) == ["制定测试区5G覆盖方案"]
    view.search_edit.setText("szxc")  # 数字乡村 by pinyin initials, once the keys computed off the GUI thread arrive
    qtbot.waitUntil(lambda: _texts(view) == ["梳理数字乡村试点名单"], timeout=10_000)
    view.search_edit.clear()
    view.department_combo.setCurrentIndex(view.department_combo.findData(seeded.it_id))
    assert _texts(view) == ["制定测试区5G覆盖方案", "梳理数字乡村试点名单"]
    view.status_combo.setCurrentIndex(view.status_combo.findData("red"))
    assert _texts(view) == ["制定测试区5G覆盖方案"]
    view.kind_combo.setCurrentIndex(view.kind_combo.findData(KIND_DECISION))
    assert view.shown_label.text() == f"显示 1 / {len(view.model.all_rows)} 项"


def test_parts_are_listed_with_their_department_and_task(view: SupervisionView, seeded: Seeded) -> None:
    parts = _texts(view, KIND_PART)
    assert "推进智能网联汽车发展" in parts
    view.department_combo.setCurrentIndex(view.department_combo.findData(seeded.it_id))
    mine = _texts(view, KIND_PART)
    assert mine and len(mine) < len(parts)
    view.kind_combo.setCurrentIndex(view.kind_combo.findData(KIND_PART))
    assert all(view.model.index(r, 1).data() == KIND_PART for r in range(view.model.rowCount()))
    assert {view.model.index(r, 3).data() for r in range(view.model.rowCount())} == {"省工业和信息化厅"}


def test_add_then_undo_and_redo(
    view: SupervisionView, db: Database, seeded: Seeded, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = DecisionValues("新议定事项", (seeded.commerce_id,), TODAY + timedelta(days=20), None, "领导批示")
    monkeypatch.setattr(DecisionDialog, "exec", lambda self: DecisionDialog.DialogCode.Accepted)
    monkeypatch.setattr(DecisionDialog, "values", lambda self: values)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.add_decision()
    assert "新议定事项" in _texts(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.undo_stack.undo()
    assert "新议定事项" not in _texts(view) and len(decisions.list_decisions(db)) == 3
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.undo_stack.redo()
    assert [r.source_text for r in decisions.list_decisions(db) if r.text == "新议定事项"] == ["领导批示"]


def test_close_then_undo_sends_it_back(
    view: SupervisionView, db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    view.kind_combo.setCurrentIndex(view.kind_combo.findData(KIND_DECISION))
    view.table.selectRow(0)
    item = view.current_item()
    assert item is not None and item.text == "制定测试区5G覆盖方案"
    monkeypatch.setattr(CloseDialog, "exec", lambda self: CloseDialog.DialogCode.Accepted)
    monkeypatch.setattr(
        CloseDialog, "values", lambda self: type("V", (), {"note": "已印发", "evidence": "文号", "closed_on": TODAY})()
    )
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.close_decision()
    assert decisions.get_decision(db, item.id).status == STATUS_CLOSED
    assert not view.close_btn.isEnabled() or view.current_item().status != STATUS_CLOSED  # type: ignore[union-attr]
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.undo_stack.undo()
    assert decisions.get_decision(db, item.id).status == STATUS_OPEN


def test_circular_button_writes_the_file(
    view: SupervisionView, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "通报"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Word 文档 (*.docx)"))
    with qtbot.waitSignal(view.exported, timeout=20_000) as blocker:
        view.export_circular()
    assert blocker.args == [str(target) + ".docx"] and Path(blocker.args[0]).stat().st_size > 5000
    _wait_idle(qtbot, view)


def test_dashboard_counts_open_the_filtered_board(
    qtbot: QtBot, db: Database, seeded: Seeded, artifacts_dir: Path
) -> None:
    from app.ui.main_window import MainWindow

    win = MainWindow(db)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    dashboard = win.show_view("dashboard")
    with qtbot.waitSignal(dashboard.loaded, timeout=10_000):
        pass
    buttons = dashboard.decision_buttons  # type: ignore[attr-defined]
    assert buttons["open"].text() == "办理中  3" and buttons["red"].text() == "已逾期  1"
    assert buttons["yellow"].text() == "临近到期  1"
    qtbot.wait(100)  # let the status buttons lay out before the screenshot
    win.grab().save(str(artifacts_dir / "dashboard_decisions.png"))
    buttons["red"].click()
    board = win.views["supervision"]
    assert win.current_key() == "supervision"
    qtbot.waitUntil(lambda: len(board.model.all_rows) > 3, timeout=10_000)  # type: ignore[attr-defined]
    assert _texts(board) == ["制定测试区5G覆盖方案"]  # type: ignore[arg-type]
    win.close()


def test_board_model_passes_the_model_tester(view: SupervisionView, qtmodeltester: Any) -> None:
    qtmodeltester.check(view.model)
    view.search_edit.setText("方案")
    qtmodeltester.check(view.model)


def test_double_click_on_a_part_opens_its_tasks_parts_dialog(
    view: SupervisionView, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui.dialogs.parts_dialog import PartsDialog

    opened: list[int] = []
    monkeypatch.setattr(PartsDialog, "exec", lambda self: opened.append(self.task_id) or 0)
    view.kind_combo.setCurrentIndex(view.kind_combo.findData(KIND_PART))
    view.table.selectRow(0)
    item = view.current_item()
    assert item is not None and item.task_id is not None
    view.table.activated.emit(view.table.currentIndex())
    assert opened == [item.task_id]
