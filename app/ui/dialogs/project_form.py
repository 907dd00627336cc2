"""The project form: every field, milestones, programme members and the audit history; every edit undoable.

Each committed field edit (leaving the field, picking from a list) is saved at once through
``app.services.projects`` as an undo command; undo and redo save again through the service, so the audit log
records them too. An edit against a row someone else changed meanwhile is refused (StaleEditError): the
form says so, reloads the latest values and clears its undo history, which no longer matches the row.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import credit_code
from app.domain.periods import Period, latest_closed_quarter
from app.services import projects as svc
from app.services.ledger import STATUSES
from app.storage.db import Database
from app.storage.errors import KnownError, StaleEditError

ERROR_STYLE = "color: #b42318;"
TEXT_FIELDS = ("code", "name", "quota_unit")
DATE_FIELDS = ("planned_start", "planned_end")
NUMBER_FIELDS = ("planned_investment", "quota_count")
COMBO_FIELDS = ("task_id", "lead_department_id", "status", "quota_period", "member_kind", "region")
KEYED_COMBOS = ("task_id", "lead_department_id", "quota_period", "member_kind")  # items carry a key as data


def _fmt_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def _fmt_number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- undo commands ----------------------------------------------------------------------------------------


class _FormCommand(QUndoCommand):
    """A form edit; a refused write marks the command obsolete and reloads the form."""

    def __init__(self, form: ProjectFormDialog, text: str) -> None:
        super().__init__(text)
        self.form = form

    def _run(self, fn: Any) -> bool:
        try:
            fn()
        except StaleEditError as exc:
            self.setObsolete(True)
            self.form.stale(exc.message)
            return False
        except KnownError as exc:
            self.setObsolete(True)
            self.form.refused(exc.message)
            return False
        self.form.after_write()
        return True


class EditProjectCommand(_FormCommand):
    def __init__(self, form: ProjectFormDialog, field: str, old: Any, new: Any) -> None:
        super().__init__(form, f"修改{svc.PROJECT_FIELDS[field]}")
        self.field, self.old, self.new = field, old, new

    def redo(self) -> None:
        self._run(lambda: self.form.write_project(self.field, self.new))

    def undo(self) -> None:
        self._run(lambda: self.form.write_project(self.field, self.old))


class _RowCommand(_FormCommand):
    """Base of milestone and member commands.

    Undoing a delete (or redoing an add) re-creates the row under a new id; the model records the old id as an
    alias of the new one, so commands further along the stack still find "their" row.
    """

    def _model(self) -> _RowsModel:
        raise NotImplementedError

    def _current(self, row_id: int) -> Any:
        row = self._model().by_id(row_id)
        if row is None:
            raise StaleEditError("该记录已不在列表中，可能已被其他人删除。")
        return row


class AddMilestoneCommand(_RowCommand):
    def __init__(self, form: ProjectFormDialog, name: str, planned: date | None) -> None:
        super().__init__(form, f"新增里程碑「{name}」")
        self.name, self.planned = name, planned
        self.first_id: int | None = None
        self.deleted_id: int | None = None

    def _model(self) -> _RowsModel:
        return self.form.milestone_model

    def redo(self) -> None:
        def do() -> None:
            row = svc.add_milestone(self.form.database, self.form.project_id, self.name, self.planned)
            if self.first_id is None:
                self.first_id = row.id
            elif self.deleted_id is not None:
                self._model().alias(self.deleted_id, row.id)
            self._model().upsert(row)

        self._run(do)

    def undo(self) -> None:
        def do() -> None:
            assert self.first_id is not None
            current = self._current(self.first_id)
            svc.delete_milestone(self.form.database, current.id, current.version)
            self.deleted_id = current.id
            self._model().remove(current.id)

        if self.first_id is not None:
            self._run(do)


class EditMilestoneCommand(_RowCommand):
    def __init__(self, form: ProjectFormDialog, milestone_id: int, field: str, old: Any, new: Any) -> None:
        super().__init__(form, f"修改里程碑{svc.MILESTONE_FIELDS[field]}")
        self.milestone_id, self.field, self.old, self.new = milestone_id, field, old, new

    def _model(self) -> _RowsModel:
        return self.form.milestone_model

    def _write(self, value: Any) -> None:
        current = self._current(self.milestone_id)
        version = svc.update_milestone(self.form.database, current.id, current.version, {self.field: value})
        self._model().upsert(svc.MilestoneRow(**{**current.__dict__, self.field: value, "version": version}))

    def redo(self) -> None:
        self._run(lambda: self._write(self.new))

    def undo(self) -> None:
        self._run(lambda: self._write(self.old))


class DeleteMilestoneCommand(_RowCommand):
    def __init__(self, form: ProjectFormDialog, row: svc.MilestoneRow) -> None:
        super().__init__(form, f"删除里程碑「{row.name}」")
        self.row_id = row.id
        self.deleted: svc.MilestoneRow = row

    def _model(self) -> _RowsModel:
        return self.form.milestone_model

    def redo(self) -> None:
        def do() -> None:
            current = self._current(self.row_id)
            svc.delete_milestone(self.form.database, current.id, current.version)
            self.deleted = current
            self._model().remove(current.id)

        self._run(do)

    def undo(self) -> None:
        def do() -> None:
            r = self.deleted
            row = svc.add_milestone(
                self.form.database, self.form.project_id, r.name, r.planned_date, r.actual_date, r.source
            )
            self._model().alias(r.id, row.id)
            self._model().upsert(row)

        self._run(do)


class AddMemberCommand(_RowCommand):
    def __init__(self, form: ProjectFormDialog, name: str, code: str, region: str, year: int | None) -> None:
        super().__init__(form, f"新增成员「{name}」")
        self.args = (name, code, region, year)
        self.first_id: int | None = None
        self.deleted_id: int | None = None

    def _model(self) -> _RowsModel:
        return self.form.member_model

    def redo(self) -> None:
        def do() -> None:
            member = svc.add_member(self.form.database, self.form.project_id, *self.args)
            if self.first_id is None:
                self.first_id = member.id
            elif self.deleted_id is not None:
                self._model().alias(self.deleted_id, member.id)
            self._model().upsert(member)

        self._run(do)

    def undo(self) -> None:
        def do() -> None:
            assert self.first_id is not None
            current = self._current(self.first_id)
            svc.delete_member(self.form.database, current.id, current.version)
            self.deleted_id = current.id
            self._model().remove(current.id)

        if self.first_id is not None:
            self._run(do)


class EditMemberCommand(_RowCommand):
    def __init__(self, form: ProjectFormDialog, member_id: int, field: str, old: Any, new: Any) -> None:
        super().__init__(form, f"修改成员{svc.MEMBER_FIELDS[field]}")
        self.member_id, self.field, self.old, self.new = member_id, field, old, new

    def _model(self) -> _RowsModel:
        return self.form.member_model

    def _write(self, value: Any) -> None:
        current = self._current(self.member_id)
        version = svc.update_member(self.form.database, current.id, current.version, {self.field: value})
        if self.field == "credit_code":
            value = str(value).strip().upper()
        self._model().upsert(svc.MemberDetail(**{**current.__dict__, self.field: value, "version": version}))

    def redo(self) -> None:
        self._run(lambda: self._write(self.new))

    def undo(self) -> None:
        self._run(lambda: self._write(self.old))


class DeleteMemberCommand(_RowCommand):
    def __init__(self, form: ProjectFormDialog, member: svc.MemberDetail) -> None:
        super().__init__(form, f"删除成员「{member.name}」")
        self.member_id = member.id
        self.deleted: svc.MemberDetail = member

    def _model(self) -> _RowsModel:
        return self.form.member_model

    def redo(self) -> None:
        def do() -> None:
            current = self._current(self.member_id)
            svc.delete_member(self.form.database, current.id, current.version)
            self.deleted = current
            self._model().remove(current.id)

        self._run(do)

    def undo(self) -> None:
        def do() -> None:
            member = svc.restore_member(self.form.database, self.form.project_id, self.deleted)
            self._model().alias(self.deleted.id, member.id)
            self._model().upsert(member)

        self._run(do)


# --- item models ------------------------------------------------------------------------------------------


class _RowsModel(QAbstractTableModel):
    """A table of plain frozen dataclasses keyed by ``id``; edits are handed to ``on_edit``."""

    headers: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []
        self.on_edit: Any = None
        self.aliases: dict[int, int] = {}  # id of a deleted row → id it was re-created under

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.aliases.clear()
        self.endResetModel()

    def alias(self, old_id: int, new_id: int) -> None:
        """Record that the row once ``old_id`` now lives as ``new_id``."""
        if old_id != new_id:
            self.aliases[old_id] = new_id

    def resolve(self, row_id: int) -> int:
        """The current id of a row, following re-creations."""
        seen: set[int] = set()
        while row_id in self.aliases and row_id not in seen:
            seen.add(row_id)
            row_id = self.aliases[row_id]
        return row_id

    def by_id(self, row_id: int) -> Any:
        row_id = self.resolve(row_id)
        return next((r for r in self.rows if r.id == row_id), None)

    def upsert(self, row: Any) -> None:
        """Replace the row with the same id (targeted dataChanged) or append it."""
        for i, r in enumerate(self.rows):
            if r.id == row.id:
                self.rows[i] = row
                self.dataChanged.emit(self.index(i, 0), self.index(i, self.columnCount() - 1))
                return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        self.rows.append(row)
        self.endInsertRows()

    def remove(self, row_id: int) -> None:
        row_id = self.resolve(row_id)
        for i, r in enumerate(self.rows):
            if r.id == row_id:
                self.beginRemoveRows(QModelIndex(), i, i)
                del self.rows[i]
                self.endRemoveRows()
                return

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return None

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.on_edit is None:
            return False
        return bool(self.on_edit(self.rows[index.row()], index.column(), str(value)))


class MilestoneModel(_RowsModel):
    COL_NAME, COL_PLANNED, COL_ACTUAL, COL_SOURCE = range(4)
    FIELDS = ("name", "planned_date", "actual_date")
    headers = ("里程碑", "计划日期", "实际日期", "来源")

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row: svc.MilestoneRow = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (row.name, _fmt_date(row.planned_date), _fmt_date(row.actual_date), row.source)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == self.COL_PLANNED:
            if row.actual_date is None and row.planned_date and row.planned_date < date.today():
                return QColor("#b42318")
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() and index.column() < 3 else base


class MemberModel(_RowsModel):
    COL_NAME, COL_CODE, COL_REGION, COL_YEAR, COL_SOURCE = range(5)
    FIELDS = ("name", "credit_code", "region", "year_counted")
    headers = ("名称", "统一社会信用代码", "地区", "计入年度", "来源")

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        m: svc.MemberDetail = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            source = "部门报表" if m.from_return else m.source
            return (m.name, m.credit_code, m.region, _fmt_number(m.year_counted), source)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.COL_CODE and m.credit_code:
            return credit_code.problem(m.credit_code) or "代码校验通过"
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == self.COL_CODE and m.credit_code:
            return QColor("#b42318") if credit_code.problem(m.credit_code) else None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid() or index.column() >= 4 or self.rows[index.row()].from_return:
            return base
        return base | Qt.ItemFlag.ItemIsEditable


class AuditModel(_RowsModel):
    headers = ("时间", "修改人", "对象", "操作", "字段", "原值", "新值")

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        a: svc.AuditRow = self.rows[index.row()]
        return (
            a.at.strftime("%Y-%m-%d %H:%M:%S"),
            a.user,
            svc.ENTITY_LABELS.get(a.entity, a.entity),
            svc.ACTION_LABELS.get(a.action, a.action),
            svc.field_label(a.entity, a.field),
            a.old_value,
            a.new_value,
        )[index.column()]

    def by_id(self, row_id: int) -> Any:  # audit rows have no id of their own
        return None


class _FocusOut(QObject):
    """Calls back when a multi-line editor loses focus (it has no editingFinished)."""

    def __init__(self, callback: Any, parent: QObject) -> None:
        super().__init__(parent)
        self.callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.callback()
        return False


class _FormUndoKeys(QObject):
    """Lets Ctrl+Z / Ctrl+Y reach the form's undo stack from a text field with nothing of its own to undo.

    A QLineEdit claims those keys even when its own undo history is empty (as it is after each save), which
    would make the form's undo unreachable while the cursor sits in any field.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.matches(QKeySequence.StandardKey.Undo):
                own = _own_undo(watched, redo=False)
            elif event.matches(QKeySequence.StandardKey.Redo) or (
                event.key() == Qt.Key.Key_Y and event.modifiers() == Qt.KeyboardModifier.ControlModifier
            ):
                own = _own_undo(watched, redo=True)
            else:
                return False
            if not own:
                event.ignore()
                return True
        return False


def _own_undo(widget: QObject, *, redo: bool) -> bool:
    if isinstance(widget, QLineEdit):
        return widget.isRedoAvailable() if redo else widget.isUndoAvailable()
    if isinstance(widget, QPlainTextEdit):
        doc = widget.document()
        return doc.isRedoAvailable() if redo else doc.isUndoAvailable()
    return False


# --- the dialog -------------------------------------------------------------------------------------------


class ProjectFormDialog(QDialog):
    """Edit one project. Opened by the ledger, dashboard, Gantt … with (database, project_id).

    ``period_key`` is the period the lag line is judged for (the main window passes its current period, so the
    line agrees with the ledger row the form was opened from); default: the latest closed quarter.
    """

    def __init__(
        self, database: Database, project_id: int, parent: QWidget | None = None, period_key: str | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.project_id = project_id
        self.period = Period.parse(period_key) if period_key else latest_closed_quarter(date.today())
        self.undo_stack = QUndoStack(self)
        self.values: dict[str, Any] = {}
        self.version = 0
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self._filling = False
        self.setMinimumSize(820, 600)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_fields_tab(), "基本信息")
        self.milestone_model = MilestoneModel(self)
        self.milestone_model.on_edit = self._edit_milestone
        self.tabs.addTab(self._build_milestones_tab(), "里程碑")
        self.member_model = MemberModel(self)
        self.member_model.on_edit = self._edit_member
        self.members_tab = self._build_members_tab()
        self.members_tab_index = self.tabs.addTab(self.members_tab, "成员名单")
        self.audit_model = AuditModel(self)
        self.tabs.addTab(self._build_audit_tab(), "修改记录")

        self.message = QLabel()
        self.message.setWordWrap(True)
        undo = self.undo_stack.createUndoAction(self, "撤销")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "重做")
        # Redo is Ctrl+Y already on Windows (and here): listing it twice makes Qt call Ctrl+Y ambiguous and
        # do nothing, so add the platform's other redo keys (Ctrl+Shift+Z) only once each.
        redo_keys = [QKeySequence("Ctrl+Y")]
        redo_keys += [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo) if k not in redo_keys]
        redo.setShortcuts(redo_keys)
        self.addActions([undo, redo])
        # Buttons with fixed labels (the actions' texts grow with the command name); tooltips say what.
        self.undo_button = QPushButton("撤销")
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_button.setEnabled(False)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.undoTextChanged.connect(lambda t: self.undo_button.setToolTip(f"撤销{t}（Ctrl+Z）"))
        self.redo_button = QPushButton("重做")
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.redo_button.setEnabled(False)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_stack.redoTextChanged.connect(lambda t: self.redo_button.setToolTip(f"重做{t}（Ctrl+Y）"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.undo_button)
        bottom.addWidget(self.redo_button)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        self.header = QLabel()
        self.header.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        self.lag_label = QLabel()
        self.lag_label.setStyleSheet(ERROR_STYLE)
        self.lag_label.setWordWrap(True)
        layout.addWidget(self.lag_label)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self._undo_keys = _FormUndoKeys(self)
        for editor in self.findChildren(QLineEdit) + self.findChildren(QPlainTextEdit):
            editor.installEventFilter(self._undo_keys)
        self.reload()

    # --- building ---------------------------------------------------------------------------------------

    def _build_fields_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
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
                    edit.editingFinished.connect(lambda n=name: self.commit_field(n))
                    combo.activated.connect(lambda _i, n=name: self.commit_field(n))
                else:
                    combo.activated.connect(lambda _i, n=name: self.commit_field(n))
                widget = combo
            elif name == "notes":
                notes = QPlainTextEdit()
                notes.setFixedHeight(70)
                notes.installEventFilter(_FocusOut(lambda: self.commit_field("notes"), notes))
                widget = notes
            else:
                line = QLineEdit()
                if name in DATE_FIELDS:
                    line.setPlaceholderText("如 2025-03-31，可留空")
                line.editingFinished.connect(lambda n=name: self.commit_field(n))
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
        return page

    def _table(self, model: QAbstractTableModel, editable: bool = True) -> QTableView:
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

    def _build_milestones_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.milestone_view = self._table(self.milestone_model)
        self.milestone_view.setColumnWidth(0, 260)
        self.milestone_view.setColumnWidth(1, 110)
        self.milestone_view.setColumnWidth(2, 110)
        layout.addWidget(self.milestone_view, 1)
        self.milestone_name = QLineEdit()
        self.milestone_name.setPlaceholderText("里程碑名称，如 主体完工")
        self.milestone_date = QLineEdit()
        self.milestone_date.setPlaceholderText("计划日期 2025-06-30")
        add = QPushButton("添加里程碑")
        add.clicked.connect(self.add_milestone_from_inputs)
        self.milestone_date.returnPressed.connect(self.add_milestone_from_inputs)
        delete = QPushButton("删除所选…")
        delete.clicked.connect(self.delete_selected_milestone)
        self.milestone_error = QLabel()
        self.milestone_error.setStyleSheet(ERROR_STYLE)
        row = QHBoxLayout()
        row.addWidget(self.milestone_name, 2)
        row.addWidget(self.milestone_date, 1)
        row.addWidget(add)
        row.addWidget(delete)
        layout.addLayout(row)
        layout.addWidget(self.milestone_error)
        layout.addWidget(QLabel("双击单元格可修改名称和日期；实际日期填写后即视为完成。"))
        return page

    def _build_members_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.member_summary = QLabel()
        layout.addWidget(self.member_summary)
        self.member_view = self._table(self.member_model)
        self.member_view.setColumnWidth(0, 240)
        self.member_view.setColumnWidth(1, 180)
        layout.addWidget(self.member_view, 1)
        grid = QFormLayout()
        self.member_name = QLineEdit()
        self.member_code = QLineEdit()
        self.member_code.setMaxLength(18)
        self.member_code.setPlaceholderText("18位，可留空")
        self.member_code.textChanged.connect(self._check_code_live)
        self.member_region = QComboBox()
        self.member_region.setEditable(True)
        self.member_region.addItems(["", *svc.REGIONS])
        self.member_year = QLineEdit()
        self.member_year.setPlaceholderText(str(date.today().year))
        self.member_errors = {k: QLabel() for k in ("name", "credit_code", "year_counted")}
        for label in self.member_errors.values():
            label.setStyleSheet(ERROR_STYLE)
        for text, widget, key in (
            ("名称", self.member_name, "name"),
            ("统一社会信用代码", self.member_code, "credit_code"),
            ("地区", self.member_region, None),
            ("计入年度", self.member_year, "year_counted"),
        ):
            row = QHBoxLayout()
            row.addWidget(widget, 3)
            if key:
                row.addWidget(self.member_errors[key], 2)
            else:
                row.addStretch(2)
            grid.addRow(text, row)
        layout.addLayout(grid)
        buttons = QHBoxLayout()
        add = QPushButton("登记成员")
        add.clicked.connect(self.add_member_from_inputs)
        delete = QPushButton("删除所选…")
        delete.clicked.connect(self.delete_selected_member)
        buttons.addWidget(add)
        buttons.addWidget(delete)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return page

    def _build_audit_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.audit_view = self._table(self.audit_model, editable=False)
        self.audit_view.setColumnWidth(0, 150)
        layout.addWidget(self.audit_view)
        return page

    def reject(self) -> None:
        """Close (Esc too): first save the field being edited, as leaving it would have."""
        focused = self.focusWidget()
        for name, widget in self.fields.items():
            if focused is not None and (focused is widget or widget.isAncestorOf(focused)):
                self.commit_field(name)
                break
        super().reject()

    # --- loading ----------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the latest values from the database into every field and table."""
        detail = svc.load_project(self.database, self.project_id, self.period.key)
        self.detail = detail
        self.values = dict(detail.values)
        self.version = detail.version
        self.setWindowTitle(f"项目 {detail.values['code']} — {detail.values['name']}")
        self.header.setText(f"{detail.values['code']}　{detail.values['name']}")
        self.kind_label.setText(detail.kind_label)
        self._show_lag(detail.lag_reasons)
        self.source_label.setText(
            f"{detail.source_document}：{detail.source_text}" if detail.source_text else detail.source_document
        )
        self._filling = True
        task = self.fields["task_id"]
        dept = self.fields["lead_department_id"]
        assert isinstance(task, QComboBox) and isinstance(dept, QComboBox)
        for combo, choices in ((task, detail.tasks), (dept, detail.departments)):
            combo.clear()
            combo.addItem("（未指定）", None)
            for key, text in choices:
                combo.addItem(text, key)
        for i in range(1, task.count()):
            names = detail.task_departments.get(task.itemData(i), [])
            if names:  # a task's equal responsible departments, every one of them
                task.setItemData(i, "责任单位：" + "、".join(names), Qt.ItemDataRole.ToolTipRole)
        for name in svc.PROJECT_FIELDS:
            self._show_value(name, self.values[name])
            self.errors[name].clear()
        self._filling = False
        is_programme = detail.kind == "programme"
        for name in ("quota_count", "quota_period", "quota_unit", "member_kind"):
            self.fields[name].setEnabled(is_programme)
        self.tabs.setTabVisible(self.members_tab_index, is_programme)
        self.milestone_model.set_rows(detail.milestones)
        self.member_model.set_rows(detail.members)
        self._update_member_summary()
        self.reload_audit()

    def reload_audit(self) -> None:
        """Refresh the 修改记录 tab."""
        self.audit_model.set_rows(svc.audit_for_project(self.database, self.project_id))

    def _show_value(self, name: str, value: Any) -> None:
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
                widget.setText(_fmt_date(value))
            elif name in NUMBER_FIELDS:
                widget.setText(_fmt_number(value))
            else:
                widget.setText(value or "")

    def _read_value(self, name: str) -> Any:
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

    # --- editing the project ----------------------------------------------------------------------------

    def commit_field(self, name: str) -> bool:
        """Validate a field and, when it changed, save it as one undoable edit; True when saved."""
        if self._filling:
            return False
        error = self.errors[name]
        try:
            value = self._read_value(name)
        except ValueError as exc:
            error.setText(str(exc))
            return False
        problems = svc.check_project_values(self.database, self.project_id, {name: value})
        if not problems and name in DATE_FIELDS:
            start = value if name == "planned_start" else self.values["planned_start"]
            end = value if name == "planned_end" else self.values["planned_end"]
            if start and end and end < start:
                problems[name] = "计划完工不能早于计划开工"
        if problems:
            error.setText(problems[name])
            return False
        error.clear()
        old = self.values[name]
        if old == value or (old in (None, "") and value in (None, "")):
            return False
        self.undo_stack.push(EditProjectCommand(self, name, old, value))
        return True

    def write_project(self, name: str, value: Any) -> None:
        """Save one field through the service (used by the undo commands)."""
        self.version = svc.update_project(self.database, self.project_id, self.version, {name: value})
        self.values[name] = value
        self._filling = True
        self._show_value(name, value)
        self._filling = False
        self.errors[name].clear()
        if name in ("code", "name"):
            self.header.setText(f"{self.values['code']}　{self.values['name']}")

    def _show_lag(self, reasons: tuple[str, ...]) -> None:
        self.lag_label.setText(f"滞后（{self.period.label}）：" + "；".join(reasons) if reasons else "")
        self.lag_label.setVisible(bool(reasons))

    def after_write(self) -> None:
        """After every successful save: refresh the audit tab and the lag line, and say so."""
        self.reload_audit()
        self._show_lag(svc.lag_for_project(self.database, self.project_id, self.period.key))
        self.message.setText("已保存。")

    def stale(self, message: str) -> None:
        """Someone else changed the record: say so, reload, and drop the undo history (it no longer fits)."""
        QMessageBox.warning(self, "内容已被他人修改", message)
        self.message.setText("已载入他人修改后的最新内容。")
        QTimer.singleShot(0, self.undo_stack.clear)
        self.reload()

    def refused(self, message: str) -> None:
        """An edit refused for its content (e.g. a duplicate code): show why, keep the form as it is."""
        self.message.setText(message)
        QMessageBox.warning(self, "未能保存", message)

    # --- milestones -------------------------------------------------------------------------------------

    def add_milestone_from_inputs(self) -> bool:
        """Add the milestone typed below the table."""
        name = self.milestone_name.text().strip()
        if not name:
            self.milestone_error.setText("请填写里程碑名称")
            return False
        try:
            planned = svc.parse_date(self.milestone_date.text())
        except ValueError as exc:
            self.milestone_error.setText(f"计划日期：{exc}")
            return False
        self.milestone_error.clear()
        self.undo_stack.push(AddMilestoneCommand(self, name, planned))
        self.milestone_name.clear()
        self.milestone_date.clear()
        return True

    def _edit_milestone(self, row: svc.MilestoneRow, column: int, text: str) -> bool:
        field = MilestoneModel.FIELDS[column]
        try:
            value: Any = text.strip() if field == "name" else svc.parse_date(text)
        except ValueError as exc:
            self.milestone_error.setText(f"{svc.MILESTONE_FIELDS[field]}：{exc}")
            return False
        if field == "name" and not value:
            self.milestone_error.setText("里程碑名称不能为空")
            return False
        self.milestone_error.clear()
        if getattr(row, field) == value:
            return False
        self.undo_stack.push(EditMilestoneCommand(self, row.id, field, getattr(row, field), value))
        return True

    def delete_selected_milestone(self) -> None:
        """Delete the selected milestone, after asking."""
        index = self.milestone_view.currentIndex()
        if not index.isValid():
            return
        row = self.milestone_model.rows[index.row()]
        if QMessageBox.question(self, "删除里程碑", f"确定删除里程碑「{row.name}」吗？（可撤销）") != (
            QMessageBox.StandardButton.Yes
        ):
            return
        self.undo_stack.push(DeleteMilestoneCommand(self, row))

    # --- members ----------------------------------------------------------------------------------------

    def _check_code_live(self, text: str) -> None:
        label = self.member_errors["credit_code"]
        if len(text.strip()) < 18:
            label.setText("" if not text.strip() else f"还差 {18 - len(text.strip())} 位")
            return
        label.setText(credit_code.problem(text) or "")

    def add_member_from_inputs(self) -> bool:
        """Register the member typed below the list, after checking name, credit code and year."""
        for label in self.member_errors.values():
            label.clear()
        name = self.member_name.text().strip()
        code = self.member_code.text().strip().upper()
        try:
            year = svc.parse_number(self.member_year.text(), integer=True)
        except ValueError as exc:
            self.member_errors["year_counted"].setText(str(exc))
            return False
        problems = svc.check_member(self.database, self.project_id, name, code)
        for key, message in problems.items():
            self.member_errors[key].setText(message)
        if problems:
            return False
        region = self.member_region.currentText().strip()
        self.undo_stack.push(AddMemberCommand(self, name, code, region, int(year) if year is not None else None))
        for widget in (self.member_name, self.member_code, self.member_year):
            widget.clear()
        self._update_member_summary()
        return True

    def _edit_member(self, member: svc.MemberDetail, column: int, text: str) -> bool:
        field = MemberModel.FIELDS[column]
        value: Any = text.strip()
        if field == "year_counted":
            try:
                number = svc.parse_number(text, integer=True)
            except ValueError as exc:
                self.refused(f"计入年度：{exc}")
                return False
            value = int(number) if number is not None else None
        elif field == "credit_code":
            value = value.upper()
            problem = credit_code.problem(value) if value else None
            if problem:
                self.refused(problem)
                return False
        if getattr(member, field) == value:
            return False
        self.undo_stack.push(EditMemberCommand(self, member.id, field, getattr(member, field), value))
        return True

    def delete_selected_member(self) -> None:
        """Delete the selected member (only those a clerk entered), after asking."""
        index = self.member_view.currentIndex()
        if not index.isValid():
            return
        member = self.member_model.rows[index.row()]
        if member.from_return:
            self.refused("该成员来自部门报表，不能在此删除；请在报表中更正后重新导入。")
            return
        if QMessageBox.question(self, "删除成员", f"确定从名单中删除「{member.name}」吗？（可撤销）") != (
            QMessageBox.StandardButton.Yes
        ):
            return
        self.undo_stack.push(DeleteMemberCommand(self, member))
        self._update_member_summary()

    def _update_member_summary(self) -> None:
        count = self.values.get("quota_count")
        period = svc.QUOTA_PERIODS.get(self.values.get("quota_period") or "", "")
        unit = self.values.get("quota_unit") or "个"
        target = f"，定额：{period}{count}{unit}" if count else ""
        self.member_summary.setText(f"已登记 {self.member_model.rowCount()} 个{target}")
