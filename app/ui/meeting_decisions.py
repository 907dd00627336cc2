"""Record a meeting's decisions (议定事项) from the 会议报告 view, undoably.

「新增议定事项…」 opens the decision dialog on the meeting; 「转为议定事项…」 makes the selected 需协调解决的问题 a
decision in one step, with the issue's text, its department and the meeting filled in and its source kept.
Each write runs as a CollectionOp inside an undo command on the view's stack.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from app.services import decisions
from app.storage.db import Database
from app.ui.dialogs.decision_dialog import DecisionDialog, DecisionValues
from app.ui.ops import CollectionOp


class _DecisionWrite(QUndoCommand):
    """Redo records a decision (how, the subclass says); undo deletes it again."""

    def __init__(self, text: str, parent: QWidget, database: Database, values: DecisionValues) -> None:
        super().__init__(text)
        self.parent, self.database, self.values = parent, database, values
        self.decision_id: int | None = None

    def _record(self) -> int:  # pragma: no cover - every command overrides it
        raise NotImplementedError

    def redo(self) -> None:
        def recorded(did: int) -> None:
            self.decision_id = did
            _said(self.parent, did)

        CollectionOp(parent=self.parent, op=self._record).changes("decisions").success(recorded).run_in_background()

    def undo(self) -> None:
        db, did = self.database, self.decision_id
        if did is not None:
            CollectionOp(parent=self.parent, op=lambda: decisions.delete_decision(db, did)).changes(
                "decisions"
            ).run_in_background()


class IssueToDecision(_DecisionWrite):
    """Redo records the decision from the issue, keeping its source; undo deletes it again."""

    def __init__(self, parent: QWidget, database: Database, issue_id: int, values: DecisionValues) -> None:
        super().__init__("转为议定事项", parent, database, values)
        self.issue_id = issue_id

    def _record(self) -> int:  # runs on the database worker, inside the op
        db, v = self.database, self.values
        new_id = decisions.decision_from_issue(db, self.issue_id, v.due, v.text, v.department_ids)
        if v.meeting_id is not None or v.source_text:
            decisions.update_decision(db, new_id, meeting_id=v.meeting_id, source_text=v.source_text or None)
        return new_id


class AddMeetingDecision(_DecisionWrite):
    """Redo records a decision of the meeting; undo deletes it again."""

    def __init__(self, parent: QWidget, database: Database, values: DecisionValues) -> None:
        super().__init__("新增议定事项", parent, database, values)

    def _record(self) -> int:  # runs on the database worker, inside the op
        v = self.values
        return decisions.add_decision(self.database, v.text, v.department_ids, v.due, v.meeting_id, v.source_text)


def _said(parent: QWidget, decision_id: int) -> None:
    bar = getattr(parent.window(), "statusBar", None)
    if callable(bar):
        bar().showMessage(f"已登记为议定事项 {decision_id}，可在“督办”中跟踪办理（Ctrl+7）", 8000)


def add_meeting_decision(
    parent: QWidget,
    database: Database,
    undo_stack: QUndoStack,
    departments: list[tuple[int, str]],
    meetings: list[tuple[int, str]],
    meeting_id: int | None,
) -> None:
    """Ask for a decision of the meeting (text, departments, due date) and record it (undoable)."""
    dialog = DecisionDialog(departments, meetings, parent=parent, title="新增议定事项")
    dialog.set_meeting(meeting_id)
    if dialog.exec() == DecisionDialog.DialogCode.Accepted:
        undo_stack.push(AddMeetingDecision(parent, database, dialog.values()))


def issue_to_decision(
    parent: QWidget,
    database: Database,
    undo_stack: QUndoStack,
    issue: Any,
    departments: list[tuple[int, str]],
    meetings: list[tuple[int, str]],
    meeting_id: int | None,
) -> None:
    """Ask for the due date (and any change to the text or departments), then record the decision."""
    if issue is None:
        QMessageBox.information(parent, "转为议定事项", "请先在清单中选择一个问题。")
        return
    dialog = DecisionDialog(departments, meetings, parent=parent, title="转为议定事项")
    dialog.text_edit.setPlainText(issue.text)
    dialog.set_meeting(meeting_id)
    who = "，".join(x for x in (issue.department_name, issue.project_name) if x)
    dialog.source_edit.setPlaceholderText(f"需协调解决的问题（{who}）" if who else "需协调解决的问题")
    for row in range(dialog.department_list.count()):
        item = dialog.department_list.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == issue.department_id:
            item.setCheckState(Qt.CheckState.Checked)
    dialog.due_edit.setFocus()
    if dialog.exec() == DecisionDialog.DialogCode.Accepted:
        undo_stack.push(IssueToDecision(parent, database, issue.id, dialog.values()))
