"""备份与恢复 dialog: lists backups with dates and sizes, backs up now, restores after confirmation."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.storage.backup import backup_database, list_backups
from app.storage.db import Database
from app.ui.dialogs.backups_dialog import BackupsDialog
from tests.ui.desk_helpers import settle


def _first_project_name(path: Path) -> str:
    conn = sqlite3.connect(str(path))
    try:
        return str(conn.execute("SELECT name FROM projects ORDER BY id").fetchone()[0])
    finally:
        conn.close()


def _answer(monkeypatch: pytest.MonkeyPatch, text: str, asked: list[str]) -> None:
    """Make the confirmation box click the button labelled ``text`` instead of waiting for a person."""

    def fake_exec(box: QMessageBox) -> int:
        asked.append(box.text())
        for button in box.buttons():
            if button.text() == text:
                button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)


def test_dialog_lists_backups_with_date_type_and_size(qtbot: QtBot, db: Database, artifacts_dir: Path) -> None:
    assert db.path is not None
    backup_database(db.path, "daily")
    backup_database(db.path, "import")
    dialog = BackupsDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    model = dialog.model
    assert model.rowCount() == 2
    assert model.index(0, 1).data() == "导入前" and model.index(1, 1).data() == "每日自动备份"
    assert model.index(0, 2).data().endswith("KB")
    (artifacts_dir / "screenshots").mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(artifacts_dir / "screenshots" / "backups_dialog.png"))


def test_backup_now_adds_a_row(qtbot: QtBot, db: Database) -> None:
    dialog = BackupsDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0
    dialog.backup_button.click()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    assert dialog.model.index(0, 1).data() == "手动备份"
    assert "已备份" in dialog.status.text()


def test_restore_asks_first_and_cancel_changes_nothing(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert db.path is not None
    backup_database(db.path, "manual")
    conn = sqlite3.connect(str(db.path))
    conn.execute("UPDATE projects SET name = '改过'")
    conn.commit()
    conn.close()
    dialog = BackupsDialog(db)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    asked: list[str] = []
    _answer(monkeypatch, "取消", asked)
    dialog.restore_button.click()
    assert asked and "覆盖当前数据库" in asked[0]
    assert _first_project_name(db.path) == "改过"
    assert len(list_backups(db.path)) == 1


def test_restore_confirmed_restores_and_signals(qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    assert db.path is not None
    original = _first_project_name(db.path)
    backup_database(db.path, "manual")
    conn = sqlite3.connect(str(db.path))
    conn.execute("UPDATE projects SET name = '改过'")
    conn.commit()
    conn.close()
    dialog = BackupsDialog(db)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    _answer(monkeypatch, "恢复", [])
    with qtbot.waitSignal(dialog.restored, timeout=5000):
        dialog.restore_button.click()
    assert _first_project_name(db.path) == original
    assert [b.reason for b in list_backups(db.path)] == ["restore", "manual"]
    assert dialog.model.rowCount() == 2


def test_keep_setting_is_saved(qtbot: QtBot, db: Database) -> None:
    from app.services.backups import backup_keep

    dialog = BackupsDialog(db)
    qtbot.addWidget(dialog)
    settle()
    dialog.keep_spin.setValue(7)
    dialog.keep_spin.editingFinished.emit()
    settle()
    assert backup_keep(db) == 7
