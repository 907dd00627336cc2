"""The project form: every field, milestones, programme members and the audit history; every edit undoable.

Each committed field edit (leaving the field, picking from a list) is saved at once through
``app.services.projects`` as an undo command; undo and redo save again through the service, so the audit log
records them too. An edit against a row someone else changed meanwhile is refused (StaleEditError): the
form says so, reloads the latest values and clears its undo history, which no longer matches the row.
The tabs live in ``project_tabs``, the undo commands in ``app.ui.commands``, the models in ``app.ui.models``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.periods import Period, latest_closed_quarter
from app.services import projects as svc
from app.storage.db import Database
from app.ui import read_only
from app.ui.commands.base import forget_failed
from app.ui.commands.project_commands import EditProjectCommand
from app.ui.dialogs.buttons import close_row
from app.ui.dialogs.project_tabs import (
    DATE_FIELDS,
    ERROR_STYLE,
    KEYED_COMBOS,
    AuditTab,
    FieldsTab,
    MembersTab,
    MilestonesTab,
)
from app.ui.ops import OpQueue, QueryOp


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


def _shown_text(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    return ""


def _display(form: ProjectFormDialog, name: str, value: Any) -> str:
    """A field's value as the form shows it (a department's name, not its id; （空） for nothing)."""
    if value in (None, ""):
        return "（空）"
    widget = form.fields[name]
    if name in KEYED_COMBOS and isinstance(widget, QComboBox):
        index = widget.findData(value)
        return widget.itemText(index) if index >= 0 else str(value)
    if name in DATE_FIELDS and isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


# --- the dialog -------------------------------------------------------------------------------------------


class ProjectFormDialog(QDialog):
    """Edit one project. Opened by the ledger, dashboard, Gantt … with (database, project_id).

    ``period_key`` is the period the lag line is judged for (the main window passes its current period, so the
    line agrees with the ledger row the form was opened from); default: the latest closed quarter.
    Loads on the database worker. Signals: loaded() each time the form shows the database's values.
    """

    loaded = Signal()

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
        self.detail: svc.ProjectDetail | None = None
        self.queue = OpQueue()  # saves reach the database in the order the clerk made them
        self._filling = False
        self._checking = 0  # field checks on their way; a save follows each that passes
        self._close_when_saved = False  # 关闭 was pressed while saves were on their way
        self._reapply: tuple[str, Any] | None = None  # the clerk's value to offer again once reloaded
        self.setMinimumSize(820, 600)

        self.tabs = QTabWidget()
        self.fields_tab = FieldsTab(self.commit_field)
        self.fields = self.fields_tab.fields
        self.errors = self.fields_tab.errors
        self.tabs.addTab(self.fields_tab, "基本信息")
        self.milestones_tab = MilestonesTab(self)
        self.milestone_model = self.milestones_tab.model
        self.tabs.addTab(self.milestones_tab, "里程碑")
        self.members_tab = MembersTab(self)
        self.member_model = self.members_tab.model
        self.members_tab_index = self.tabs.addTab(self.members_tab, "成员名单")
        self.audit_tab = AuditTab()
        self.audit_model = self.audit_tab.model
        self.tabs.addTab(self.audit_tab, "修改记录")

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
        buttons = close_row(self)
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
        # A login that may only read sees everything and changes nothing: greyed out with the reason.
        read_only.writes(self.fields_tab, self.undo_button, self.redo_button)
        for tab in (self.milestones_tab, self.members_tab):
            read_only.writes(*tab.findChildren(QPushButton), *tab.findChildren(QLineEdit), *tab.findChildren(QComboBox))
        if not read_only.may_write():
            self.message.setText(read_only.tip())
        self.reload()

    def reject(self) -> None:
        """Close (Esc, 关闭, the window's ×): save the field being edited first, as leaving it would have.

        A field holding something that cannot be saved (a date such as 2025-13-01) is not dropped without a word:
        the clerk is asked whether to go back to it. While saves are still on their way the form waits for them.
        """
        focused = self.focusWidget()
        for name, widget in self.fields.items():
            if focused is not None and (focused is widget or widget.isAncestorOf(focused)):
                self.commit_field(name)
                break
        bad = self.unsaved_fields()
        if bad and not self._ask_discard(bad):
            return
        if self._checking or self.queue.pending():
            self._close_when_saved = True
            self.message.setText("正在保存，保存完即关闭……")
            return
        super().reject()

    def unsaved_fields(self) -> list[tuple[str, str, str]]:
        """(field, text shown, why it is not saved) for every field whose text differs from the saved value."""
        out = []
        for name in svc.PROJECT_FIELDS:
            widget = self.fields[name]
            if not widget.isEnabled():
                continue
            text = _shown_text(widget)
            try:
                value = self.fields_tab.read_value(name)
            except ValueError as exc:
                out.append((name, text, str(exc)))
                continue
            saved = self.values.get(name)
            if value != saved and not (value in (None, "") and saved in (None, "")):
                out.append((name, text, self.errors[name].text() or "尚未保存"))
        return out

    def _ask_discard(self, bad: list[tuple[str, str, str]]) -> bool:
        """Ask before closing over fields that cannot be saved; True to close (their text is given up)."""
        lines = "\n".join(f"· {svc.PROJECT_FIELDS[n]}：“{t}”（{why}）" for n, t, why in bad)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "尚有未保存的内容",
            f"以下内容没有保存：\n{lines}\n\n返回修改，还是放弃这些内容并关闭？",
            parent=self,
        )
        back = box.addButton("返回修改", QMessageBox.ButtonRole.RejectRole)
        box.addButton("放弃并关闭", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        box.exec()
        if box.clickedButton() is back:
            self.tabs.setCurrentWidget(self.fields_tab)
            widget = self.fields[bad[0][0]]
            widget.setFocus()
            if isinstance(widget, QLineEdit):
                widget.selectAll()
            return False
        return True

    def _close_if_waiting(self) -> None:
        if self._close_when_saved and not self._checking and not self.queue.pending():
            self._close_when_saved = False
            super().reject()

    # --- loading ----------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the latest values from the database into every field and table (on the database worker)."""
        database, project_id, key = self.database, self.project_id, self.period.key
        QueryOp(
            parent=self,
            op=lambda: (svc.load_project(database, project_id, key), svc.audit_for_project(database, project_id)),
            success=self._show_detail,
        ).serial("load").abandoned(self._load_failed).run_in_background()

    def _load_failed(self, _exc: BaseException) -> None:
        if self.detail is None:  # nothing to edit (e.g. the project was deleted): the message said why
            self.reject()

    def _show_detail(self, loaded: tuple[svc.ProjectDetail, list[svc.AuditRow]]) -> None:
        detail, audit = loaded
        self.detail = detail
        self.values = dict(detail.values)
        self.version = detail.version
        self.setWindowTitle(f"项目 {detail.values['code']} — {detail.values['name']}")
        self.header.setText(f"{detail.values['code']}　{detail.values['name']}")
        self.fields_tab.kind_label.setText(detail.kind_label)
        self._show_lag(detail.lag_reasons)
        self.fields_tab.source_label.setText(
            f"{detail.source_document}：{detail.source_text}" if detail.source_text else detail.source_document
        )
        self._filling = True
        self.fields_tab.set_choices(detail.tasks, detail.departments, detail.task_departments)
        for name in svc.PROJECT_FIELDS:
            self.fields_tab.show_value(name, self.values[name])
            self.errors[name].clear()
        self._filling = False
        is_programme = detail.kind == "programme"
        self.fields_tab.set_programme(is_programme)
        self.tabs.setTabVisible(self.members_tab_index, is_programme)
        self.milestone_model.set_rows(detail.milestones)
        self.member_model.set_rows(detail.members)
        self.members_tab.update_summary()
        self.audit_model.set_rows(audit)
        self.loaded.emit()
        if self._reapply is not None:
            QTimer.singleShot(0, self._offer_reapply)

    # --- editing the project ----------------------------------------------------------------------------

    def commit_field(self, name: str) -> bool:
        """Check a field and, when it changed, save it as one undoable edit; True when the edit goes ahead.

        Typing errors show at once; checks against the database (a duplicate code) run on the worker and the
        edit is pushed only when they pass.
        """
        if self._filling or self.detail is None:
            return False
        error = self.errors[name]
        try:
            value = self.fields_tab.read_value(name)
        except ValueError as exc:
            error.setText(str(exc))
            return False
        if name in DATE_FIELDS:
            start = value if name == "planned_start" else self.values["planned_start"]
            end = value if name == "planned_end" else self.values["planned_end"]
            if start and end and end < start:
                error.setText("计划完工不能早于计划开工")
                return False
        error.clear()
        old = self.values[name]
        if old == value or (old in (None, "") and value in (None, "")):
            return False
        database, project_id = self.database, self.project_id

        def checked(problems: dict[str, str]) -> None:
            if problems:
                error.setText(problems[name])
                self.values[name] = old
                self._close_when_saved = False  # the clerk must see why before the form goes
            else:
                self.undo_stack.push(EditProjectCommand(self, name, old, value))

        def check_done() -> None:
            self._checking -= 1
            self._close_if_waiting()

        # Taken at once, so leaving the field a second time (Enter, then focus out) does not save twice.
        self.values[name] = value
        self._checking += 1
        check = QueryOp(parent=self, op=lambda: svc.check_project_values(database, project_id, {name: value}))
        check.success(checked).abandoned(lambda _exc: self.values.__setitem__(name, old)).finally_(
            check_done
        ).run_in_background()
        return True

    def show_saved_value(self, name: str, value: Any, version: int) -> None:
        """A field was saved (by an edit, undo or redo): show it and remember the row's new version."""
        self.version = version
        self.values[name] = value
        self._filling = True
        self.fields_tab.show_value(name, value)
        self._filling = False
        self.errors[name].clear()
        if name in ("code", "name"):
            self.header.setText(f"{self.values['code']}　{self.values['name']}")

    def _show_lag(self, reasons: tuple[str, ...]) -> None:
        self.lag_label.setText(f"滞后（{self.period.label}）：" + "；".join(reasons) if reasons else "")
        self.lag_label.setVisible(bool(reasons))

    def after_write(self) -> None:
        """After every successful save: refresh the audit tab and the lag line, and say so."""
        self.message.setText("已保存。")
        database, project_id, key = self.database, self.project_id, self.period.key

        def show(loaded: tuple[list[svc.AuditRow], tuple[str, ...]]) -> None:
            self.audit_model.set_rows(loaded[0])
            self._show_lag(loaded[1])

        QueryOp(
            parent=self,
            op=lambda: (svc.audit_for_project(database, project_id), svc.lag_for_project(database, project_id, key)),
            success=show,
        ).serial("after_write").run_in_background()
        QTimer.singleShot(0, self._close_if_waiting)  # the queue moves on after this save's callbacks

    def drop_command(self, command: QUndoCommand, exc: BaseException, *, undoing: bool) -> None:
        """A save failed and was not retried (the standard dialog said why): keep the stack honest, reload."""
        forget_failed(self.undo_stack, self.queue, command, exc, undoing=undoing)
        self.message.setText("未能保存，已重新载入数据库中的内容。")
        self._close_when_saved = False
        self.reload()

    def stale_edit(self, command: QUndoCommand, name: str, mine: Any, exc: BaseException, *, undoing: bool) -> None:
        """Someone saved the project first: reload, then show the clerk's value beside theirs and offer it again."""
        self._reapply = (name, mine)
        self._stale_message = getattr(exc, "message", str(exc))
        self.drop_command(command, exc, undoing=undoing)

    def _offer_reapply(self) -> None:
        """After the reload a stale edit asked for: both values side by side, and 重新应用我的修改."""
        if self._reapply is None:
            return
        name, mine = self._reapply
        self._reapply = None
        theirs = self.values.get(name)
        label = svc.PROJECT_FIELDS[name]
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("数据已被修改")
        box.setText(f"该项目刚被其他人修改，您对“{label}”的修改未保存。")
        box.setInformativeText(
            f"您填写的：{_display(self, name, mine)}\n现在数据库中的：{_display(self, name, theirs)}\n\n"
            "可以把您的值再保存一次（覆盖对方的值），或保留对方的值。"
        )
        again = box.addButton("重新应用我的修改", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton("保留对方的值", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        self.stale_box = box  # for tests
        box.exec()
        if box.clickedButton() is again and mine != theirs:
            self.fields_tab.show_value(name, mine)
            self.undo_stack.push(EditProjectCommand(self, name, theirs, mine))
        else:
            self.message.setText(f"已保留对方的值：{label} {_display(self, name, theirs)}")

    def refused(self, message: str) -> None:
        """An edit refused for its content (e.g. a bad credit code): show why, keep the form as it is."""
        self.message.setText(message)
        QMessageBox.warning(self, "未能保存", message)
