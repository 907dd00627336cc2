"""督办 view: every supervised item (task parts and meeting decisions) with its light, filtered in memory.

The board is read once through a QueryOp; the filter box and the combo boxes filter a model over plain rows,
so a keystroke never touches the database. Decisions are added, edited, closed (销号) and sent back through
CollectionOps wrapped in undo commands. Signals: loaded(), open_part(int), open_view(str).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.decisions import STATUS_CLOSED, Light
from app.domain.periods import Period, latest_closed_quarter
from app.domain.pinyin import normalise_query
from app.services import decisions
from app.services.supervision_board import KIND_DECISION, KIND_PART, Board, BoardItem, load_board
from app.storage.db import Database
from app.ui import read_only
from app.ui.commands.base import forget_failed
from app.ui.commands.decision_commands import AddMeetingDecision, CloseDecisionCommand, EditDecisionCommand
from app.ui.dialogs.decision_dialog import CloseDialog, ClosingValues, DecisionDialog, DecisionValues
from app.ui.ops import CollectionOp, OpQueue, QueryOp

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    """Columns of the board."""

    LIGHT = 0
    KIND = 1
    TEXT = 2
    DEPARTMENTS = 3
    TASK = 4
    DUE = 5
    STATUS = 6
    PROGRESS = 7


HEADERS = {
    Column.LIGHT: "灯",
    Column.KIND: "类别",
    Column.TEXT: "事项",
    Column.DEPARTMENTS: "责任单位",
    Column.TASK: "所属任务/会议",
    Column.DUE: "完成时限",
    Column.STATUS: "状态",
    Column.PROGRESS: "最新进展/办结情况",
}
LIGHT_ORDER = {Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 2}

# (label, key) of the status filter.
# A part's light says how its period stands (app.services.supervision_board.part_light).
PART_LIGHT_LABELS = {Light.RED: "滞后", Light.YELLOW: "本期未报", Light.GREEN: "正常"}
STATUS_FILTERS = (
    ("全部状态", ""),
    ("红灯（逾期、滞后）", "red"),
    ("黄灯（临近到期、本期未报）", "yellow"),
    ("绿灯", "green"),
    ("未办结", "open"),
    ("已办结", "closed"),
)


@dataclass
class BoardFilter:
    """What the filter box and combo boxes ask for; ``accepts`` is the one test a row must pass."""

    department_id: int | None = None
    task: str = ""
    kind: str = ""
    status: str = ""
    query: str = ""

    def accepts(self, r: BoardItem, key: str) -> bool:
        """Whether row ``r`` (with search text ``key``) is shown."""
        if self.department_id is not None and self.department_id not in r.department_ids:
            return False
        if self.kind and r.kind != self.kind:
            return False
        if self.task and r.task != self.task:
            return False
        if self.status:
            closed = r.status in CLOSED_STATES
            if self.status == "open" and closed:
                return False
            if self.status == "closed" and not closed:
                return False
            if self.status in LIGHT_FILTERS and r.light is not LIGHT_FILTERS[self.status]:
                return False
        return not self.query or self.query in key


CLOSED_STATES = (STATUS_CLOSED, "已完成", "已销号")
LIGHT_FILTERS = {"red": Light.RED, "yellow": Light.YELLOW, "green": Light.GREEN}


class BoardModel(QAbstractTableModel):
    """The board over plain rows: filtering and sorting are list operations in Python, so a keystroke costs a
    list comprehension and one reset (the view then asks only for the rows it shows). Read-only: edits go
    through dialogs and undo commands."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.all_rows: list[BoardItem] = []
        self.keys: list[str] = []  # search text per row of all_rows
        self.rows: list[BoardItem] = []  # shown, filtered and sorted
        self.filter = BoardFilter()
        self.sort_column = Column.LIGHT
        self.sort_order = Qt.SortOrder.AscendingOrder
        self._brushes = {light: QBrush(QColor(light.colour)) for light in Light}
        self._cells: dict[int, tuple[str, ...]] = {}  # id(row) → its column texts, filled as rows are shown

    def set_rows(self, rows: list[BoardItem]) -> None:
        """Replace every row (their quick search text first; ``add_keys`` adds pinyin later)."""
        self.all_rows = rows
        self.keys = [r.search for r in rows]
        self._cells = {}
        self.refilter()

    def add_keys(self, rows: list[BoardItem], extra: list[str]) -> None:
        """Append the pinyin keys computed for ``rows`` (ignored when the board was reloaded meanwhile)."""
        if rows is self.all_rows and len(extra) == len(rows):
            self.keys = [f"{k}\x1f{e}" for k, e in zip(self.keys, extra, strict=True)]
            if self.filter.query:
                self.refilter()

    def set_filter(self, board_filter: BoardFilter) -> None:
        """Show only the rows ``board_filter`` accepts."""
        self.filter = board_filter
        self.refilter()

    def refilter(self) -> None:
        """Recompute the shown rows from all rows, the filter and the sort."""
        f = self.filter
        shown = [r for r, k in zip(self.all_rows, self.keys, strict=True) if f.accepts(r, k)]
        shown.sort(key=self._sort_key, reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
        self.beginResetModel()
        self.rows = shown
        self.endResetModel()

    def _sort_key(self, r: BoardItem) -> Any:
        col = self.sort_column
        due = r.due.toordinal() if r.due else 10**7
        if col == Column.LIGHT:
            return (LIGHT_ORDER[r.light], due)
        if col == Column.DUE:
            return (due, LIGHT_ORDER[r.light])
        return (self._text(r, col), LIGHT_ORDER[r.light], due)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column = Column(column)
        self.sort_order = order
        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=self._sort_key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        return None

    @staticmethod
    def _text(r: BoardItem, col: Column) -> str:
        if col == Column.LIGHT:
            return f"● {PART_LIGHT_LABELS[r.light] if r.kind == KIND_PART else r.light.label}"
        if col == Column.KIND:
            return r.kind
        if col == Column.TEXT:
            return r.text
        if col == Column.DEPARTMENTS:
            return r.departments
        if col == Column.TASK:
            return r.task
        if col == Column.DUE:
            return f"{r.due:%Y-%m-%d}（{r.due_text}）" if r.due else "—"
        if col == Column.STATUS:
            return r.status
        return r.progress

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called ~900 times a repaint: plain int roles and cached cell texts, no enum construction.
        role = int(role)
        if role == _DISPLAY:
            r = self.rows[index.row()]
            cells = self._cells.get(id(r))
            if cells is None:
                cells = self._cells[id(r)] = tuple(self._text(r, c) for c in Column)
            return cells[index.column()]
        if role == _FOREGROUND:
            return self._brushes[self.rows[index.row()].light] if index.column() == 0 else None
        if role == _TOOLTIP:
            r = self.rows[index.row()]
            col = index.column()
            if col in (Column.TEXT, Column.PROGRESS):
                lines = [r.text]
                if r.source:
                    lines.append(f"来源：{r.source}")
                if r.progress:
                    lines.append(r.progress)
                return "\n".join(lines)
            if col == Column.LIGHT:
                return LIGHT_TIPS[r.light]
        return None


_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
LIGHT_TIPS = {Light.RED: "已逾期或滞后", Light.YELLOW: "临近完成时限或本期未报", Light.GREEN: "正常或已办结"}


# ---------------------------------------------------------------------------------------------- view
class SupervisionView(QWidget):
    """The 督办 board. Signals: loaded(), search_ready() (pinyin search keys in), open_part(int), open_view(str),
    exported(str)."""

    loaded = Signal()
    search_ready = Signal()
    open_part = Signal(int)
    open_view = Signal(str)
    exported = Signal(str)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.undo_stack = QUndoStack(self)
        self.queue = OpQueue()  # decision edits reach the database in the order they were made
        self.period_key = latest_closed_quarter(date.today()).key
        self.board: Board | None = None
        self._started = False
        self._progress: QProgressDialog | None = None
        self._relays: list[Any] = []
        self._pending_kind: str | None = None  # asked for (show_status) before the kinds were loaded

        self.title = QLabel("督办")
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.counts_label = QLabel()
        self.counts_label.setStyleSheet("color: #475467;")
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("筛选：事项、单位、会议（可输入拼音首字母）  Ctrl+F")
        self.search_edit.setClearButtonEnabled(True)
        self.department_combo = QComboBox()
        self.department_combo.setMinimumContentsLength(10)
        self.kind_combo = QComboBox()
        self.task_combo = QComboBox()
        self.task_combo.setMinimumContentsLength(14)
        self.status_combo = QComboBox()
        for label, key in STATUS_FILTERS:
            self.status_combo.addItem(label, key)
        self.shown_label = QLabel()
        # A 1024-px desk: the counts line wraps and the pick lists keep a short minimum instead of their longest entry.
        self.counts_label.setWordWrap(True)
        for combo, chars in (
            (self.department_combo, 6),
            (self.kind_combo, 4),
            (self.task_combo, 8),
            (self.status_combo, 4),
        ):
            combo.setMinimumContentsLength(chars)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)

        self.model = BoardModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.LIGHT, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.TEXT, QHeaderView.ResizeMode.Stretch)
        for col, width in (
            (Column.LIGHT, 86),
            (Column.KIND, 70),
            (Column.DEPARTMENTS, 170),
            (Column.TASK, 170),
            (Column.DUE, 170),
            (Column.STATUS, 70),
            (Column.PROGRESS, 220),
        ):
            self.table.setColumnWidth(col, width)
        self.table.activated.connect(self._activated)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())

        self.add_btn = QPushButton("新增议定事项")
        self.add_btn.setToolTip("登记一项联席会议议定事项（Ctrl+N）")
        self.add_btn.clicked.connect(self.add_decision)
        self.close_btn = QPushButton("办结销号")
        self.close_btn.setToolTip("对所选议定事项办结销号（Ctrl+Enter）")
        self.close_btn.clicked.connect(self.close_decision)
        self.circular_btn = QPushButton("生成情况通报…")
        self.circular_btn.setToolTip("按当前报告期生成情况通报（Word 或 PDF）")
        self.circular_btn.clicked.connect(self.export_circular)
        self.warn_spin = QSpinBox()
        self.warn_spin.setRange(0, 90)
        self.warn_spin.setSuffix(" 天")
        self.warn_spin.setToolTip("距完成时限不超过这些天的未办结事项亮黄灯")
        self.warn_spin.editingFinished.connect(self._save_warn_days)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.counts_label, 1)
        top.addWidget(QLabel("黄灯提前"))
        top.addWidget(self.warn_spin)
        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 2)
        filters.addWidget(self.department_combo, 1)
        filters.addWidget(self.kind_combo)
        filters.addWidget(self.task_combo, 1)
        filters.addWidget(self.status_combo)
        actions = QHBoxLayout()
        actions.addWidget(self.shown_label, 1)
        for b in (self.add_btn, self.close_btn, self.circular_btn):
            actions.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)

        self.search_edit.textChanged.connect(self._filter_changed)
        for combo in (self.department_combo, self.kind_combo, self.task_combo, self.status_combo):
            combo.currentIndexChanged.connect(self._filter_changed)
        for keys, slot in (
            (QKeySequence.StandardKey.New, self.add_decision),
            ("Ctrl+Return", self.close_decision),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            read_only.writes(shortcut)
        read_only.writes(self.add_btn, self.close_btn, self.warn_spin)  # greyed out on a read-only database
        self._enable()
        QTimer.singleShot(0, self, self._first_load)

    # ------------------------------------------------------------------ contract with the main window
    def set_period(self, period_key: str) -> None:
        """The period the counts and the circular are for."""
        if period_key != self.period_key or not self._started:
            self.period_key = period_key
            self.refresh()

    def _first_load(self) -> None:
        if not self._started:
            self.refresh()

    def refresh(self) -> None:
        """Reload the board off the GUI thread."""
        self._started = True
        db, key = self.database, self.period_key
        QueryOp(parent=self, op=lambda: load_board(db, key), success=self.show_board).serial("load").run_in_background()

    def show_status(self, status: str) -> None:
        """Show only decisions with one status filter key (open, red, yellow, green, closed)."""
        self.search_edit.clear()
        self.department_combo.setCurrentIndex(0)
        self.task_combo.setCurrentIndex(0)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(KIND_DECISION)))
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(status)))
        self._pending_kind = KIND_DECISION

    def focus_search(self) -> None:
        """Ctrl+F: the filter box."""
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    # ------------------------------------------------------------------ filling
    def show_board(self, board: Board) -> None:
        """Show a loaded board, keeping the filters and the selected row."""
        keep = self.current_item()
        self.board = board
        self._fill_combo(
            self.department_combo,
            "全部单位",
            [(n, i) for i, n in board.departments],
            self.department_combo.currentData(),
        )
        kinds = sorted({i.kind for i in board.items}, key=lambda k: k != KIND_DECISION)
        wanted_kind = self._pending_kind or self.kind_combo.currentData()
        self._pending_kind = None
        self._fill_combo(self.kind_combo, "全部类别", [(k, k) for k in kinds], wanted_kind)
        tasks = sorted({i.task for i in board.items if i.task})
        self._fill_combo(self.task_combo, "全部任务/会议", [(t, t) for t in tasks], self.task_combo.currentData())
        self.warn_spin.blockSignals(True)
        self.warn_spin.setValue(board.warn_days)
        self.warn_spin.blockSignals(False)
        self.model.set_rows(board.items)
        self._add_pinyin(board.items)
        c = board.counts
        try:
            label = Period.parse(self.period_key).label
        except ValueError:
            label = self.period_key
        parts = [i for i in board.items if i.kind == KIND_PART]
        said = (
            f"重点任务分工 {len(parts)} 项：本期未报 {sum(i.light is Light.YELLOW for i in parts)} 项 · "
            f"滞后 {sum(i.light is Light.RED for i in parts)} 项　　"
            if parts
            else ""
        )
        self.counts_label.setText(
            f"{said}议定事项：办理中 {c.open} 项 · 临近到期 {c.due_soon} 项 · 已逾期 {c.overdue} 项 · "
            f"{label}办结 {c.closed_in_period} 项"
        )
        self._filter_changed()
        if keep is not None:
            self.select_item(keep.kind, keep.id)
        self._enable()
        self.loaded.emit()

    @staticmethod
    def _fill_combo(combo: QComboBox, everything: str, items: list[tuple[str, Any]], keep: Any) -> None:
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for label, data in items:
            combo.addItem(label, data)
        combo.setCurrentIndex(max(0, combo.findData(keep)) if keep is not None else 0)
        combo.blockSignals(False)

    def _filter_changed(self, *_: Any) -> None:
        dept = self.department_combo.currentData()
        keep = self.current_item()
        self.model.set_filter(
            BoardFilter(
                department_id=int(dept) if dept is not None else None,
                kind=self.kind_combo.currentData() or "",
                task=self.task_combo.currentData() or "",
                status=self.status_combo.currentData() or "",
                query=normalise_query(self.search_edit.text()),
            )
        )
        if keep is not None:
            self.select_item(keep.kind, keep.id)
        self.shown_label.setText(f"显示 {self.model.rowCount()} / {len(self.model.all_rows)} 项")
        self._enable()

    def current_item(self) -> BoardItem | None:
        """The selected row, or None."""
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.rows[index.row()]

    def select_item(self, kind: str, item_id: int) -> None:
        """Select a row by kind and id when it is shown."""
        for row, item in enumerate(self.model.rows):
            if item.kind == kind and item.id == item_id:
                index = self.model.index(row, 0)
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
                return

    def _add_pinyin(self, items: list[BoardItem]) -> None:
        """Compute the rows' pinyin keys off the GUI thread (no database), then let the filter use them."""
        from PySide6.QtCore import QThreadPool

        from app.services.supervision_board import pinyin_keys
        from app.ui.tasks import run_in_background

        # The global pool, not the database worker: this touches no database and must not delay writes.
        self._relays.append(
            run_in_background(
                lambda: pinyin_keys(items),
                lambda keys: (self.model.add_keys(items, keys), self.search_ready.emit()),
                lambda _e, _t: None,
                parent=self,
                pool=QThreadPool.globalInstance(),
            )
        )
        self._relays = self._relays[-4:]

    def _enable(self) -> None:
        item = self.current_item()
        self.close_btn.setEnabled(item is not None and item.kind == KIND_DECISION and item.status != STATUS_CLOSED)

    # ------------------------------------------------------------------ actions
    # --- the undo stack's host (app.ui.commands.base.CommandHost)
    def after_write(self) -> None:
        """A decision edit (or its undo) was saved: show the board as the database now has it."""
        self.refresh()

    def drop_command(self, command: QUndoCommand, exc: BaseException, *, undoing: bool) -> None:
        """A decision edit failed and was not retried (the message said why): take it off the stack, reload."""
        forget_failed(self.undo_stack, self.queue, command, exc, undoing=undoing)
        self.refresh()

    def run_write(self, op: Any) -> None:
        """Run a decision write on the database worker, then reload the board."""
        CollectionOp(parent=self, op=op).changes("decisions").success(lambda _r: self.refresh()).run_in_background()

    def _activated(self, index: QModelIndex) -> None:
        item = self.current_item() if index.isValid() else None
        if item is None:
            return
        if item.kind == KIND_DECISION:
            self.edit_decision(item.id)
        else:
            self.show_part(item)

    def show_part(self, item: BoardItem) -> None:
        """A part's task in the 责任分工 dialog: its departments' people and year targets (edits undoable here)."""
        from app.ui.dialogs.parts_dialog import PartsDialog

        self.open_part.emit(item.id)
        if item.task_id is None:
            return
        year = int(self.period_key[:4]) if self.period_key[:4].isdigit() else None
        PartsDialog(self.database, item.task_id, self.undo_stack, year=year, after=self.refresh, parent=self).exec()

    def add_decision(self, meeting_id: int | None = None, text: str = "") -> None:
        """Ask for a new decision and record it (undoable)."""
        if self.board is None:
            return
        dialog = DecisionDialog(self.board.departments, self.board.meetings, parent=self)
        if meeting_id:
            dialog.set_meeting(meeting_id)
        if text:
            dialog.text_edit.setPlainText(text)
        dept = self.department_combo.currentData()
        if dept is not None:
            for row in range(dialog.department_list.count()):
                item = dialog.department_list.item(row)
                if item.data(Qt.ItemDataRole.UserRole) == dept:
                    item.setCheckState(Qt.CheckState.Checked)
        if dialog.exec() == DecisionDialog.DialogCode.Accepted:
            self.undo_stack.push(AddMeetingDecision(self, self, self.database, dialog.values()))

    def edit_decision(self, decision_id: int) -> None:
        """Open a decision's dialog; 办结销号 and 退回 are offered from the context menu and buttons."""
        db = self.database
        QueryOp(
            parent=self, op=lambda: decisions.get_decision(db, decision_id), success=self._edit_loaded
        ).run_in_background()

    def _edit_loaded(self, row: decisions.DecisionRow) -> None:
        if self.board is None:
            return
        old = DecisionValues(row.text, row.department_ids, row.due_date, row.meeting_id, row.source_text)
        title = f"议定事项 {row.id}（{row.status}）"
        dialog = DecisionDialog(self.board.departments, self.board.meetings, old, self, title=title)
        if row.closed:
            dialog.error_label.setStyleSheet("color: #067647;")
            evidence = f"；佐证：{row.evidence}" if row.evidence else ""
            dialog.error_label.setText(f"已于 {row.closed_on:%Y年%m月%d日} 办结销号：{row.closing_note}{evidence}")
        elif row.latest_progress:
            dialog.error_label.setStyleSheet("color: #475467;")
            dialog.error_label.setText(f"报表所报进展：{row.latest_progress}")
        if dialog.exec() == DecisionDialog.DialogCode.Accepted:
            new = dialog.values()
            if new != old:
                self.undo_stack.push(EditDecisionCommand(self, self, self.database, row.id, old, new))

    def close_decision(self) -> None:
        """办结销号 of the selected decision (undoable: undo sends it back)."""
        item = self.current_item()
        if item is None or item.kind != KIND_DECISION or item.status == STATUS_CLOSED:
            return
        dialog = CloseDialog(item.text, self)
        if dialog.exec() == CloseDialog.DialogCode.Accepted:
            v = dialog.values()
            self.undo_stack.push(CloseDecisionCommand(self, self, self.database, item.id, v))

    def reopen_decision(self) -> None:
        """Send the selected closed decision back to 办理中 (undoable)."""
        item = self.current_item()
        if item is None or item.kind != KIND_DECISION or item.status != STATUS_CLOSED:
            return
        db, did = self.database, item.id

        def push(row: decisions.DecisionRow) -> None:
            day = row.closed_on or date.today()
            closing = ClosingValues(row.closing_note, row.evidence, day)
            self.undo_stack.push(CloseDecisionCommand(self, self, self.database, did, closing, reopen=True))

        QueryOp(parent=self, op=lambda: decisions.get_decision(db, did), success=push).run_in_background()

    def _context_menu(self, pos: Any) -> None:
        item = self.current_item()
        if item is None:
            return
        menu = QMenu(self)
        if item.kind == KIND_DECISION:
            # On a read-only database the dialog only shows the decision; closing and reopening are greyed out.
            menu.addAction("修改…" if read_only.may_write() else "查看…", lambda: self.edit_decision(item.id))
            if item.status == STATUS_CLOSED:
                read_only.writes(menu.addAction("退回重办", self.reopen_decision))
            else:
                read_only.writes(menu.addAction("办结销号…", self.close_decision))
            menu.setToolTipsVisible(True)
        else:
            menu.addAction("责任分工…", lambda: self.show_part(item))
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _save_warn_days(self) -> None:
        days = self.warn_spin.value()
        if self.board is not None and days != self.board.warn_days:
            db = self.database
            self.run_write(lambda: decisions.set_warn_days(db, days))

    # ------------------------------------------------------------------ the circular
    def export_circular(self) -> None:
        """Ask for a .docx or .pdf name and write the period's circular in the background."""
        try:
            label = Period.parse(self.period_key).label
        except ValueError:
            label = self.period_key
        suggested = str(Path.home() / f"情况通报_{label}.docx")
        path, chosen = QFileDialog.getSaveFileName(
            self, "生成情况通报", suggested, "Word 文档 (*.docx);;PDF 文件 (*.pdf)"
        )
        if not path:
            return
        if not path.lower().endswith((".docx", ".pdf")):
            path += ".pdf" if "pdf" in chosen.lower() else ".docx"
        self.write_circular(path)

    def write_circular(self, path: str) -> None:
        """Write the circular for the current period to ``path`` on the worker, with a busy dialog."""
        db, key = self.database, self.period_key

        def write() -> str:
            from app.services.circular import build_circular

            content = build_circular(db, key)
            if path.lower().endswith(".pdf"):
                from app.ui.circular_render import export_circular_pdf

                export_circular_pdf(content, path)
            else:
                from app.reports.circular_docx import export_circular_docx

                export_circular_docx(content, path)
            return path

        self._progress = QProgressDialog("正在生成情况通报…", "", 0, 0, self)
        self._progress.setWindowTitle("请稍候")
        self._progress.setCancelButton(None)
        self._progress.setMinimumDuration(300)
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.circular_btn.setEnabled(False)

        def done(written: str) -> None:
            self._status(f"情况通报已保存：{written}")
            self.exported.emit(written)

        QueryOp(parent=self, op=write, success=done).finally_(self._idle).run_in_background()

    def _idle(self) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
        self.circular_btn.setEnabled(True)

    def _status(self, text: str) -> None:
        bar = getattr(self.window(), "statusBar", None)
        if callable(bar):
            bar().showMessage(text, 8000)
