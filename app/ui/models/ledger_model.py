"""Qt models for the ledger: the project table (rows are plain LedgerRow) and its filter/sort proxy."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

from app.services.ledger import LedgerRow

COL_CODE, COL_NAME, COL_DEPT, COL_REGION, COL_STATUS = range(5)
COL_PLANNED, COL_COMPLETED, COL_PROGRESS, COL_LAST_RETURN, COL_NEXT_MILESTONE, COL_BEHIND = range(5, 11)
COLUMN_COUNT = 11

HEADERS = (
    QT_TRANSLATE_NOOP("LedgerTableModel", "编号"),
    QT_TRANSLATE_NOOP("LedgerTableModel", "项目名称"),
    QT_TRANSLATE_NOOP("LedgerTableModel", "牵头单位"),
    QT_TRANSLATE_NOOP("LedgerTableModel", "地区"),
    QT_TRANSLATE_NOOP("LedgerTableModel", "状态"),
    QT_TRANSLATE_NOOP("LedgerTableModel", "计划投资（万元）"),
    QT_TRANSLATE_NOOP("LedgerTableModel", "完成投资（万元）"),
    QT_TRANSLATE_NOOP("LedgerTableModel", "形象进度"),
    QT_TRANSLATE_NOOP("LedgerTableModel", "最近填报"),
    QT_TRANSLATE_NOOP("LedgerTableModel", "下一里程碑"),
    QT_TRANSLATE_NOOP("LedgerTableModel", "滞后"),
)
NUMERIC_COLUMNS = {COL_PLANNED, COL_COMPLETED, COL_PROGRESS}
BEHIND_COLOR = QColor("#b42318")
BEHIND_BRUSH = QBrush(BEHIND_COLOR)
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class LedgerRole(enum.IntEnum):
    PROJECT_ID = Qt.ItemDataRole.UserRole + 1
    SORT = Qt.ItemDataRole.UserRole + 2
    BEHIND = Qt.ItemDataRole.UserRole + 3


def _money(value: float | None) -> str:
    """万元 with thousands separators and only the decimals it has: 50,000 · 12,345.5 · 0.25."""
    if value is None:
        return ""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _sort_value(row: LedgerRow, column: int) -> Any:
    """A value that sorts sensibly for ``column``; missing values sort first ascending."""
    if column == COL_PLANNED:
        return row.planned_investment if row.planned_investment is not None else -1.0
    if column == COL_COMPLETED:
        return row.completed_investment if row.completed_investment is not None else -1.0
    if column == COL_PROGRESS:
        return row.progress_pct if row.progress_pct is not None else -1.0
    if column == COL_LAST_RETURN:
        return row.last_return_key
    if column == COL_NEXT_MILESTONE:
        return row.next_milestone_date.isoformat() if row.next_milestone_date else ""
    if column == COL_BEHIND:
        return len(row.lag_reasons)
    return _display(row, column)


def _display(row: LedgerRow, column: int) -> str:
    if column == COL_CODE:
        return row.code
    if column == COL_NAME:
        return row.name
    if column == COL_DEPT:
        return row.lead_department
    if column == COL_REGION:
        return row.region
    if column == COL_STATUS:
        return row.status
    if column == COL_PLANNED:
        return _money(row.planned_investment)
    if column == COL_COMPLETED:
        return _money(row.completed_investment)
    if column == COL_PROGRESS:
        return "" if row.progress_pct is None else f"{row.progress_pct:.0f}%"
    if column == COL_LAST_RETURN:
        return row.last_return
    if column == COL_NEXT_MILESTONE:
        return row.next_milestone
    if column == COL_BEHIND:
        return "滞后" if row.behind else ""
    return ""


def _cell(row: LedgerRow, column: int) -> QStandardItem:
    """One cell with every role the table, its sorting and the view ask for."""
    item = QStandardItem(_display(row, column))
    item.setEditable(False)
    item.setData(_sort_value(row, column), LedgerRole.SORT)
    item.setData(row.id, LedgerRole.PROJECT_ID)
    item.setData(row.behind, LedgerRole.BEHIND)
    if row.behind:
        # The whole row, so a lagging project stands out whichever columns the clerk keeps visible.
        item.setForeground(BEHIND_BRUSH)
        item.setToolTip("滞后原因：\n" + "\n".join(row.lag_reasons))
    elif column == COL_NAME:
        item.setToolTip(row.name)
    if column in NUMERIC_COLUMNS:
        item.setTextAlignment(RIGHT)
    return item


class LedgerTableModel(QStandardItemModel):
    """One row per project; read-only (edits go through the project form and the services).

    The cells live in Qt (a QStandardItemModel filled once per reload): painting the table and sorting it after
    every keystroke of a search then ask C++ for the data, not Python, which kept a keystroke over 50 ms.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(0, COLUMN_COUNT, parent)
        self.rows: list[LedgerRow] = []
        self.search_keys: list[str] = []

    def set_rows(self, rows: list[LedgerRow], search_keys: list[str] | None = None) -> None:
        """Replace every row (a model reset: the whole ledger is reloaded at once)."""
        self.beginResetModel()
        self.blockSignals(True)  # one reset for the views, not a signal per cell
        try:
            self.rows = list(rows)
            self.search_keys = (
                list(search_keys) if search_keys is not None else [f"{r.code}\x1f{r.name}".lower() for r in rows]
            )
            self.setRowCount(0)
            for row in self.rows:
                self.appendRow([_cell(row, column) for column in range(COLUMN_COUNT)])
        finally:
            self.blockSignals(False)
        self.endResetModel()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < COLUMN_COUNT
        ):
            return QCoreApplication.translate("LedgerTableModel", HEADERS[section])
        return None

    def row_of(self, project_id: int) -> int:
        """The source row of a project, or -1."""
        for i, row in enumerate(self.rows):
            if row.id == project_id:
                return i
        return -1


class LedgerFilterProxy(QSortFilterProxyModel):
    """Filters by department, region, status, task set, behind schedule and a search text (pinyin aware)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(LedgerRole.SORT)
        self.department = ""
        self.region = ""
        self.status = ""
        self.task_ids: set[int] | None = None
        self.document_id: int | None = None
        self.project_ids: set[int] | None = None
        self.behind_only = False
        self.query = ""

    def set_filters(self, **values: Any) -> None:
        """Set any of the filter attributes and re-filter once."""
        for name in values:
            if not hasattr(self, name):
                raise AttributeError(name)
        # Qt 6.10 replaced invalidateFilter() (now deprecated) with begin/endFilterChange().
        modern = hasattr(self, "beginFilterChange") and hasattr(self, "endFilterChange")
        if modern:
            self.beginFilterChange()
        for name, value in values.items():
            setattr(self, name, value)
        if modern:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, LedgerTableModel)
        return self._accepts(model.rows[source_row], model.search_keys[source_row])

    def shown_and_behind(self) -> tuple[int, int]:
        """How many rows pass the filters and how many of those are behind schedule (no Qt calls: cheap)."""
        model = self.sourceModel()
        assert isinstance(model, LedgerTableModel)
        shown = [row for row, key in zip(model.rows, model.search_keys, strict=True) if self._accepts(row, key)]
        return len(shown), sum(1 for row in shown if row.behind)

    def _accepts(self, row: LedgerRow, search_key: str) -> bool:
        if self.department and row.lead_department != self.department:
            return False
        if self.region and row.region != self.region:
            return False
        if self.status and row.status != self.status:
            return False
        if self.behind_only and not row.behind:
            return False
        if self.document_id is not None and row.document_id != self.document_id:
            return False
        if self.task_ids is not None and row.task_id not in self.task_ids:
            return False
        if self.project_ids is not None and row.id not in self.project_ids:
            return False
        return not self.query or self.query in search_key
