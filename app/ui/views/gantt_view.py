"""进度甘特图 view: planned against actual for a selection, grouping, zoom, baselines, drag edits, print/export.

Signals: plans_shown() when a reload's plans and milestones are drawn; loaded() when actual progress is in too.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QKeySequence,
    QStandardItem,
    QStandardItemModel,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QSpinBox,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.domain.periods import Period
from app.domain.timeline import ZOOM_LABELS, Zoom
from app.services import gantt as service
from app.services.gantt import GanttData, Grouping, Selection, Slip
from app.storage.db import Database
from app.storage.errors import KnownError
from app.ui import read_only
from app.ui.commands.base import OpCommand, forget_failed
from app.ui.gantt_export import PrintOptions, count_pages, export_pdf, export_png, page_layout, render
from app.ui.ops import CollectionOp, OpQueue, QueryOp
from app.ui.widgets.gantt_chart import GanttChart, GanttLegend

SELECTION_KINDS = [
    ("all", "全部项目"),
    ("task", "按任务"),
    ("department", "按牵头单位"),
    ("region", "按地区"),
    ("project", "单个项目"),
]
SELECTION_HINTS = {
    "task": "选择任务…",
    "department": "选择牵头单位…",
    "region": "选择地区…",
    "project": "输入项目名称…",
}
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
LARGE_PRINT_PAGES = 100  # ask before making more pages than this
GROUPINGS = [Grouping.NONE, Grouping.TASK, Grouping.DEPARTMENT, Grouping.REGION, Grouping.KIND]


def _ignore(_value: object) -> None:
    """Drop a dialog's result where a callback must return nothing."""


def _signed_days(new: date | None, old: date | None) -> str:
    """How far a whole-plan move went, in Chinese: 提前/推迟 N 天."""
    days = (new - old).days if new and old else 0
    return f"推迟 {days} 天" if days >= 0 else f"提前 {-days} 天"


class _MoveCommand(OpCommand):
    """A planned-date change: redo saves the new dates (the first redo too), undo the old ones, on the worker."""

    changes = "projects"

    def __init__(
        self, view: GanttView, text: str, project_id: int, milestone_id: int | None, old: Any, new: Any, version: int
    ):
        super().__init__(view, text)
        self.view = view
        self.project_id, self.milestone_id = project_id, milestone_id
        self.old, self.new = old, new
        self.version = version

    def redo(self) -> None:
        self._apply(self.new, undoing=False)

    def undo(self) -> None:
        self._apply(self.old, undoing=True)

    def _apply(self, value: Any, *, undoing: bool) -> None:
        view, database = self.view, self.view.database
        project_id, milestone_id = self.project_id, self.milestone_id

        def build() -> CollectionOp[int]:
            # Later commands may have saved the same record since: lock against the newest version the view knows.
            expected = view.known_version(project_id, milestone_id, self.version)
            if milestone_id is None:
                return CollectionOp(
                    parent=view, op=lambda: service.move_project(database, project_id, expected, *value)
                )
            return CollectionOp(parent=view, op=lambda: service.move_milestone(database, milestone_id, expected, value))

        def show(version: int) -> None:
            self.version = version
            view.apply_locally(project_id, milestone_id, value, version)

        self._submit(build, show, undoing=undoing)


class GanttView(QWidget):
    """The 进度甘特图 page of the main window."""

    plans_shown = Signal()
    loaded = Signal()

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.undo_stack = QUndoStack(self)
        self.queue = OpQueue()  # moves reach the database in the order they were made
        self._scroll_to_period = False
        self.period_key: str | None = None
        self.today: date | None = None  # None = the real today; tests pin it
        self.data: GanttData | None = None
        self._generation = 0
        self._written: dict[tuple[int, int | None], int] = {}  # versions this view saved, by (project, milestone)
        self._choices: dict[str, list[str]] = {}

        self.chart = GanttChart(self)
        self.chart.span_dragged.connect(self._on_span_dragged)
        self.chart.milestone_dragged.connect(self._on_milestone_dragged)
        self.chart.project_activated.connect(self.open_project_form)
        self.chart.scale_changed.connect(self._sync_zoom_buttons)

        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.selection_kind = QComboBox()
        for key, label in SELECTION_KINDS:
            self.selection_kind.addItem(label, key)
        self.selection_kind.setToolTip("选择要显示的项目范围")
        self.selection_value = QComboBox()
        self.selection_value.setMinimumContentsLength(14)
        self.selection_value.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        # Typing part of a name finds it among hundreds of projects or tasks.
        self.selection_value.setEditable(True)
        self.selection_value.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.selection_value.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self._update_selection_value()
        self.grouping = QComboBox()
        for g in GROUPINGS:
            self.grouping.addItem(Grouping.LABELS[g], g)
        self.grouping.setCurrentIndex(GROUPINGS.index(Grouping.TASK))
        self.chart.grouping = Grouping.TASK
        self.toolbar.addWidget(QLabel("范围 "))
        self.toolbar.addWidget(self.selection_kind)
        self.toolbar.addWidget(self.selection_value)
        self.toolbar.addSeparator()
        self.toolbar.addWidget(QLabel("分组 "))
        self.toolbar.addWidget(self.grouping)
        self.toolbar.addSeparator()

        self.zoom_group = QActionGroup(self)
        self.zoom_actions: dict[Zoom, QAction] = {}
        for n, zoom in enumerate(Zoom, start=1):
            act = QAction(ZOOM_LABELS[zoom], self, checkable=True)
            act.setShortcut(QKeySequence(f"Ctrl+{n}"))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.setToolTip(f"按{ZOOM_LABELS[zoom]}显示（Ctrl+{n}；Ctrl+滚轮可连续缩放）")
            act.triggered.connect(lambda _=False, z=zoom: self.chart.set_zoom(z))
            self.zoom_group.addAction(act)
            self.toolbar.addAction(act)
            self.zoom_actions[zoom] = act
        self.fit_action = self._action("适应窗口", self.chart.fit_to_window, "Ctrl+0", "整个时间范围放进窗口宽度")
        self.today_action = self._action("今天", self._go_today, "Ctrl+T", "滚动到今天")
        self.expand_action = self._action("全部展开", lambda: self.chart.set_all_collapsed(False))
        self.collapse_action = self._action("全部折叠", lambda: self.chart.set_all_collapsed(True))
        self.toolbar.addSeparator()
        self.baseline_combo = QComboBox()
        self.baseline_combo.setToolTip("与保存的基线对比：灰色细条为基线计划")
        self.toolbar.addWidget(QLabel("基线 "))
        self.toolbar.addWidget(self.baseline_combo)
        self.save_baseline_action = self._action("保存基线…", self.save_baseline_dialog, tip="把当前计划保存为基线")
        self.slips_action = self._action("偏差清单…", self.show_slips, tip="列出与所选基线不一致的计划日期")
        self.delete_baseline_action = self._action("删除基线…", self.delete_baseline_dialog, tip="删除所选基线")

        self.print_bar = QToolBar(self)
        self.print_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.paper = QComboBox()
        self.paper.addItems(["A4", "A3"])
        self.pages_wide = QSpinBox()
        self.pages_wide.setRange(0, 50)
        self.pages_wide.setSpecialValueText("按当前比例")
        self.pages_wide.setSuffix(" 页宽")
        self.pages_wide.setToolTip("把整个时间范围缩放到 N 页宽；0 = 按屏幕当前比例分页")
        self.pages_wide.setValue(1)  # the whole range on one page width, as the office prints it
        self.print_bar.addWidget(QLabel("纸张（横向） "))
        self.print_bar.addWidget(self.paper)
        self.print_bar.addWidget(self.pages_wide)
        self.preview_action = self._action("打印预览…", self.print_preview, "Ctrl+Shift+P", bar=self.print_bar)
        self.print_action = self._action("打印…", self.print_dialog, QKeySequence.StandardKey.Print, bar=self.print_bar)
        self.pdf_action = self._action("导出 PDF…", self.export_pdf_dialog, bar=self.print_bar)
        self.png_action = self._action("导出 PNG…", self.export_png_dialog, bar=self.print_bar)
        self.print_bar.addSeparator()
        # Short labels; what will be undone goes into the tooltip (the main window's Ctrl+Z uses the QUndoGroup).
        self.undo_action = self._action("撤销", self.undo_stack.undo, bar=self.print_bar)
        self.redo_action = self._action("重做", self.undo_stack.redo, bar=self.print_bar)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        read_only.writes(self.save_baseline_action, self.delete_baseline_action, self.undo_action, self.redo_action)
        self.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_stack.undoTextChanged.connect(lambda t: self.undo_action.setToolTip(f"撤销：{t}" if t else "撤销"))
        self.undo_stack.redoTextChanged.connect(lambda t: self.redo_action.setToolTip(f"重做：{t}" if t else "重做"))

        self.status = QLabel()
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setWordWrap(True)  # a long summary wraps on a 1024-px screen instead of widening the window
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.print_bar)
        layout.addWidget(self.chart, 1)
        self.legend = GanttLegend(self.chart, self)
        layout.addWidget(self.legend)
        layout.addWidget(self.status)

        self.selection_kind.currentIndexChanged.connect(self._on_selection_kind)
        self.selection_value.activated.connect(lambda _i: self.refresh())
        self.selection_value.lineEdit().returnPressed.connect(self.refresh)
        self.grouping.currentIndexChanged.connect(lambda _i: self.chart.set_grouping(self.grouping.currentData()))
        self.baseline_combo.activated.connect(lambda _i: self.refresh())
        self._fill_baselines()
        self._sync_zoom_buttons()
        # Load on the next turn of the event loop: the main window calls set_period right after construction,
        # and a load without the period would be thrown away.
        QTimer.singleShot(0, self, self._first_load)

    def _first_load(self) -> None:
        if self._generation == 0:  # nothing loaded yet (set_period or refresh came first otherwise)
            self.refresh()

    def _action(
        self, text: str, slot: Any, shortcut: Any = None, tip: str = "", bar: QToolBar | None = None
    ) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if tip:
            act.setToolTip(tip)
        act.triggered.connect(lambda _=False: slot())
        (bar or self.toolbar).addAction(act)
        return act

    # --- loading ------------------------------------------------------------------------------------------------

    def selection(self) -> Selection:
        kind = self.selection_kind.currentData()
        if kind == "all":
            return Selection()
        return Selection(kind, self.selection_value.currentText())

    def baseline_id(self) -> int | None:
        value = self.baseline_combo.currentData()
        return int(value) if value is not None else None

    def refresh(self) -> None:
        """Reload from the database off the GUI thread; the chart keeps its scale and scroll position."""
        self._generation += 1
        generation = self._generation
        database, selection, baseline, today, period = (
            self.database,
            self.selection(),
            self.baseline_id(),
            self.today,
            self.period_key,
        )

        def done(data: GanttData) -> None:
            if generation != self._generation:
                return
            self._show(data)
            QueryOp(parent=self, op=lambda: service.load_progress(database, data)).success(
                lambda summary: progress(data, summary)
            ).failure(failed).run_in_background()

        def progress(data: GanttData, summary: dict[int, Any]) -> None:
            if generation != self._generation or self.data is not data:
                return
            service.apply_progress(data, summary)
            self.chart.set_data(data)
            self._update_status()
            self.legend.update()
            self.loaded.emit()
            # The pick lists come last: the rows matter first and these rarely change.
            QueryOp(parent=self, op=lambda: service.selection_choices(database), success=self._set_choices).failure(
                failed
            ).run_in_background()

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            if isinstance(exc, KnownError):
                self.status.setText(exc.message)
            else:
                self.status.setText(f"载入失败：{exc}")
            self.loaded.emit()

        self.status.setText("正在载入……")
        # Plans and milestones first: they are what a clerk looks at, and they come back in well under 300 ms.
        QueryOp(
            parent=self,
            op=lambda: service.load_gantt(
                database, selection, today=today, period_key=period, baseline_id=baseline, with_progress=False
            ),
            success=done,
        ).failure(failed).run_in_background()

    def _set_choices(self, choices: dict[str, list[str]]) -> None:
        self._choices = choices
        self._fill_values()

    def _show(self, data: GanttData) -> None:
        first = self.data is None
        self.data = data
        self.chart.set_data(data, keep_view=not first)
        if first:
            self.chart.set_zoom(Zoom.MONTH)
        if first or self._scroll_to_period:
            # Open on the working period (shaded), not somewhere else: that is what the clerk is reporting on.
            self._scroll_to_period = False
            self.chart.scroll_to_date(self._period_date(data))
        self._update_status()
        self.legend.update()
        self.plans_shown.emit()

    def _update_status(self) -> None:
        data = self.data
        if data is None:
            return
        text = (
            f"{data.selection.label}：共 {len(data.rows)} 个项目，滞后 {data.behind_count} 个（红色，悬停看原因）；"
            f"阴影为本报告期 {data.period_label}；拖动计划条两端、中部（整体平移）或空心里程碑可改计划日期"
            "（可撤销），双击打开项目"
        )
        if data.baseline:
            text += f"；对比基线「{data.baseline.name}」"
        if not data.progress_loaded:
            text = f"{data.selection.label}：共 {len(data.rows)} 个项目；正在载入实际进度……"
        self.status.setText(text)

    def set_period(self, period_key: str) -> None:
        """Shade another reporting period, scroll to it and judge lag as of it (min(today, its end))."""
        Period.parse(period_key)
        self._scroll_to_period = period_key != self.period_key and self.data is not None
        self.period_key = period_key
        self.refresh()

    def _period_date(self, data: GanttData) -> date:
        """Where the chart opens: today when it falls in the working period, else the period's start."""
        if not self.period_key:
            return data.today
        period = Period.parse(self.period_key)
        return data.today if period.start <= data.today <= period.end else period.start

    def _on_selection_kind(self, _index: int) -> None:
        self._fill_values()
        self._update_selection_value()
        self.refresh()

    def _update_selection_value(self) -> None:
        # A blank grey box beside 全部项目 looks broken: say why there is nothing to choose.
        choose = self.selection_kind.currentData() != "all"
        self.selection_value.setEnabled(choose)
        line_edit = self.selection_value.lineEdit()
        if line_edit is not None:
            line_edit.setPlaceholderText(SELECTION_HINTS.get(str(self.selection_kind.currentData()), "（无需选择）"))

    def _fill_values(self) -> None:
        kind = self.selection_kind.currentData()
        current = self.selection_value.currentText()
        values = self._choices.get(kind, [])
        self.selection_value.blockSignals(True)
        self.selection_value.clear()
        self.selection_value.addItems(values)
        if current in values:
            self.selection_value.setCurrentText(current)
        self.selection_value.blockSignals(False)

    def _fill_baselines(self, select_id: int | None = None, *, then_refresh: bool = False) -> None:
        """Reload the baseline list (on the worker), keeping or selecting ``select_id``; then maybe the chart."""
        database = self.database

        def show(baselines: list[Any]) -> None:
            keep = select_id if select_id is not None else self.baseline_id()
            self.baseline_combo.blockSignals(True)
            self.baseline_combo.clear()
            self.baseline_combo.addItem("（不对比基线）", None)
            for b in baselines:
                self.baseline_combo.addItem(b.name, b.id)
                if b.id == keep:
                    self.baseline_combo.setCurrentIndex(self.baseline_combo.count() - 1)
            self.baseline_combo.blockSignals(False)
            if then_refresh:
                self.refresh()

        QueryOp(parent=self, op=lambda: service.list_baselines(database), success=show).serial(
            "baselines"
        ).run_in_background()

    def _sync_zoom_buttons(self) -> None:
        self.zoom_actions[self.chart.timeline.zoom].setChecked(True)

    def _go_today(self) -> None:
        if self.data:
            self.chart.scroll_to_date(self.data.today)

    # --- editing ------------------------------------------------------------------------------------------------

    def _on_span_dragged(self, row_index: int, old_start: date, old_end: date, new_start: date, new_end: date) -> None:
        assert self.data is not None
        row = self.data.rows[row_index]
        if new_start != old_start and new_end != old_end:
            text = f"平移「{row.name}」计划 {_signed_days(new_start, old_start)}"
        else:
            which = "开始" if new_start != old_start else "完成"
            text = f"修改「{row.name}」计划{which}日期"
        self.undo_stack.push(
            _MoveCommand(self, text, row.project_id, None, (old_start, old_end), (new_start, new_end), row.version)
        )

    def _on_milestone_dragged(self, row_index: int, k: int, old: date, new: date) -> None:
        assert self.data is not None
        row = self.data.rows[row_index]
        m = row.milestones[k]
        self.undo_stack.push(
            _MoveCommand(self, f"修改里程碑「{m.name}」计划日期", row.project_id, m.id, old, new, m.version)
        )

    # --- the undo stack's host (app.ui.commands.base.CommandHost)

    def after_write(self) -> None:
        """A move was saved and is already shown (apply_locally)."""

    def drop_command(self, command: QUndoCommand, exc: BaseException, *, undoing: bool) -> None:
        """A move failed and was not retried (the message said why): take it off the stack, reload the plans."""
        forget_failed(self.undo_stack, self.queue, command, exc, undoing=undoing)
        self.refresh()

    def known_version(self, project_id: int, milestone_id: int | None, fallback: int) -> int:
        """The newest version of a project or milestone this view has loaded or written."""
        key = (project_id, milestone_id)
        best = max(fallback, self._written.get(key, 0))
        row = next((r for r in self.data.rows if r.project_id == project_id), None) if self.data else None
        if row is not None:
            if milestone_id is None:
                best = max(best, row.version)
            else:
                best = max([best] + [m.version for m in row.milestones if m.id == milestone_id])
        return best

    def apply_locally(self, project_id: int, milestone_id: int | None, value: Any, version: int) -> None:
        """Mirror a saved change in the shown data (no reload) and re-judge the row's lag."""
        self._written[(project_id, milestone_id)] = version
        if self.data is None:
            return
        row = next((r for r in self.data.rows if r.project_id == project_id), None)
        if row is None:
            return
        if milestone_id is None:
            row.planned_start, row.planned_end = value
            row.version = version
        else:
            for k, m in enumerate(row.milestones):
                if m.id == milestone_id:
                    row.milestones[k] = dataclasses.replace(m, planned=value, version=version)
        service.recompute_lag(row, self.data.judged_on, self.data.lag_margin)
        self.data.invalidate_range()
        self.chart.set_data(self.data)  # the range may have grown past the timeline's end

        self._update_status()

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, "进度甘特图", message)

    def open_project_form(self, project_id: int) -> None:
        """Open the project form for the working period; reload the chart when it closes."""
        from app.ui.dialogs.project_form import ProjectFormDialog

        dialog = ProjectFormDialog(self.database, project_id, self, period_key=self.period_key)
        dialog.exec()
        self.refresh()

    # --- baselines ----------------------------------------------------------------------------------------------

    def save_baseline_dialog(self) -> None:
        today = self.data.today if self.data else date.today()
        name, ok = QInputDialog.getText(
            self, "保存基线", "把当前全部计划保存为基线，名称：", text=f"{today.year}年{today.month}月计划"
        )
        if ok:
            self.save_baseline(name)

    def save_baseline(self, name: str) -> None:
        """Save the current plan as a baseline and compare against it (``loaded`` when shown)."""
        database = self.database
        CollectionOp(
            parent=self,
            op=lambda: service.save_baseline(database, name),
            success=lambda new_id: self._fill_baselines(new_id, then_refresh=True),
        ).changes("baselines").run_in_background()

    def delete_baseline_dialog(self) -> None:
        baseline = self.baseline_id()
        if baseline is None:
            self.show_error("请先在“基线”中选择要删除的基线")
            return
        name = self.baseline_combo.currentText()
        answer = QMessageBox.question(self, "删除基线", f"删除基线「{name}」？删除后无法恢复（计划本身不受影响）。")
        if answer == QMessageBox.StandardButton.Yes:
            database = self.database

            def deleted(_none: None) -> None:
                self.baseline_combo.setCurrentIndex(0)
                self._fill_baselines(then_refresh=True)

            CollectionOp(parent=self, op=lambda: service.delete_baseline(database, baseline), success=deleted).changes(
                "baselines"
            ).run_in_background()

    def show_slips(self) -> None:
        """List what moved since the chosen baseline (loaded on the worker)."""
        baseline = self.baseline_id()
        if baseline is None:
            self.show_error("请先在“基线”中选择一个基线")
            return
        database, selection, name = self.database, self.selection(), self.baseline_combo.currentText()
        QueryOp(
            parent=self,
            op=lambda: service.baseline_slips(database, baseline, selection),
            success=lambda slips: _ignore(SlipsDialog(name, slips, self).exec()),
        ).run_in_background()

    # --- printing and export ------------------------------------------------------------------------------------

    def print_options(self) -> PrintOptions:
        return PrintOptions(
            paper=self.paper.currentText(),
            pages_wide=self.pages_wide.value() or None,
            zoom=self.chart.timeline.zoom,
            px_per_day=self.chart.timeline.px_per_day,
            grouping=self.chart.grouping,
            collapsed=frozenset(self.chart.collapsed),
        )

    def _printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(page_layout(self.paper.currentText()))
        printer.setDocName("进度甘特图")
        return printer

    def _many_pages_ok(self, title: str, total: int) -> bool:
        """Ask before a job of more than LARGE_PRINT_PAGES pages."""
        if total <= LARGE_PRINT_PAGES:
            return True
        answer = QMessageBox.question(
            self,
            title,
            f"按当前设置将生成 {total} 页。可把“页宽”设为 1～3、缩小范围或折叠分组以减少页数。\n仍要继续吗？",
        )
        return answer == QMessageBox.StandardButton.Yes

    def print_preview(self) -> None:
        if not self.data or not self._many_pages_ok("打印预览", count_pages(self.data, self.print_options())):
            return
        dialog = QPrintPreviewDialog(self._printer(), self)
        dialog.setWindowTitle("打印预览 — 进度甘特图")
        dialog.paintRequested.connect(self.render_to)
        dialog.resize(1100, 800)
        dialog.exec()

    def render_to(self, printer: QPrinter) -> int:
        """Draw the chart's pages on a printer (the preview's, or a real one); return the page count."""
        if not self.data:
            return 0
        return render(printer, self.data, self.print_options(), printer.resolution())

    def print_dialog(self) -> None:
        if not self.data or not self._many_pages_ok("打印", count_pages(self.data, self.print_options())):
            return
        printer = self._printer()
        if QPrintDialog(printer, self).exec():
            self.render_to(printer)

    def _save_name(self, title: str, suffix: str, filt: str) -> str:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        default = str(Path(folder) / f"进度甘特图_{date.today():%Y%m%d}.{suffix}")
        path, _ = QFileDialog.getSaveFileName(self, title, default, filt)
        if path and not path.lower().endswith(f".{suffix}"):
            path += f".{suffix}"
        return path

    def export_pdf_dialog(self) -> None:
        path = self._save_name("导出 PDF", "pdf", "PDF 文件 (*.pdf)")
        if path:
            self.export_pdf(path)

    def export_png_dialog(self) -> None:
        path = self._save_name("导出 PNG", "png", "PNG 图片 (*.png)")
        if path:
            self.export_png(path)

    def export_pdf(self, path: str, *, confirm: bool = True) -> int:
        """Export to PDF with the toolbar's paper and page width, with progress; say how many pages."""
        assert self.data is not None
        options = self.print_options()
        total = count_pages(self.data, options)
        if confirm and not self._many_pages_ok("导出 PDF", total):
            return 0
        dialog = QProgressDialog("正在导出 PDF……", "取消", 0, total, self)
        dialog.setWindowTitle("导出 PDF")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(800)

        def progress(done: int, _total: int) -> bool:
            dialog.setValue(done)
            return not dialog.wasCanceled()

        try:
            pages = export_pdf(path, self.data, options, progress)
        except KnownError as exc:
            self.show_error(exc.message)
            return 0
        finally:
            dialog.reset()
        note = "（已取消，只写入了前面的页）" if pages < total else ""
        self.status.setText(f"已导出 PDF：{path}（共 {pages} 页）{note}")
        return pages

    def export_png(self, path: str) -> bool:
        assert self.data is not None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            w, h = export_png(path, self.data, self.print_options())
        except KnownError as exc:
            self.show_error(exc.message)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.status.setText(f"已导出图片：{path}（{w}×{h} 像素）")
        return True


class SlipsDialog(QDialog):
    """The slips against a baseline, biggest first."""

    COLUMNS = ["项目编号", "项目名称", "内容", "基线日期", "当前计划", "偏差（天）"]

    def __init__(self, baseline_name: str, slips: list[Slip], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"与基线「{baseline_name}」相比的计划变化")
        self.model = QStandardItemModel(0, len(self.COLUMNS), self)
        self.model.setHorizontalHeaderLabels(self.COLUMNS)
        for sl in slips:
            days = sl.days
            cells = [
                sl.project_code,
                sl.project_name,
                sl.item,
                f"{sl.baseline:%Y-%m-%d}" if sl.baseline else "—",
                f"{sl.current:%Y-%m-%d}" if sl.current else "—",
                ("推迟 " if days > 0 else "提前 ") + str(abs(days)) if days else "—",
            ]
            items = [QStandardItem(c) for c in cells]
            for it, text in zip(items, cells, strict=True):
                it.setEditable(False)
                it.setData(text, SORT_ROLE)
            items[5].setData(days if days is not None else -(10**6), SORT_ROLE)  # sort slips by days, not text
            if days and days > 0:
                items[5].setForeground(Qt.GlobalColor.red)
            self.model.appendRow(items)
        self.model.setSortRole(SORT_ROLE)
        table = QTableView()
        table.setModel(self.model)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().hide()
        table.setSortingEnabled(True)
        table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        summary = QLabel(f"共 {len(slips)} 处计划与基线不同" if slips else "当前计划与基线完全一致")
        lay.addWidget(summary)
        lay.addWidget(table)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(buttons)
        lay.addLayout(row)
        self.resize(820, 480)
