"""Background work for the GUI: run a plain function off the GUI thread, get its result back on it.

Database work queues on one worker (SQLite has one writer); each job opens its own session and returns
plain data, never Qt objects or ORM instances bound to a session.

Usage::

    run_in_background(lambda: service.build(...), on_success=self._show, on_failure=self._fail, parent=self)
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

_pool: QThreadPool | None = None


def database_pool() -> QThreadPool:
    """The single-worker pool all database jobs share."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


class _Relay(QObject):
    """Carries a job's outcome back to the GUI thread. Signals: succeeded(object), failed(object, str)."""

    succeeded = Signal(object)
    failed = Signal(object, str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            try:
                result = self.fn()
            except Exception as exc:  # noqa: BLE001 - handed to the GUI thread, which shows and logs it
                self.relay.failed.emit(exc, traceback.format_exc())
            else:
                self.relay.succeeded.emit(result)
        except RuntimeError:
            # The relay's parent (a view, a window) was closed while the job ran: nobody wants the result.
            pass


def run_in_background(
    fn: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException, str], None] | None = None,
    *,
    parent: QObject | None = None,
    pool: QThreadPool | None = None,
) -> _Relay:
    """Run ``fn`` on the database worker; call ``on_success(result)`` or ``on_failure(exc, tb)`` on the GUI thread.

    Keep the returned relay (or pass ``parent``) alive until the job ends.
    """
    relay = _Relay(parent)
    relay.succeeded.connect(on_success)
    if on_failure is not None:
        relay.failed.connect(on_failure)
    else:
        relay.failed.connect(lambda exc, tb: _default_failure(exc, tb))
    (pool or database_pool()).start(_Job(fn, relay))
    return relay


def _default_failure(exc: BaseException, tb: str) -> None:
    import logging

    logging.getLogger("taizhang").error("background job failed: %s\n%s", exc, tb)
