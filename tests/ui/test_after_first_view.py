"""Work the first view does not need waits until that view shows its data, once, and never forever."""

from __future__ import annotations

import pytest

from app.storage.db import Database
from app.ui import main_window as mw
from app.ui.main_window import MainWindow
from tests.ui.desk_helpers import LOAD_TIMEOUT_MS


def test_deferred_work_runs_once_after_the_first_view_has_its_data(
    qtbot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mw, "FIRST_VIEW_PATIENCE_MS", 300)
    window = MainWindow(db)
    qtbot.addWidget(window)
    dashboard = window.current_view()
    seen: list[bool] = []
    window.after_first_view(lambda: seen.append(dashboard.dashboard is not None))
    assert seen == []
    with qtbot.waitSignal(dashboard.loaded, timeout=LOAD_TIMEOUT_MS):
        pass
    qtbot.waitUntil(lambda: bool(seen), timeout=2_000)
    qtbot.wait(500)  # past the patience timer: still once
    assert seen == [True]


def test_deferred_work_runs_even_when_the_first_view_never_loads(
    qtbot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mw, "FIRST_VIEW_PATIENCE_MS", 200)
    window = MainWindow(db)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.current_view().loaded, timeout=LOAD_TIMEOUT_MS):
        pass
    ran: list[int] = []
    window.after_first_view(lambda: ran.append(1))  # the view has loaded already: no signal will come
    qtbot.waitUntil(lambda: ran == [1], timeout=2_000)
