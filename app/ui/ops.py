"""The one way the GUI reaches the database: QueryOp (reads) and CollectionOp (writes), after Anki's aqt.operations.

Every op runs on the single database worker (``app.ui.tasks.database_pool``), so SQLite's one writer is never
contended from inside the app and the GUI thread never waits on a lock. An op owns what five views used to
reinvent: busy state, "load again" when a reload is asked for while one runs (``serial``), and its owner's
lifetime (a callback never runs on a deleted widget). Failures become the same dialogs everywhere: a
KnownError shows its Chinese message, a locked database offers 重试, a stale edit says it was refused.

Usage::

    QueryOp(parent=self, op=lambda: load_ledger(db, key), success=self._show).serial("load").run_in_background()
    CollectionOp(parent=self, op=lambda: projects.update_project(db, pid, changes)).success(done).run_in_background()

Edits that must reach the database in the order the clerk made them (an undo stack's commands) go through an
``OpQueue``: each op is built when its turn comes, after the previous one's result is shown, so it starts from
the versions that result carried.

Signals (on ``op_signals()``): busy_changed(bool) while any op runs; changed(object) after a CollectionOp
succeeds, carrying the op's ``changes`` tag, so other views can refresh.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import deque
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.storage.errors import KnownError, StaleEditError
from app.ui.tasks import run_in_background

T = TypeVar("T")
log = logging.getLogger("taizhang.ops")

LOCKED_MESSAGE = "数据库正被另一个窗口或另一位同事写入，暂时无法保存。\n请稍候点击“重试”；数据没有丢失。"


class OpSignals(QObject):
    """Application-wide op events. Signals: busy_changed(bool), changed(object)."""

    busy_changed = Signal(bool)
    changed = Signal(object)


_signals: OpSignals | None = None
_running = 0
# Relays live here, not under their owner: a closed view must not delete a relay a worker is about to emit on.
_alive: set[Any] = set()
# (owner id, serial key) → the op to run once the running one ends; None while one runs with nothing queued.
_serial: dict[tuple[int, str], QueryOp[Any] | None] = {}
_read_only_reason = ""  # set while the open database may only be read: every CollectionOp is refused


def set_read_only(reason: str) -> None:
    """Refuse every write from now on with ``reason`` (Chinese), or allow writes again with ""."""
    global _read_only_reason
    _read_only_reason = reason
    from app.ui import read_only  # greys out (or gives back) every marked edit affordance

    read_only.apply()


def read_only_reason() -> str:
    """Why writes are refused now ("" when they are not)."""
    return _read_only_reason


def op_signals() -> OpSignals:
    """The application's op signals (created on first use, on the GUI thread)."""
    global _signals
    if _signals is None:
        _signals = OpSignals()
    return _signals


def is_busy() -> bool:
    """True while any op is queued or running on the database worker."""
    return _running > 0


def is_database_locked(exc: BaseException) -> bool:
    """A write lock held elsewhere (another window, another PC): worth retrying, not a bug."""
    seen: BaseException | None = exc
    while seen is not None:
        text = str(seen).lower()
        if isinstance(seen, sqlite3.OperationalError | _sqlalchemy_operational_error()) and (
            "database is locked" in text or "database table is locked" in text or "lock timeout" in text
        ):
            return True
        if "could not obtain lock" in text or "lock_timeout" in text:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _sqlalchemy_operational_error() -> type[BaseException]:
    from sqlalchemy.exc import OperationalError

    return OperationalError


class QueryOp(Generic[T]):
    """Run ``op`` (plain Python, opens its own session, returns plain data) on the database worker."""

    _is_write = False

    def __init__(self, *, parent: QWidget, op: Callable[[], T], success: Callable[[T], None] | None = None) -> None:
        self._parent = parent
        self._op = op
        self._success = success
        self._failure: Callable[[BaseException], None] | None = None
        self._finally: Callable[[], None] | None = None
        self._abandoned: Callable[[BaseException], None] | None = None
        self._then: Callable[[], None] | None = None  # the OpQueue's "next", after everything else
        self._handlers: list[tuple[type[BaseException], Callable[[BaseException], None]]] = []
        self._serial_key: str | None = None
        self._changes: object = None

    def success(self, fn: Callable[[T], None]) -> QueryOp[T]:
        """Call ``fn(result)`` on the GUI thread when the op succeeds (only while the parent exists)."""
        self._success = fn
        return self

    def failure(self, fn: Callable[[BaseException], None]) -> QueryOp[T]:
        """Handle a failure yourself instead of the standard dialogs (the parent must still exist)."""
        self._failure = fn
        return self

    def on_error(self, kind: type[BaseException], fn: Callable[[BaseException], None]) -> QueryOp[T]:
        """Handle one kind of failure yourself (e.g. a stale edit); every other kind takes the standard path."""
        self._handlers.append((kind, fn))
        return self

    def abandoned(self, fn: Callable[[BaseException], None]) -> QueryOp[T]:
        """After the standard error dialog, when the clerk did not retry: e.g. drop an undo command that failed."""
        self._abandoned = fn
        return self

    def finally_(self, fn: Callable[[], None]) -> QueryOp[T]:
        """Call ``fn()`` after success or failure, e.g. to clear a view's own busy indicator."""
        self._finally = fn
        return self

    def wrap(self, outer: Callable[[Callable[[], T]], T]) -> QueryOp[T]:
        """Run the op as ``outer(op)`` on the worker (e.g. to mark the audit rows an undo writes)."""
        inner = self._op
        self._op = lambda: outer(inner)
        return self

    def serial(self, key: str) -> QueryOp[T]:
        """Coalesce: while an op with this key and parent runs, later ones collapse into one run after it."""
        self._serial_key = key
        return self

    def run_in_background(self) -> None:
        """Queue the op on the database worker."""
        if self._is_write and _read_only_reason:
            self._refuse(_read_only_reason)
            return
        if self._serial_key is not None:
            slot = (id(self._parent), self._serial_key)
            if slot in _serial:
                _serial[slot] = self  # the newest request wins; it runs when the current one ends
                return
            _serial[slot] = None
        self._start()

    def _start(self) -> None:
        global _running
        _running += 1
        if _running == 1:
            op_signals().busy_changed.emit(True)

        def done(result: Any) -> None:
            self._release(relay)
            try:
                if self._is_write:
                    op_signals().changed.emit(self._changes)
                if self._owner_alive() and self._success is not None:
                    self._success(result)
            finally:
                self._end()

        def failed(exc: BaseException, tb: str) -> None:
            self._release(relay)
            try:
                handler = next((fn for kind, fn in self._handlers if isinstance(exc, kind)), None)
                if not self._owner_alive():
                    log.info("op failed after its owner closed: %s", exc)
                elif handler is not None:
                    handler(exc)
                elif self._failure is not None:
                    self._failure(exc)
                elif show_op_error(self._parent, exc, tb, retry=self._retry):
                    return  # running again: the op ends when the retry does
                elif self._abandoned is not None:
                    self._abandoned(exc)
            except BaseException:
                self._end()
                raise
            self._end()

        relay = run_in_background(self._op, done, failed)
        _alive.add(relay)

    def _retry(self) -> None:
        self._start()

    def _refuse(self, reason: str) -> None:
        # Nothing is sent to the database: say why, then end as an abandoned op (an undo step leaves the stack).
        exc = KnownError(f"{reason}，不能保存修改。")
        if self._owner_alive():
            QMessageBox.information(self._parent, "只读", exc.message)
            if self._abandoned is not None:
                self._abandoned(exc)
        self._end()

    @staticmethod
    def _release(relay: Any) -> None:
        global _running
        # Release the relay after this emission has returned, never during it.
        QTimer.singleShot(0, lambda: _alive.discard(relay))
        _running -= 1
        if _running == 0:
            op_signals().busy_changed.emit(False)

    def _end(self) -> None:
        try:
            if self._finally is not None and self._owner_alive():
                self._finally()
        finally:
            if self._serial_key is not None:
                slot = (id(self._parent), self._serial_key)
                queued = _serial.pop(slot, None)
                if queued is not None and queued._owner_alive():
                    _serial[slot] = None
                    queued._start()
            if self._then is not None:
                self._then()

    def _owner_alive(self) -> bool:
        return shiboken6.isValid(self._parent)


class CollectionOp(QueryOp[T]):
    """A write: like QueryOp, and on success ``op_signals().changed`` tells every view the data moved."""

    _is_write = True

    def changes(self, tag: object) -> CollectionOp[T]:
        """What the write touched (e.g. "projects", "returns"), passed to ``changed`` listeners."""
        self._changes = tag
        return self


class OpQueue:
    """Ops that must run one after another, in order; each is built only when its turn comes.

    ``submit(build)``: ``build()`` runs on the GUI thread once every earlier op has ended (its success or
    failure handled) and returns the op to run, or None to skip. ``cancel()`` drops what has not started.
    """

    def __init__(self) -> None:
        self._waiting: deque[Callable[[], QueryOp[Any] | None]] = deque()
        self._running = False

    def submit(self, build: Callable[[], QueryOp[Any] | None]) -> None:
        """Queue an op; it starts at once when nothing else in this queue runs."""
        self._waiting.append(build)
        if not self._running:
            self._next()

    def pending(self) -> int:
        """How many ops wait or run."""
        return len(self._waiting) + (1 if self._running else 0)

    def cancel(self) -> int:
        """Drop the ops not started yet; return how many were dropped."""
        dropped = len(self._waiting)
        self._waiting.clear()
        return dropped

    def _next(self) -> None:
        self._running = False
        while self._waiting:
            op = self._waiting.popleft()()
            if op is None:
                continue
            self._running = True
            op._then = self._next
            op.run_in_background()
            return


def show_op_error(
    parent: QWidget | None, exc: BaseException, tb: str = "", retry: Callable[[], None] | None = None
) -> bool:
    """The standard answer to a failed op: stale edit, locked database (with 重试), known error, or a bug.

    Returns True when the clerk chose 重试 (``retry`` has then been called).
    """
    if isinstance(exc, StaleEditError):
        QMessageBox.warning(parent, "数据已被修改", exc.message)
    elif is_database_locked(exc):
        box = QMessageBox(QMessageBox.Icon.Warning, "数据库忙", LOCKED_MESSAGE, parent=parent)
        retry_button = box.addButton("重试", QMessageBox.ButtonRole.AcceptRole) if retry is not None else None
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if retry is not None and box.clickedButton() is retry_button:
            retry()
            return True
    elif isinstance(exc, KnownError):
        QMessageBox.warning(parent, "台账", exc.message)
    else:
        from app.ui.crash import handle_exception

        handle_exception(type(exc), exc, exc.__traceback__)
    return False
