"""The one base of the app's table models: a list of plain rows, swapped inside a model reset.

Subclasses say how a cell shows, sorts, colours and explains itself (``display``/``sort_value``/``color``/
``tooltip``), or override ``data`` wholesale; ``HEADERS`` are QT_TRANSLATE_NOOP strings in ``CONTEXT``.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")


class Role(enum.IntEnum):
    SORT = Qt.ItemDataRole.UserRole + 1
    ROW = Qt.ItemDataRole.UserRole + 2  # the plain row object


class RowsModel(QAbstractTableModel, Generic[T]):
    """A table over a list of plain rows; subclasses say how a cell shows and sorts."""

    CONTEXT = "ReturnsModel"
    HEADERS: tuple[Any, ...] = ()  # QT_TRANSLATE_NOOP strings

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(self.CONTEXT, self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == Role.SORT:
            return self.sort_value(row, column)
        if role == Role.ROW:
            return row
        if role == Qt.ItemDataRole.ForegroundRole:
            color = self.color(row, column)
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, column)
        return None

    def display(self, row: T, column: int) -> str:
        raise NotImplementedError

    def sort_value(self, row: T, column: int) -> Any:
        return self.display(row, column)

    def color(self, row: T, column: int) -> QColor | None:
        return None

    def tooltip(self, row: T, column: int) -> str | None:
        return None
