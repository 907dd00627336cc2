"""Undo commands of the 会议 view's issue list: edit an issue, move it in the printing order.

Each saves on the database worker through ``app.ui.commands.base.OpCommand``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.services import meetings
from app.ui.commands.base import OpCommand
from app.ui.ops import CollectionOp

if TYPE_CHECKING:
    from app.ui.views.meetings_view import MeetingsView


class IssueEditCommand(OpCommand):
    """Change one issue's text or inclusion; undo restores the previous value."""

    changes = "meetings"

    def __init__(self, view: MeetingsView, issue_id: int, field: str, old: Any, new: Any) -> None:
        label = "修改问题内容" if field == "text" else ("列入材料" if new else "不列入材料")
        super().__init__(view, label)
        self.view, self.issue_id, self.field, self.old, self.new = view, issue_id, field, old, new

    def _set(self, value: Any, *, undoing: bool) -> None:
        database, issue_id, changes = self.view.database, self.issue_id, {self.field: value}
        self._submit(
            lambda: CollectionOp(parent=self.view, op=lambda: meetings.update_issue(database, issue_id, **changes)),
            lambda _none: self.view.issue_model.apply(issue_id, **changes),
            undoing=undoing,
        )

    def redo(self) -> None:
        self._set(self.new, undoing=False)

    def undo(self) -> None:
        self._set(self.old, undoing=True)


class IssueMoveCommand(OpCommand):
    """Move an issue up or down the printing order (shown at once, saved on the worker)."""

    changes = "meetings"

    def __init__(self, view: MeetingsView, issue_id: int, old_row: int, new_row: int) -> None:
        super().__init__(view, "调整问题顺序")
        self.view, self.issue_id, self.old_row, self.new_row = view, issue_id, old_row, new_row

    def _to(self, row: int, *, undoing: bool) -> None:
        model = self.view.issue_model
        database, meeting_id = self.view.database, self.view.current_meeting_id or 0

        def build() -> CollectionOp[None]:
            model.move(self.issue_id, row)
            self.view.issue_table.selectRow(row)
            order = [r.id for r in model.rows]
            return CollectionOp(parent=self.view, op=lambda: meetings.set_issue_order(database, meeting_id, order))

        self._submit(build, lambda _none: None, undoing=undoing)

    def redo(self) -> None:
        self._to(self.new_row, undoing=False)

    def undo(self) -> None:
        self._to(self.old_row, undoing=True)
