"""Item models of the project form: milestones, programme members and the audit history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.domain import credit_code
from app.services import projects as svc
from app.ui import read_only
from app.ui.models.rows import RowsModel


def fmt_date(value: date | None) -> str:
    """A date as the form shows it (ISO), empty when unset."""
    return value.isoformat() if value else ""


def fmt_number(value: Any) -> str:
    """A number as the form shows it: whole floats without ".0", empty when unset."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class KeyedRowsModel(RowsModel[Any]):
    """Rows (frozen dataclasses) keyed by ``id``, edited in place; edits are handed to ``on_edit``."""

    CONTEXT = "ProjectForm"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.on_edit: Any = None
        self.aliases: dict[int, int] = {}  # id of a deleted row → id it was re-created under

    def set_rows(self, rows: Sequence[Any]) -> None:
        super().set_rows(rows)
        self.aliases.clear()

    def alias(self, old_id: int, new_id: int) -> None:
        """Record that the row once ``old_id`` now lives as ``new_id``."""
        if old_id != new_id:
            self.aliases[old_id] = new_id

    def resolve(self, row_id: int) -> int:
        """The current id of a row, following re-creations."""
        seen: set[int] = set()
        while row_id in self.aliases and row_id not in seen:
            seen.add(row_id)
            row_id = self.aliases[row_id]
        return row_id

    def by_id(self, row_id: int) -> Any:
        row_id = self.resolve(row_id)
        return next((r for r in self.rows if r.id == row_id), None)

    def upsert(self, row: Any) -> None:
        """Replace the row with the same id (targeted dataChanged) or append it."""
        for i, r in enumerate(self.rows):
            if r.id == row.id:
                self.rows[i] = row
                self.dataChanged.emit(self.index(i, 0), self.index(i, self.columnCount() - 1))
                return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        self.rows.append(row)
        self.endInsertRows()

    def remove(self, row_id: int) -> None:
        row_id = self.resolve(row_id)
        for i, r in enumerate(self.rows):
            if r.id == row_id:
                self.beginRemoveRows(QModelIndex(), i, i)
                del self.rows[i]
                self.endRemoveRows()
                return

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.on_edit is None:
            return False
        return bool(self.on_edit(self.rows[index.row()], index.column(), str(value)))


class MilestoneModel(KeyedRowsModel):
    COL_NAME, COL_PLANNED, COL_ACTUAL, COL_SOURCE = range(4)
    FIELDS = ("name", "planned_date", "actual_date")
    HEADERS = ("里程碑", "计划日期", "实际日期", "来源")

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row: svc.MilestoneRow = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (row.name, fmt_date(row.planned_date), fmt_date(row.actual_date), row.source)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == self.COL_PLANNED:
            if row.actual_date is None and row.planned_date and row.planned_date < date.today():
                return QColor("#b42318")
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return read_only.editable(base | Qt.ItemFlag.ItemIsEditable) if index.isValid() and index.column() < 3 else base


class MemberModel(KeyedRowsModel):
    COL_NAME, COL_CODE, COL_REGION, COL_YEAR, COL_SOURCE = range(5)
    FIELDS = ("name", "credit_code", "region", "year_counted")
    HEADERS = ("名称", "统一社会信用代码", "地区", "计入年度", "来源")

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        m: svc.MemberDetail = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            source = "部门报表" if m.from_return else m.source
            return (m.name, m.credit_code, m.region, fmt_number(m.year_counted), source)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.COL_CODE and m.credit_code:
            return credit_code.problem(m.credit_code) or "代码校验通过"
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == self.COL_CODE and m.credit_code:
            return QColor("#b42318") if credit_code.problem(m.credit_code) else None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid() or index.column() >= 4 or self.rows[index.row()].from_return:
            return base
        return read_only.editable(base | Qt.ItemFlag.ItemIsEditable)


class AuditModel(KeyedRowsModel):
    HEADERS = ("时间", "修改人", "对象", "操作", "字段", "原值", "新值")

    # Undo and redo are edits too, but a clerk reading the record must see them for what they are.
    MARKED = {"undo": QColor("#6941c6"), "redo": QColor("#175cd3")}

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        a: svc.AuditRow = self.rows[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.MARKED.get(a.action)
        if role == Qt.ItemDataRole.ToolTipRole and a.action in self.MARKED:
            return "这一行是撤销（Ctrl+Z）所做的修改" if a.action == "undo" else "这一行是重做（Ctrl+Y）所做的修改"
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            a.at.strftime("%Y-%m-%d %H:%M:%S"),
            a.user,
            svc.ENTITY_LABELS.get(a.entity, a.entity),
            ("↶ " if a.action == "undo" else "↷ " if a.action == "redo" else "")
            + svc.ACTION_LABELS.get(a.action, a.action),
            svc.field_label(a.entity, a.field),
            a.old_value,
            a.new_value,
        )[index.column()]

    def by_id(self, row_id: int) -> Any:  # audit rows have no id of their own
        return None
