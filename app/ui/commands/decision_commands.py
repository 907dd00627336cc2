"""Undo commands that record a meeting's decisions (议定事项): redo records, undo deletes the decision again.

Each saves on the database worker through ``app.ui.commands.base.OpCommand``: a save that fails (a locked
database the clerk does not retry, a KnownError) leaves the undo stack as it was and the clerk sees why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.services import decisions
from app.storage.errors import StaleEditError
from app.ui.commands.base import CommandHost, OpCommand, SetValueCommand
from app.ui.ops import CollectionOp

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.storage.db import Database
    from app.ui.dialogs.decision_dialog import ClosingValues, DecisionValues


class DecisionCommand(OpCommand):
    """Redo records a decision (how, the subclass says, on the worker); undo deletes it again."""

    changes = "decisions"

    def __init__(self, host: CommandHost, parent: QWidget, database: Database, text: str, values: DecisionValues):
        super().__init__(host, text)
        self.parent, self.database, self.values = parent, database, values
        self.decision_id: int | None = None

    def _record(self) -> int:  # pragma: no cover - every command overrides it
        raise NotImplementedError

    def redo(self) -> None:
        def recorded(did: int) -> None:
            self.decision_id = did
            _said(self.parent, did)

        self._submit(lambda: CollectionOp(parent=self.parent, op=self._record), recorded, undoing=False)

    def undo(self) -> None:
        db = self.database

        def build() -> CollectionOp[None]:
            did = self.decision_id  # read at its turn: the redo before it has shown its id by then
            if did is None:
                raise StaleEditError("该议定事项没有保存成功，无需撤销。")
            return CollectionOp(parent=self.parent, op=lambda: decisions.delete_decision(db, did))

        self._submit(build, lambda _none: None, undoing=True)


class IssueToDecision(DecisionCommand):
    """Redo records the decision from a 需协调解决的问题, keeping its source; undo deletes it again."""

    def __init__(
        self, host: CommandHost, parent: QWidget, database: Database, issue_id: int, values: DecisionValues
    ) -> None:
        super().__init__(host, parent, database, "转为议定事项", values)
        self.issue_id = issue_id

    def _record(self) -> int:  # runs on the database worker, inside the op
        db, v = self.database, self.values
        new_id = decisions.decision_from_issue(db, self.issue_id, v.due, v.text, v.department_ids)
        if v.meeting_id is not None or v.source_text:
            decisions.update_decision(db, new_id, meeting_id=v.meeting_id, source_text=v.source_text or None)
        return new_id


class AddMeetingDecision(DecisionCommand):
    """Redo records a decision of the meeting; undo deletes it again."""

    def __init__(self, host: CommandHost, parent: QWidget, database: Database, values: DecisionValues) -> None:
        super().__init__(host, parent, database, "新增议定事项", values)

    def _record(self) -> int:  # runs on the database worker, inside the op
        v = self.values
        return decisions.add_decision(self.database, v.text, v.department_ids, v.due, v.meeting_id, v.source_text)


def _said(parent: QWidget, decision_id: int) -> None:
    bar = getattr(parent.window(), "statusBar", None)
    if callable(bar):
        bar().showMessage(f"已登记为议定事项 {decision_id}，可在“督办”中跟踪办理（Ctrl+7）", 8000)


class EditDecisionCommand(SetValueCommand):
    """修改议定事项 from the 督办 view: redo writes the new values, undo the old ones."""

    changes = "decisions"

    def __init__(
        self, host: CommandHost, parent: QWidget, database: Database, decision_id: int, old: DecisionValues,
        new: DecisionValues,
    ) -> None:  # fmt: skip
        super().__init__(host, "修改议定事项", old, new)
        self.parent, self.database, self.decision_id = parent, database, decision_id

    def _write(self, v: DecisionValues, *, undoing: bool) -> None:
        db, did = self.database, self.decision_id

        def write() -> decisions.DecisionRow:
            return decisions.update_decision(
                db, did, text=v.text, department_ids=v.department_ids, due=v.due, meeting_id=v.meeting_id,
                source_text=v.source_text,
            )  # fmt: skip

        self._submit(lambda: CollectionOp(parent=self.parent, op=write), lambda _row: None, undoing=undoing)


class CloseDecisionCommand(OpCommand):
    """办结销号 (or, with ``reopen``, 退回重办): undo does the other."""

    changes = "decisions"

    def __init__(
        self, host: CommandHost, parent: QWidget, database: Database, decision_id: int, closing: ClosingValues,
        *, reopen: bool = False,
    ) -> None:  # fmt: skip
        super().__init__(host, "退回重办" if reopen else "办结销号")
        self.parent, self.database, self.decision_id, self.closing, self.reopen = (
            parent, database, decision_id, closing, reopen,
        )  # fmt: skip

    def _set(self, closed: bool, *, undoing: bool) -> None:
        db, did, c = self.database, self.decision_id, self.closing

        def write() -> decisions.DecisionRow:
            if closed:
                return decisions.close_decision(db, did, c.note, c.evidence, c.closed_on)
            return decisions.reopen_decision(db, did)

        self._submit(lambda: CollectionOp(parent=self.parent, op=write), lambda _row: None, undoing=undoing)

    def redo(self) -> None:
        self._set(not self.reopen, undoing=False)

    def undo(self) -> None:
        self._set(self.reopen, undoing=True)
