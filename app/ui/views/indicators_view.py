"""指标 view: every indicator against each document's target, the chart, and the actuals with their sources.

Signals: none. Edits (enter / correct / delete a manual actual) go on ``undo_stack``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.periods import Period
from app.services import indicators as service
from app.services.indicators import ActualData, IndicatorData
from app.storage.db import Database
from app.ui import read_only
from app.ui.commands.base import OpCommand, SetValueCommand, forget_failed
from app.ui.dialogs.actual_dialog import ActualDialog
from app.ui.models.indicator_models import ActualsTableModel, IndicatorRole, IndicatorTableModel
from app.ui.ops import CollectionOp, OpQueue, QueryOp


class _IdMap:
    """Undo re-creates deleted rows under new ids; commands keep the first id and resolve it here."""

    def __init__(self) -> None:
        self._moved: dict[int, int] = {}

    def resolve(self, actual_id: int) -> int:
        while actual_id in self._moved:
            actual_id = self._moved[actual_id]
        return actual_id

    def moved(self, old_id: int, new_id: int) -> None:
        if old_id != new_id:
            self._moved[old_id] = new_id


class RecordActualCommand(OpCommand):
    """Enter a figure by hand; undo deletes it (a redo re-creates it under a new id, see _IdMap)."""

    changes = "indicators"

    def __init__(self, view: IndicatorsView, indicator_id: int, values: tuple[str, str, str]) -> None:
        super().__init__(view, f"录入实际值（{values[0]}）")
        self.view, self.indicator_id, self.values = view, indicator_id, values
        self.actual_id: int | None = None

    def redo(self) -> None:
        database, indicator_id, (period, value, source) = self.view.database, self.indicator_id, self.values

        def show(new_id: int) -> None:
            if self.actual_id is None:
                self.actual_id = new_id
            else:
                self.view.ids.moved(self.view.ids.resolve(self.actual_id), new_id)

        self._submit(
            lambda: CollectionOp(
                parent=self.view, op=lambda: service.record_actual(database, indicator_id, period, value, source)
            ),
            show,
            undoing=False,
        )

    def undo(self) -> None:
        if self.actual_id is None:
            return
        database, ids, first = self.view.database, self.view.ids, self.actual_id

        def build() -> CollectionOp[Any]:
            actual_id = ids.resolve(first)
            return CollectionOp(parent=self.view, op=lambda: service.delete_actual(database, actual_id))

        self._submit(build, lambda _kept: None, undoing=True)


class EditActualCommand(OpCommand):
    """Correct a manual figure; undo puts the previous period, value and note back."""

    changes = "indicators"

    def __init__(
        self, view: IndicatorsView, actual_id: int, old: tuple[str, str, str], new: tuple[str, str, str]
    ) -> None:
        super().__init__(view, f"修改实际值（{new[0]}）")
        self.view, self.actual_id, self.old, self.new = view, actual_id, old, new

    def _apply(self, values: tuple[str, str, str], *, undoing: bool) -> None:
        database, ids, first = self.view.database, self.view.ids, self.actual_id
        period, value, source = values

        def build() -> CollectionOp[None]:
            actual_id = ids.resolve(first)
            return CollectionOp(
                parent=self.view,
                op=lambda: service.update_actual(database, actual_id, period_key=period, value=value, source=source),
            )

        self._submit(build, lambda _none: None, undoing=undoing)

    def redo(self) -> None:
        self._apply(self.new, undoing=False)

    def undo(self) -> None:
        self._apply(self.old, undoing=True)


class DeleteActualCommand(OpCommand):
    """Delete a manual figure; undo re-creates it under a new id."""

    changes = "indicators"

    def __init__(self, view: IndicatorsView, actual_id: int, period_key: str) -> None:
        super().__init__(view, f"删除实际值（{period_key}）")
        self.view, self.actual_id = view, actual_id
        self.kept: service.ManualActual | None = None

    def redo(self) -> None:
        database, ids, first = self.view.database, self.view.ids, self.actual_id

        def build() -> CollectionOp[service.ManualActual]:
            actual_id = ids.resolve(first)
            return CollectionOp(parent=self.view, op=lambda: service.delete_actual(database, actual_id))

        self._submit(build, lambda kept: setattr(self, "kept", kept), undoing=False)

    def undo(self) -> None:
        kept = self.kept
        if kept is None:
            return
        database, ids, first = self.view.database, self.view.ids, self.actual_id
        value = "" if kept.value is None else repr(kept.value)
        self._submit(
            lambda: CollectionOp(
                parent=self.view,
                op=lambda: service.record_actual(database, kept.indicator_id, kept.period_key, value, kept.source),
            ),
            lambda new_id: ids.moved(ids.resolve(first), new_id),
            undoing=True,
        )


class SetDepartmentCommand(OpCommand):
    """Name (or clear) the department that reports an indicator; undo puts the previous one back."""

    changes = "indicators"

    def __init__(self, view: IndicatorsView, indicator_id: int, old: int | None, new: int | None, name: str) -> None:
        super().__init__(view, f"指定报送单位（{name}）")
        self.view, self.indicator_id, self.old, self.new = view, indicator_id, old, new

    def _set(self, department_id: int | None, *, undoing: bool) -> None:
        database, indicator_id = self.view.database, self.indicator_id
        self._submit(
            lambda: CollectionOp(
                parent=self.view,
                op=lambda: service.set_responsible_department(database, indicator_id, department_id),
            ),
            lambda _none: None,
            undoing=undoing,
        )

    def redo(self) -> None:
        self._set(self.new, undoing=False)

    def undo(self) -> None:
        self._set(self.old, undoing=True)


class IndicatorsView(QWidget):
    """Indicators against targets: table, chart, actuals with sources, manual entry with undo. Signals: loaded()."""

    loaded = Signal()  # after each refresh, so tests and callers can wait for the deferred first load

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.period_key: str | None = None
        self.undo_stack = QUndoStack(self)
        self.ids = _IdMap()
        self.queue = OpQueue()  # edits reach the database in the order they were made
        self._data: dict[int, IndicatorData] = {}
        self._current_id: int | None = None
        self._canvas: Any = None  # FigureCanvasQTAgg, made on first use (matplotlib loads lazily)
        self._chart_pending = False
        self._started = False  # set by the first refresh; the deferred first load is skipped after it

        self.table_model = IndicatorTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)

        self.actuals_model = ActualsTableModel(self)
        self.actuals = QTableView()
        self.actuals.setModel(self.actuals_model)
        self.actuals.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.actuals.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.actuals.verticalHeader().setVisible(False)
        self.actuals.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.actuals.horizontalHeader().setStretchLastSection(True)
        self.actuals.doubleClicked.connect(lambda _i: self.edit_actual())
        self.actuals.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.as_of_label = QLabel()
        self.as_of_label.setMinimumWidth(self.as_of_label.fontMetrics().horizontalAdvance("评估截至：2025年第三季度"))
        self.add_action = self._action("录入实际值…", QKeySequence.StandardKey.New, self.add_actual)
        # F2 and Delete act on the actuals table only, so Delete in the indicator table removes nothing.
        self.edit_action = self._action("修改…", QKeySequence("F2"), self.edit_actual, self.actuals)
        self.delete_action = self._action("删除", QKeySequence.StandardKey.Delete, self.delete_actual, self.actuals)
        self.export_action = self._action("导出Excel…", QKeySequence("Ctrl+E"), self.export_table)
        self.refresh_action = self._action("刷新", QKeySequence.StandardKey.Refresh, self.refresh)
        # Shift+F1: F1 is the user manual everywhere (a second F1 here would make both keys do nothing).
        self.rules_action = self._action("判断规则", QKeySequence("Shift+F1"), self.show_rules)
        read_only.writes(self.add_action, self.edit_action, self.delete_action)
        top = QHBoxLayout()
        top.addWidget(QLabel("<b>指标完成情况</b>"))
        top.addWidget(self.as_of_label)
        top.addStretch(1)
        for action in (self.add_action, self.export_action, self.refresh_action, self.rules_action):
            top.addWidget(self._button(action))

        self.chart_box = QWidget()
        self.chart_layout = QVBoxLayout(self.chart_box)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        self.chart_placeholder = QLabel("选择上方的指标查看图表")
        self.chart_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chart_layout.addWidget(self.chart_placeholder)

        self.detail_label = QLabel()
        self.detail_label.setWordWrap(True)
        # Long source sentences must wrap, not widen the pane and squeeze the chart.
        self.detail_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # Who reports the indicator decides who gets the 指标数据 sheet in templates and who is chased for it.
        self.department_combo = QComboBox()
        self.department_combo.setToolTip("报送该指标实际值的单位：它的填报模板含“指标数据”表，未报时会被催报")
        self.department_combo.setMinimumContentsLength(12)
        self.department_combo.activated.connect(lambda _i: self._department_chosen())
        department_row = QHBoxLayout()
        department_label = QLabel("报送单位(&D)")
        department_label.setBuddy(self.department_combo)
        department_row.addWidget(department_label)
        department_row.addWidget(self.department_combo)
        department_hint = QLabel("其填报模板含“指标数据”表，未报时催报")
        department_hint.setStyleSheet("color: #667085;")
        department_row.addWidget(department_hint)
        department_row.addStretch(1)
        # Two documents set different targets for the same year: the clerk chooses which one the office reports.
        self.reported_combo = QComboBox()
        self.reported_combo.setToolTip("两份文件对同一年目标不同时，办公室按哪份文件的目标报告（默认：较晚的文件）")
        self.reported_combo.activated.connect(lambda _i: self._reported_chosen())
        read_only.writes(self.department_combo, self.reported_combo)  # choosing either saves it
        self.reported_label = QLabel("报告口径(&G)")
        self.reported_label.setBuddy(self.reported_combo)
        reported_row = QHBoxLayout()
        reported_row.addWidget(self.reported_label)
        reported_row.addWidget(self.reported_combo, 1)
        self.reported_label.hide()
        self.reported_combo.hide()
        actual_buttons = QHBoxLayout()
        actual_buttons.addWidget(QLabel("实际值及来源"))
        actual_buttons.addStretch(1)
        for action in (self.add_action, self.edit_action, self.delete_action):
            actual_buttons.addWidget(self._button(action))
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail_label)
        right_layout.addLayout(department_row)
        right_layout.addLayout(reported_row)
        right_layout.addLayout(actual_buttons)
        right_layout.addWidget(self.actuals, 1)

        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.chart_box)
        bottom.addWidget(right)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        bottom.setSizes([760, 500])
        main = QSplitter(Qt.Orientation.Vertical)
        main.addWidget(self.table)
        main.addWidget(bottom)
        main.setStretchFactor(0, 1)
        main.setStretchFactor(1, 1)
        main.setSizes([360, 440])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(main, 1)
        # Load on the next turn of the event loop, as the dashboard and 报表填报 do: the main window calls
        # set_period right after construction, and loading "today" first would run every query twice.
        QTimer.singleShot(0, self, self._first_load)

    # --- building blocks --------------------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey,
        slot: Any,
        owner: QWidget | None = None,
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(shortcut)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        (owner or self).addAction(action)
        return action

    def _button(self, action: QAction) -> QPushButton:
        button = QPushButton(action.text())
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{action.text()}（{shortcut}）" if shortcut else action.text())
        button.clicked.connect(action.trigger)
        action.changed.connect(lambda: button.setEnabled(action.isEnabled()))
        if action.property(read_only.WRITES):
            read_only.writes(button)
        return button

    # --- the view contract ------------------------------------------------------------------------------------

    def set_period(self, period_key: str) -> None:
        """Assess as of the end of ``period_key`` (actuals of later periods are not counted)."""
        self.period_key = Period.parse(period_key).key if period_key else None
        self.refresh()

    def _first_load(self) -> None:
        if not self._started:
            self.refresh()

    def refresh(self) -> None:
        """Reload every indicator from the database (on the worker) and keep the current selection."""
        self._started = True
        database, as_of = self.database, self.period_key
        QueryOp(
            parent=self,
            op=lambda: (service.list_indicators(database, as_of=as_of), service.department_choices(database)),
            success=self._show_loaded,
        ).serial("load").run_in_background()

    def _show_loaded(self, loaded: tuple[list[IndicatorData], list[tuple[int, str]]]) -> None:
        indicators, departments = loaded
        keep = self._current_id
        self._data = {d.id: d for d in indicators}
        self._fill_departments(departments)
        self.table_model.set_rows(service.indicator_rows(indicators))
        label = Period.parse(self.period_key).label if self.period_key else "今天"
        self.as_of_label.setText(f"评估截至：{label}")
        self._current_id = None
        if keep is not None and keep in self._data:
            self.select_indicator(keep)
        elif indicators:
            self.select_indicator(indicators[0].id)
        self._update_buttons()
        self.loaded.emit()

    def select_indicator(self, indicator_id: int) -> None:
        """Select the indicator's first row; the chart and actuals follow."""
        row = self.table_model.row_of_indicator(indicator_id)
        if row < 0:
            return
        self.table.selectRow(row)
        if self._current_id != indicator_id:  # selecting the row already selected emits nothing
            self._show_indicator(indicator_id)

    def current_indicator(self) -> IndicatorData | None:
        return self._data.get(self._current_id) if self._current_id is not None else None

    def current_actual(self) -> ActualData | None:
        rows = self.actuals.selectionModel().selectedRows()
        return self.actuals_model.actual(rows[0].row()) if rows else None

    # --- showing ----------------------------------------------------------------------------------------------

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        indicator_id = self.table_model.data(indexes[0], IndicatorRole.INDICATOR_ID)
        if indicator_id != self._current_id:
            self._show_indicator(int(indicator_id))

    def _show_indicator(self, indicator_id: int) -> None:
        data = self._data[indicator_id]
        self._current_id = indicator_id
        self.actuals_model.set_indicator(data)
        self.detail_label.setText(self._detail_html(data))
        self._show_department(data)
        self._show_reported(data)
        if self.isVisible():
            self._show_chart(data)
        else:
            # Not on screen yet (the main window builds every view at start): draw when shown, so
            # matplotlib is not imported at application start.
            self._chart_pending = True
        self._update_buttons()

    def _fill_departments(self, choices: list[tuple[int, str]]) -> None:
        self.department_combo.blockSignals(True)
        self.department_combo.clear()
        self.department_combo.addItem("（未指定）", None)
        for dept_id, name in choices:
            self.department_combo.addItem(name, dept_id)
        self.department_combo.blockSignals(False)
        self.department_combo.setEnabled(False)  # until an indicator is shown

    def _show_department(self, data: IndicatorData) -> None:
        index = self.department_combo.findData(data.responsible_department_id)
        self.department_combo.blockSignals(True)
        self.department_combo.setCurrentIndex(max(index, 0))
        self.department_combo.blockSignals(False)
        self.department_combo.setEnabled(True)  # app.ui.read_only keeps it greyed out on a read-only database

    def _show_reported(self, data: IndicatorData) -> None:
        self.reported_combo.blockSignals(True)
        self.reported_combo.clear()
        if data.disagreement:
            seen: set[str] = set()
            for t in data.targets:
                if t.document_key not in seen:
                    seen.add(t.document_key)
                    self.reported_combo.addItem(f"{t.document} {t.year}年{t.wording}", t.document_key)
            self.reported_combo.setCurrentIndex(max(self.reported_combo.findData(data.reported_document_key), 0))
        self.reported_combo.blockSignals(False)
        self.reported_label.setVisible(data.disagreement)
        self.reported_combo.setVisible(data.disagreement)

    def _reported_chosen(self) -> None:
        data = self.current_indicator()
        new = self.reported_combo.currentData()
        if data is None or new == data.reported_document_key:
            return
        self.undo_stack.push(
            SetReportedCommand(self, data.id, data.reported_document_key, new, self.reported_combo.currentText())
        )

    def _department_chosen(self) -> None:
        data = self.current_indicator()
        if data is None:
            return
        new = self.department_combo.currentData()
        if new == data.responsible_department_id:
            return
        name = self.department_combo.currentText() if new is not None else "未指定"
        self.undo_stack.push(SetDepartmentCommand(self, data.id, data.responsible_department_id, new, name))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        data = self.current_indicator()
        if self._chart_pending and data is not None:
            self._chart_pending = False
            self._show_chart(data)

    def _detail_html(self, data: IndicatorData) -> str:
        lines = [f"<b>{data.name}</b>（{data.unit or '是/否'}）"]
        source = f"（{data.task_label}）" if data.task_label else ""
        lines.append(f"责任单位：{'、'.join(data.departments) or '未指定'}{source}")
        if data.note:
            lines.append(f"<span style='color:#8a5a00'>说明：{data.note}</span>")
        for b in data.baselines:
            lines.append(f"基期：{b.year}年 {data.format_value(b.value)}——{b.document}：“{b.source_text}”")
        for t in data.targets:
            a = t.assessment
            mark = ("〔报告口径〕" if t.reported else "〔仅列示〕") if data.disagreement else ""
            lines.append(
                f"目标{mark}：{t.document} {t.year}年 {t.wording} —— <b>{t.status_label}</b>：{a.reason}"
                f"<br/><span style='color:#666'>原文：“{t.source_text}”</span>"
            )
        if not data.targets:
            lines.append("文件未对该指标设定目标。")
        return "<br/>".join(lines)

    def _show_chart(self, data: IndicatorData) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        from app.reports.indicator_charts import indicator_figure

        width = max(self.chart_box.width(), 480) / 100
        height = max(self.chart_box.height(), 300) / 100
        figure = indicator_figure(data, width_in=width, height_in=height)
        canvas = FigureCanvasQTAgg(figure)
        canvas.setMinimumSize(360, 240)
        if self._canvas is None:
            self.chart_placeholder.hide()
        else:
            self.chart_layout.removeWidget(self._canvas)
            self._canvas.deleteLater()
        self._canvas = canvas
        self.chart_layout.addWidget(canvas)
        canvas.draw_idle()

    @property
    def canvas(self) -> Any:
        """The chart canvas, or None before an indicator was shown."""
        return self._canvas

    def _update_buttons(self) -> None:
        # On a read-only database app.ui.read_only keeps these greyed out whatever is selected.
        actual = self.current_actual()
        editable = actual is not None and actual.manual
        self.add_action.setEnabled(self._current_id is not None)
        self.edit_action.setEnabled(editable)
        self.delete_action.setEnabled(editable)

    # --- editing ----------------------------------------------------------------------------------------------

    def _default_period(self) -> str:
        # Indicators are mostly yearly statistics: offer the last full year unless a period is being viewed.
        return self.period_key or str(date.today().year - 1)

    def add_actual(self) -> None:
        """Open 录入实际值 for the selected indicator; the entry goes on the undo stack."""
        data = self.current_indicator()
        if data is None:
            return
        dialog = ActualDialog(self.database, data, default_period=self._default_period(), parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        values = dialog.values()
        also = data.related_id if dialog.also_related() else None
        if also is None:
            self.undo_stack.push(RecordActualCommand(self, data.id, values))
            return
        # The related indicator gets the same figure, noted as such; one undo step takes both back.
        related = (values[0], values[1], f"同口径，按{data.code} {data.name}录入")
        self.undo_stack.beginMacro(f"录入实际值（{values[0]}，含相关指标）")
        self.undo_stack.push(RecordActualCommand(self, data.id, values))
        self.undo_stack.push(RecordActualCommand(self, also, related))
        self.undo_stack.endMacro()

    def edit_actual(self) -> None:
        """Correct the selected manual actual (double-click or F2)."""
        data, actual = self.current_indicator(), self.current_actual()
        if data is None or actual is None or read_only.refused(self):
            return
        if not actual.manual:
            self._warn("该实际值来自报表，不能在此修改；请导入更正后的报表。")
            return
        dialog = ActualDialog(self.database, data, actual, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        old = (actual.period_key, "" if actual.value is None else repr(actual.value), actual.source)
        self.undo_stack.push(EditActualCommand(self, actual.id, old, dialog.values()))

    def delete_actual(self) -> None:
        """Delete the selected manual actual (undoable)."""
        actual = self.current_actual()
        if actual is None or not actual.manual:
            return
        self.undo_stack.push(DeleteActualCommand(self, actual.id, actual.period_key))

    # --- the undo stack's host (app.ui.commands.base.CommandHost)

    def after_write(self) -> None:
        """An edit was saved: show the indicators as the database now has them."""
        self.refresh()

    def drop_command(self, command: QUndoCommand, exc: BaseException, *, undoing: bool) -> None:
        """An edit failed and was not retried (the message said why): take it off the stack, reload."""
        forget_failed(self.undo_stack, self.queue, command, exc, undoing=undoing)
        self.refresh()

    def _exported(self, path: str) -> None:
        QMessageBox.information(self, "指标", f"已导出：{path}")

    def _warn(self, message: str) -> None:
        QMessageBox.warning(self, "指标", message)

    def show_rules(self) -> None:
        """Explain how each kind of target is judged 达标 / 可达 / 滞后 / 无数据."""
        QMessageBox.information(self, "指标状态的判断规则", service.rules_text())

    # --- export -----------------------------------------------------------------------------------------------

    def export_table(self) -> None:
        """Save the indicator table and the actuals with their sources as .xlsx."""
        suffix = self.period_key or "最新"
        path, _ = QFileDialog.getSaveFileName(
            self, "导出指标表", f"指标完成情况_{suffix}.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        database, as_of = self.database, self.period_key
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        QueryOp(
            parent=self,
            op=lambda: service.export_indicator_table(database, path, as_of=as_of),
            success=lambda _r: self._exported(path),
        ).finally_(QApplication.restoreOverrideCursor).run_in_background()


class SetReportedCommand(SetValueCommand):
    """Choose which document's target the office reports against; undo chooses the previous one (audited)."""

    changes = "indicators"

    def __init__(self, view: IndicatorsView, indicator_id: int, old: str, new: str, label: str) -> None:
        super().__init__(view, f"报告口径（{label}）", old, new)
        self.view, self.indicator_id = view, indicator_id

    def _write(self, key: str, *, undoing: bool) -> None:
        database, indicator_id = self.view.database, self.indicator_id
        self._submit(
            lambda: CollectionOp(
                parent=self.view, op=lambda: service.set_reported_document(database, indicator_id, key)
            ),
            lambda _title: None,  # after_write reloads the view
            undoing=undoing,
        )
