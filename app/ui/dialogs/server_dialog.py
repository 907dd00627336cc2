"""文件 → 连接服务器数据库…: host, port, database and login of a PostgreSQL server; the password is kept by the OS.

The URL the app remembers holds no password; "记住密码" puts the password in the OS credential store
(Windows: 凭据管理器) through ``app.services.credentials``.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import make_url

from app.services.credentials import saved_password, server_url
from app.ui.dialogs.buttons import button_row


class ServerDialog(QDialog):
    """Ask for a server database's address and login; ``url()``, ``password()``, ``remember()`` after OK."""

    def __init__(self, parent: QWidget | None = None, url: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("连接服务器数据库")
        self.host_edit = QLineEdit()
        self.host_edit.setPlaceholderText("如 192.168.1.20 或 db.office.local")
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(5432)
        self.database_edit = QLineEdit("taizhang")
        self.user_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_box = QCheckBox("记住密码（保存在 Windows 凭据管理器中，不写入任何文件）")
        self.remember_box.setChecked(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b42318;")
        form = QFormLayout()
        form.addRow("服务器地址(&H)", self.host_edit)
        form.addRow("端口(&P)", self.port_spin)
        form.addRow("数据库名(&D)", self.database_edit)
        form.addRow("用户名(&U)", self.user_edit)
        form.addRow("密码(&W)", self.password_edit)
        form.addRow("", self.remember_box)
        note = QLabel("服务器支持时自动使用加密连接（TLS）。只读账号登录时，台账以只读方式打开。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #667085;")
        self.buttons = button_row(self, "连接")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        if url:
            self._fill(url)

    def _fill(self, url: str) -> None:
        parsed = make_url(url)
        self.host_edit.setText(parsed.host or "")
        self.port_spin.setValue(parsed.port or 5432)
        self.database_edit.setText(parsed.database or "")
        self.user_edit.setText(parsed.username or "")
        self.password_edit.setText(saved_password(url) or "")

    def url(self) -> str:
        """The server URL (no password in it)."""
        return server_url(
            self.host_edit.text().strip(),
            self.port_spin.value(),
            self.database_edit.text().strip(),
            self.user_edit.text().strip(),
        )

    def password(self) -> str:
        """The password typed (never stored by this dialog)."""
        return self.password_edit.text()

    def remember(self) -> bool:
        """Whether to keep the password in the OS credential store."""
        return self.remember_box.isChecked()

    def accept(self) -> None:
        required = (("服务器地址", self.host_edit), ("数据库名", self.database_edit), ("用户名", self.user_edit))
        missing = [name for name, edit in required if not edit.text().strip()]
        if missing:
            self.error.setText("请填写：" + "、".join(missing))
            return
        super().accept()
