"""The clerk's window after a period's returns are in: every view real, the period followed, undo per view."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand

from app.services.returns import commit, preview
from app.services.templates import export_templates
from app.storage.db import Database
from app.ui.main_window import VIEWS, BrokenViewPage, MainWindow
from app.ui.settings import Settings
from tests.e2e.journey import (
    MIIT,
    NDRC,
    PERIOD,
    TELECOM,
    assign_departments,
    fill_miit,
    fill_telecom,
    template_path,
)
from tests.e2e.people import PROGRESS_SHEET, fill_progress, open_template
from tests.ui.desk_helpers import LOAD_TIMEOUT_MS, activate, screenshot


def seed_period(db_path: Path, folder: Path) -> None:
    """Assign departments, export templates, and import two departments' filled returns (as the CLI would)."""
    assign_departments(db_path)
    database = Database(db_path)
    try:
        export_templates(database, PERIOD, folder)
        files = [
            fill_miit(template_path(folder, MIIT), folder / "工信厅.xlsx", slip=False),
            fill_telecom(template_path(folder, TELECOM), folder / "通信局.xlsx", cumulative=3000, progress=30),
        ]
        outcomes = commit(database, preview(database, files))
        assert all(o.ok for o in outcomes), [o.message for o in outcomes]
    finally:
        database.dispose()


@pytest.fixture
def window(qtbot, db_path: Path, tmp_path: Path) -> Iterator[MainWindow]:
    seed_period(db_path, tmp_path / "returns")
    Settings().last_period = PERIOD
    database = Database(db_path)
    win = MainWindow(database)
    qtbot.addWidget(win)
    win.resize(1400, 860)
    yield win
    win.close()
    database.dispose()


def wait_loaded(qtbot, view) -> None:
    """Let a view's background loads land, including a reload queued by a period change during the first."""
    signal = getattr(view, "loaded", None)
    if signal is not None and getattr(view, "_loading", True):
        qtbot.waitSignal(signal, timeout=LOAD_TIMEOUT_MS, raising=False).wait()
    qtbot.waitUntil(lambda: not getattr(view, "_loading", False), timeout=LOAD_TIMEOUT_MS)
    qtbot.wait(50)


def visit(qtbot, window: MainWindow, number: int):
    """Press Ctrl+<number> and wait for the view it brings up."""
    qtbot.keyClick(window, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
    view = window.current_view()
    wait_loaded(qtbot, view)
    return view


class Mark(QUndoCommand):
    """An undoable step that only records whether it is done."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.done = False

    def redo(self) -> None:
        self.done = True

    def undo(self) -> None:
        self.done = False


def test_every_view_is_real_and_shows_the_period(window: MainWindow, qtbot, artifacts_dir: Path) -> None:
    activate(qtbot, window)
    for number, spec in enumerate(VIEWS, start=1):
        view = visit(qtbot, window, number)
        assert window.current_key() == spec.key
        assert not isinstance(view, BrokenViewPage), f"{spec.title} failed to start"
        assert getattr(view, "period_key", PERIOD) == PERIOD, spec.key
        if getattr(view, "canvases", None) == []:  # the dashboard draws its charts once matplotlib is loaded
            qtbot.waitSignal(view.charts_drawn, timeout=20_000, raising=False).wait()
        qtbot.wait(300)  # charts and scenes finish painting
        screenshot(window, artifacts_dir, f"journey_{spec.key}")
    assert window.period_key == PERIOD
    dashboard = window.view("dashboard")
    assert dashboard.dashboard.period_key == PERIOD and "2025年第三季度" in dashboard.title.text()
    # The same projects behind schedule as the period's meeting report names (judged at the period's end).
    assert {b.code for b in dashboard.dashboard.behind} == {"ZD02", "ZD03"}
    returns = window.view("returns")
    assert "应报 4 个单位：已报 2，未报 2" in returns.summary.text()


def test_period_change_reaches_every_open_view(window: MainWindow, qtbot) -> None:
    activate(qtbot, window)
    views = [visit(qtbot, window, n) for n in range(1, len(VIEWS) + 1)]
    other = next(
        window.period_combo.itemData(i)
        for i in range(window.period_combo.count())
        if window.period_combo.itemData(i) != PERIOD
    )
    window.set_period(other)
    wait_loaded(qtbot, window.current_view())
    for spec, view in zip(VIEWS, views, strict=True):
        assert getattr(view, "period_key", other) == other, spec.key
    assert Settings().last_period == other
    # What the views show follows too: nobody returned anything for the other period.
    dashboard = window.view("dashboard")
    wait_loaded(qtbot, dashboard)
    assert dashboard.dashboard.period_key == other and dashboard.dashboard.returns_received == 0
    assert "已报 0" in window.view("returns").summary.text()


def test_ctrl_z_and_ctrl_y_act_on_the_current_view_only(window: MainWindow, qtbot) -> None:
    activate(qtbot, window)
    marks = {}
    for number, spec in enumerate(VIEWS, start=1):
        view = visit(qtbot, window, number)
        stack = getattr(view, "undo_stack", None)
        if stack is not None:
            marks[spec.key] = Mark(spec.title)
            stack.push(marks[spec.key])
    assert {"ledger", "gantt"} <= set(marks)
    window.show_view("gantt")
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not marks["gantt"].done
    assert all(m.done for key, m in marks.items() if key != "gantt")
    window.show_view("ledger")
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not marks["ledger"].done
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert marks["ledger"].done and not marks["gantt"].done


def test_a_return_imported_elsewhere_shows_up_in_every_view(window: MainWindow, qtbot, tmp_path: Path) -> None:
    activate(qtbot, window)
    dashboard = visit(qtbot, window, 1)
    assert dashboard.dashboard.returns_received == 2
    visit(qtbot, window, 2)  # the clerk is in the ledger when a colleague imports 发改委's return
    wb = open_template(template_path(tmp_path / "returns", NDRC))
    fill_progress(wb[PROGRESS_SHEET], {"ZD03": {"累计完成投资（万元）": 6000, "形象进度（%）": 80}})
    wb.save(tmp_path / "发改委.xlsx")
    other = Database(window.database.path)
    try:
        assert all(o.ok for o in commit(other, preview(other, [tmp_path / "发改委.xlsx"])))
    finally:
        other.dispose()
    assert window.check_for_changes()
    dashboard = visit(qtbot, window, 1)
    assert dashboard.dashboard.returns_received == 3
    returns = visit(qtbot, window, 4)
    assert "已报 3" in returns.summary.text()
