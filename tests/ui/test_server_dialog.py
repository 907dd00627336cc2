"""文件 → 连接服务器数据库…: the dialog builds a URL without the password and says what is missing in Chinese."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog

from app.ui.dialogs.server_dialog import ServerDialog
from tests.ui.desk_helpers import screenshot


def test_the_url_holds_no_password_and_the_password_is_kept_apart(qtbot, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    dialog.host_edit.setText("192.168.1.20")
    dialog.port_spin.setValue(5433)
    dialog.user_edit.setText("clerk")
    dialog.password_edit.setText("s3cret")
    assert dialog.url() == "postgresql+psycopg://clerk@192.168.1.20:5433/taizhang"
    assert dialog.password() == "s3cret" and "s3cret" not in dialog.url()
    dialog.show()
    screenshot(dialog, artifacts_dir, "server_dialog")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_missing_fields_are_named_in_chinese(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.error.text() == "请填写：服务器地址、用户名" and dialog.result() != QDialog.DialogCode.Accepted


def test_a_remembered_server_fills_the_dialog(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ServerDialog(url="postgresql+psycopg://clerk@db.office.local:5432/ledger")
    qtbot.addWidget(dialog)
    assert (dialog.host_edit.text(), dialog.port_spin.value(), dialog.database_edit.text()) == (
        "db.office.local",
        5432,
        "ledger",
    )
    assert dialog.user_edit.text() == "clerk"
