"""Item models of the indicators view: the indicator table (one row per target) and an indicator's actuals."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.services.indicators import HEADERS, ActualData, IndicatorData, IndicatorRow

Index = QModelIndex | QPersistentModelIndex

STATUS_COLOURS = {
    "达标": "#c6efce",
    "可达": "#ddebf7",
    "滞后": "#ffc7ce",
    "无数据": "#ededed",
    # A forecast (预计) is judged softly: its own, milder colours.
    "达到预计": "#c6efce",
    "符合预计": "#ddebf7",
    "低于预计": "#ffeb9c",
}


class IndicatorRole(IntEnum):
    INDICATOR_ID = Qt.ItemDataRole.UserRole + 1
    TARGET_ID = Qt.ItemDataRole.UserRole + 2


class IndicatorTableModel(QAbstractTableModel):
    """Indicators with their targets, one row per target, so one indicator's targets sit side by side."""

    COL_NAME, COL_UNIT, COL_BASELINE, COL_TARGET, COL_DOCUMENT, COL_YEAR, COL_LATEST, COL_STATUS = range(8)
    COL_NEEDED, COL_ACHIEVED, COL_DEPARTMENTS = 8, 9, 10

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[IndicatorRow] = []

    def set_rows(self, rows: list[IndicatorRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_data(self, row: int) -> IndicatorRow:
        return self._rows[row]

    def row_of_indicator(self, indicator_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.indicator_id == indicator_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                r.name,
                r.unit,
                r.baseline,
                r.target_text,  # the document's own words: 力争达到800亿元, 超过8100亿元, 达55%以上
                r.document,
                r.year,
                r.latest,
                r.status,
                r.needed_growth,
                r.achieved_growth,
                r.departments,
            )[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col in (self.COL_STATUS, self.COL_NEEDED, self.COL_ACHIEVED):
                return r.rule
            if col in (self.COL_TARGET, self.COL_DOCUMENT) and r.target_wording:
                return f"{r.document}：{r.target_wording}" + (f"\n{r.note}" if r.note else "")
            return None
        if role == Qt.ItemDataRole.BackgroundRole and col == self.COL_STATUS and r.status in STATUS_COLOURS:
            return QBrush(QColor(STATUS_COLOURS[r.status]))
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_NAME and not r.first_of_indicator:
            return QBrush(QColor("#888888"))  # the same indicator again, with another target
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_TARGET and not r.reported:
            return QBrush(QColor("#888888"))  # the other document's target of a disagreement: listed only
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.COL_STATUS, self.COL_YEAR, self.COL_UNIT):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == IndicatorRole.INDICATOR_ID:
            return r.indicator_id
        if role == IndicatorRole.TARGET_ID:
            return r.target_id
        return None


class ActualsTableModel(QAbstractTableModel):
    """An indicator's actuals, oldest first, each with its source; manual ones can be edited."""

    COL_PERIOD, COL_VALUE, COL_USED, COL_SOURCE = range(4)
    HEADERS = ("报告期", "实际值", "采用", "来源")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._indicator: IndicatorData | None = None
        self._rows: list[ActualData] = []

    def set_indicator(self, data: IndicatorData | None) -> None:
        self.beginResetModel()
        self._indicator = data
        self._rows = list(data.actuals) if data else []
        self.endResetModel()

    def actual(self, row: int) -> ActualData:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._indicator is None:
            return None
        a = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_PERIOD:
                return a.period_label
            if col == self.COL_VALUE:
                return self._indicator.format_value(a.value)
            if col == self.COL_USED:
                return "是" if a.used else "否"
            return a.source_label
        if role == Qt.ItemDataRole.ToolTipRole:
            if not a.used and col in (self.COL_USED, self.COL_VALUE):
                return a.note
            return a.source_label
        if role == Qt.ItemDataRole.ForegroundRole and not a.used:
            return QBrush(QColor("#888888"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_VALUE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
