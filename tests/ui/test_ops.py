"""The op runner: results come back on the GUI thread, reloads coalesce, a closed owner gets nothing."""

from __future__ import annotations

import sqlite3
import threading

from PySide6.QtWidgets import QMessageBox, QWidget

from app.storage.errors import KnownError
from app.ui import ops
from app.ui.ops import CollectionOp, QueryOp, is_database_locked


def test_query_op_runs_off_the_gui_thread_and_returns_on_it(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    seen: list[tuple[str, bool]] = []
    gui = threading.current_thread().name

    def work() -> str:
        return threading.current_thread().name

    with qtbot.waitSignal(ops.op_signals().busy_changed, check_params_cb=lambda b: b is False):
        QueryOp(
            parent=owner, op=work, success=lambda name: seen.append((name, threading.current_thread().name == gui))
        ).run_in_background()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0][0] != gui and seen[0][1]


def test_serial_ops_collapse_into_one_more_run(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    gate = threading.Event()
    runs: list[int] = []
    results: list[int] = []

    def op(n: int):
        def run() -> int:
            if n == 0:
                gate.wait(5)
            runs.append(n)
            return n

        return run

    for n in range(4):
        QueryOp(parent=owner, op=op(n), success=results.append).serial("load").run_in_background()
    gate.set()
    qtbot.waitUntil(lambda: results == [0, 3], timeout=5000)
    assert runs == [0, 3]


def test_closed_owner_gets_no_callback(qtbot):
    owner = QWidget()
    gate = threading.Event()
    called: list[object] = []
    QueryOp(parent=owner, op=lambda: gate.wait(5), success=called.append).run_in_background()
    owner.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(owner))
    gate.set()
    qtbot.waitUntil(lambda: not ops.is_busy(), timeout=5000)
    qtbot.wait(20)
    assert called == []


def test_collection_op_announces_the_change(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    with qtbot.waitSignal(ops.op_signals().changed) as blocker:
        CollectionOp(parent=owner, op=lambda: 1).changes("projects").run_in_background()
    assert blocker.args == ["projects"]


def test_known_error_is_shown_in_chinese(qtbot, monkeypatch):
    owner = QWidget()
    qtbot.addWidget(owner)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))

    def fail() -> None:
        raise KnownError("文件正在被 Excel 打开")

    QueryOp(parent=owner, op=fail).run_in_background()
    qtbot.waitUntil(lambda: bool(shown))
    assert shown == ["文件正在被 Excel 打开"]


def test_locked_database_is_recognised_through_wrappers():
    from sqlalchemy.exc import OperationalError

    inner = sqlite3.OperationalError("database is locked")
    assert is_database_locked(OperationalError("UPDATE project", {}, inner))
    assert not is_database_locked(sqlite3.OperationalError("no such table: project"))
