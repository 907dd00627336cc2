"""设置 → 机构名称与落款: the organisation's name on the report and the office's name and contact, per database."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services import settings as service
from app.storage.db import Database
from app.ui import read_only
from app.ui.dialogs.buttons import button_row
from app.ui.ops import CollectionOp, QueryOp


class SettingsDialog(QDialog):
    """Edit the database-wide names (机构名称, 办公室名称, 联系人, 密级标注); saved together, each change audited."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.setWindowTitle("机构名称与落款")
        self.setMinimumWidth(560)
        self.edits: dict[str, QLineEdit] = {}
        self._loaded: dict[str, str] = {}
        form = QFormLayout()
        for spec in service.SETTINGS:
            edit = QLineEdit()
            edit.setPlaceholderText(spec.default or "（空）")
            edit.setToolTip(f"用于{spec.used_for}；留空则用默认值")
            edit.setMaxLength(spec.max_length)
            self.edits[spec.key] = edit
            label = QLabel(f"{spec.label}：")
            label.setBuddy(edit)
            form.addRow(label, edit)
            hint = QLabel(f"用于{spec.used_for}")
            hint.setStyleSheet("color: #667085;")
            form.addRow("", hint)
        note = QLabel(
            "两份文件对联席会议的称谓不同（2015年指导意见：全省互联网经济发展联席会议制度；"
            "2018年实施方案：协调会商机制），请按本办公室的正式名称填写。修改记入审计日志。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #667085;")
        self.buttons = button_row(self, "保存", on_ok=self.save, saves=True)
        read_only.writes(*self.edits.values())  # on a read-only database the settings are only shown
        self.buttons.setEnabled(False)  # until the values are loaded
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        QueryOp(parent=self, op=lambda: service.list_settings(database), success=self._show).run_in_background()

    def _show(self, values: list[service.SettingValue]) -> None:
        for v in values:
            text = "" if v.is_default else v.value
            self.edits[v.spec.key].setText(text)
            self._loaded[v.spec.key] = text
        self.buttons.setEnabled(True)

    def changed(self) -> dict[str, str]:
        """The settings whose text differs from what was loaded."""
        return {k: e.text().strip() for k, e in self.edits.items() if e.text().strip() != self._loaded.get(k, "")}

    def save(self) -> None:
        """Write the changed settings on the database worker; close when done (errors keep the dialog open)."""
        changes = self.changed()
        if not changes:
            self.accept()
            return
        database = self.database

        def write() -> None:
            for key, value in changes.items():
                service.set_value(database, key, value)

        self.buttons.setEnabled(False)
        CollectionOp(parent=self, op=write).changes("settings").success(lambda _r: self.accept()).finally_(
            lambda: self.buttons.setEnabled(True)
        ).run_in_background()
