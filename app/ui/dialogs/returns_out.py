"""报表输出 dialog: export return templates, chase missing returns (list + notice), export the summary ledger.

Every action runs on the database worker through the op runner (app.ui.ops) and calls app.services only.
Open it with ``ReturnsOutDialog(database, period_key, parent, tab=ReturnsOutDialog.TAB_MISSING)``.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.periods import Period, latest_closed_quarter
from app.returns.chasing import ChaseList
from app.services.chasing import chasing_report, save_chase_list, write_notice
from app.services.summary import export_summary
from app.services.templates import OutputChoices, WrittenTemplate, export_templates, output_choices
from app.storage.db import Database
from app.storage.errors import KnownError
from app.ui.dialogs.buttons import close_row
from app.ui.ops import QueryOp
from app.ui.period_box import FORMAT_HINT, add_period, current_period, new_period_box, select_period

ALL_DEPARTMENTS = "（全部应报单位）"


class ChaseColumn(IntEnum):
    DEPARTMENT = 0
    REASON = 1
    OWES = 2
    PERSON = 3
    PHONE = 4
    DETAIL = 5


class _ProgressRelay(QObject):
    """Carries template-export progress from the worker to the GUI thread. Signals: progressed(int, int, str)."""

    progressed = Signal(int, int, str)


class ReturnsOutDialog(QDialog):
    """Templates out, who has not returned, summary out — for one reporting period."""

    TAB_TEMPLATES = 0
    TAB_MISSING = 1
    TAB_SUMMARY = 2

    def __init__(
        self, database: Database, period_key: str | None = None, parent: QWidget | None = None, tab: int = 0
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.chase: ChaseList | None = None
        self._busy = False
        self._relays: list[QObject] = []
        self.setWindowTitle(self.tr("报表输出"))
        self.resize(900, 620)

        self.period_box = new_period_box()
        self.period_box.setMinimumWidth(150)
        self.period_label = QLabel()  # the period's dates, or how to write a period when the text is not one
        self.period_box.currentTextChanged.connect(self._show_period_label)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("报告期(&P)：")))
        top.itemAt(0).widget().setBuddy(self.period_box)  # type: ignore[union-attr]
        top.addWidget(self.period_box)
        top.addWidget(self.period_label, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._templates_tab(), self.tr("导出填报模板"))
        self.tabs.addTab(self._missing_tab(), self.tr("催报"))
        self.tabs.addTab(self._summary_tab(), self.tr("汇总台账"))

        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = close_row(self, self.tr("关闭"))

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        self._fill_choices(period_key)
        self.tabs.setCurrentIndex(tab)
        for i in range(self.tabs.count()):  # Ctrl+1/2/3 switch tabs
            shortcut = QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self)
            shortcut.activated.connect(lambda i=i: self.tabs.setCurrentIndex(i))

    # ---- building the tabs -------------------------------------------------------------------------------------

    def _templates_tab(self) -> QWidget:
        page = QWidget()
        self.department_box = QComboBox()
        self.folder_edit = QLineEdit(str(Path.home()))
        browse = QPushButton(self.tr("选择(&B)…"))
        browse.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        self.overwrite_box = QCheckBox(self.tr("覆盖文件夹中的同名文件（已填写的报表会被覆盖）"))
        self.export_button = QPushButton(self.tr("导出模板(&E)"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export_templates)
        self.template_log = QPlainTextEdit()
        self.template_log.setReadOnly(True)
        self.open_folder_button = QPushButton(self.tr("打开文件夹(&O)"))
        self.open_folder_button.setEnabled(False)
        self.open_folder_button.clicked.connect(lambda: self._open(Path(self.folder_edit.text())))
        form = QFormLayout()
        form.addRow(self.tr("填报单位："), self.department_box)
        form.addRow(self.tr("保存到文件夹："), folder_row)
        form.addRow("", self.overwrite_box)
        actions = QHBoxLayout()
        actions.addWidget(self.export_button)
        actions.addWidget(self.open_folder_button)
        actions.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addWidget(QLabel(self.tr("每个单位一个文件，文件名为“单位_报告期.xlsx”。")))
        layout.addWidget(self.template_log, 1)
        return page

    def _missing_tab(self) -> QWidget:
        page = QWidget()
        self.check_button = QPushButton(self.tr("查询未报单位(&Q)"))
        self.check_button.clicked.connect(self.check_missing)
        self.chase_summary = QLabel()
        self.chase_model = QStandardItemModel(0, len(ChaseColumn))
        headers = ("单位", "情况", "应报内容", "联系人", "联系电话", "说明")
        self.chase_model.setHorizontalHeaderLabels([self.tr(h) for h in headers])
        self.chase_table = QTableView()
        self.chase_table.setModel(self.chase_model)
        self.chase_table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.chase_table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.chase_table.verticalHeader().setVisible(False)
        self.chase_table.horizontalHeader().setSectionResizeMode(ChaseColumn.DETAIL, QHeaderView.ResizeMode.Stretch)
        self.notice_edit = QPlainTextEdit()
        self.notice_edit.setPlaceholderText(self.tr("查询后在此生成催报通知，可修改后复制或保存。"))
        self.copy_button = QPushButton(self.tr("复制通知(&C)"))
        self.copy_button.clicked.connect(self.copy_notice)
        self.save_notice_button = QPushButton(self.tr("保存通知(&T)…"))
        self.save_notice_button.clicked.connect(self.save_notice)
        self.save_list_button = QPushButton(self.tr("保存名单(&L)…"))
        self.save_list_button.clicked.connect(self.save_list)
        for b in (self.copy_button, self.save_notice_button, self.save_list_button):
            b.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.check_button)
        top.addWidget(self.chase_summary, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.copy_button)
        bottom.addWidget(self.save_notice_button)
        bottom.addWidget(self.save_list_button)
        bottom.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.chase_table, 3)
        layout.addWidget(QLabel(self.tr("催报通知：")))
        layout.addWidget(self.notice_edit, 2)
        layout.addLayout(bottom)
        return page

    def _summary_tab(self) -> QWidget:
        page = QWidget()
        self.summary_edit = QLineEdit()
        browse = QPushButton(self.tr("选择(&S)…"))
        browse.clicked.connect(self._choose_summary_file)
        row = QHBoxLayout()
        row.addWidget(self.summary_edit, 1)
        row.addWidget(browse)
        self.summary_button = QPushButton(self.tr("导出汇总台账(&X)"))
        self.summary_button.clicked.connect(self.export_summary)
        self.open_summary_button = QPushButton(self.tr("打开文件(&O)"))
        self.open_summary_button.setEnabled(False)
        self.open_summary_button.clicked.connect(lambda: self._open(Path(self.summary_edit.text())))
        self.summary_result = QLabel()
        self.summary_result.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("保存为："), row)
        actions = QHBoxLayout()
        actions.addWidget(self.summary_button)
        actions.addWidget(self.open_summary_button)
        actions.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addWidget(
            QLabel(
                self.tr(
                    "汇总台账按任务分组列出全部重点项目（含小计、合计）和各定额计划成员名单，"
                    "已设置 A4 横向、每页重复表头和页码，可直接打印。"
                )
            )
        )
        layout.addWidget(self.summary_result)
        layout.addStretch(1)
        return page

    # ---- choices -----------------------------------------------------------------------------------------------

    def _fill_choices(self, period_key: str | None) -> None:
        default = period_key or latest_closed_quarter(date.today()).key
        select_period(self.period_box, default)
        self._show_period_label(self.period_box.currentText())
        self.department_box.addItem(ALL_DEPARTMENTS)
        self.summary_edit.setText(str(Path.home() / self._summary_name(default)))
        database = self.database
        QueryOp(parent=self, op=lambda: output_choices(database), success=self._choices_ready).run_in_background()

    def _choices_ready(self, choices: OutputChoices) -> None:
        typed = self.period_box.currentText()
        self.period_box.blockSignals(True)
        for key in choices.period_keys:
            add_period(self.period_box, key)
        self.period_box.setEditText(typed)  # adding items must not change what the clerk sees or typed
        self.period_box.blockSignals(False)
        for name in choices.expected_departments:
            self.department_box.addItem(name)
        if choices.other_departments:
            self.department_box.insertSeparator(self.department_box.count())
            for name in choices.other_departments:
                self.department_box.addItem(name)

    def _show_period_label(self, _text: str) -> None:
        try:
            period = Period.parse(current_period(self.period_box))
        except ValueError:
            self.period_label.setText(self.tr("（{hint}）").format(hint=FORMAT_HINT))
            return
        self.period_label.setText(f"{period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}")
        # Follow the period in the summary's file name unless the clerk typed a name of their own.
        current = Path(self.summary_edit.text())
        if current.name.startswith("重点项目汇总台账_"):
            self.summary_edit.setText(str(current.with_name(self._summary_name(period.key))))

    def _period(self) -> str | None:
        try:
            return current_period(self.period_box)
        except ValueError as exc:
            QMessageBox.warning(self, self.tr("报告期有误"), str(exc))
            return None

    @staticmethod
    def _summary_name(period_key: str) -> str:
        try:
            label = Period.parse(period_key).label
        except ValueError:
            label = period_key
        return f"重点项目汇总台账_{label}.xlsx"

    # ---- actions -----------------------------------------------------------------------------------------------

    def export_templates(self) -> None:
        """Export the chosen department's template, or every expected department's."""
        period = self._period()
        if period is None or not self._start(self.tr("正在导出模板…")):
            return
        department = self.department_box.currentText()
        chosen = None if department == ALL_DEPARTMENTS else department
        folder = Path(self.folder_edit.text().strip() or ".")
        overwrite = self.overwrite_box.isChecked()
        relay = _ProgressRelay(self)
        relay.progressed.connect(self._template_progress)
        self._relays.append(relay)
        self.template_log.clear()
        database, progressed = self.database, relay.progressed.emit
        self._run(
            QueryOp(
                parent=self,
                op=lambda: export_templates(database, period, folder, chosen, progress=progressed, overwrite=overwrite),
            ),
            self._templates_done,
        )

    def _template_progress(self, done: int, total: int, name: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.template_log.appendPlainText(self.tr("[{0}/{1}] {2}").format(done, total, name))

    def _templates_done(self, written: list[WrittenTemplate]) -> None:
        self._finish(self.tr("已导出模板 {0} 份。").format(len(written)))
        self.template_log.clear()
        for w in written:
            note = self.tr("（该单位尚未牵头项目、计划或负责指标，模板没有预填内容）") if w.empty else ""
            self.template_log.appendPlainText(f"{w.path}{note}")
        self.open_folder_button.setEnabled(bool(written))

    def check_missing(self) -> None:
        """Find the departments that still owe the period's return and draft the notice."""
        period = self._period()
        if period is None or not self._start(self.tr("正在查询…")):
            return
        database = self.database
        self._run(QueryOp(parent=self, op=lambda: chasing_report(database, period)), self._missing_done)

    def _missing_done(self, result: tuple[ChaseList, str]) -> None:
        chase, notice = result
        self.chase = chase
        self.chase_model.removeRows(0, self.chase_model.rowCount())
        for item in chase.items:
            row = [
                item.department,
                item.reason.label,
                item.owes,
                item.contact_person,
                item.contact_phone,
                item.detail,
            ]
            self.chase_model.appendRow([QStandardItem(text) for text in row])
        self.chase_table.resizeColumnsToContents()
        self.chase_summary.setText(chase.summary_line())
        self.notice_edit.setPlainText(notice if chase.items else "")
        for b in (self.copy_button, self.save_notice_button, self.save_list_button):
            b.setEnabled(bool(chase.items))
        done = self.tr("所有应报单位均已报送。") if chase.expected and not chase.items else chase.summary_line()
        self._finish(done)

    def copy_notice(self) -> None:
        """Put the (possibly edited) notice on the clipboard."""
        QGuiApplication.clipboard().setText(self.notice_edit.toPlainText())
        self.status.setText(self.tr("催报通知已复制，可粘贴到消息或公文中。"))

    def save_notice(self) -> None:
        """Save the notice text as a .txt file the clerk chooses."""
        name = self._label_name("催报通知", ".txt")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存催报通知"), name, self.tr("文本文件 (*.txt)"))
        if path:
            self._guard(lambda: write_notice(Path(path), self.notice_edit.toPlainText()), path)

    def save_list(self) -> None:
        """Save the chase list as .xlsx."""
        if self.chase is None:
            return
        chase = self.chase
        name = self._label_name("催报名单", ".xlsx")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存催报名单"), name, self.tr("Excel 工作簿 (*.xlsx)"))
        if path:
            self._guard(lambda: save_chase_list(chase, Path(path)), path)

    def export_summary(self) -> None:
        """Write the period's consolidated ledger."""
        period = self._period()
        out = Path(self.summary_edit.text().strip())
        if period is None:
            return
        if out.suffix.lower() != ".xlsx":
            QMessageBox.warning(self, self.tr("文件名有误"), self.tr("汇总台账应保存为 .xlsx 文件。"))
            return
        if not self._start(self.tr("正在生成汇总台账…")):
            return
        database = self.database
        self._run(QueryOp(parent=self, op=lambda: export_summary(database, period, out)), self._summary_done)

    def _summary_done(self, data: Any) -> None:
        reported = sum(1 for g in data.groups for p in g.projects if p.reported)
        text = self.tr("已导出{0}汇总台账：重点项目 {1} 个（本期已填报 {2} 个），定额计划 {3} 个。").format(
            data.period_label, data.project_count, reported, len(data.programmes)
        )
        self.summary_result.setText(text)
        self.open_summary_button.setEnabled(True)
        self._finish(text)

    # ---- helpers -----------------------------------------------------------------------------------------------

    def _label_name(self, prefix: str, suffix: str) -> str:
        label = self.chase.period_label if self.chase else self.period_box.currentText()
        return str(Path(self.folder_edit.text() or Path.home()) / f"{prefix}_{label}{suffix}")

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择保存模板的文件夹"), self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def _choose_summary_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存汇总台账"), self.summary_edit.text(), self.tr("Excel 工作簿 (*.xlsx)")
        )
        if path:
            self.summary_edit.setText(path if path.lower().endswith(".xlsx") else path + ".xlsx")

    def _open(self, path: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _guard(self, fn: Any, path: str) -> None:
        try:
            fn()
        except KnownError as exc:
            QMessageBox.warning(self, self.tr("保存失败"), exc.message)
            return
        self.status.setText(self.tr("已保存：{0}").format(path))

    def _start(self, message: str) -> bool:
        if self._busy:
            return False
        self._busy = True
        for b in (self.export_button, self.check_button, self.summary_button):
            b.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the worker reports counts
        self.progress.setVisible(True)
        self.status.setText(message)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        return True

    def _finish(self, message: str) -> None:
        if self._busy:
            QGuiApplication.restoreOverrideCursor()
        self._busy = False
        for b in (self.export_button, self.check_button, self.summary_button):
            b.setEnabled(True)
        self.progress.setVisible(False)
        self.status.setText(message)

    def _run(self, op: QueryOp[Any], on_success: Any) -> None:
        """Run an action's op; failures get the standard dialogs, then the dialog is ready again."""
        op.success(on_success).abandoned(lambda _exc: self._finish("")).run_in_background()
