"""The project form's tabs, one widget each: 基本信息, 里程碑, 成员名单, 修改记录.

A tab builds its widgets and checks what the clerk typed; every save is an undo command pushed on the form's
stack (``app.ui.commands.project_commands``), so the form stays the one place that writes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain import credit_code
from app.services import projects as svc
from app.services.ledger import STATUSES
from app.ui.commands.project_commands import (
    AddMemberCommand,
    AddMilestoneCommand,
    DeleteMemberCommand,
    DeleteMilestoneCommand,
    EditMemberCommand,
    EditMilestoneCommand,
)
from app.ui.models.project_models import AuditModel, MemberModel, MilestoneModel, fmt_date, fmt_number
from app.ui.ops import QueryOp

if TYPE_CHECKING:
    from app.ui.dialogs.project_form import ProjectFormDialog

ERROR_STYLE = "color: #b42318;"
DATE_FIELDS = ("planned_start", "planned_end")
NUMBER_FIELDS = ("planned_investment", "quota_count")
COMBO_FIELDS = ("task_id", "lead_department_id", "status", "quota_period", "member_kind", "region")
KEYED_COMBOS = ("task_id", "lead_department_id", "quota_period", "member_kind")  # items carry a key as data


class _FocusOut(QObject):
    """Calls back when a multi-line editor loses focus (it has no editingFinished)."""

    def __init__(self, callback: Any, parent: QObject) -> None:
        super().__init__(parent)
        self.callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.callback()
        return False


def table_view(model: QAbstractTableModel, editable: bool = True) -> QTableView:
    """A row-selecting table as every tab of the form shows one."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    if not editable:
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return view


class FieldsTab(QWidget):
    """基本信息: one editor per project field with its error line; ``commit(name)`` is called when one is left."""

    def __init__(self, commit: Callable[[str], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.kind_label = QLabel()
        form.addRow("类别", self.kind_label)
        for name, label in svc.PROJECT_FIELDS.items():
            widget: QWidget
            if name in COMBO_FIELDS:
                combo = QComboBox()
                combo.setMaxVisibleItems(20)
                if name == "region":
                    combo.setEditable(True)
                    combo.addItems(["", *svc.REGIONS])
                    edit = combo.lineEdit()
                    assert edit is not None
                    edit.editingFinished.connect(lambda n=name: commit(n))
                    combo.activated.connect(lambda _i, n=name: commit(n))
                else:
                    combo.activated.connect(lambda _i, n=name: commit(n))
                widget = combo
            elif name == "notes":
                notes = QPlainTextEdit()
                notes.setFixedHeight(70)
                notes.installEventFilter(_FocusOut(lambda: commit("notes"), notes))
                widget = notes
            else:
                line = QLineEdit()
                if name in DATE_FIELDS:
                    line.setPlaceholderText("如 2025-03-31，可留空")
                line.editingFinished.connect(lambda n=name: commit(n))
                widget = line
            error = QLabel()
            error.setStyleSheet(ERROR_STYLE)
            error.setMinimumWidth(200)
            error.setWordWrap(True)
            row = QHBoxLayout()
            row.addWidget(widget, 3)
            row.addWidget(error, 2)
            form.addRow(label, row)
            self.fields[name] = widget
            self.errors[name] = error
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.source_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("出处", self.source_label)
        status = self.fields["status"]
        assert isinstance(status, QComboBox)
        status.addItems(list(STATUSES))
        # The ledger derives the shown status from each period's returns; only a stop set here overrides it.
        status.setToolTip(
            "台账按所选报告期的填报自动显示状态（未填报 / 未开工 / 在建 / 已完成）；\n"
            "在此设为“暂停”或“已撤销”后，台账、总览和报告一律显示该状态。"
        )
        period = self.fields["quota_period"]
        assert isinstance(period, QComboBox)
        for key, text in svc.QUOTA_PERIODS.items():
            period.addItem(text or "（无）", key)
        member_kind = self.fields["member_kind"]
        assert isinstance(member_kind, QComboBox)
        for key, text in svc.MEMBER_KINDS.items():
            member_kind.addItem(text or "（无）", key)

    def set_choices(self, tasks: Any, departments: Any) -> None:
        """Fill the task and lead-department lists (key, text pairs)."""
        task = self.fields["task_id"]
        dept = self.fields["lead_department_id"]
        assert isinstance(task, QComboBox) and isinstance(dept, QComboBox)
        for combo, choices in ((task, tasks), (dept, departments)):
            combo.clear()
            combo.addItem("（未指定）", None)
            for key, text in choices:
                combo.addItem(text, key)

    def show_value(self, name: str, value: Any) -> None:
        """Show ``value`` in the editor of field ``name``."""
        widget = self.fields[name]
        if isinstance(widget, QComboBox):
            if name in KEYED_COMBOS:
                widget.setCurrentIndex(0 if value is None else max(0, widget.findData(value)))
            elif name == "region":
                widget.setEditText(value or "")
            else:
                if value and widget.findText(value) < 0:
                    widget.addItem(value)  # a status written by an import, outside the usual list: keep it
                widget.setCurrentIndex(max(0, widget.findText(value or "")))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value or "")
        elif isinstance(widget, QLineEdit):
            if name in DATE_FIELDS:
                widget.setText(fmt_date(value))
            elif name in NUMBER_FIELDS:
                widget.setText(fmt_number(value))
            else:
                widget.setText(value or "")

    def read_value(self, name: str) -> Any:
        """The typed value a field holds now; ValueError with a Chinese message when it cannot be read."""
        widget = self.fields[name]
        if isinstance(widget, QComboBox):
            if name in KEYED_COMBOS:
                return widget.currentData()
            return widget.currentText().strip()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        assert isinstance(widget, QLineEdit)
        text = widget.text()
        if name in DATE_FIELDS:
            return svc.parse_date(text)
        if name == "quota_count":
            return svc.parse_number(text, integer=True)
        if name == "planned_investment":
            value = svc.parse_number(text)
            return float(value) if value is not None else None
        return text.strip()

    def set_programme(self, is_programme: bool) -> None:
        """Quota fields only mean something for a quota programme."""
        for name in ("quota_count", "quota_period", "quota_unit", "member_kind"):
            self.fields[name].setEnabled(is_programme)


class MilestonesTab(QWidget):
    """里程碑: the milestone table (cells editable) and a row to add one."""

    def __init__(self, form: ProjectFormDialog) -> None:
        super().__init__()
        self.form = form
        self.model = MilestoneModel(self)
        self.model.on_edit = self._edit
        layout = QVBoxLayout(self)
        self.view = table_view(self.model)
        self.view.setColumnWidth(0, 260)
        self.view.setColumnWidth(1, 110)
        self.view.setColumnWidth(2, 110)
        layout.addWidget(self.view, 1)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("里程碑名称，如 主体完工")
        self.date_edit = QLineEdit()
        self.date_edit.setPlaceholderText("计划日期 2025-06-30")
        add = QPushButton("添加里程碑")
        add.clicked.connect(self.add_from_inputs)
        self.date_edit.returnPressed.connect(self.add_from_inputs)
        delete = QPushButton("删除所选…")
        delete.clicked.connect(self.delete_selected)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        row = QHBoxLayout()
        row.addWidget(self.name_edit, 2)
        row.addWidget(self.date_edit, 1)
        row.addWidget(add)
        row.addWidget(delete)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(QLabel("双击单元格可修改名称和日期；实际日期填写后即视为完成。"))

    def add_from_inputs(self) -> bool:
        """Add the milestone typed below the table."""
        name = self.name_edit.text().strip()
        if not name:
            self.error.setText("请填写里程碑名称")
            return False
        try:
            planned = svc.parse_date(self.date_edit.text())
        except ValueError as exc:
            self.error.setText(f"计划日期：{exc}")
            return False
        self.error.clear()
        self.form.undo_stack.push(AddMilestoneCommand(self.form, name, planned))
        self.name_edit.clear()
        self.date_edit.clear()
        return True

    def _edit(self, row: svc.MilestoneRow, column: int, text: str) -> bool:
        field = MilestoneModel.FIELDS[column]
        try:
            value: Any = text.strip() if field == "name" else svc.parse_date(text)
        except ValueError as exc:
            self.error.setText(f"{svc.MILESTONE_FIELDS[field]}：{exc}")
            return False
        if field == "name" and not value:
            self.error.setText("里程碑名称不能为空")
            return False
        self.error.clear()
        if getattr(row, field) == value:
            return False
        self.form.undo_stack.push(EditMilestoneCommand(self.form, row.id, field, getattr(row, field), value))
        return True

    def delete_selected(self) -> None:
        """Delete the selected milestone, after asking."""
        index = self.view.currentIndex()
        if not index.isValid():
            return
        row = self.model.rows[index.row()]
        if QMessageBox.question(self, "删除里程碑", f"确定删除里程碑「{row.name}」吗？（可撤销）") != (
            QMessageBox.StandardButton.Yes
        ):
            return
        self.form.undo_stack.push(DeleteMilestoneCommand(self.form, row))


class MembersTab(QWidget):
    """成员名单 (quota programmes only): the members, the count against the quota, and a form to register one."""

    def __init__(self, form: ProjectFormDialog) -> None:
        super().__init__()
        self.form = form
        self.model = MemberModel(self)
        self.model.on_edit = self._edit
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.view = table_view(self.model)
        self.view.setColumnWidth(0, 240)
        self.view.setColumnWidth(1, 180)
        layout.addWidget(self.view, 1)
        grid = QFormLayout()
        self.name_edit = QLineEdit()
        self.code_edit = QLineEdit()
        self.code_edit.setMaxLength(18)
        self.code_edit.setPlaceholderText("18位，可留空")
        self.code_edit.textChanged.connect(self._check_code_live)
        self.region_combo = QComboBox()
        self.region_combo.setEditable(True)
        self.region_combo.addItems(["", *svc.REGIONS])
        self.year_edit = QLineEdit()
        self.year_edit.setPlaceholderText(str(date.today().year))
        self.errors = {k: QLabel() for k in ("name", "credit_code", "year_counted")}
        for label in self.errors.values():
            label.setStyleSheet(ERROR_STYLE)
        for text, widget, key in (
            ("名称", self.name_edit, "name"),
            ("统一社会信用代码", self.code_edit, "credit_code"),
            ("地区", self.region_combo, None),
            ("计入年度", self.year_edit, "year_counted"),
        ):
            row = QHBoxLayout()
            row.addWidget(widget, 3)
            if key:
                row.addWidget(self.errors[key], 2)
            else:
                row.addStretch(2)
            grid.addRow(text, row)
        layout.addLayout(grid)
        buttons = QHBoxLayout()
        add = QPushButton("登记成员")
        add.clicked.connect(self.add_from_inputs)
        delete = QPushButton("删除所选…")
        delete.clicked.connect(self.delete_selected)
        buttons.addWidget(add)
        buttons.addWidget(delete)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def _check_code_live(self, text: str) -> None:
        label = self.errors["credit_code"]
        if len(text.strip()) < 18:
            label.setText("" if not text.strip() else f"还差 {18 - len(text.strip())} 位")
            return
        label.setText(credit_code.problem(text) or "")

    def add_from_inputs(self) -> bool:
        """Register the member typed below the list, after checking name, credit code and year."""
        for label in self.errors.values():
            label.clear()
        name = self.name_edit.text().strip()
        code = self.code_edit.text().strip().upper()
        try:
            year = svc.parse_number(self.year_edit.text(), integer=True)
        except ValueError as exc:
            self.errors["year_counted"].setText(str(exc))
            return False
        problems = {}
        if not name:
            problems["name"] = "名称不能为空"
        if code and credit_code.problem(code):
            problems["credit_code"] = credit_code.problem(code) or ""
        for key, message in problems.items():
            self.errors[key].setText(message)
        if problems:
            return False
        region = self.region_combo.currentText().strip()
        year_counted = int(year) if year is not None else None
        form = self.form
        database, project_id = form.database, form.project_id

        def checked(found: dict[str, str]) -> None:  # a duplicate code is found in the database
            for key, message in found.items():
                self.errors[key].setText(message)
            if not found:
                form.undo_stack.push(AddMemberCommand(form, name, code, region, year_counted))
                for widget in (self.name_edit, self.code_edit, self.year_edit):
                    widget.clear()

        QueryOp(
            parent=self, op=lambda: svc.check_member(database, project_id, name, code), success=checked
        ).run_in_background()
        return True

    def _edit(self, member: svc.MemberDetail, column: int, text: str) -> bool:
        field = MemberModel.FIELDS[column]
        value: Any = text.strip()
        if field == "year_counted":
            try:
                number = svc.parse_number(text, integer=True)
            except ValueError as exc:
                self.form.refused(f"计入年度：{exc}")
                return False
            value = int(number) if number is not None else None
        elif field == "credit_code":
            value = value.upper()
            problem = credit_code.problem(value) if value else None
            if problem:
                self.form.refused(problem)
                return False
        if getattr(member, field) == value:
            return False
        self.form.undo_stack.push(EditMemberCommand(self.form, member.id, field, getattr(member, field), value))
        return True

    def delete_selected(self) -> None:
        """Delete the selected member (only those a clerk entered), after asking."""
        index = self.view.currentIndex()
        if not index.isValid():
            return
        member = self.model.rows[index.row()]
        if member.from_return:
            self.form.refused("该成员来自部门报表，不能在此删除；请在报表中更正后重新导入。")
            return
        if QMessageBox.question(self, "删除成员", f"确定从名单中删除「{member.name}」吗？（可撤销）") != (
            QMessageBox.StandardButton.Yes
        ):
            return
        self.form.undo_stack.push(DeleteMemberCommand(self.form, member))
        self.update_summary()

    def update_summary(self) -> None:
        """「已登记 N 个，定额：…」 from the rows shown and the programme's quota."""
        values = self.form.values
        count = values.get("quota_count")
        period = svc.QUOTA_PERIODS.get(values.get("quota_period") or "", "")
        unit = values.get("quota_unit") or "个"
        target = f"，定额：{period}{count}{unit}" if count else ""
        self.summary.setText(f"已登记 {self.model.rowCount()} 个{target}")


class AuditTab(QWidget):
    """修改记录: every audited change to the project, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AuditModel(self)
        layout = QVBoxLayout(self)
        self.view = table_view(self.model, editable=False)
        self.view.setColumnWidth(0, 150)
        layout.addWidget(self.view)
