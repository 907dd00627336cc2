"""The base of every undo command that saves: redo/undo queue a CollectionOp, a failed save leaves the stack.

A command's redo/undo queues its op on its host's ``OpQueue``: the op is built when its turn comes (so it reads
the row versions the previous save left), runs the service on the database worker and shows the result on the
GUI thread. If the save fails and the clerk does not retry, the stack must not claim a state the database does
not have: the command is dropped from the stack (or, when that cannot be done exactly, the history is cleared)
and the host reloads what the database holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.services import audit_mark
from app.storage.errors import StaleEditError
from app.ui.ops import CollectionOp, OpQueue, QueryOp


class CommandHost(Protocol):
    """What a saving command needs from the view or dialog that owns its stack."""

    queue: OpQueue
    undo_stack: QUndoStack

    def after_write(self) -> None:
        """Called after each successful save (refresh what depends on it)."""

    def drop_command(self, command: QUndoCommand, exc: BaseException, *, undoing: bool) -> None:
        """Called when a save failed and was not retried."""


class OpCommand(QUndoCommand):
    """An undo command whose redo and undo save on the database worker, in order."""

    changes = "data"  # the tag op_signals().changed carries

    def __init__(self, host: CommandHost, text: str) -> None:
        super().__init__(text)
        self.host = host
        self._undone_once = False  # a redo after an undo is marked 重做 in the audit log

    def _submit(self, build: Callable[[], CollectionOp[Any]], show: Callable[[Any], None], *, undoing: bool) -> None:
        """Queue a save: ``build()`` (GUI thread, at its turn) returns the op; ``show`` gets its result."""
        host = self.host
        mark = audit_mark.UNDO if undoing else (audit_mark.REDO if self._undone_once else None)
        self._undone_once = self._undone_once or undoing

        def make() -> QueryOp[Any] | None:
            if not shiboken6.isValid(self) or self.isObsolete():
                return None
            try:
                op = build()
            except StaleEditError as exc:  # the row is gone from the view: nothing to send
                host.drop_command(self, exc, undoing=undoing)
                return None
            op.wrap(lambda run: audit_mark.marked(mark, run))
            return (
                op.changes(self.changes)
                .success(lambda result: self._saved(result, show))
                .abandoned(lambda exc: host.drop_command(self, exc, undoing=undoing))
            )

        host.queue.submit(make)

    def _saved(self, result: Any, show: Callable[[Any], None]) -> None:
        show(result)
        self.host.after_write()


class SetValueCommand(OpCommand):
    """An edit from ``old`` to ``new``: redo saves ``new``, undo saves ``old``; ``_write`` says how."""

    def __init__(self, host: CommandHost, text: str, old: Any, new: Any) -> None:
        super().__init__(host, text)
        self.old, self.new = old, new

    def _write(self, value: Any, *, undoing: bool) -> None:  # pragma: no cover - every command overrides it
        raise NotImplementedError

    def redo(self) -> None:
        self._write(self.new, undoing=False)

    def undo(self) -> None:
        self._write(self.old, undoing=True)


def forget_failed(
    stack: QUndoStack, queue: OpQueue, command: QUndoCommand, exc: BaseException, *, undoing: bool
) -> None:
    """Take a command whose save failed off ``stack`` (exactly when it is at the stack's edge, else clear all).

    Saves queued behind it are dropped too (they would start from a state that was never saved), and then the
    whole history goes; so does it when someone else changed the record (StaleEditError).
    """
    command.setObsolete(True)
    dropped = queue.cancel()

    def tidy() -> None:  # later: the stack must not change inside a command's own redo()/undo()
        if not shiboken6.isValid(stack):
            return
        index = stack.index()
        if isinstance(exc, StaleEditError) or dropped:
            stack.clear()
        elif not undoing and index > 0 and stack.command(index - 1) is command:
            stack.undo()  # an obsolete command is removed without its undo() being called
        elif undoing and index < stack.count() and stack.command(index) is command:
            stack.redo()  # likewise without its redo()
        else:
            stack.clear()

    QTimer.singleShot(0, tidy)
