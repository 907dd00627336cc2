"""报表填报: for a period, each department's return status, the history of returns received, and the importer.

Statuses: 已报 (imported, nothing to confirm), 未报, 被拒 (the last file sent had errors), 有警告待确认
(imported with warnings no clerk has confirmed yet — e.g. from the command line). Superseded returns stay in
the history with the change summary of the return that replaced them.

Signals: imported(list) after the wizard imported files.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.periods import Period, latest_closed_quarter
from app.services import returns as returns_service
from app.services.chasing import chasing_report
from app.services.returns import (
    DepartmentReturnStatus,
    OutcomeStatus,
    PeriodOverview,
    ReturnHistoryItem,
    ReturnState,
)
from app.services.summary import export_summary
from app.storage.db import Database
from app.storage.errors import KnownError
from app.ui import read_only
from app.ui.commands.base import OpCommand, forget_failed
from app.ui.models.returns_models import (
    COL_FILE,
    H_REPLACED_BY,
    H_TIME,
    DepartmentStatusModel,
    ReturnHistoryModel,
    Role,
)
from app.ui.ops import CollectionOp, OpQueue, QueryOp, show_op_error
from app.ui.period_box import current_period, label_of, new_period_box, select_period, set_periods


def _table(model: Any, parent: QWidget, stretch: int) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(Role.SORT)
    view = QTableView(parent)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view, proxy


class ImportCommand(OpCommand):
    """An import done in the wizard: undo withdraws its returns, redo imports the same files again."""

    changes = "returns"

    def __init__(self, view: ReturnsView, previews: list[Any], outcomes: list[Any]) -> None:
        super().__init__(view, f"导入 {len(previews)} 份报表")
        self.view = view
        self.previews = previews
        self.return_ids = [o.return_id for o in outcomes]
        self.first = True

    def undo(self) -> None:
        database, return_ids = self.view.database, list(reversed(self.return_ids))

        def withdraw_all() -> list[str]:
            problems = []
            for return_id in return_ids:
                try:
                    returns_service.withdraw(database, return_id)
                except KnownError as exc:
                    problems.append(exc.message)
            return problems

        def show(problems: list[str]) -> None:
            if problems:
                QMessageBox.warning(self.view, "撤销导入", "\n".join(problems))

        self._submit(lambda: CollectionOp(parent=self.view, op=withdraw_all), show, undoing=True)

    def redo(self) -> None:
        if self.first:  # the wizard has just imported them
            self.first = False
            return
        database, previews = self.view.database, self.previews

        def show(outcomes: list[Any]) -> None:
            self.return_ids = [o.return_id for o in outcomes if o.status is OutcomeStatus.IMPORTED]

        self._submit(
            lambda: CollectionOp(
                parent=self.view, op=lambda: returns_service.commit(database, previews, confirmed_warnings=True)
            ),
            show,
            undoing=False,
        )


class ConfirmWarningsCommand(OpCommand):
    """确认警告 on one return; undo puts it back to 有警告待确认."""

    changes = "returns"

    def __init__(self, view: ReturnsView, return_id: int, label: str) -> None:
        super().__init__(view, f"确认{label}的警告")
        self.view = view
        self.return_id = return_id

    def _set(self, resolved: bool, *, undoing: bool) -> None:
        database, return_id = self.view.database, self.return_id
        self._submit(
            lambda: CollectionOp(
                parent=self.view, op=lambda: returns_service.confirm_warnings(database, return_id, resolved=resolved)
            ),
            lambda _r: None,
            undoing=undoing,
        )

    def redo(self) -> None:
        self._set(True, undoing=False)

    def undo(self) -> None:
        self._set(False, undoing=True)


class ReturnsView(QWidget):
    """The 报表填报 page. Signals: imported(list), period_chosen(str) (a clerk picked a period here), loaded()."""

    imported = Signal(list)
    # Emitted only for a clerk's choice, never from set_period: the main window answers with set_period, so no loop.
    period_chosen = Signal(str)
    loaded = Signal()  # after each reload is shown

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.period_key = latest_closed_quarter(date.today()).key
        self.overview: PeriodOverview | None = None
        self.wizard: Any = None
        self.undo_stack = QUndoStack(self)
        self.queue = OpQueue()  # undo steps reach the database in the order they were made
        self._detail_after_reload = ""
        self._started = False

        self.period_box = new_period_box()
        self.period_box.setMinimumWidth(150)
        self.period_label = QLabel()  # the period's dates, beside the box that shows its name
        self.period_label.setStyleSheet("color: #667085;")
        # The dates give way first on a 1024-px screen (the box beside them names the period anyway).
        self.period_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.period_label.setMinimumWidth(0)
        self.summary = QLabel()
        self.import_button = QPushButton(self.tr("导入报表…"))
        self.import_button.setToolTip(self.tr("导入各单位报回的报表（Ctrl+I）"))
        self.confirm_button = QPushButton(self.tr("确认警告"))
        self.confirm_button.setToolTip(self.tr("已核对所选单位报表的警告，标记为已确认"))
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.withdraw_button = QPushButton(self.tr("撤回所选报表"))
        self.withdraw_button.setToolTip(self.tr("删除所选报表导入的数据，恢复导入前的台账；被它替换的旧报表重新生效"))
        self.chase_button = QPushButton(self.tr("导出催报…"))
        self.summary_button = QPushButton(self.tr("导出汇总…"))

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("报告期：")))
        top.addWidget(self.period_box)
        top.addWidget(self.period_label)
        top.addStretch(1)
        for b in (
            self.refresh_button,
            self.confirm_button,
            self.withdraw_button,
            self.chase_button,
            self.summary_button,
        ):
            top.addWidget(b)
        top.addWidget(self.import_button)

        self.status_model = DepartmentStatusModel(self)
        self.status_table, self.status_proxy = _table(self.status_model, self, COL_FILE)
        self.history_model = ReturnHistoryModel(self)
        self.history_table, self.history_proxy = _table(self.history_model, self, H_REPLACED_BY)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText(self.tr("选择一个单位或一份报表，查看警告、拒收原因或与旧报表相比的变化"))

        status_box = _titled(self.tr("各单位报送情况"), self.status_table)
        history_box = _titled(self.tr("已收报表（含被替换的历史版本）"), self.history_table)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(history_box)
        lower.addWidget(_titled(self.tr("详细信息"), self.detail))
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(status_box)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

        self.import_button.clicked.connect(self.open_import_wizard)
        self.refresh_button.clicked.connect(self.refresh)
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        self.chase_button.clicked.connect(self.export_chasing)
        self.summary_button.clicked.connect(self.export_summary)
        self.period_box.activated.connect(lambda _i: self._period_chosen())
        line_edit = self.period_box.lineEdit()
        assert line_edit is not None  # the combo box is editable
        line_edit.editingFinished.connect(self._period_chosen)
        self.status_table.selectionModel().selectionChanged.connect(lambda *_: self._status_selected())
        self.history_table.selectionModel().selectionChanged.connect(lambda *_: self._history_selected())
        QShortcut(QKeySequence.StandardKey.Refresh, self, self.refresh)
        # A window-wide shortcut: Qt only fires it while this page is visible (not for hidden stacked pages).
        import_key = QShortcut(QKeySequence("Ctrl+I"), self, self.open_import_wizard)
        # Importing, confirming and withdrawing write: greyed out with the reason on a read-only database.
        read_only.writes(self.import_button, self.confirm_button, self.withdraw_button, import_key)
        # Load on the next turn of the event loop: the main window calls set_period right after construction,
        # and loading the default period first would run every query twice.
        QTimer.singleShot(0, self, self._first_load)

    # --- the view contract -------------------------------------------------------------------------------

    def set_period(self, period_key: str) -> None:
        """Show ``period_key`` (2025-Q3 …)."""
        try:
            self.period_key = Period.parse(period_key).key
        except ValueError:
            return
        self.refresh()

    def _first_load(self) -> None:
        if not self._started:
            self.refresh()

    def refresh(self) -> None:
        """Reload statuses and history for the period (on the database worker)."""
        self._started = True
        database, key = self.database, self.period_key
        QueryOp(
            parent=self,
            op=lambda: (returns_service.period_overview(database, key), returns_service.period_keys(database)),
            success=self._show_overview,
        ).failure(self._load_failed).serial("load").run_in_background()

    def _load_failed(self, exc: BaseException) -> None:
        if isinstance(exc, KnownError):
            self.summary.setText(exc.message)
        else:
            show_op_error(self, exc)

    def _show_overview(self, loaded: tuple[Any, list[str]]) -> None:
        overview, keys = loaded
        self.overview = overview
        self._fill_periods(keys)
        period = Period.parse(self.period_key)
        self.period_label.setText(f"{period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}")
        self.status_model.set_rows(overview.statuses)
        self.history_model.set_rows(overview.history)
        self.status_table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the office's department order
        self.history_table.sortByColumn(H_TIME, Qt.SortOrder.DescendingOrder)
        expected = sum(1 for s in overview.statuses if s.expected)
        self.summary.setText(
            self.tr("应报 {e} 个单位：已报 {r}，未报 {m}，被拒 {x}，有警告待确认 {u}；共收到报表 {h} 份").format(
                e=expected,
                r=overview.count(ReturnState.RETURNED),
                m=overview.count(ReturnState.MISSING),
                x=overview.count(ReturnState.REFUSED),
                u=overview.count(ReturnState.UNCONFIRMED),
                h=len(overview.history),
            )
        )
        self.detail.setPlainText(self._detail_after_reload)
        self._detail_after_reload = ""
        self._update_buttons()
        self.loaded.emit()

    # --- the undo stack's host (app.ui.commands.base.CommandHost)

    def after_write(self) -> None:
        """An import, withdrawal or confirmation was saved: reload."""
        self.refresh()

    def drop_command(self, command: QUndoCommand, exc: BaseException, *, undoing: bool) -> None:
        """A step failed and was not retried (the message said why): take it off the stack, reload."""
        forget_failed(self.undo_stack, self.queue, command, exc, undoing=undoing)
        self.refresh()

    # --- actions -----------------------------------------------------------------------------------------

    def open_import_wizard(self) -> Any:
        """Open the import wizard for this period; refresh when it imported something."""
        from app.ui.dialogs.import_wizard import ImportWizard

        self.wizard = ImportWizard(self.database, self, period_key=self.period_key)
        self.wizard.committed.connect(self._imported)
        self.wizard.setModal(True)
        self.wizard.show()
        return self.wizard

    def _imported(self, outcomes: list[Any]) -> None:
        done = [o for o in outcomes if o.status is OutcomeStatus.IMPORTED]
        periods: list[str] = []
        if done and self.wizard is not None:
            by_path = {p.path: p for p in self.wizard.file_model.rows}
            previews = [by_path[o.path] for o in done if o.path in by_path]
            self.undo_stack.push(ImportCommand(self, previews, done))
            periods = sorted({p.validated.period.key for p in previews if p.validated.period is not None})
        self.refresh()
        self.imported.emit(outcomes)
        elsewhere = [key for key in periods if key != self.period_key]
        if elsewhere:
            # After the wizard's own message has been seen: a question over it would hide what was imported.
            QTimer.singleShot(0, self, lambda: self.offer_period(elsewhere[-1]))

    def offer_period(self, key: str) -> bool:
        """Returns were imported for another period: offer to make it the working period of every view."""
        answer = QMessageBox.question(
            self,
            self.tr("切换报告期"),
            self.tr("刚导入的报表属于{new}，当前报告期是{old}。\n切换到{new}？（各视图一起切换）").format(
                new=label_of(key), old=label_of(self.period_key)
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.period_chosen.emit(key)  # the main window makes it every view's period and calls set_period back
        if self.period_key != key:
            self.set_period(key)
        return True

    def withdraw_selected(self) -> None:
        """Withdraw the selected current return after the clerk confirms."""
        item = self._selected_history()
        if item is None or not item.current:
            return
        answer = QMessageBox.question(
            self,
            self.tr("撤回报表"),
            self.tr(
                "撤回{d}的报表「{f}」？它导入的 {n} 行数据将删除，台账恢复到导入前；被它替换的旧报表重新生效。"
            ).format(d=item.department_name, f=item.file_name, n=item.entry_count),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        database, return_id = self.database, item.return_id

        def withdrawn(result: Any) -> None:
            self.undo_stack.clear()  # earlier imports' undo steps may refer to what was just withdrawn
            lines = [self.tr("已撤回「{f}」。").format(f=result.file_name)] + result.reverted
            if result.lost_members:
                lines.append(self.tr("被替换的旧报表中的计划成员已无法恢复，如需要请重新导入旧报表。"))
            self._detail_after_reload = "\n".join(lines)  # the reload clears the detail pane: say it after
            self.refresh()

        CollectionOp(parent=self, op=lambda: returns_service.withdraw(database, return_id), success=withdrawn).changes(
            "returns"
        ).run_in_background()

    def confirm_selected(self) -> None:
        status = self._selected_status()
        if status is None or status.return_id is None or status.state is not ReturnState.UNCONFIRMED:
            return
        answer = QMessageBox.question(
            self,
            self.tr("确认警告"),
            self.tr("{d} 的报表「{f}」有 {n} 条警告。已逐条核对并确认无误？").format(
                d=status.department_name, f=status.file_name, n=status.warning_count
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.undo_stack.push(ConfirmWarningsCommand(self, status.return_id, status.department_name))

    def export_chasing(self) -> None:
        """Save the chase list (.xlsx) and the notice (.txt) for the period's missing returns."""
        path, _f = QFileDialog.getSaveFileName(
            self, self.tr("导出催报清单"), f"催报清单_{label_of(self.period_key)}.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if not path:
            return
        notice = Path(path).with_suffix(".txt")
        database, key = self.database, self.period_key
        QueryOp(
            parent=self,
            op=lambda: chasing_report(database, key, Path(path), notice),
            success=lambda _r: self.summary.setText(
                self.tr("已导出催报清单 {x} 和催报通知 {t}").format(x=path, t=notice)
            ),
        ).run_in_background()

    def export_summary(self) -> None:
        """Save the period's summary workbook."""
        path, _f = QFileDialog.getSaveFileName(
            self, self.tr("导出汇总表"), f"汇总表_{label_of(self.period_key)}.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if not path:
            return
        database, key = self.database, self.period_key
        QueryOp(
            parent=self,
            op=lambda: export_summary(database, key, Path(path)),
            success=lambda _r: self.summary.setText(self.tr("已导出汇总表 {x}").format(x=path)),
        ).run_in_background()

    # --- helpers -----------------------------------------------------------------------------------------

    def _fill_periods(self, keys: list[str]) -> None:
        set_periods(self.period_box, keys, self.period_key)

    def _period_chosen(self) -> None:
        if not self.period_box.currentText().strip():
            select_period(self.period_box, self.period_key)
            return
        try:
            key = current_period(self.period_box)
        except ValueError as exc:
            QMessageBox.warning(self, self.tr("报告期"), str(exc))
            select_period(self.period_box, self.period_key)
            return
        if key == self.period_key:
            select_period(self.period_box, key)  # typed 2025-Q3: show it as 2025年第三季度
            return
        # The main window makes it every view's period and calls set_period back (one load); alone, load it here.
        self.period_chosen.emit(key)
        if self.period_key != key:
            self.set_period(key)

    def _selected_status(self) -> DepartmentReturnStatus | None:
        rows = self.status_table.selectionModel().selectedRows()
        return self.status_proxy.data(rows[0], Role.ROW) if rows else None

    def _status_selected(self) -> None:
        status = self._selected_status()
        if status is None:
            self._update_buttons()
            return
        lines = [f"{status.department_name}：{status.state.value}"]
        if status.contact:
            lines.append(f"联系人：{status.contact}")
        if status.file_name:
            lines.append(f"文件：{status.file_name}（{status.imported_at}，{status.imported_by}）")
        if status.detail:
            title = "拒收原因：" if status.state is ReturnState.REFUSED else "警告："
            lines += ["", title, status.detail]
        self.detail.setPlainText("\n".join(lines))
        for r, item in enumerate(self.history_model.rows):
            if status.return_id is not None and item.return_id == status.return_id:
                index = self.history_proxy.mapFromSource(self.history_model.index(r, 0))
                self.history_table.selectionModel().blockSignals(True)
                self.history_table.selectRow(index.row())
                self.history_table.selectionModel().blockSignals(False)
        self._update_buttons()

    def _selected_history(self) -> ReturnHistoryItem | None:
        rows = self.history_table.selectionModel().selectedRows()
        return self.history_proxy.data(rows[0], Role.ROW) if rows else None

    def _history_selected(self) -> None:
        item = self._selected_history()
        self._update_buttons()
        if item is None:
            return
        state = "现行" if item.current else f"已被「{item.superseded_by_file}」替换"
        lines = [
            f"{item.department_name}「{item.file_name}」",
            f"{item.imported_at} 由 {item.imported_by} 导入，{state}，项目行 {item.entry_count} 行",
        ]
        if item.change_summary:
            lines += ["", "与它替换的报表相比：", item.change_summary]
        if item.warnings:
            resolved = "已确认" if item.warnings_resolved else "待确认"
            lines += ["", f"警告（{resolved}）："] + item.warnings
        self.detail.setPlainText("\n".join(lines))

    def _update_buttons(self) -> None:
        # On a read-only database app.ui.read_only keeps both greyed out whatever is selected.
        status = self._selected_status()
        self.confirm_button.setEnabled(status is not None and status.state is ReturnState.UNCONFIRMED)
        item = self._selected_history()
        self.withdraw_button.setEnabled(item is not None and item.current)


def _titled(title: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 4, 0, 0)
    label = QLabel(f"<b>{title}</b>")
    layout.addWidget(label)
    layout.addWidget(widget)
    return box
