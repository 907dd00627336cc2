"""Starting the GUI: crash handler in place, the day's first backup taken, a newer database refused clearly."""

from __future__ import annotations

import sqlite3
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.bootstrap import run_gui
from app.storage.backup import list_backups
from app.ui import crash


@pytest.fixture
def restore_hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)


def _close_windows_soon() -> None:
    def close() -> None:
        for widget in QApplication.topLevelWidgets():
            widget.close()
        app = QApplication.instance()
        assert app is not None
        app.quit()

    QTimer.singleShot(100, close)


def test_start_installs_the_crash_handler_and_takes_the_daily_backup(
    qtbot: QtBot, db_path: Path, restore_hooks: None
) -> None:
    _close_windows_soon()
    assert run_gui(str(db_path)) == 0
    assert sys.excepthook is crash.handle_exception
    assert [b.reason for b in list_backups(db_path)] == ["daily"]


def test_a_database_from_a_newer_program_is_refused_with_a_message(
    qtbot: QtBot, db_path: Path, restore_hooks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = sqlite3.connect(str(db_path))
    conn.execute("UPDATE alembic_version SET version_num = 'ffffnewer'")
    conn.commit()
    conn.close()
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text, *a: messages.append(text))
    assert run_gui(str(db_path)) == 1
    assert messages and "比本程序新" in messages[0]
    assert list_backups(db_path) == []
