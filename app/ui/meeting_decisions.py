"""Record a meeting's decisions (议定事项) from the 会议报告 view, undoably.

「新增议定事项…」 opens the decision dialog on the meeting; 「转为议定事项…」 makes the selected 需协调解决的问题 a
decision in one step, with the issue's text, its department and the meeting filled in and its source kept.
Each write is an undo command on the host's stack (``app.ui.commands.decision_commands``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.storage.db import Database
from app.ui.commands.base import CommandHost
from app.ui.commands.decision_commands import AddMeetingDecision, IssueToDecision
from app.ui.dialogs.decision_dialog import DecisionDialog


def add_meeting_decision(
    host: CommandHost,
    parent: QWidget,
    database: Database,
    departments: list[tuple[int, str]],
    meetings: list[tuple[int, str]],
    meeting_id: int | None,
) -> None:
    """Ask for a decision of the meeting (text, departments, due date) and record it (undoable)."""
    dialog = DecisionDialog(departments, meetings, parent=parent, title="新增议定事项")
    dialog.set_meeting(meeting_id)
    if dialog.exec() == DecisionDialog.DialogCode.Accepted:
        host.undo_stack.push(AddMeetingDecision(host, parent, database, dialog.values()))


def issue_to_decision(
    host: CommandHost,
    parent: QWidget,
    database: Database,
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
        host.undo_stack.push(IssueToDecision(host, parent, database, issue.id, dialog.values()))
