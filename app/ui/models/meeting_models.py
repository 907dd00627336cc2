"""Item models of the 会议 view: the meeting list and a meeting's issue table."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QWidget

from app.services.meetings import IssueRow, MeetingData
from app.ui import read_only

Index = QModelIndex | QPersistentModelIndex


class MeetingListModel(QAbstractListModel):
    """Meetings, newest first: “2025-10-20 第三季度联席会议（2025年第三季度）”."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[MeetingData] = []

    def set_rows(self, rows: list[MeetingData]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        m = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{m.held_on:%Y-%m-%d}  {m.title}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{m.title}\n会议日期：{m.held_on:%Y年%m月%d日}\n报告期：{m.period_label or '未设'}"
        if role == Qt.ItemDataRole.UserRole:
            return m.id
        return None


class IssueColumn(IntEnum):
    """Columns of the issue table."""

    INCLUDED = 0
    TEXT = 1
    DEPARTMENT = 2
    PROJECT = 3


ISSUE_HEADERS = {
    IssueColumn.INCLUDED: "列入材料",
    IssueColumn.TEXT: "需协调解决的问题",
    IssueColumn.DEPARTMENT: "提出单位",
    IssueColumn.PROJECT: "项目",
}


class IssueTableModel(QAbstractTableModel):
    """A meeting's issues in printing order. Edits are not applied here: ``edit_requested`` asks the view,
    which pushes an undoable command. Signals: edit_requested(int issue_id, str field, object value)."""

    edit_requested = Signal(int, str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[IssueRow] = []

    def set_rows(self, rows: list[IssueRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_of(self, issue_id: int) -> int:
        return next(i for i, r in enumerate(self.rows) if r.id == issue_id)

    def apply(self, issue_id: int, *, text: str | None = None, included: bool | None = None) -> None:
        """Show a saved change in one row."""
        row = self.row_of(issue_id)
        if text is not None:
            self.rows[row].text = text
        if included is not None:
            self.rows[row].included = included
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(IssueColumn) - 1))

    def move(self, issue_id: int, to_row: int) -> None:
        """Move one row (already saved) to ``to_row``."""
        src = self.row_of(issue_id)
        if src == to_row:
            return
        dest = to_row + 1 if to_row > src else to_row
        self.beginMoveRows(QModelIndex(), src, src, QModelIndex(), dest)
        self.rows.insert(to_row, self.rows.pop(src))
        self.endMoveRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(IssueColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ISSUE_HEADERS[IssueColumn(section)]
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == IssueColumn.INCLUDED:
            return read_only.editable(base | Qt.ItemFlag.ItemIsUserCheckable)
        if index.column() == IssueColumn.TEXT:
            return read_only.editable(base | Qt.ItemFlag.ItemIsEditable)
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = IssueColumn(index.column())
        if role == Qt.ItemDataRole.CheckStateRole and col == IssueColumn.INCLUDED:
            return Qt.CheckState.Checked if r.included else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == IssueColumn.TEXT:
                return r.text
            if col == IssueColumn.DEPARTMENT:
                return r.department_name
            if col == IssueColumn.PROJECT:
                return r.project_name
        if role == Qt.ItemDataRole.ToolTipRole and col == IssueColumn.TEXT:
            return r.text
        if role == Qt.ItemDataRole.ForegroundRole and not r.included:
            return Qt.GlobalColor.gray
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        r = self.rows[index.row()]
        if index.column() == IssueColumn.INCLUDED and role == Qt.ItemDataRole.CheckStateRole:
            included = Qt.CheckState(value) == Qt.CheckState.Checked
            if included != r.included:
                self.edit_requested.emit(r.id, "included", included)
            return True
        if index.column() == IssueColumn.TEXT and role == Qt.ItemDataRole.EditRole:
            text = str(value)
            if text != r.text:
                self.edit_requested.emit(r.id, "text", text)
            return True
        return False
