"""Qt table models for returns: department statuses, return history, files in the import wizard, problems.

Rows are plain service values (app.services.returns); each model swaps its rows inside a model reset and
answers SortRole with a value that sorts sensibly (row numbers as numbers, missing values first).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from app.returns.parsed import Problem, Severity
from app.services.returns import (
    VERDICT_LABELS,
    DepartmentReturnStatus,
    FileOutcome,
    FilePreview,
    OutcomeStatus,
    ReturnHistoryItem,
    ReturnState,
    Verdict,
)
from app.ui.models.rows import Role, RowsModel  # noqa: F401 - Role is the views' name for it

Index = QModelIndex | QPersistentModelIndex

RED = QColor("#b42318")
AMBER = QColor("#b54708")
GREEN = QColor("#067647")
GREY = QColor("#667085")


# --- department statuses -------------------------------------------------------------------------------------

COL_DEPT, COL_STATE, COL_FILE, COL_TIME, COL_USER, COL_WARNINGS, COL_CONTACT = range(7)
STATE_COLORS = {
    ReturnState.RETURNED: GREEN,
    ReturnState.MISSING: GREY,
    ReturnState.REFUSED: RED,
    ReturnState.UNCONFIRMED: AMBER,
}


class DepartmentStatusModel(RowsModel[DepartmentReturnStatus]):
    """One row per department expected to return for the period."""

    CONTEXT = "DepartmentStatusModel"
    HEADERS = (
        QT_TRANSLATE_NOOP("DepartmentStatusModel", "单位"),
        QT_TRANSLATE_NOOP("DepartmentStatusModel", "状态"),
        QT_TRANSLATE_NOOP("DepartmentStatusModel", "文件"),
        QT_TRANSLATE_NOOP("DepartmentStatusModel", "时间"),
        QT_TRANSLATE_NOOP("DepartmentStatusModel", "操作人"),
        QT_TRANSLATE_NOOP("DepartmentStatusModel", "警告"),
        QT_TRANSLATE_NOOP("DepartmentStatusModel", "联系人"),
    )

    def display(self, row: DepartmentReturnStatus, column: int) -> str:
        if column == COL_DEPT:
            return row.department_name
        if column == COL_STATE:
            return row.state.value
        if column == COL_FILE:
            return row.file_name
        if column == COL_TIME:
            return row.imported_at
        if column == COL_USER:
            return row.imported_by
        if column == COL_WARNINGS:
            return str(row.warning_count) if row.warning_count else ""
        return row.contact

    def sort_value(self, row: DepartmentReturnStatus, column: int) -> Any:
        if column == COL_WARNINGS:
            return row.warning_count
        return self.display(row, column)

    def color(self, row: DepartmentReturnStatus, column: int) -> QColor | None:
        return STATE_COLORS[row.state] if column == COL_STATE else None

    def tooltip(self, row: DepartmentReturnStatus, column: int) -> str | None:
        return row.detail or None


# --- return history ------------------------------------------------------------------------------------------

H_TIME, H_DEPT, H_FILE, H_CURRENT, H_ENTRIES, H_WARNINGS, H_USER, H_REPLACED_BY = range(8)


class ReturnHistoryModel(RowsModel[ReturnHistoryItem]):
    """Every return received for the period, newest first; superseded ones stay as history."""

    CONTEXT = "ReturnHistoryModel"
    HEADERS = (
        QT_TRANSLATE_NOOP("ReturnHistoryModel", "导入时间"),
        QT_TRANSLATE_NOOP("ReturnHistoryModel", "单位"),
        QT_TRANSLATE_NOOP("ReturnHistoryModel", "文件"),
        QT_TRANSLATE_NOOP("ReturnHistoryModel", "状态"),
        QT_TRANSLATE_NOOP("ReturnHistoryModel", "项目行"),
        QT_TRANSLATE_NOOP("ReturnHistoryModel", "警告"),
        QT_TRANSLATE_NOOP("ReturnHistoryModel", "操作人"),
        QT_TRANSLATE_NOOP("ReturnHistoryModel", "被替换为"),
    )

    def display(self, row: ReturnHistoryItem, column: int) -> str:
        if column == H_TIME:
            return row.imported_at
        if column == H_DEPT:
            return row.department_name
        if column == H_FILE:
            return row.file_name
        if column == H_CURRENT:
            return "现行" if row.current else "已被替换"
        if column == H_ENTRIES:
            return str(row.entry_count)
        if column == H_WARNINGS:
            if not row.warning_count:
                return ""
            return f"{row.warning_count}（{'已确认' if row.warnings_resolved else '待确认'}）"
        if column == H_USER:
            return row.imported_by
        return row.superseded_by_file

    def sort_value(self, row: ReturnHistoryItem, column: int) -> Any:
        if column == H_TIME:
            return row.return_id  # ids follow import order, to the second and beyond
        if column == H_ENTRIES:
            return row.entry_count
        if column == H_WARNINGS:
            return row.warning_count
        return self.display(row, column)

    def color(self, row: ReturnHistoryItem, column: int) -> QColor | None:
        if not row.current:
            return GREY
        if column == H_WARNINGS and row.warning_count and not row.warnings_resolved:
            return AMBER
        return None


# --- files in the import wizard ------------------------------------------------------------------------------

F_IMPORT, F_FILE, F_DEPT, F_PERIOD, F_VERDICT, F_ERRORS, F_WARNINGS = range(7)
VERDICT_COLORS = {
    Verdict.WILL_IMPORT: GREEN,
    Verdict.SUPERSEDES: GREEN,
    Verdict.WARNINGS: AMBER,
    Verdict.ALREADY_IMPORTED: GREY,
    Verdict.BLOCKED: RED,
}
OUTCOME_LABELS = {
    OutcomeStatus.IMPORTED: "已导入",
    OutcomeStatus.ALREADY_IMPORTED: "已导入过，未重复导入",
    OutcomeStatus.REFUSED: "未导入（有错误）",
    OutcomeStatus.FAILED: "导入失败，数据库未改动",
}


class FilePreviewModel(RowsModel[FilePreview]):
    """Files checked by the wizard; the first column is the clerk's tick (导入 / 确认警告)."""

    CONTEXT = "FilePreviewModel"
    HEADERS = (
        QT_TRANSLATE_NOOP("FilePreviewModel", "导入"),
        QT_TRANSLATE_NOOP("FilePreviewModel", "文件"),
        QT_TRANSLATE_NOOP("FilePreviewModel", "单位"),
        QT_TRANSLATE_NOOP("FilePreviewModel", "报告期"),
        QT_TRANSLATE_NOOP("FilePreviewModel", "结论"),
        QT_TRANSLATE_NOOP("FilePreviewModel", "错误"),
        QT_TRANSLATE_NOOP("FilePreviewModel", "警告"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.checked: list[bool] = []
        self.outcomes: dict[int, FileOutcome] = {}
        self._pos: dict[int, int] = {}  # id(row) → position: FilePreview compares by value, not identity

    def set_rows(self, rows: Sequence[FilePreview]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._pos = {id(p): i for i, p in enumerate(self.rows)}
        # Files with warnings wait for the clerk's tick; clean files are ticked; others cannot be.
        self.checked = [p.verdict in (Verdict.WILL_IMPORT, Verdict.SUPERSEDES) for p in self.rows]
        self.outcomes = {}
        self.endResetModel()

    def set_outcomes(self, outcomes: dict[int, FileOutcome]) -> None:
        self.outcomes = dict(outcomes)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, self.columnCount() - 1))

    def selected(self) -> list[FilePreview]:
        return [p for p, ticked in zip(self.rows, self.checked, strict=True) if ticked and p.importable]

    def selected_rows(self) -> list[int]:
        return [i for i, (p, ticked) in enumerate(zip(self.rows, self.checked, strict=True)) if ticked and p.importable]

    def unconfirmed_warnings(self) -> int:
        return sum(1 for p, t in zip(self.rows, self.checked, strict=True) if p.verdict is Verdict.WARNINGS and not t)

    def confirm_all(self) -> None:
        for i, p in enumerate(self.rows):
            if p.importable:
                self.checked[i] = True
        if self.rows:
            self.dataChanged.emit(self.index(0, F_IMPORT), self.index(len(self.rows) - 1, F_IMPORT))

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == F_IMPORT and not self.outcomes:
            if self.rows[index.row()].importable:
                return base | Qt.ItemFlag.ItemIsUserCheckable
            return base & ~Qt.ItemFlag.ItemIsEnabled
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == F_IMPORT and role == Qt.ItemDataRole.CheckStateRole:
            if not self.rows[index.row()].importable:
                return None
            return Qt.CheckState.Checked if self.checked[index.row()] else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if index.isValid() and index.column() == F_IMPORT and role == Qt.ItemDataRole.CheckStateRole:
            if not self.rows[index.row()].importable or self.outcomes:
                return False
            state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(int(value))
            self.checked[index.row()] = state == Qt.CheckState.Checked
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
            return True
        return False

    def display(self, row: FilePreview, column: int) -> str:
        if column == F_IMPORT:
            return ""
        if column == F_FILE:
            return row.file_name
        if column == F_DEPT:
            return row.department_name
        if column == F_PERIOD:
            return row.period_label
        if column == F_VERDICT:
            i = self._pos[id(row)]
            if i in self.outcomes:
                return OUTCOME_LABELS[self.outcomes[i].status]
            return VERDICT_LABELS[row.verdict]
        if column == F_ERRORS:
            n = len(row.validated.errors)
            return str(n) if n else ""
        n = len(row.validated.warnings)
        return str(n) if n else ""

    def sort_value(self, row: FilePreview, column: int) -> Any:
        if column == F_ERRORS:
            return len(row.validated.errors)
        if column == F_WARNINGS:
            return len(row.validated.warnings)
        return self.display(row, column)

    def color(self, row: FilePreview, column: int) -> QColor | None:
        if column != F_VERDICT:
            return None
        i = self._pos[id(row)]
        if i in self.outcomes:
            return GREEN if self.outcomes[i].ok else RED
        return VERDICT_COLORS[row.verdict]

    def tooltip(self, row: FilePreview, column: int) -> str | None:
        i = self._pos[id(row)]
        if i in self.outcomes:
            outcome = self.outcomes[i]
            return outcome.message + (f"\n{outcome.change_summary}" if outcome.change_summary else "")
        return f"{row.path}\n{row.verdict_text()}"


# --- problems ------------------------------------------------------------------------------------------------

P_LEVEL, P_FILE, P_SHEET, P_ROW, P_COLUMN, P_MESSAGE = range(6)


class ProblemModel(RowsModel[Problem]):
    """Every problem of the files shown: where (file, sheet, row, column) and what, errors in red."""

    CONTEXT = "ProblemModel"
    HEADERS = (
        QT_TRANSLATE_NOOP("ProblemModel", "级别"),
        QT_TRANSLATE_NOOP("ProblemModel", "文件"),
        QT_TRANSLATE_NOOP("ProblemModel", "工作表"),
        QT_TRANSLATE_NOOP("ProblemModel", "行"),
        QT_TRANSLATE_NOOP("ProblemModel", "列"),
        QT_TRANSLATE_NOOP("ProblemModel", "问题"),
    )

    def display(self, row: Problem, column: int) -> str:
        if column == P_LEVEL:
            return "错误" if row.severity is Severity.ERROR else "警告"
        if column == P_FILE:
            return row.file
        if column == P_SHEET:
            return row.sheet
        if column == P_ROW:
            return "" if row.row is None else str(row.row)
        if column == P_COLUMN:
            return row.column
        return row.message

    def sort_value(self, row: Problem, column: int) -> Any:
        if column == P_ROW:
            return -1 if row.row is None else row.row
        return self.display(row, column)

    def color(self, row: Problem, column: int) -> QColor | None:
        if column == P_LEVEL:
            return RED if row.severity is Severity.ERROR else AMBER
        return None

    def tooltip(self, row: Problem, column: int) -> str | None:
        return row.describe() if column == P_MESSAGE else None

    def as_text(self, rows: Sequence[int]) -> str:
        """Tab-separated lines for the clipboard (pastes into Excel as columns)."""
        lines = []
        for r in rows:
            p = self.rows[r]
            lines.append("\t".join(self.display(p, c) for c in range(len(self.HEADERS))))
        return "\n".join(lines)
