"""项目台账: the task tree beside the project table, with filters, pinyin search and a column chooser.

Signals: open_project(int) when a project is opened (Enter / double-click); loaded() after each reload.
Deleting: projects come from the source documents and are never deleted here (a dropped project is marked
「已撤销」 in its form, so the ledger keeps its history); programme members a clerk entered can be deleted from the
tree, after a question, and the deletion is undoable. Members that came from a return are corrected through returns.
"""

from __future__ import annotations

import enum
import logging
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QGuiApplication,
    QKeyEvent,
    QStandardItem,
    QStandardItemModel,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.domain.periods import latest_closed_quarter
from app.domain.pinyin import normalise_query
from app.services import projects as project_service
from app.services import supervision
from app.services.ledger import STATUSES, Ledger, LoadedLedger, MemberRow, load_for_view, task_subtree
from app.storage.db import Database
from app.storage.errors import KnownError, StaleEditError
from app.ui import read_only
from app.ui.commands.base import OpCommand, forget_failed
from app.ui.models.ledger_model import (
    COL_BEHIND,
    COL_CODE,
    COL_COMPLETED,
    COL_DEPT,
    COL_LAST_RETURN,
    COL_NAME,
    COL_NEXT_MILESTONE,
    COL_PLANNED,
    COL_PROGRESS,
    COL_REGION,
    COL_STATUS,
    COLUMN_COUNT,
    HEADERS,
    LedgerFilterProxy,
    LedgerRole,
    LedgerTableModel,
)
from app.ui.ops import CollectionOp, OpQueue, QueryOp
from app.ui.settings import Settings

ALL = "全部"
DEFAULT_COLUMN_WIDTHS = {
    COL_CODE: 56,
    COL_NAME: 190,
    COL_DEPT: 110,
    COL_REGION: 60,
    COL_STATUS: 56,
    COL_PLANNED: 112,
    COL_COMPLETED: 112,
    COL_PROGRESS: 64,
    COL_LAST_RETURN: 104,
    COL_NEXT_MILESTONE: 150,
    COL_BEHIND: 44,
}


class NodeKind(enum.IntEnum):
    ALL = 0
    DOCUMENT = 1
    TASK = 2
    PROJECT = 3
    MEMBER = 4
    PLACEHOLDER = 5


class TreeRole(enum.IntEnum):
    KIND = Qt.ItemDataRole.UserRole + 1
    ID = Qt.ItemDataRole.UserRole + 2
    PROJECT_ID = Qt.ItemDataRole.UserRole + 3


class DeleteMemberCommand(OpCommand):
    """Delete a programme member; undo registers it again (both through the service, so both are audited)."""

    changes = "projects"

    def __init__(self, view: LedgerView, member: MemberRow) -> None:
        super().__init__(view, f"删除成员「{member.name}」")
        self.view = view
        self.member_id = member.id
        self.project_id = member.project_id
        self.detail: project_service.MemberDetail | None = None

    def redo(self) -> None:
        database, project_id = self.view.database, self.project_id

        def build() -> CollectionOp[project_service.MemberDetail]:
            member_id = self.member_id  # the id it has now (an undo re-creates it under a new one)

            def delete_current() -> project_service.MemberDetail:
                detail = project_service.load_project(database, project_id)
                version = next((m.version for m in detail.members if m.id == member_id), None)
                if version is None:
                    raise StaleEditError("该成员已被其他人删除。")
                return project_service.delete_member(database, member_id, version)

            return CollectionOp(parent=self.view, op=delete_current)

        self._submit(build, lambda detail: setattr(self, "detail", detail), undoing=False)

    def undo(self) -> None:
        detail = self.detail
        if detail is None:
            return
        database, project_id = self.view.database, self.project_id

        def restored(member: project_service.MemberDetail) -> None:
            self.member_id = member.id

        self._submit(
            lambda: CollectionOp(
                parent=self.view, op=lambda: project_service.restore_member(database, project_id, detail)
            ),
            restored,
            undoing=True,
        )


def _copy(text: str) -> None:
    clipboard = QGuiApplication.clipboard()
    if clipboard is not None:
        clipboard.setText(text)


class _KeyFilter(QObject):
    """Enter and Delete on the ledger's table and tree."""

    def __init__(self, view: LedgerView) -> None:
        super().__init__(view)
        self.view = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and not event.modifiers():
            assert isinstance(watched, QWidget)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.view.open_current(watched)
                return True
            if event.key() == Qt.Key.Key_Delete:
                self.view.delete_current(watched)
                return True
            text = event.text()
            if watched is self.view.table and text.isprintable() and text.strip():
                # Type-to-search: typing over the table goes into the search box.
                self.view.focus_search()
                self.view.search.setText(text)
                return True
        return False


class LedgerView(QWidget):
    """The ledger of every project. Signals: open_project(int), loaded()."""

    open_project = Signal(int)
    loaded = Signal()

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        # The main window's default period, so its set_period() right after construction reloads nothing.
        self.period_key: str | None = latest_closed_quarter(date.today()).key
        self._started = False
        self.settings = Settings()
        self.undo_stack = QUndoStack(self)
        self.ledger: Ledger | None = None
        self.last_load_seconds = 0.0
        self.queue = OpQueue()  # member deletions reach the database in the order they were made
        self._selected_project: int | None = None

        self.model = LedgerTableModel(self)
        self.proxy = LedgerFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.tree_model = QStandardItemModel(self)
        self.tree_model.setHorizontalHeaderLabels(["任务与项目"])

        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索名称或编号，可用拼音首字母（如 sjzx）— Ctrl+F")
        self.search.setClearButtonEnabled(True)
        # At 1024 px the filters would squeeze the box down to its clear button; keep room for a word or two.
        self.search.setMinimumWidth(150)
        self.search.textChanged.connect(self._on_search)
        self.department = QComboBox()
        self.region = QComboBox()
        self.status = QComboBox()
        for combo, tip in ((self.department, "牵头单位"), (self.region, "地区"), (self.status, "状态")):
            combo.setToolTip(tip)
            combo.setMinimumContentsLength(6)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.currentIndexChanged.connect(self._on_filters)
        self.behind_only = QCheckBox("仅显示滞后")
        self.behind_only.toggled.connect(self._on_filters)
        self.count_label = QLabel()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.busy.hide()

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        for label, combo in (("牵头单位", self.department), ("地区", self.region), ("状态", self.status)):
            bar.addWidget(QLabel(label))
            bar.addWidget(combo, 1)
        bar.addWidget(self.behind_only)
        bar.addWidget(self.busy)
        bar.addWidget(self.count_label)

        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current)
        self.tree.doubleClicked.connect(self._on_tree_activated)
        self.tree.expanded.connect(self._on_tree_expanded)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows at once for 指定责任单位… (Ctrl/Shift+click); Enter still opens the current row.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        # Rows are one line high: eliding instead of laying out wrapped text halves the cost of a repaint.
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Interactive)
        # Defaults sized to the content so the figures and 滞后 fit a 1280×800 window beside the tree;
        # a clerk's own widths (restored below) win.
        for column, width in DEFAULT_COLUMN_WIDTHS.items():
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(self._on_table_activated)
        header = self.table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        state = self.settings.header_state("ledger")
        if state is not None:
            header.restoreState(state)  # column widths, order and sort, as the clerk left them
        for column in range(COLUMN_COUNT):
            self.table.setColumnHidden(column, column in self.settings.ledger_hidden_columns())
        self._header_timer = QTimer(self)
        self._header_timer.setSingleShot(True)
        self._header_timer.setInterval(500)
        self._header_timer.timeout.connect(lambda: self.settings.set_header_state("ledger", header.saveState()))
        header.sectionResized.connect(lambda *_a: self._header_timer.start())
        header.sectionMoved.connect(lambda *_a: self._header_timer.start())
        header.sortIndicatorChanged.connect(lambda *_a: self._header_timer.start())

        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 920])

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        # Ctrl+F is the main window's 查找 action (it calls focus_search); a second shortcut would be ambiguous.
        # Enter opens, Delete asks to delete: an event filter rather than shortcuts, so the keys act on the
        # widget that has them whichever window is active.
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self._keys = _KeyFilter(self)
        self.table.installEventFilter(self._keys)
        self.tree.installEventFilter(self._keys)
        from app.ui.search_keys import SearchKeys

        self._search_keys = SearchKeys(self.search, self.table, lambda: self.open_current(self.table))
        self._fill_combo(self.status, list(STATUSES))
        # Load on the next turn of the event loop: the main window calls set_period right after construction,
        # and loading the default period first would read the whole ledger twice.
        QTimer.singleShot(0, self, self._first_load)

    def _first_load(self) -> None:
        if not self._started:
            self.refresh()

    # --- contract ---------------------------------------------------------------------------------------

    def set_period(self, period_key: str) -> None:
        """Show progress as of ``period_key``."""
        if period_key != self.period_key or not self._started:
            self.period_key = period_key
            self.refresh()

    def refresh(self) -> None:
        """Reload from the database off the GUI thread (a reload asked during a load runs after it)."""
        self._started = True
        self.busy.show()
        db, period = self.database, self.period_key
        QueryOp(parent=self, op=lambda: load_for_view(db, period), success=self._on_loaded).failure(
            self._on_load_failed
        ).finally_(self.busy.hide).serial("load").run_in_background()

    def show_status(self, status: str) -> None:
        """Filter to one status, or to projects behind schedule when ``status`` is 「滞后」 (from the dashboard)."""
        self.tree.setCurrentIndex(self.tree_model.index(0, 0))
        self.search.clear()
        if status == "滞后":
            self.status.setCurrentIndex(0)
            self.behind_only.setChecked(True)
        else:
            self.behind_only.setChecked(False)
            index = self.status.findText(status)
            if index < 0:
                self.status.addItem(status)
                index = self.status.findText(status)
            self.status.setCurrentIndex(index)
        self._on_filters()

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the search box."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # --- loading ----------------------------------------------------------------------------------------

    def _on_loaded(self, result: LoadedLedger) -> None:
        self.last_load_seconds = result.seconds
        self.ledger = result.ledger
        selected = self.current_project_id()
        self.model.set_rows(result.ledger.rows, result.search_keys)
        self._fill_combo(self.department, result.ledger.departments)
        self._fill_combo(self.region, result.ledger.regions)
        self._fill_tree(result.ledger)
        self._on_filters()  # a chosen department or region may be gone after the reload: filter as shown
        if selected is not None:
            self.select_project(selected)
        self.loaded.emit()

    def _on_load_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, KnownError):
            logging.getLogger("taizhang").error("ledger load failed", exc_info=exc)
        message = exc.message if isinstance(exc, KnownError) else f"载入台账失败：{exc}"
        self.count_label.setText(message)

    def _fill_combo(self, combo: QComboBox, values: list[str]) -> None:
        current = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(ALL)
        combo.addItems(values)
        combo.setCurrentIndex(max(0, combo.findText(current)))
        combo.blockSignals(False)

    def _on_tree_expanded(self, index: QModelIndex) -> None:
        """Fill a programme's members the first time it is expanded."""
        item = self.tree_model.itemFromIndex(index)
        if item is None or item.rowCount() != 1 or self.ledger is None:
            return
        child = item.child(0)
        if child is None or child.data(TreeRole.KIND) != NodeKind.PLACEHOLDER:
            return
        project_id = item.data(TreeRole.PROJECT_ID)
        item.removeRow(0)
        rows = []
        for member in self.ledger.members.get(project_id, ()):
            label = f"{member.name}（{member.credit_code}）" if member.credit_code else member.name
            rows.append(self._node(label, NodeKind.MEMBER, member.id, project_id))
        for node in rows:
            item.appendRow(node)

    def _fill_tree(self, ledger: Ledger) -> None:
        expanded = self._expanded_keys() if self.tree_model.rowCount() else set()
        current = self.tree.currentIndex()
        current_key = (current.data(TreeRole.KIND), current.data(TreeRole.ID)) if current.isValid() else None
        self.tree.setUpdatesEnabled(False)
        self.tree_model.removeRows(0, self.tree_model.rowCount())
        root = self.tree_model.invisibleRootItem()
        root.appendRow(self._node("全部项目", NodeKind.ALL, 0))
        projects_by_task: dict[int, list[Any]] = {}
        for row in ledger.rows:
            projects_by_task.setdefault(row.task_id or 0, []).append(row)
        task_items: dict[int, QStandardItem] = {}
        doc_items: dict[int, QStandardItem] = {}
        for doc in ledger.documents:
            item = self._node(doc.short_title, NodeKind.DOCUMENT, doc.id)
            doc_items[doc.id] = item
            root.appendRow(item)
        for task in ledger.tasks:
            item = self._node(f"{task.code} {task.title}", NodeKind.TASK, task.id)
            tip = f"{task.code} {task.title}"
            if task.departments:
                # Equal responsible departments ("按职责分工负责"): every one is shown, none ranked.
                tip += "\n责任单位：" + "、".join(task.departments) + "\n右键“责任分工…”编辑年度目标、责任人和联系人"
            item.setToolTip(tip)
            parent = task_items.get(task.parent_id) if task.parent_id else doc_items.get(task.document_id)
            (parent or root).appendRow(item)
            task_items[task.id] = item
            for row in projects_by_task.get(task.id, ()):
                project_item = self._node(f"{row.code} {row.name}", NodeKind.PROJECT, row.id, row.id)
                if row.behind:
                    project_item.setForeground(Qt.GlobalColor.darkRed)
                    project_item.setToolTip("滞后：" + "；".join(row.lag_reasons))
                if ledger.members.get(row.id):
                    # Members (thousands in a large portfolio) are added when their programme is expanded.
                    project_item.appendRow(self._node("…", NodeKind.PLACEHOLDER, 0, row.id))
                item.appendRow(project_item)
        for row in projects_by_task.get(0, ()):
            root.appendRow(self._node(f"{row.code} {row.name}", NodeKind.PROJECT, row.id, row.id))
        self.tree.expandToDepth(0)
        self._restore_expanded(expanded)
        if current_key is not None:
            found = self._find_node(*current_key)
            if found is not None:
                self.tree.selectionModel().blockSignals(True)
                self.tree.setCurrentIndex(found)
                self.tree.selectionModel().blockSignals(False)
        self.tree.setUpdatesEnabled(True)

    @staticmethod
    def _node(text: str, kind: NodeKind, node_id: int, project_id: int | None = None) -> QStandardItem:
        item = QStandardItem(text)
        item.setData(int(kind), TreeRole.KIND)
        item.setData(node_id, TreeRole.ID)
        if project_id is not None:
            item.setData(project_id, TreeRole.PROJECT_ID)
        return item

    def _walk(self, parent: QModelIndex = QModelIndex(), expanded_only: bool = False) -> Any:  # noqa: B008
        for r in range(self.tree_model.rowCount(parent)):
            index = self.tree_model.index(r, 0, parent)
            yield index
            if not expanded_only or self.tree.isExpanded(index):
                yield from self._walk(index, expanded_only)

    def _expanded_keys(self) -> set[tuple[int, int]]:
        return {
            (index.data(TreeRole.KIND), index.data(TreeRole.ID))
            for index in self._walk(expanded_only=True)
            if self.tree.isExpanded(index)
        }

    def _restore_expanded(self, keys: set[tuple[int, int]]) -> None:
        if not keys:
            return
        # Parents come before children in the walk, so expanding one reveals (and fills) the next level.
        for index in self._walk(expanded_only=True):
            if (index.data(TreeRole.KIND), index.data(TreeRole.ID)) in keys:
                self.tree.setExpanded(index, True)

    def _find_node(self, kind: int, node_id: int) -> QModelIndex | None:
        for index in self._walk():
            if index.data(TreeRole.KIND) == kind and index.data(TreeRole.ID) == node_id:
                return index
        return None

    # --- filtering --------------------------------------------------------------------------------------

    def _on_search(self, text: str) -> None:
        self.proxy.set_filters(query=normalise_query(text))
        self._update_count()

    def _combo_value(self, combo: QComboBox) -> str:
        return "" if combo.currentIndex() <= 0 else combo.currentText()

    def _on_filters(self, *_args: Any) -> None:
        self.proxy.set_filters(
            department=self._combo_value(self.department),
            region=self._combo_value(self.region),
            status=self._combo_value(self.status),
            behind_only=self.behind_only.isChecked(),
        )
        self._update_count()

    def _on_tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or self.ledger is None:
            return
        kind = current.data(TreeRole.KIND)
        node_id = current.data(TreeRole.ID)
        if kind == NodeKind.DOCUMENT:
            self.proxy.set_filters(document_id=node_id, task_ids=None, project_ids=None)
        elif kind == NodeKind.TASK:
            self.proxy.set_filters(
                document_id=None, task_ids=task_subtree(self.ledger.tasks, node_id), project_ids=None
            )
        elif kind in (NodeKind.PROJECT, NodeKind.MEMBER, NodeKind.PLACEHOLDER):
            project_id = current.data(TreeRole.PROJECT_ID)
            self.proxy.set_filters(document_id=None, task_ids=None, project_ids={project_id})
            self.select_project(project_id)
        else:
            self.proxy.set_filters(document_id=None, task_ids=None, project_ids=None)
        self._update_count()

    def _update_count(self) -> None:
        shown, behind = self.proxy.shown_and_behind()
        total = self.model.rowCount()
        self.count_label.setText(f"显示 {shown} / {total} 个项目，滞后 {behind} 个")

    # --- selection, opening, deleting -------------------------------------------------------------------

    def current_project_id(self) -> int | None:
        """The project of the current table row, if any."""
        index = self.table.currentIndex()
        return index.data(LedgerRole.PROJECT_ID) if index.isValid() else None

    def select_project(self, project_id: int) -> bool:
        """Make ``project_id`` the current table row (if it passes the filters)."""
        source_row = self.model.row_of(project_id)
        if source_row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)
        return True

    def _on_table_activated(self, index: QModelIndex) -> None:
        project_id = index.data(LedgerRole.PROJECT_ID)
        if project_id is not None:
            self.open_project.emit(int(project_id))

    def _on_tree_activated(self, index: QModelIndex) -> None:
        project_id = index.data(TreeRole.PROJECT_ID)
        if project_id is not None and index.data(TreeRole.KIND) == NodeKind.PROJECT:
            self.open_project.emit(int(project_id))

    def open_current(self, source: QWidget | None = None) -> None:
        """Enter: open the project of the current tree node (from the tree) or table row."""
        if source is self.tree:
            index = self.tree.currentIndex()
            project_id = index.data(TreeRole.PROJECT_ID) if index.isValid() else None
        else:
            project_id = self.current_project_id()
        if project_id is not None:
            self.open_project.emit(int(project_id))

    def delete_current(self, source: QWidget | None = None) -> None:
        """Delete asks first; only members a clerk entered can be deleted here (see the module docstring)."""
        from_tree = source is self.tree or (source is None and self.tree.hasFocus())
        index = self.tree.currentIndex() if from_tree else QModelIndex()
        if index.isValid() and index.data(TreeRole.KIND) == NodeKind.MEMBER and self.ledger is not None:
            if read_only.refused(self):  # Delete on a read-only database: say why, ask nothing
                return
            project_id = index.data(TreeRole.PROJECT_ID)
            member = next(m for m in self.ledger.members.get(project_id, []) if m.id == index.data(TreeRole.ID))
            if member.from_return:
                self.show_error("该成员来自部门报表，不能在此删除；请在报表中更正后重新导入。")
                return
            answer = QMessageBox.question(self, "删除成员", f"确定从名单中删除「{member.name}」吗？（可撤销）")
            if answer != QMessageBox.StandardButton.Yes:
                return
            self.undo_stack.push(DeleteMemberCommand(self, member))
            return
        if self.current_project_id() is not None or index.isValid():
            QMessageBox.information(
                self,
                "不能删除项目",
                "项目来自文件，台账中不删除项目。\n如项目已撤销，请打开项目，把状态改为「已撤销」；"
                "成员名单中手工录入的成员可在左侧树中选中后删除。",
            )

    # --- the undo stack's host (app.ui.commands.base.CommandHost)

    def after_write(self) -> None:
        """A member deletion (or its undo) was saved: reload."""
        self.refresh()

    def drop_command(self, command: QUndoCommand, exc: BaseException, *, undoing: bool) -> None:
        """A deletion failed and was not retried (the message said why): take it off the stack, reload."""
        forget_failed(self.undo_stack, self.queue, command, exc, undoing=undoing)
        self.refresh()

    def show_error(self, message: str) -> None:
        """Tell the clerk why an action was refused."""
        QMessageBox.warning(self, "未能完成", message)

    # --- context menus ---------------------------------------------------------------------------------

    def _table_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        row = self.model.rows[self.proxy.mapToSource(index).row()]
        menu = QMenu(self)
        menu.addAction("打开项目（Enter）", lambda: self.open_project.emit(row.id))
        menu.addSeparator()
        menu.addAction("复制编号", lambda: _copy(row.code))
        menu.addAction("复制名称", lambda: _copy(row.name))
        if row.behind:
            menu.addAction("复制滞后原因", lambda: _copy("\n".join(row.lag_reasons)))
        menu.addSeparator()
        count = len(self.selected_project_ids())
        read_only.writes(menu.addAction(f"指定责任单位…（{count} 个项目）", self.assign_department))
        menu.setToolTipsVisible(True)  # a greyed-out entry says why (read-only database)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def selected_project_ids(self) -> list[int]:
        """The projects of the selected table rows, in table order (the current row when none is selected)."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        ids = [self.proxy.index(r, 0).data(LedgerRole.PROJECT_ID) for r in rows]
        found = [int(i) for i in ids if i is not None]
        current = self.current_project_id()
        return found or ([int(current)] if current is not None else [])

    def assign_department(self) -> None:
        """指定责任单位…: one department for every selected project, one undo step, audited."""
        from app.ui.dialogs.parts_dialog import AssignDialog, AssignProjectsCommand
        from app.ui.ops import CollectionOp, QueryOp

        ids = self.selected_project_ids()
        if not ids or self.ledger is None:
            return
        by_id = {r.id: r for r in self.ledger.rows}
        labels = [f"{by_id[i].code} {by_id[i].name}" for i in ids if i in by_id]
        db = self.database

        def chosen(departments: list[tuple[int, str]]) -> None:
            dialog = AssignDialog(departments, labels, self)
            if dialog.exec() != AssignDialog.DialogCode.Accepted:
                return
            dept_id = dialog.department_id()
            assert dept_id is not None

            def done(result: supervision.AssignResult) -> None:
                self.undo_stack.push(AssignProjectsCommand(self, db, ids, dept_id, result, self.refresh))
                self.refresh()

            CollectionOp(parent=self, op=lambda: supervision.assign_projects(db, ids, dept_id)).changes(
                "projects"
            ).success(done).run_in_background()

        QueryOp(parent=self, op=lambda: supervision.department_choices(db), success=chosen).run_in_background()

    def edit_task_parts(self, task_id: int) -> None:
        """责任分工…: the task's responsible departments, their people and year targets."""
        from app.ui.dialogs.parts_dialog import PartsDialog

        year = int(self.period_key[:4]) if self.period_key and self.period_key[:4].isdigit() else None
        PartsDialog(self.database, task_id, self.undo_stack, year=year, after=self.refresh, parent=self).exec()

    def _tree_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        if not index.isValid():
            return
        kind = index.data(TreeRole.KIND)
        project_id = index.data(TreeRole.PROJECT_ID)
        menu = QMenu(self)
        if kind == NodeKind.PROJECT and project_id is not None:
            menu.addAction("打开项目（Enter）", lambda: self.open_project.emit(int(project_id)))
        elif kind == NodeKind.TASK:
            task_id = int(index.data(TreeRole.ID))
            menu.addAction("责任分工…", lambda: self.edit_task_parts(task_id))
        elif kind == NodeKind.MEMBER:
            self.tree.setCurrentIndex(index)
            read_only.writes(menu.addAction("删除成员…（Delete）", lambda: self.delete_current(self.tree)))
            menu.setToolTipsVisible(True)  # a greyed-out entry says why (read-only database)
        else:
            return
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    # --- column chooser ---------------------------------------------------------------------------------

    def _column_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for column in range(COLUMN_COUNT):
            action = QAction(HEADERS[column], menu)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.setEnabled(column != COL_NAME)  # the name column is how a row is recognised
            action.toggled.connect(lambda on, c=column: self.set_column_visible(c, on))
            menu.addAction(action)
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    def set_column_visible(self, column: int, visible: bool) -> None:
        """Show or hide a column and remember the choice."""
        self.table.setColumnHidden(column, not visible)
        hidden = [c for c in range(COLUMN_COUNT) if self.table.isColumnHidden(c)]
        self.settings.set_ledger_hidden_columns(hidden)
        self.settings.set_header_state("ledger", self.table.horizontalHeader().saveState())
