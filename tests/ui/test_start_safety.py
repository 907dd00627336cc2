"""Starting the GUI: crash handler in place, the day's first backup taken, a newer database refused clearly,
a damaged database restored from its backups."""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.bootstrap import run_gui
from app.storage.backup import backup_database, list_backups
from app.ui import crash
from app.ui.dialogs.backups_dialog import BackupsDialog


@pytest.fixture
def start(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[QApplication]]:
    """run_gui without its event loop, hooks restored and windows closed afterwards.

    The main loop is not really run: ending it (quit/exit) would make every later QEventLoop in this test
    session – qtbot.waitSignal's included – return at once.
    """
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    started: list[QApplication] = []
    monkeypatch.setattr(QApplication, "exec", lambda app: started.append(app) or 0)
    yield started
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()


def test_start_installs_the_crash_handler_and_takes_the_daily_backup(
    qtbot: QtBot, db_path: Path, start: list[QApplication]
) -> None:
    assert run_gui(str(db_path)) == 0
    assert start  # the main window was shown and the event loop entered
    assert sys.excepthook is crash.handle_exception
    # Taken on the database worker once the window is up, off the start-up path.
    qtbot.waitUntil(lambda: len(list_backups(db_path)) == 1, timeout=10_000)
    assert [b.reason for b in list_backups(db_path)] == ["daily"]


def test_a_database_from_a_newer_program_is_refused_with_a_message(
    qtbot: QtBot, db_path: Path, start: list[QApplication], monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = sqlite3.connect(str(db_path))
    conn.execute("UPDATE alembic_version SET version_num = 'ffffnewer'")
    conn.commit()
    conn.close()
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text, *a: messages.append(text))
    assert run_gui(str(db_path)) == 1
    assert messages and "比本程序新" in messages[0]
    assert list_backups(db_path) == [] and not start


def test_a_damaged_database_with_backups_can_be_restored_at_start(
    qtbot: QtBot, db_path: Path, start: list[QApplication], monkeypatch: pytest.MonkeyPatch
) -> None:
    backup_database(db_path, "daily")
    db_path.write_bytes(b"\0" * 4096 + b"damaged by a failing disk")
    asked: list[str] = []

    def answer(box: QMessageBox) -> int:  # the offer, then the confirmation: take the restoring button
        asked.append(box.text())
        for button in box.buttons():
            if button.text() in ("从备份恢复…", "恢复"):
                button.click()
        return 0

    def pick_newest_and_restore(dialog: BackupsDialog) -> int:
        dialog.table.selectRow(0)
        with qtbot.waitSignal(dialog.restored, timeout=10_000):
            dialog.restore_button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    monkeypatch.setattr(BackupsDialog, "exec", pick_newest_and_restore)
    assert run_gui(str(db_path)) == 0
    assert "损坏" in asked[0] and start
    assert sqlite3.connect(str(db_path)).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
