"""Mark the audit rows an undo or a redo writes, so 修改记录 tells them from ordinary edits.

The GUI's undo commands run the service inside ``marked("undo", …)`` on the database worker; every audit row
written meanwhile takes that action instead of update/create/delete. A context variable keeps it to the one
call (and the one thread) that asked.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")
UNDO = "undo"
REDO = "redo"
_mark: ContextVar[str | None] = ContextVar("audit_mark", default=None)


def marked(mark: str | None, fn: Callable[[], T]) -> T:
    """Run ``fn`` with audit rows marked ``mark`` (undo / redo); None runs it unmarked."""
    if mark is None:
        return fn()
    token = _mark.set(mark)
    try:
        return fn()
    finally:
        _mark.reset(token)


def action(default: str) -> str:
    """The action to write on an audit row: the mark of the running undo or redo, else ``default``."""
    return _mark.get() or default
