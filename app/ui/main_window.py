"""The main window: side bar of views (Ctrl+1…7), menus, toolbar, status bar with database and period.

Views are created on first show (each imported then, directly: a renamed module fails loudly, it never hides
behind a placeholder). Each view's ``undo_stack`` joins one QUndoGroup so Ctrl+Z / Ctrl+Y act on the current view.
A timer polls ``PRAGMA data_version`` (through ``app.services.watch``) and refreshes views when another
connection (another window, an import, a form) changed the database.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.periods import Period, latest_closed_quarter
from app.services.dashboard import period_choices
from app.services.watch import ChangeWatcher
from app.storage.db import Database, database_url, display_url, scrub_secrets
from app.storage.errors import KnownError
from app.ui import read_only
from app.ui.ops import QueryOp, set_read_only
from app.ui.period_box import add_period
from app.ui.settings import Settings
from app.ui.tasks import run_in_background

if TYPE_CHECKING:  # creating PySide6's QEvent types costs ≈ 4 ms of the start; only closeEvent names one
    from PySide6.QtGui import QCloseEvent

log = logging.getLogger("taizhang")
WATCH_INTERVAL_MS = 2000
FIRST_VIEW_PATIENCE_MS = 10_000  # after_first_view's work runs by then even if the first view never loads


def _dashboard(database: Database) -> QWidget:
    from app.ui.views.dashboard_view import DashboardView

    return DashboardView(database)


def _ledger(database: Database) -> QWidget:
    from app.ui.views.ledger_view import LedgerView

    return LedgerView(database)


def _gantt(database: Database) -> QWidget:
    from app.ui.views.gantt_view import GanttView

    return GanttView(database)


def _returns(database: Database) -> QWidget:
    from app.ui.views.returns_view import ReturnsView

    return ReturnsView(database)


def _indicators(database: Database) -> QWidget:
    from app.ui.views.indicators_view import IndicatorsView

    return IndicatorsView(database)


def _meetings(database: Database) -> QWidget:
    from app.ui.views.meetings_view import MeetingsView

    return MeetingsView(database)


def _supervision(database: Database) -> QWidget:
    from app.ui.views.supervision_view import SupervisionView

    return SupervisionView(database)


@dataclass(frozen=True)
class ViewSpec:
    """One side-bar entry; ``create`` imports and builds its view on first show (keeps start-up fast)."""

    key: str
    title: str
    create: Callable[[Database], QWidget]
    shortcut: str
    blurb: str


VIEWS: tuple[ViewSpec, ...] = (
    ViewSpec("dashboard", "总览", _dashboard, "Ctrl+1", "项目状态、滞后项目、报表收取与指标"),
    ViewSpec("ledger", "项目台账", _ledger, "Ctrl+2", "全部任务、项目与定额计划成员"),
    ViewSpec("gantt", "甘特图", _gantt, "Ctrl+3", "里程碑计划与实际进度的甘特图"),
    ViewSpec("returns", "报表填报", _returns, "Ctrl+4", "生成填报模板、导入部门报表、催报"),
    ViewSpec("indicators", "指标", _indicators, "Ctrl+5", "指标实际值与目标对照"),
    ViewSpec("meetings", "会议报告", _meetings, "Ctrl+6", "联席会议材料与报告"),
    ViewSpec("supervision", "督办", _supervision, "Ctrl+7", "任务与议定事项督办、情况通报"),
)


class BrokenViewPage(QWidget):
    """Shown when a view raised while starting (e.g. its database is damaged): the window stays usable."""

    def __init__(self, spec: ViewSpec, error: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        label = QLabel(f"{spec.title}无法打开：{error}\n详细信息已写入日志。")
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)

    def refresh(self) -> None:
        """Nothing to reload."""

    def set_period(self, period_key: str) -> None:
        """Nothing depends on the period."""


class MainWindow(QMainWindow):
    """Top-level window of Taizhang. Signals: database_changed(), database_switched(str), view_shown(str)."""

    database_changed = Signal()
    database_switched = Signal(str)
    view_shown = Signal(str)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.settings = Settings()
        self.views: dict[str, QWidget] = {}
        self._stale: set[str] = set()
        self._relays: list[Any] = []
        self.watcher = ChangeWatcher(database.path, database.engine)
        self.undo_group = QUndoGroup(self)
        self.setWindowTitle("台账 — 互联网经济与信息消费重点项目")
        self.resize(1280, 800)

        self.sidebar = QListWidget()
        self.sidebar.setFixedWidth(150)
        self.sidebar.setStyleSheet("QListWidget { font-size: 14px; } QListWidget::item { padding: 8px; }")
        self.stack = QStackedWidget()
        for spec in VIEWS:
            item = QListWidgetItem(spec.title)
            item.setToolTip(f"{spec.title}（{spec.shortcut}）")
            self.sidebar.addItem(item)
            self.stack.addWidget(QWidget())  # replaced by the real view on first show
        self.sidebar.currentRowChanged.connect(self._on_sidebar)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.sidebar)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_status_bar()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._restore_layout()
        self.apply_read_only(database.read_only_reason)

        self.timer = QTimer(self)
        self.timer.setInterval(WATCH_INTERVAL_MS)
        self.timer.timeout.connect(self.check_for_changes)
        self.timer.start()

        last = self.settings.last_view
        keys = [s.key for s in VIEWS]
        self.show_view(last if last in keys else "dashboard")
        # Warm the pinyin tables off the GUI thread so the ledger's first search costs nothing extra; only once
        # the first view shows its data, so the import does not compete with it for the interpreter.
        self.after_first_view(
            lambda: self._relays.append(
                run_in_background(_warm_pinyin, lambda _r: None, lambda _e, _t: None, parent=self)
            )
        )
        from app.ui.first_day import install_first_day

        install_first_day(self)

    # --- building ---------------------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.db_label = QLabel()
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.period_combo = QComboBox()
        self.period_combo.setToolTip("当前报告期：各视图按此期显示")
        self.period_combo.setMinimumContentsLength(10)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.busy.hide()
        bar.addWidget(self.db_label, 1)
        bar.addPermanentWidget(self.busy)
        bar.addPermanentWidget(QLabel("报告期"))
        bar.addPermanentWidget(self.period_combo)
        self._fill_periods()
        self.period_combo.currentIndexChanged.connect(self._on_period)
        self._show_database_label()

    def _build_actions(self) -> None:
        def action(text: str, slot: Any, shortcut: Any = None, tip: str = "") -> QAction:
            a = QAction(text, self)
            if shortcut is not None:
                a.setShortcut(QKeySequence(shortcut))
            a.setToolTip(tip or text)
            a.triggered.connect(slot)
            self.addAction(a)
            return a

        self.new_action = action("新建数据库…", self.new_database, QKeySequence.StandardKey.New)
        self.open_action = action("打开数据库…", self.open_database_dialog, QKeySequence.StandardKey.Open)
        self.server_action = action(
            "连接服务器数据库…", self.connect_server, tip="几位同事共用一个 PostgreSQL 服务器数据库"
        )
        self.backup_action = action("备份数据库…", self.backup_database)
        self.backups_action = action("备份与恢复…", self.show_backups, tip="查看自动备份，从备份恢复数据库")
        self.templates_action = action("导出填报模板…", lambda: self.show_returns_out("templates"), "Ctrl+Shift+T")
        self.missing_action = action("催报…", lambda: self.show_returns_out("missing"), "Ctrl+Shift+M")
        self.summary_action = action("导出汇总表…", lambda: self.show_returns_out("summary"), "Ctrl+Shift+E")
        self.quit_action = action("退出", self.close, QKeySequence.StandardKey.Quit)
        self.undo_action = self.undo_group.createUndoAction(self, "撤销")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_group.createRedoAction(self, "重做")
        # Redo is Ctrl+Y already on Windows (and here): listing it twice makes Qt call Ctrl+Y ambiguous and
        # do nothing, so add the platform's other redo keys (Ctrl+Shift+Z) only once each.
        redo_keys = [QKeySequence("Ctrl+Y")]
        redo_keys += [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo) if k not in redo_keys]
        self.redo_action.setShortcuts(redo_keys)
        self.find_action = action(
            "查找", self.start_search, QKeySequence.StandardKey.Find, "在当前视图中搜索（Ctrl+F）"
        )
        self.refresh_action = action("刷新", self.refresh_current, QKeySequence.StandardKey.Refresh)
        self.about_action = action("关于台账", self.about)
        self.assign_action = action(
            "指定责任单位…", self.assign_department, "Ctrl+Shift+D", "为项目台账中选中的项目指定责任（牵头）单位"
        )
        self.departments_action = action(
            "单位名录与更名…", self.show_departments, None, "单位现名称、曾用名和简称；记录更名或合并"
        )
        self.settings_action = action("机构名称与落款…", self.show_settings, tip="会议材料封面上的机构名称等")
        # Greyed out with the reason while the database may only be read (app.ui.read_only).
        read_only.writes(self.undo_action, self.redo_action, self.backups_action, self.assign_action)
        self.view_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        for spec in VIEWS:
            a = action(spec.title, lambda _c=False, k=spec.key: self.show_view(k), spec.shortcut)
            a.setCheckable(True)
            group.addAction(a)
            self.view_actions[spec.key] = a

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = self.file_menu = menu.addMenu("文件(&F)")
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.server_action)
        self.recent_menu = file_menu.addMenu("最近打开")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.backups_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menu.addMenu("编辑(&E)")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addAction(self.refresh_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.assign_action)
        returns_menu = menu.addMenu("报表(&R)")
        returns_menu.addAction(self.templates_action)
        returns_menu.addAction(self.missing_action)
        returns_menu.addAction(self.summary_action)
        settings_menu = menu.addMenu("设置(&S)")
        settings_menu.addAction(self.departments_action)
        settings_menu.addAction(self.settings_action)
        view_menu = menu.addMenu("视图(&V)")
        for spec in VIEWS:
            view_menu.addAction(self.view_actions[spec.key])
        view_menu.addSeparator()
        self.sidebar_action = QAction("显示侧栏", self)
        self.sidebar_action.setCheckable(True)
        self.sidebar_action.setChecked(True)
        self.sidebar_action.toggled.connect(self.sidebar.setVisible)
        view_menu.addAction(self.sidebar_action)
        help_menu = self.help_menu = menu.addMenu("帮助(&H)")
        help_menu.addAction(self.about_action)

    def show_departments(self) -> None:
        """设置 → 单位名录与更名."""
        from app.ui.dialogs.departments_dialog import DepartmentsDialog

        DepartmentsDialog(self.database, self).exec()
        self.refresh_current()

    def show_settings(self) -> None:
        """设置 → 机构名称与落款."""
        from app.ui.dialogs.settings_dialog import SettingsDialog

        SettingsDialog(self.database, self).exec()

    def _build_toolbar(self) -> None:
        bar = self.addToolBar("常用")
        bar.setObjectName("main_toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for a in (self.open_action, self.backup_action, None, self.undo_action, self.redo_action, None):
            if a is None:
                bar.addSeparator()
            else:
                bar.addAction(a)
        bar.addAction(self.find_action)
        bar.addAction(self.refresh_action)

    def _restore_layout(self) -> None:
        geometry = self.settings.geometry
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.window_state
        if state is not None:
            self.restoreState(state)

    # --- views ------------------------------------------------------------------------------------------

    def _spec(self, key: str) -> ViewSpec:
        return next(s for s in VIEWS if s.key == key)

    def view(self, key: str) -> QWidget:
        """The view for ``key``, created on first use."""
        if key not in self.views:
            self.views[key] = self._create_view(self._spec(key))
            index = [s.key for s in VIEWS].index(key)
            placeholder = self.stack.widget(index)
            self.stack.insertWidget(index, self.views[key])
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
        return self.views[key]

    def _create_view(self, spec: ViewSpec) -> QWidget:
        try:
            widget = spec.create(self.database)
        except ImportError:
            raise  # a missing or renamed module is a bug in this build: fail loudly, never hide it
        except Exception as exc:  # noqa: BLE001 - one broken view must not take the window down
            log.exception("view %s failed to start", spec.key)
            return BrokenViewPage(spec, str(exc))
        if hasattr(widget, "set_period"):
            widget.set_period(self.period_key)
        self._connect_view(widget)
        stack = getattr(widget, "undo_stack", None)
        if stack is not None:
            self.undo_group.addStack(stack)
        return widget

    def _connect_view(self, widget: QWidget) -> None:
        for name, slot in (
            ("open_project", self.open_project),
            ("open_status", self.show_ledger_status),
            ("open_view", self.show_view),
            ("open_indicator", self.show_indicator),
            ("open_supervision", self.show_supervision),
            ("period_chosen", self.set_period),
        ):
            signal = getattr(widget, name, None)
            if signal is not None and hasattr(signal, "connect"):
                signal.connect(slot)

    def assign_department(self) -> None:
        """编辑 → 指定责任单位…: for the rows selected in the ledger (opened if it is not the current view)."""
        ledger = self.show_view("ledger")
        if hasattr(ledger, "assign_department"):
            ledger.assign_department()

    def show_view(self, key: str) -> QWidget:
        """Switch to a view (creating it on first use) and refresh it if the database changed meanwhile."""
        index = [s.key for s in VIEWS].index(key)
        widget = self.view(key)
        self.stack.setCurrentIndex(index)
        if self.sidebar.currentRow() != index:
            self.sidebar.blockSignals(True)
            self.sidebar.setCurrentRow(index)
            self.sidebar.blockSignals(False)
        self.view_actions[key].setChecked(True)
        stack = getattr(widget, "undo_stack", None)
        self.undo_group.setActiveStack(stack)  # type: ignore[arg-type]  # None: no undo in this view
        if key in self._stale:
            self._stale.discard(key)
            widget.refresh()  # type: ignore[attr-defined]
        self.settings.last_view = key
        self.view_shown.emit(key)
        return widget

    def after_first_view(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` once the current view has shown its data and been painted (at once if it has no loaded()).

        For work the first view does not need (backups, warm-ups, checks): queued before, it would hold the
        database worker or the interpreter while the clerk waits. If the view never loads (it failed), ``fn``
        runs after FIRST_VIEW_PATIENCE_MS all the same.
        """
        signal = getattr(self.current_view(), "loaded", None)
        if signal is None or not hasattr(signal, "connect"):
            QTimer.singleShot(0, self, fn)
            return
        done = False

        def once(*_args: Any) -> None:
            nonlocal done
            if done:
                return
            done = True
            try:
                signal.disconnect(once)
            except (RuntimeError, TypeError):  # the view is gone, or the timer came first
                pass
            QTimer.singleShot(0, self, fn)  # after the slots that paint and report the loaded view

        signal.connect(once)
        QTimer.singleShot(FIRST_VIEW_PATIENCE_MS, self, once)

    def current_key(self) -> str:
        return VIEWS[self.stack.currentIndex()].key

    def current_view(self) -> QWidget:
        return self.view(self.current_key())

    def _on_sidebar(self, row: int) -> None:
        if 0 <= row < len(VIEWS):
            self.show_view(VIEWS[row].key)

    def start_search(self) -> None:
        """Ctrl+F: the current view's search box (the ledger's when the view has none)."""
        widget = self.current_view()
        if not hasattr(widget, "focus_search"):
            widget = self.show_view("ledger")
        if hasattr(widget, "focus_search"):
            widget.focus_search()

    def refresh_current(self) -> None:
        """F5: reload the current view; the others reload when next shown."""
        self._stale.update(k for k in self.views if k != self.current_key())
        self.current_view().refresh()  # type: ignore[attr-defined]

    def show_ledger_status(self, status: str) -> None:
        """From the dashboard: the ledger filtered to one status (or 滞后)."""
        ledger = self.show_view("ledger")
        if hasattr(ledger, "show_status"):
            ledger.show_status(status)

    def show_indicator(self, indicator_id: int) -> None:
        """From the dashboard: the indicators view, on one indicator when it can show one."""
        view = self.show_view("indicators")
        if hasattr(view, "show_indicator"):
            view.show_indicator(indicator_id)

    def show_supervision(self, status: str) -> None:
        """From the dashboard's decision counts: the 督办 view filtered to one status (open, red, …)."""
        view = self.show_view("supervision")
        if hasattr(view, "show_status"):
            view.show_status(status)

    def open_project(self, project_id: int) -> None:
        """Open the project form for the current period; views reload afterwards."""
        from app.ui.dialogs.project_form import ProjectFormDialog

        try:
            # Judge lag for the status-bar period, so the form agrees with the ledger row it was opened from.
            dialog = ProjectFormDialog(self.database, project_id, self, period_key=self.period_key)
        except KnownError as exc:
            QMessageBox.warning(self, "无法打开项目", exc.message)
            return
        dialog.exec()
        self.check_for_changes()

    # --- period -----------------------------------------------------------------------------------------

    def _fill_periods(self) -> None:
        """Show the remembered period at once; the list of periods with data follows from the worker."""
        wanted = self.settings.last_period or latest_closed_quarter(date.today()).key
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        self.period_combo.setCurrentIndex(add_period(self.period_combo, wanted))
        self.period_combo.blockSignals(False)
        database = self.database
        QueryOp(parent=self, op=lambda: period_choices(database), success=self._show_period_choices).serial(
            "periods"
        ).run_in_background()

    def _show_period_choices(self, choices: list[tuple[str, str]]) -> None:
        current = self.period_key
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        for key, label in choices:
            self.period_combo.addItem(label, key)
        index = self.period_combo.findData(current)
        self.period_combo.setCurrentIndex(index if index >= 0 else add_period(self.period_combo, current))
        self.period_combo.blockSignals(False)

    @property
    def period_key(self) -> str:
        return str(self.period_combo.currentData() or latest_closed_quarter(date.today()).key)

    def set_period(self, period_key: str) -> None:
        """Make ``period_key`` the current reporting period of every view."""
        try:
            key = Period.parse(period_key).key
        except ValueError:
            return
        # A period typed in a view's own box (2025-07, a future quarter) joins the status-bar list.
        self.period_combo.setCurrentIndex(add_period(self.period_combo, key))

    def _on_period(self, _index: int) -> None:
        key = self.period_key
        self.settings.last_period = key
        for widget in self.views.values():
            if hasattr(widget, "set_period"):
                widget.set_period(key)

    # --- external change --------------------------------------------------------------------------------

    def check_for_changes(self) -> bool:
        """Poll the database; on a change refresh the current view and mark the others to refresh when shown.

        A server database is polled on the database worker (a network round trip); the answer comes later.
        """
        if self.watcher.remote:
            watcher = self.watcher
            QueryOp(parent=self, op=watcher.changed, success=self._changed_elsewhere).failure(
                lambda exc: log.info("change check failed: %s", type(exc).__name__)
            ).serial("watch").run_in_background()
            return False
        if not self.watcher.changed():
            return False
        self._changed_elsewhere(True)
        return True

    def _changed_elsewhere(self, changed: bool) -> None:
        if not changed:
            return
        current = self.current_key()
        self._stale.update(k for k in self.views if k != current)
        widget = self.views.get(current)
        if widget is not None and hasattr(widget, "refresh"):
            widget.refresh()
        self.statusBar().showMessage(f"数据已更新（{datetime.now():%H:%M:%S}）", 4000)
        self.database_changed.emit()

    # --- files ------------------------------------------------------------------------------------------

    def _show_database_label(self) -> None:
        where = "服务器数据库" if self.database.path is None else "数据库"
        reason = self.database.read_only_reason
        self.db_label.setText(f"{where}：{self.database.display_name}" + ("（只读）" if reason else ""))
        self.db_label.setToolTip(f"只读：{reason}" if reason else "")
        self.setWindowFilePath(str(self.database.path or ""))

    def apply_read_only(self, reason: str) -> None:
        """Grey out editing and importing with the reason when this login may only read ("" undoes it)."""
        set_read_only(reason)  # every affordance marked with app.ui.read_only.writes follows

    def _start_dir(self) -> str:
        return str(self.database.path.parent) if self.database.path else str(Path.home())

    def new_database(self) -> None:
        """Create a new database file with the built-in portfolio and switch to it."""
        path, _ = QFileDialog.getSaveFileName(
            self, "新建数据库", str(Path(self._start_dir()) / "新台账.db"), "台账数据库 (*.db)"
        )
        if path:
            if not path.endswith(".db"):
                path += ".db"
            if Path(path).exists():
                QMessageBox.warning(self, "新建数据库", f"文件已存在：{path}\n请换一个名称，或用「打开数据库」打开它。")
                return
            self.switch_database(path)

    def open_database_dialog(self) -> None:
        """Pick a database file and switch to it."""
        path, _ = QFileDialog.getOpenFileName(self, "打开数据库", self._start_dir(), "台账数据库 (*.db);;所有文件 (*)")
        if path:
            self.switch_database(path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_databases
        if not recent:
            none = self.recent_menu.addAction("（无）")
            none.setEnabled(False)
            return
        for n, path in enumerate(recent, start=1):
            a = self.recent_menu.addAction(f"&{n} {path}")
            a.triggered.connect(lambda _c=False, p=path: self.switch_database(p))

    def connect_server(self, url: str = "") -> None:
        """文件 → 连接服务器数据库…: ask for the server and login, then switch to it."""
        from app.services.credentials import save_password
        from app.ui.dialogs.server_dialog import ServerDialog

        dialog = ServerDialog(self, url)
        if dialog.exec() != ServerDialog.DialogCode.Accepted:
            return
        url, password = dialog.url(), dialog.password()
        if dialog.remember() and password and not save_password(url, password):
            QMessageBox.information(self, "连接服务器数据库", "本机无法保存密码，下次连接时需要重新输入。")
        self.switch_database(url, password=password)

    def switch_database(self, path: str, password: str | None = None) -> None:
        """Open (creating and seeding if new) another database off the GUI thread, then rebuild the views on it.

        ``path`` may be a server URL (no password in it: the password comes from the clerk or the OS credential
        store). ``database_switched(path)`` is emitted once the window shows the new database.
        """
        from app.services.database import open_database

        if "://" in path:
            if password is None:
                from app.services.credentials import saved_password

                password = saved_password(path)
                if password is None:
                    self.connect_server(path)
                    return
        elif path != str(self.database.path) and not Path(path).exists() and path in self.settings.recent_databases:
            QMessageBox.warning(self, "打开数据库", f"文件已不存在：{path}")
            self.settings.remove_recent_database(path)
            return
        self.busy.show()
        self.statusBar().showMessage(f"正在打开 {display_url(database_url(path))} …")

        def failed(exc: BaseException, tb: str) -> None:
            self.busy.hide()
            self.statusBar().clearMessage()
            if not isinstance(exc, KnownError):
                log.error("opening %s failed\n%s", display_url(database_url(path)), scrub_secrets(tb))
            message = exc.message if isinstance(exc, KnownError) else scrub_secrets(f"无法打开数据库：{exc}")
            QMessageBox.critical(self, "无法打开数据库", message)

        self._relays.append(
            run_in_background(
                lambda: open_database(path, password=password).database, self._use_database, failed, parent=self
            )
        )

    def _use_database(self, database: Database) -> None:
        self.busy.hide()
        self.statusBar().clearMessage()
        old = self.database
        current = self.current_key()
        for key, widget in list(self.views.items()):
            stack = getattr(widget, "undo_stack", None)
            if stack is not None:
                self.undo_group.removeStack(stack)
            index = [s.key for s in VIEWS].index(key)
            self.stack.insertWidget(index, QWidget())
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self.views.clear()
        self._stale.clear()
        self.watcher.close()
        self.database = database
        self.watcher = ChangeWatcher(database.path, database.engine)
        self.settings.add_recent_database(str(database.path or database.url))
        self._show_database_label()
        self.apply_read_only(database.read_only_reason)
        self._fill_periods()
        self.show_view(current)
        QTimer.singleShot(0, old.dispose)
        self.database_switched.emit(str(database.path or database.url))

    def backup_database(self) -> None:
        """Copy the database to a file the clerk picks (off the GUI thread, with progress)."""
        from app.paths import backup_dir
        from app.services.file_backup import backup_database

        if self.database.path is None:
            self._server_database_notice()
            return
        stem = self.database.path.stem
        suggested = backup_dir() / f"{stem}-备份-{datetime.now():%Y%m%d-%H%M}.db"
        path, _ = QFileDialog.getSaveFileName(self, "备份数据库", str(suggested), "台账数据库 (*.db)")
        if not path:
            return
        self.busy.show()
        self.statusBar().showMessage("正在备份…")
        db = self.database

        def done(target: Path) -> None:
            self.statusBar().showMessage(f"已备份到 {target}", 8000)

        QueryOp(parent=self, op=lambda: backup_database(db, Path(path)), success=done).abandoned(
            lambda _exc: self.statusBar().clearMessage()
        ).finally_(self.busy.hide).run_in_background()

    def _server_database_notice(self) -> None:
        from app.services.backups import SERVER_DATABASE_MESSAGE

        QMessageBox.information(self, "备份与恢复", SERVER_DATABASE_MESSAGE)

    def show_backups(self) -> None:
        """The backups dialog; after a restore every view reloads from the restored database."""
        from app.ui.dialogs.backups_dialog import BackupsDialog

        if self.database.path is None:
            self._server_database_notice()
            return
        dialog = BackupsDialog(self.database, self)
        dialog.restored.connect(self.check_for_changes)
        dialog.exec()

    def show_returns_out(self, tab: str) -> None:
        """Templates out, chasing missing returns, or the summary ledger, for the current period."""
        from app.ui.dialogs.returns_out import ReturnsOutDialog

        tabs = {
            "templates": ReturnsOutDialog.TAB_TEMPLATES,
            "missing": ReturnsOutDialog.TAB_MISSING,
            "summary": ReturnsOutDialog.TAB_SUMMARY,
        }
        dialog = ReturnsOutDialog(self.database, self.period_key, self, tab=tabs[tab])
        dialog.exec()

    def about(self) -> None:
        from html import escape

        from app.versions import app_version, component_versions

        libraries = "<br>".join(f"{escape(name)} {escape(version)}" for name, version in component_versions())
        QMessageBox.about(
            self,
            "关于台账",
            f"<b>台账</b> {escape(app_version())}<br>吉林省互联网经济与信息消费联席会议办公室<br>"
            "重点项目、定额计划、部门报表与指标的管理工具。<br>"
            "运行环境：Windows 10/11 64 位。<br><br>"
            f"数据库：{escape(self.database.display_name)}<br><br>"
            f"<small>组件版本：<br>{libraries}</small>",
        )

    # --- closing ----------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.sync()
        self.timer.stop()
        self.watcher.close()
        super().closeEvent(event)


def _warm_pinyin() -> bool:
    from app.domain.pinyin import search_key

    search_key("数据中心")
    return True


def report_startup_if_asked(window: MainWindow) -> None:
    """With TAIZHANG_BENCH_STARTUP set: print when the first view has its data, then quit (bench/bench_desk.py)."""
    if not os.environ.get("TAIZHANG_BENCH_STARTUP"):
        return
    from PySide6.QtWidgets import QApplication

    def ready() -> None:
        # Usable means painted with its data: paint now rather than report before the next paint event.
        window.repaint()
        # Wall clock (for the bench to subtract its own start time) and this process's CPU seconds so far.
        print(f"READY {time.time():.6f} {time.process_time():.6f}", flush=True)
        sys.stdout.flush()
        QTimer.singleShot(0, QApplication.quit)

    view = window.current_view()
    signal = getattr(view, "loaded", None)
    if signal is not None and hasattr(signal, "connect"):
        signal.connect(ready)
    else:
        QTimer.singleShot(0, ready)
