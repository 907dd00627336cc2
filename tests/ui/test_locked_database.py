"""A write lock held by another process: the window keeps turning, the clerk is told in Chinese, 重试 saves."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from app.services import projects
from app.storage import db as storage_db
from app.storage.db import Database
from app.storage.errors import KnownError
from app.ui.dialogs.project_form import ProjectFormDialog
from app.ui.ops import LOCKED_MESSAGE
from tests.ui.desk_helpers import settle

HOLD_LOCK = (
    "import sqlite3, sys\n"
    "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "c.execute('BEGIN IMMEDIATE')\n"
    "print('locked', flush=True)\n"
    "sys.stdin.readline()\n"
    "c.execute('ROLLBACK')\n"
)


def _hold_write_lock(path: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def _release(holder: subprocess.Popen[str]) -> None:
    holder.communicate("\n", timeout=10)  # also closes the pipes


def _open_form(qtbot, db: Database, project_id: int = 4) -> ProjectFormDialog:  # type: ignore[no-untyped-def]
    form = ProjectFormDialog(db, project_id)
    qtbot.addWidget(form)
    settle()
    return form


def test_save_under_a_held_lock_keeps_the_window_responsive_and_retry_saves(qtbot, db_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(storage_db, "BUSY_TIMEOUT_MS", 1500)  # the worker gives up after 1.5 s, not 5 s
    db = Database(db_path)
    form = _open_form(qtbot, db)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    shown: list[tuple[str, list[str]]] = []
    holder = _hold_write_lock(db_path)

    def clerk_sees(box: QMessageBox) -> int:
        shown.append((box.text(), [b.text() for b in box.buttons()]))
        timer.stop()
        _release(holder)  # the colleague's write ends while the message is read
        retry = next(b for b in box.buttons() if b.text() == "重试")
        retry.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", clerk_sees)
    try:
        timer.start()
        started = time.monotonic()
        form.fields["region"].setEditText("长春市")
        form.commit_field("region")
        settle()
    finally:
        if holder.poll() is None:
            _release(holder)
    assert shown and shown[0][0] == LOCKED_MESSAGE and "重试" in shown[0][1]
    blocked = [t for t in ticks if t >= started]
    assert blocked and blocked[-1] - started > 1.0  # the event loop turned while the worker waited
    gaps = [b - a for a, b in zip([started, *blocked], blocked, strict=False)]
    assert max(gaps) < 0.1
    assert projects.load_project(db, 4).values["region"] == "长春市"
    assert form.undo_stack.count() == 1 and form.message.text() == "已保存。"
    db.dispose()


def test_cancelled_save_under_a_lock_leaves_no_undo_step_and_shows_the_saved_value(
    qtbot, db_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(storage_db, "BUSY_TIMEOUT_MS", 200)
    db = Database(db_path)
    form = _open_form(qtbot, db)
    holder = _hold_write_lock(db_path)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: 0)  # the clerk closes the message: 取消
    try:
        form.fields["region"].setEditText("长春市")
        form.commit_field("region")
        settle()
    finally:
        _release(holder)
    assert form.undo_stack.count() == 0
    assert form.fields["region"].currentText() == "白城市"
    assert projects.load_project(db, 4).values["region"] == "白城市"
    db.dispose()


@pytest.mark.parametrize("failing", ["redo", "undo"])
def test_a_refused_undo_or_redo_leaves_the_stack_matching_the_database(
    qtbot, db: Database, monkeypatch, failing: str
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    form = _open_form(qtbot, db)
    form.fields["region"].setEditText("长春市")
    form.commit_field("region")
    settle()
    if failing == "redo":
        form.undo_stack.undo()
        settle()
    real = projects.update_project

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KnownError("数据库只读")

    monkeypatch.setattr(projects, "update_project", refuse)
    getattr(form.undo_stack, failing)()
    settle()
    monkeypatch.setattr(projects, "update_project", real)
    saved = projects.load_project(db, 4).values["region"]
    assert form.fields["region"].currentText() == saved
    # The failed step is gone: nothing left claims the value the database refused.
    assert form.undo_stack.count() == 0
    assert not form.undo_stack.canRedo() and not form.undo_stack.canUndo()
