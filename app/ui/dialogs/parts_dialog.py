"""责任分工 (a task's parts) and 指定责任单位 (bulk assignment) dialogs, with their undo commands.

Every read goes through QueryOp and every write through CollectionOp; each write that succeeds pushes an undo
command onto the caller's QUndoStack (the ledger's, so Ctrl+Z in the ledger takes it back). The commands' first
redo is the write already done; later redo/undo run the service again in the background, audited like any edit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import supervision
from app.services.supervision import AssignResult, PartEdit, RemovedPart, TaskParts
from app.storage.db import Database
from app.ui import read_only
from app.ui.commands.base import CommandHost, OpCommand, forget_failed
from app.ui.dialogs.buttons import button_row
from app.ui.ops import CollectionOp, OpQueue, QueryOp

CHANGES = "task_parts"  # the op_signals().changed tag of these writes
COL_DEPT, COL_ROLE, COL_PERSON, COL_CONTACT, COL_PHONE, COL_TARGET = range(6)
PEOPLE_COLUMNS = {COL_PERSON: "responsible_person", COL_CONTACT: "contact_person", COL_PHONE: "contact_phone"}


# --- undo commands -------------------------------------------------------------------------------------------


class _StackHost:
    """The host of 责任分工 and 指定责任单位 commands: the view's undo stack, one queue for it, the view's reload.

    The commands outlive the dialog that made them, so the host is kept with the stack, not with the dialog.
    """

    def __init__(self, undo_stack: QUndoStack, after: Callable[[], None]) -> None:
        self.undo_stack, self.queue, self.after = undo_stack, OpQueue(), after

    @classmethod
    def of(cls, undo_stack: QUndoStack, after: Callable[[], None]) -> _StackHost:
        """The stack's host (made on first use); ``after`` is the reload of the view that owns the stack."""
        host: _StackHost | None = getattr(undo_stack, "_parts_host", None)
        if host is None:
            host = cls(undo_stack, after)
            undo_stack._parts_host = host  # type: ignore[attr-defined]
        host.after = after
        return host

    def after_write(self) -> None:
        """A save (or its undo) went through: reload the view."""
        self.after()

    def drop_command(self, command: QUndoCommand, exc: BaseException, *, undoing: bool) -> None:
        """A save failed and was not retried: take it off the stack, show what the database holds."""
        forget_failed(self.undo_stack, self.queue, command, exc, undoing=undoing)
        self.after()


class _OpCommand(OpCommand):
    """A command whose first redo is the write its dialog already made; later ones save through the op queue."""

    changes = CHANGES

    def __init__(self, text: str, owner: QWidget, database: Database, after: Callable[[], None]) -> None:
        # The view that opened the dialog hosts its commands (its stack, queue and reload); a dialog opened on its
        # own hosts them through its stack.
        host: CommandHost
        if isinstance(getattr(owner, "queue", None), OpQueue) and hasattr(owner, "drop_command"):
            host = owner  # type: ignore[assignment]
        else:
            stack = getattr(owner, "undo_stack", None)
            assert isinstance(stack, QUndoStack)
            host = _StackHost.of(stack, after)
        super().__init__(host, text)
        self.owner = owner
        self.database = database
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._redo()

    def _run(self, op: Callable[[], object], success: Callable[[object], None] | None = None, *, undoing: bool) -> None:
        self._submit(lambda: CollectionOp(parent=self.owner, op=op), success or (lambda _r: None), undoing=undoing)

    def _redo(self) -> None:  # pragma: no cover - every command overrides it
        raise NotImplementedError


class SavePartsCommand(_OpCommand):
    """Undo puts the people and targets a 保存 changed back; redo writes them again."""

    def __init__(
        self,
        label: str,
        owner: QWidget,
        database: Database,
        saved: list[tuple[int, int, PartEdit]],
        new_values: dict[int, PartEdit],
        after: Callable[[], None],
    ) -> None:
        super().__init__(f"修改{label}的责任分工", owner, database, after)
        self.versions = {pid: version for pid, version, _old in saved}
        self.old = {pid: old for pid, _version, old in saved}
        self.new = new_values

    def _write(self, values: dict[int, PartEdit], *, undoing: bool) -> None:
        def remember(result: object) -> None:
            assert isinstance(result, list)
            self.versions.update({pid: version for pid, version, _old in result})

        def save() -> object:  # the versions are read when the save runs: the one before it has recorded its own
            edits = [(pid, self.versions[pid], values[pid]) for pid in values if pid in self.versions]
            return supervision.save_parts(self.database, edits)

        self._run(save, remember, undoing=undoing)

    def undo(self) -> None:
        self._write(self.old, undoing=True)

    def _redo(self) -> None:
        self._write(self.new, undoing=False)


class AddPartCommand(_OpCommand):
    """Undo takes the added department off the task again."""

    def __init__(self, label: str, owner: QWidget, database: Database, task_id: int, dept: tuple[int, str],
                 part_id: int, after: Callable[[], None]) -> None:  # fmt: skip
        super().__init__(f"为{label}增加责任单位{dept[1]}", owner, database, after)
        self.task_id, self.department_id, self.part_id = task_id, dept[0], part_id

    def undo(self) -> None:
        self._run(lambda: supervision.remove_part(self.database, self.part_id, None), undoing=True)

    def _redo(self) -> None:
        def remember(result: object) -> None:
            assert isinstance(result, int)
            self.part_id = result

        self._run(
            lambda: supervision.add_part(self.database, self.task_id, self.department_id), remember, undoing=False
        )


class RemovePartCommand(_OpCommand):
    """Undo makes the department responsible again, with its people and targets."""

    def __init__(self, label: str, owner: QWidget, database: Database, removed: RemovedPart, name: str,
                 after: Callable[[], None]) -> None:  # fmt: skip
        super().__init__(f"移除{label}的责任单位{name}", owner, database, after)
        self.removed = removed
        self.part_id: int | None = None

    def undo(self) -> None:
        def remember(result: object) -> None:
            assert isinstance(result, int)
            self.part_id = result

        self._run(lambda: supervision.restore_part(self.database, self.removed), remember, undoing=True)

    def _redo(self) -> None:
        if self.part_id is not None:
            part_id = self.part_id
            self._run(lambda: supervision.remove_part(self.database, part_id, None), undoing=False)


class AssignProjectsCommand(_OpCommand):
    """指定责任单位 for several projects as one step: undo gives each project its previous department back."""

    def __init__(self, owner: QWidget, database: Database, project_ids: list[int], department_id: int,
                 result: AssignResult, after: Callable[[], None]) -> None:  # fmt: skip
        super().__init__(f"指定责任单位：{result.department}（{len(project_ids)} 个项目）", owner, database, after)
        self.project_ids, self.department_id = project_ids, department_id
        self.previous = dict(result.previous)

    def undo(self) -> None:
        previous = dict(self.previous)
        self._run(lambda: supervision.restore_project_leads(self.database, previous), undoing=True)

    def _redo(self) -> None:
        def remember(result: object) -> None:
            assert isinstance(result, AssignResult)
            self.previous = dict(result.previous)

        ids, dept = list(self.project_ids), self.department_id
        self._run(lambda: supervision.assign_projects(self.database, ids, dept), remember, undoing=False)


# --- 责任分工 dialog -----------------------------------------------------------------------------------------


class PartsDialog(QDialog):
    """A task's responsible departments: people and year targets per department, add and remove (undoable)."""

    def __init__(
        self,
        database: Database,
        task_id: int,
        undo_stack: QUndoStack,
        *,
        year: int | None = None,
        after: Callable[[], None] = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # Undo commands outlive the dialog: their writes belong to the view that opened it.
        self.owner: QWidget = parent if parent is not None else self
        self.after = after
        self.database = database
        self.task_id = task_id
        self.undo_stack = undo_stack
        self.data: TaskParts | None = None
        self._filling = False
        self._pending: dict[int, PartEdit] = {}  # part id → typed but not saved
        self.setWindowTitle("责任分工")
        self.resize(980, 420)

        self.heading = QLabel("正在载入…")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 14px; font-weight: bold;")
        rule = QLabel("按文件“按职责分工负责”的要求，所列单位各自负责本单位的部分，每期分别报送进展；年度任务目标、"
                      "工作责任人和联系人由各单位落实（《扩大和升级信息消费实施方案》四(一)）。")  # fmt: skip
        rule.setWordWrap(True)
        rule.setStyleSheet("color: #475467;")
        self.year = QSpinBox()
        self.year.setRange(2015, 2100)
        self.year.setValue(year or date.today().year)
        self.year.setSuffix(" 年")
        self.year.setToolTip("年度任务目标按年填写：选择年份后编辑该年的目标")
        self.year.valueChanged.connect(self._on_year)
        year_row = QHBoxLayout()
        year_row.addWidget(QLabel("年度任务目标的年份："))
        year_row.addWidget(self.year)
        year_row.addStretch(1)

        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(["责任单位", "职责", "工作责任人", "联系人", "联系电话", "年度任务目标"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_TARGET, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_DEPT, 170), (COL_ROLE, 50), (COL_PERSON, 90), (COL_CONTACT, 90), (COL_PHONE, 120)):
            self.table.setColumnWidth(col, width)
        self.table.itemChanged.connect(self._on_item_changed)

        self.department = QComboBox()
        self.department.setMinimumWidth(200)
        self.add_button = QPushButton("增加责任单位")
        self.add_button.clicked.connect(self._add)
        self.remove_button = QPushButton("移除所选单位…")
        self.remove_button.clicked.connect(self._remove)
        read_only.writes(self.department, self.add_button, self.remove_button)
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.department)
        edit_row.addWidget(self.add_button)
        edit_row.addStretch(1)
        edit_row.addWidget(self.remove_button)

        self.buttons = button_row(self, "保存（Ctrl+S）", "关闭", on_ok=self.save, saves=True)
        read_only.writes(QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save))
        self.status = QLabel()
        self.status.setStyleSheet("color: #067647;")

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(rule)
        layout.addLayout(year_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(edit_row)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self.reload()

    # --- loading --------------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the task's parts again (off the GUI thread)."""
        db, task_id = self.database, self.task_id
        QueryOp(parent=self, op=lambda: supervision.task_parts(db, task_id), success=self._show).serial(
            "load"
        ).run_in_background()

    def _show(self, data: TaskParts) -> None:
        self.data = data
        self._pending.clear()
        self.heading.setText(f"{data.document_title} {data.task_code} {data.task_title}")
        self.setWindowTitle(f"责任分工 — {data.task_code} {data.task_title}")
        taken = {p.department_id for p in data.parts}
        self.department.clear()
        for dept_id, name in data.departments:
            if dept_id not in taken:
                self.department.addItem(name, dept_id)
        self._fill()

    def _fill(self) -> None:
        if self.data is None:
            return
        self._filling = True
        year = self.year.value()
        self.table.setRowCount(len(self.data.parts))
        for r, part in enumerate(self.data.parts):
            pending = self._pending.get(part.part_id, PartEdit())
            values = {
                COL_DEPT: part.department_name,
                COL_ROLE: part.role_label,
                COL_PERSON: pending.people.get("responsible_person", part.responsible_person),
                COL_CONTACT: pending.people.get("contact_person", part.contact_person),
                COL_PHONE: pending.people.get("contact_phone", part.contact_phone),
                COL_TARGET: pending.targets.get(year, part.targets.get(year, "")),
            }
            for col, text in values.items():
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, part.part_id)
                if col in (COL_DEPT, COL_ROLE):
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                else:
                    item.setFlags(read_only.editable(item.flags()))  # only shown on a read-only database
                self.table.setItem(r, col, item)
        self.table.resizeRowsToContents()
        self._filling = False
        self.remove_button.setEnabled(bool(self.data.parts))
        self.add_button.setEnabled(self.department.count() > 0)

    def _on_year(self, _year: int) -> None:
        self._fill()

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or self.data is None:
            return
        part_id = item.data(Qt.ItemDataRole.UserRole)
        edit = self._pending.setdefault(int(part_id), PartEdit())
        if item.column() in PEOPLE_COLUMNS:
            edit.people[PEOPLE_COLUMNS[item.column()]] = item.text().strip()
        elif item.column() == COL_TARGET:
            edit.targets[self.year.value()] = item.text().strip()
        self.status.setText("有未保存的修改")
        self.status.setStyleSheet("color: #b54708;")

    # --- writing ----------------------------------------------------------------------------------------------

    @property
    def label(self) -> str:
        return f"任务 {self.data.task_code}" if self.data else "任务"

    def save(self) -> None:
        """保存: every typed change in one transaction, one undo step on the ledger's stack."""
        if self.data is None or not self._pending:
            self.status.setText("没有需要保存的修改")
            return
        versions = {p.part_id: p.version for p in self.data.parts}
        edits = [(pid, versions[pid], edit) for pid, edit in self._pending.items() if pid in versions]
        new_values = {pid: PartEdit(dict(e.people), dict(e.targets)) for pid, e in self._pending.items()}
        db, label = self.database, self.label

        def saved(result: list[tuple[int, int, PartEdit]]) -> None:
            self.undo_stack.push(SavePartsCommand(label, self.owner, db, result, new_values, self.after))
            self.after()
            self.status.setStyleSheet("color: #067647;")
            self.status.setText("已保存（可在项目台账中按 Ctrl+Z 撤销）")
            self.reload()

        CollectionOp(parent=self, op=lambda: supervision.save_parts(db, edits)).changes(CHANGES).success(
            saved
        ).run_in_background()

    def _add(self) -> None:
        if self.data is None or self.department.currentIndex() < 0:
            return
        dept = (int(self.department.currentData()), self.department.currentText())
        db, task_id, label = self.database, self.task_id, self.label

        def added(part_id: int) -> None:
            self.undo_stack.push(AddPartCommand(label, self.owner, db, task_id, dept, part_id, self.after))
            self.after()
            self.reload()

        CollectionOp(parent=self, op=lambda: supervision.add_part(db, task_id, dept[0])).changes(CHANGES).success(
            added
        ).run_in_background()

    def _remove(self) -> None:
        if self.data is None:
            return
        row = self.table.currentRow()
        if row < 0 or row >= len(self.data.parts):
            QMessageBox.information(self, "责任分工", "请先在表中选择要移除的单位。")
            return
        part = self.data.parts[row]
        answer = QMessageBox.question(
            self,
            "移除责任单位",
            f"确定不再由{part.department_name}负责{part.label}吗？\n移除后该单位不再需要报送这项任务的进展"
            "（已报送过进展的不能移除）。可按 Ctrl+Z 撤销。",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        db, label, name = self.database, self.label, part.department_name
        part_id, version = part.part_id, part.version

        def removed(result: RemovedPart) -> None:
            self.undo_stack.push(RemovePartCommand(label, self.owner, db, result, name, self.after))
            self.after()
            self.reload()

        CollectionOp(parent=self, op=lambda: supervision.remove_part(db, part_id, version)).changes(CHANGES).success(
            removed
        ).run_in_background()

    def reject(self) -> None:
        """关闭: ask before dropping typed changes."""
        if self._pending:
            answer = QMessageBox.question(
                self,
                "责任分工",
                "有未保存的修改，要保存吗？",
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save:
                self.save()
        super().reject()


# --- 指定责任单位 dialog -------------------------------------------------------------------------------------


class AssignDialog(QDialog):
    """Choose the department to make responsible for the selected projects. ``department_id()`` once accepted."""

    def __init__(self, departments: list[tuple[int, str]], projects: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("指定责任单位")
        self.setMinimumWidth(460)
        shown = "、".join(projects[:6]) + (f" 等 {len(projects)} 个" if len(projects) > 6 else "")
        text = QLabel(f"为所选 {len(projects)} 个项目指定责任（牵头）单位：\n{shown}")
        text.setWordWrap(True)
        self.department = QComboBox()
        self.department.setEditable(True)
        self.department.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for dept_id, name in departments:
            self.department.addItem(name, dept_id)
        self.department.setCurrentIndex(-1)
        line = self.department.lineEdit()
        if line is not None:
            line.setPlaceholderText("选择或输入单位名称")
        completer = self.department.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
        note = QLabel("修改记入各项目的修改记录；可在项目台账中按 Ctrl+Z 一次撤销。")
        note.setStyleSheet("color: #475467;")
        buttons = button_row(self, "指定", on_ok=self._accept, saves=True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.department)
        layout.addWidget(self.error)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def department_id(self) -> int | None:
        """The chosen department's id (None when the text names none)."""
        index = self.department.findText(self.department.currentText().strip())
        return int(self.department.itemData(index)) if index >= 0 else None

    def _accept(self) -> None:
        if self.department_id() is None:
            self.error.setText("请从列表中选择一个单位。")
            return
        self.accept()
