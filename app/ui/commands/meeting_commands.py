"""Undo commands of the 会议 view's issue list: edit an issue, move it in the printing order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from app.services import meetings

if TYPE_CHECKING:
    from app.ui.views.meetings_view import MeetingsView


class IssueEditCommand(QUndoCommand):
    """Change one issue's text or inclusion; undo restores the previous value."""

    def __init__(self, view: MeetingsView, issue_id: int, field: str, old: Any, new: Any) -> None:
        label = "修改问题内容" if field == "text" else ("列入材料" if new else "不列入材料")
        super().__init__(label)
        self.view, self.issue_id, self.field, self.old, self.new = view, issue_id, field, old, new

    def _set(self, value: Any) -> None:
        meetings.update_issue(self.view.database, self.issue_id, **{self.field: value})
        self.view.issue_model.apply(self.issue_id, **{self.field: value})

    def redo(self) -> None:
        self.view.guard(lambda: self._set(self.new))

    def undo(self) -> None:
        self.view.guard(lambda: self._set(self.old))


class IssueMoveCommand(QUndoCommand):
    """Move an issue up or down the printing order."""

    def __init__(self, view: MeetingsView, issue_id: int, old_row: int, new_row: int) -> None:
        super().__init__("调整问题顺序")
        self.view, self.issue_id, self.old_row, self.new_row = view, issue_id, old_row, new_row

    def _to(self, row: int) -> None:
        model = self.view.issue_model
        model.move(self.issue_id, row)
        meetings.set_issue_order(self.view.database, self.view.current_meeting_id or 0, [r.id for r in model.rows])
        self.view.issue_table.selectRow(row)

    def redo(self) -> None:
        self.view.guard(lambda: self._to(self.new_row))

    def undo(self) -> None:
        self.view.guard(lambda: self._to(self.old_row))
