"""Every view lays out without overlap at the screens government desks run: 1024×768 and 1366×768."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from app.storage.db import Database
from app.ui.main_window import VIEWS, MainWindow
from tests.ui.desk_helpers import screenshot
from tests.ui.layout_check import layout_problems

SIZES = [(1024, 768), (1366, 768)]
# The window inside a 768-px-high screen: the taskbar (40) and the title bar (30) take the rest.
WINDOW_HEIGHT = 768 - 70
READY = {
    "dashboard": lambda v: v.dashboard is not None and bool(v.canvases),  # with its charts drawn
    "ledger": lambda v: v.ledger is not None,
    "returns": lambda v: v.overview is not None,
    "gantt": lambda v: v.data is not None,
    "indicators": lambda v: bool(v._started),
    "meetings": lambda v: True,
    "supervision": lambda v: v.board is not None,
}


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_view_fits_a_small_screen_without_overlap(
    qtbot, db: Database, artifacts_dir: Path, width: int, height: int
) -> None:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(width, WINDOW_HEIGHT)
    window.show()
    qtbot.waitExposed(window)
    found: dict[str, list[str]] = {}
    for spec in VIEWS:
        view = window.show_view(spec.key)
        qtbot.waitUntil(lambda v=view, k=spec.key: READY[k](v), timeout=30_000)
        qtbot.wait(200)
        # Charts drawn a moment ago are laid out on later turns of the event loop (slowly where matplotlib is
        # still building its font cache): give the layout time to settle; an overlap that stays still fails.
        with contextlib.suppress(Exception):
            qtbot.waitUntil(lambda: not layout_problems(window), timeout=10_000)
        problems = layout_problems(window)
        if window.width() > width or window.height() > WINDOW_HEIGHT:
            problems.append(f"window cannot shrink to {width}x{WINDOW_HEIGHT}: {window.width()}x{window.height()}")
        if problems:
            found[spec.key] = problems
        screenshot(window, artifacts_dir, f"small-screen-{width}x{height}-{spec.key}")
    window.close()
    assert found == {}


def test_down_and_enter_from_the_ledger_search_open_the_hit(qtbot, db: Database) -> None:
    from PySide6.QtCore import Qt

    from app.ui.views.ledger_view import LedgerView
    from tests.ui.desk_helpers import activate, open_loaded

    view = open_loaded(qtbot, LedgerView, db)
    activate(qtbot, view)
    opened: list[int] = []
    view.open_project.connect(opened.append)
    view.focus_search()
    qtbot.keyClicks(view.search, "sjzx")  # pinyin initials of 数据中心
    qtbot.waitUntil(lambda: 0 < view.proxy.rowCount() < view.model.rowCount(), timeout=5000)
    qtbot.keyClick(view.search, Qt.Key.Key_Down)
    assert view.table.hasFocus() and view.table.currentIndex().row() == 0
    qtbot.keyClick(view.table, Qt.Key.Key_Up)
    assert view.search.hasFocus()
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    assert len(opened) == 1 and opened[0] == view.current_project_id()
