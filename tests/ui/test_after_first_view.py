"""Work the first view does not need waits until that view shows its data, runs once, and never waits forever."""

from __future__ import annotations

import pytest

from app.storage.db import Database
from app.ui import main_window as mw
from app.ui.main_window import MainWindow
from tests.ui.desk_helpers import LOAD_TIMEOUT_MS


def test_deferred_work_runs_once_after_the_first_view_has_its_data_and_never_waits_forever(
    qtbot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The patience timer stays at its real length here: a loaded CI machine may take longer than a short one to
    # load the dashboard, and the point is that the work waits for the data when the data comes.
    assert mw.FIRST_VIEW_PATIENCE_MS >= LOAD_TIMEOUT_MS
    window = MainWindow(db)
    qtbot.addWidget(window)
    dashboard = window.current_view()
    seen: list[bool] = []
    window.after_first_view(lambda: seen.append(dashboard.dashboard is not None))
    assert seen == []
    with qtbot.waitSignal(dashboard.loaded, timeout=LOAD_TIMEOUT_MS):
        pass
    qtbot.waitUntil(lambda: bool(seen), timeout=2_000)
    assert seen == [True]
    # A later reload of the view does not run it again.
    with qtbot.waitSignal(dashboard.loaded, timeout=LOAD_TIMEOUT_MS):
        dashboard.refresh()
    qtbot.wait(50)
    assert seen == [True]
    # Asked once the view has loaded already, no signal will come: the patience timer runs it all the same, once.
    monkeypatch.setattr(mw, "FIRST_VIEW_PATIENCE_MS", 300)
    late: list[int] = []
    window.after_first_view(lambda: late.append(1))
    qtbot.waitUntil(lambda: late == [1], timeout=2_000)
    with qtbot.waitSignal(dashboard.loaded, timeout=LOAD_TIMEOUT_MS):
        dashboard.refresh()
    qtbot.wait(400)
    assert late == [1]
    assert seen == [True]
