"""文件 → 导入现有台账…: choose the office's Excel ledger, see every change (the dry run), answer, import.

The dry run runs on the database worker each time an answer changes (the file, the as-of date, the task for
new projects, the money unit, a row's project, a department declined); nothing is written until 导入.

Signals: planned(object) after each dry run; imported(object) with the ImportDone and the plan after an import.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.money import MoneyUnit
from app.services import ledger_import as svc
from app.services.scope import UNCLASSIFIED
from app.storage.db import Database
from app.ui import read_only
from app.ui.commands.base import OpCommand
from app.ui.ops import CollectionOp, QueryOp

FILE_FILTER = "Excel 台账 (*.xlsx *.xlsm *.xls *.csv);;所有文件 (*)"
COL_ROW, COL_NAME, COL_ACTION, COL_SCORE, COL_CHANGES = range(5)
_CREATE, _SKIP, _UNDECIDED = 0, -1, -2


class LedgerImportDialog(QDialog):
    """The ledger-adoption wizard. Signals: planned(object), imported(object)."""

    planned = Signal(object)
    imported = Signal(object)

    def __init__(self, database: Database, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.path: Path | None = None
        self.plan: svc.LedgerPlan | None = None
        self.picks: dict[int, int | None] = {}
        self.declined: set[str] = set()
        self.busy = False
        self._filling = False
        self.setWindowTitle("导入现有台账")
        self.setAcceptDrops(True)
        self.resize(1000, 680)

        intro = QLabel(
            "选择办公室现有的 Excel 台账。程序先试运行，列出每一处改动：与内置项目的匹配（含相似度）、"
            "新增的项目和单位、记入的进展；确认后一次导入，导入前自动备份，导入后可整体撤销（Ctrl+Z）。"
        )
        intro.setWordWrap(True)

        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("尚未选择文件")
        choose = QPushButton("选择文件…")
        choose.setShortcut(QKeySequence("Ctrl+O"))
        choose.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(choose)

        self.as_of_check = QCheckBox("指定截至日期")
        self.as_of_check.setToolTip("台账标题没有写“截至…”时，在这里指明数据截至哪一天")
        self.as_of_edit = QDateEdit()
        self.as_of_edit.setDisplayFormat("yyyy-MM-dd")
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setDate(QDate.currentDate())
        self.as_of_edit.setEnabled(False)
        self.as_of_check.toggled.connect(self.as_of_edit.setEnabled)
        self.as_of_check.toggled.connect(lambda _on: self.replan())
        self.as_of_edit.dateChanged.connect(lambda _d: self.replan() if self.as_of_check.isChecked() else None)
        self.as_of_label = QLabel("")
        as_of_row = QHBoxLayout()
        as_of_row.addWidget(self.as_of_check)
        as_of_row.addWidget(self.as_of_edit)
        as_of_row.addWidget(self.as_of_label, 1)

        self.task_box = QComboBox()
        self.task_box.addItem(UNCLASSIFIED, None)
        self.task_box.setMinimumContentsLength(20)
        self.task_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.task_box.currentIndexChanged.connect(lambda _i: self.replan())

        self.unit_box = QComboBox()
        self.unit_box.addItem("请选择…", None)
        for unit in (MoneyUnit.WAN, MoneyUnit.YI, MoneyUnit.YUAN):
            self.unit_box.addItem(unit.value, unit.value)
        self.unit_box.currentIndexChanged.connect(lambda _i: self.replan())
        self.unit_question = QLabel("")
        self.unit_question.setWordWrap(True)
        self.unit_question.setStyleSheet("color: #b35c00;")
        unit_row = QHBoxLayout()
        unit_row.addWidget(self.unit_box)
        unit_row.addWidget(self.unit_question, 1)
        self.unit_widget = QWidget()
        self.unit_widget.setLayout(unit_row)
        unit_row.setContentsMargins(0, 0, 0, 0)

        form = QFormLayout()
        form.addRow("台账文件：", file_row)
        form.addRow("数据截至：", as_of_row)
        form.addRow("新项目归入：", self.task_box)
        form.addRow("金额单位：", self.unit_widget)

        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["行", "台账中的名称", "处理", "相似度", "改动"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_CHANGES, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(COL_ROW, 44)
        self.table.setColumnWidth(COL_NAME, 220)
        self.table.setColumnWidth(COL_ACTION, 260)
        self.table.setColumnWidth(COL_SCORE, 60)

        self.departments = QListWidget()
        self.departments.setToolTip("台账中出现、系统里还没有的单位；取消勾选则不新建，相应项目暂不设牵头单位")
        self.departments.itemChanged.connect(self._department_toggled)
        dept_box = QWidget()
        dept_layout = QVBoxLayout(dept_box)
        dept_layout.setContentsMargins(0, 0, 0, 0)
        dept_layout.addWidget(QLabel("将新建的单位（请确认）："))
        dept_layout.addWidget(self.departments)

        self.listing = QPlainTextEdit()
        self.listing.setReadOnly(True)
        self.listing.setPlaceholderText("试运行结果：将要做的每一处改动")
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(dept_box)
        lower.addWidget(self.listing)
        lower.setStretchFactor(1, 3)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: reading, matching or importing takes a second or more
        self.progress.setMaximumWidth(120)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.import_button = QPushButton("导入")
        read_only.writes(self.import_button)
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.progress)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("F5"), self, self.replan)
        self._show_unit_question([])
        QueryOp(parent=self, op=lambda: svc.task_choices(database), success=self._fill_tasks).run_in_background()
        if path is not None:
            self.set_file(path)

    # --- answers ------------------------------------------------------------------------------------------

    def _fill_tasks(self, choices: list[tuple[int, str]]) -> None:
        self._filling = True
        for task_id, label in choices:
            self.task_box.addItem(label, task_id)
        self._filling = False

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择现有台账", str(Path.home()), FILE_FILTER)
        if name:
            self.set_file(Path(name))

    def set_file(self, path: Path) -> None:
        """Use ``path`` as the ledger and run the dry run; earlier answers about rows are forgotten."""
        self.path = path
        self.picks.clear()
        self.declined.clear()
        self.file_edit.setText(str(path))
        self.replan()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.set_file(Path(urls[0]))

    def as_of(self) -> date | None:
        if not self.as_of_check.isChecked():
            return None
        qdate = self.as_of_edit.date()
        return date(qdate.year(), qdate.month(), qdate.day())

    def unit(self) -> MoneyUnit | None:
        value = self.unit_box.currentData()
        return MoneyUnit(value) if value else None

    def pick(self, excel_row: int, project_id: int | None) -> None:
        """The clerk's choice for a row: a project id, 0 for a new project, None to leave it out."""
        self.picks[excel_row] = project_id
        self.replan()

    def _department_toggled(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        if item.checkState() == Qt.CheckState.Checked:
            self.declined.discard(name)
        else:
            self.declined.add(name)
        self.replan()

    # --- the dry run --------------------------------------------------------------------------------------

    def replan(self) -> None:
        """Run the dry run again with the current answers (on the database worker)."""
        if self.path is None or self._filling:
            return
        path, as_of, unit, picks, declined = self.path, self.as_of(), self.unit(), dict(self.picks), set(self.declined)
        task = self.task_box.currentData()
        self.import_button.setEnabled(False)
        self.summary.setText("正在读取并核对台账……")
        self.progress.show()
        database = self.database
        QueryOp(
            parent=self,
            op=lambda: svc.plan_ledger_import(
                database, path, as_of=as_of, task=task, unit=unit, picks=picks, skip_departments=declined
            ),
            success=self._show_plan,
        ).serial("plan").failure(self._plan_failed).finally_(self._idle).run_in_background()

    def _idle(self) -> None:
        if not self.busy:
            self.progress.hide()

    def _plan_failed(self, exc: BaseException) -> None:
        from app.ui.ops import show_op_error

        self.summary.setText("检查失败")
        show_op_error(self, exc)

    def _show_plan(self, plan: svc.LedgerPlan) -> None:
        self.plan = plan
        self._filling = True
        try:
            self._fill_rows(plan)
            self._fill_departments(plan)
        finally:
            self._filling = False
        lines = plan.listing()
        problems = [p.describe() for p in plan.all_problems]
        if problems:
            lines += ["", "问题："] + problems
        self.listing.setPlainText("\n".join(lines))
        self._show_unit_question(plan.read.unstated_units if plan.read.unit is None else [])
        if plan.as_of is not None:
            self.as_of_label.setText(f"{plan.as_of:%Y-%m-%d}（{plan.as_of_source}），进展记入 {plan.period_key}")
        else:
            self.as_of_label.setText("台账标题中没有写明截至日期，请指定")
        if plan.read.is_return:
            self.summary.setText(plan.read.return_reason)
        elif plan.errors:
            self.summary.setText(f"有 {len(plan.errors)} 处错误，不能导入：" + plan.errors[0].message)
        elif plan.units_unanswered:
            self.summary.setText("请先回答金额单位的问题。")
        else:
            undecided = plan.count(svc.Action.AMBIGUOUS)
            extra = f"（{undecided} 行同样接近多个项目，请在“处理”列选择，否则不导入）" if undecided else ""
            self.summary.setText(plan.summary() + extra)
        self.import_button.setEnabled(plan.importable and not self.busy)
        self.planned.emit(plan)

    def _show_unit_question(self, unstated: list[Any]) -> None:
        asked = bool(unstated)
        self.unit_widget.setEnabled(asked)
        if asked:
            cols = "、".join(f"{u.column} 列“{u.header}”" for u in unstated)
            self.unit_question.setText(f"表头没有写明金额单位：{cols}，是万元还是亿元？")
        else:
            self.unit_question.setText("表头已写明（或无金额列），无需选择")

    def _fill_rows(self, plan: svc.LedgerPlan) -> None:
        self.table.setRowCount(len(plan.rows))
        for i, row_plan in enumerate(plan.rows):
            row = row_plan.row
            self.table.setItem(i, COL_ROW, QTableWidgetItem(str(row.row)))
            name_item = QTableWidgetItem(row.name)
            name_item.setToolTip(f"工作表“{row.sheet}”第 {row.row} 行" + (f"，{row.section}" if row.section else ""))
            self.table.setItem(i, COL_NAME, name_item)
            score = "" if row_plan.score is None else f"{row_plan.score:.2f}"
            self.table.setItem(i, COL_SCORE, QTableWidgetItem(score))
            changes = "；".join(f"{c.label} {c.old_text or '空'}→{c.new_text}" for c in row_plan.changes)
            if row_plan.action == svc.Action.CREATE:
                changes = "新项目" + (f"，牵头单位 {row_plan.department}" if row_plan.department else "")
            if row_plan.progress and row_plan.action in (svc.Action.UPDATE, svc.Action.CREATE):
                changes += ("；" if changes else "") + f"进展记入 {plan.period_key}"
            change_item = QTableWidgetItem(changes)
            change_item.setToolTip(changes)
            self.table.setItem(i, COL_CHANGES, change_item)
            self.table.setCellWidget(i, COL_ACTION, self._action_box(row_plan))

    def _action_box(self, row_plan: svc.RowPlan) -> QComboBox:
        box = QComboBox()
        if row_plan.action == svc.Action.AMBIGUOUS:
            box.addItem("⚠ 同样接近多个项目，请选择…", _UNDECIDED)
        box.addItem("新增为项目", _CREATE)
        box.addItem("不导入", _SKIP)
        shown = {row_plan.project_id} if row_plan.project_id else set()
        if row_plan.project_id is not None:
            box.addItem(f"匹配：{row_plan.project_label}", row_plan.project_id)
        for c in row_plan.candidates[:5]:
            if c.project_id not in shown:
                box.addItem(f"匹配：{c.label}（{c.score:.2f}）", c.project_id)
        current = {
            svc.Action.AMBIGUOUS: _UNDECIDED,
            svc.Action.CREATE: _CREATE,
            svc.Action.SKIP: _SKIP,
        }.get(row_plan.action, row_plan.project_id)
        box.setCurrentIndex(max(0, box.findData(current)))
        excel_row = row_plan.row.row

        def chosen(_index: int) -> None:
            value = box.currentData()
            if value == _UNDECIDED:
                return
            self.pick(excel_row, None if value == _SKIP else int(value))

        box.currentIndexChanged.connect(chosen)
        return box

    def _fill_departments(self, plan: svc.LedgerPlan) -> None:
        self.departments.clear()
        for name in plan.new_departments + sorted(self.declined):
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = name not in self.declined
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.departments.addItem(item)
        if not plan.new_departments and not self.declined:
            self.departments.addItem("（无：台账中的单位都已在系统中）")

    # --- the import ---------------------------------------------------------------------------------------

    def run_import(self) -> None:
        """Import the plan shown (after a question when some rows are left out)."""
        plan = self.plan
        if plan is None or not plan.importable or self.busy:
            return
        undecided = plan.count(svc.Action.AMBIGUOUS)
        if undecided:
            answer = QMessageBox.question(
                self,
                "导入现有台账",
                f"还有 {undecided} 行同样接近多个项目，尚未选择；这些行将不导入。继续导入其余各行吗？",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.busy = True
        self.import_button.setEnabled(False)
        self.summary.setText("正在备份并导入……")
        self.progress.show()
        database = self.database
        CollectionOp(parent=self, op=lambda: svc.import_ledger(database, plan)).changes("projects").success(
            lambda done: self._imported(done, plan)
        ).finally_(self._not_busy).run_in_background()

    def _not_busy(self) -> None:
        self.busy = False
        self.progress.hide()

    def _imported(self, done: svc.ImportDone, plan: svc.LedgerPlan) -> None:
        self.summary.setText(done.message())
        self.imported.emit((done, plan))
        QMessageBox.information(self, "导入现有台账", done.message() + "\n\n如需撤销：编辑 → 撤销（Ctrl+Z）。")
        self.accept()

    def reject(self) -> None:
        if self.busy:
            return  # an import is being written: it finishes in a moment and closes the dialog
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:
            event.ignore()
            return
        super().closeEvent(event)


class LedgerImportCommand(OpCommand):
    """An adopted ledger: undo reverses the import batch, redo imports the same plan again.

    ``owner`` is the 项目台账 view, whose stack the command goes on and which hosts its saves.
    """

    changes = "projects"

    def __init__(self, owner: Any, database: Database, done: svc.ImportDone, plan: svc.LedgerPlan) -> None:
        super().__init__(owner, f"导入现有台账 {plan.file_name}")
        self.owner = owner
        self.database = database
        self.plan = plan
        self.batch_id = done.batch_id
        self.first = True

    def undo(self) -> None:
        def build() -> CollectionOp[object]:
            batch_id = self.batch_id  # read at its turn: a redo before it has recorded the new batch by then
            return CollectionOp(parent=self.owner, op=lambda: svc.undo_ledger_import(self.database, batch_id))

        self._submit(build, lambda _r: None, undoing=True)

    def redo(self) -> None:
        if self.first:  # the dialog has just imported it
            self.first = False
            return

        def imported(done: svc.ImportDone) -> None:
            self.batch_id = done.batch_id

        self._submit(
            lambda: CollectionOp(parent=self.owner, op=lambda: svc.import_ledger(self.database, self.plan)),
            imported,
            undoing=False,
        )
