"""Helpers shared by the desk's GUI tests: open views and wait until their data is shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from app.domain import credit_code

LOAD_TIMEOUT_MS = 10_000
VALID_CODE = "91220101MA0000000" + credit_code.check_character("91220101MA0000000")


def open_loaded(qtbot: QtBot, cls: Any, database: Any) -> Any:
    """Construct a view, register it with qtbot and wait for its first load."""
    view = cls(database)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=LOAD_TIMEOUT_MS):
        pass
    return view


def reload(qtbot: QtBot, view: Any) -> None:
    """Refresh a view and wait for the reload to land."""
    with qtbot.waitSignal(view.loaded, timeout=LOAD_TIMEOUT_MS):
        view.refresh()


def screenshot(widget: Any, artifacts_dir: Path, name: str) -> Path:
    """Save what the widget shows to artifacts/screenshots/<name>.png for a person to look at."""
    folder = artifacts_dir / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


def activate(qtbot: QtBot, widget: Any) -> None:
    """Show a window and wait until it is active, so its keyboard shortcuts fire."""
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=5000)


def settle(qtbot: QtBot | None = None, timeout: int = 30_000) -> None:
    """Wait until every database op has ended and its results (and what they started) are shown."""
    import time

    from PySide6.QtTest import QTest

    from app.ui import ops

    deadline = time.monotonic() + timeout / 1000
    quiet = 0
    while quiet < 3:  # idle over a few turns of the loop: zero-timers (a tidied undo stack) have run too
        QTest.qWait(5)
        quiet = 0 if ops.is_busy() else quiet + 1
        assert time.monotonic() < deadline, "database ops still running"
