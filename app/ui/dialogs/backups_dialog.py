"""备份与恢复: list a database's backups with dates and sizes, back up now, restore one (after confirming).

Signals: restored() after a successful restore (the main window reloads its views).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import DBAPIError

from app.services import backups as service
from app.storage.db import Database
from app.ui import read_only
from app.ui.dialogs.buttons import close_row
from app.ui.models.backup_table_model import COL_FILE, BackupTableModel
from app.ui.ops import CollectionOp, QueryOp, show_op_error


class BackupsDialog(QDialog):
    """The backups of the open database: 立即备份, 恢复 (with confirmation), how many to keep.

    Signals: restored() after a backup was restored over the database.
    """

    restored = Signal()

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.db_file = service.database_file(database)
        self.setWindowTitle("备份与恢复")
        self.resize(720, 420)

        intro = QLabel(
            f"数据库：{self.db_file}\n"
            "每天第一次启动、每次导入报表和每次升级前都会自动备份。恢复前会先备份当前数据，可随时再恢复回来。\n"
            "备份文件才是完整的安全副本：要拷贝到U盘或发给同事，请用「立即备份」后复制备份文件，"
            "不要直接复制正在使用的数据库文件。"
        )
        intro.setWordWrap(True)
        self.model = BackupTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(COL_FILE, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())

        self.backup_button = QPushButton("立即备份(&B)")
        self.backup_button.setShortcut(QKeySequence("Ctrl+B"))
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton("恢复(&R)…")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        self.folder_button = QPushButton("打开备份文件夹")
        self.folder_button.clicked.connect(self._open_folder)
        self.keep_spin = QSpinBox()
        self.keep_spin.setRange(1, 999)
        self.keep_spin.setSuffix(" 份")
        self.keep_spin.setEnabled(False)  # until the saved number is read
        QueryOp(parent=self, op=lambda: service.backup_keep(database), success=self._show_keep).run_in_background()
        self.keep_spin.setToolTip("自动和手动备份只保留最近的这么多份，更早的自动删除")
        self.keep_spin.editingFinished.connect(self._save_keep)
        read_only.writes(self.restore_button, self.keep_spin)  # both write: greyed out on a read-only database
        self.status = QLabel("")

        actions = QHBoxLayout()
        actions.addWidget(self.backup_button)
        actions.addWidget(self.restore_button)
        actions.addWidget(self.folder_button)
        actions.addStretch(1)
        actions.addWidget(QLabel("保留最近"))
        actions.addWidget(self.keep_spin)
        close = close_row(self)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.refresh()

    def refresh(self) -> None:
        """Reload the list of backups from the backup folder."""
        self.model.set_rows(service.list_database_backups(self.db_file))
        self._update_buttons()

    def backup_now(self) -> None:
        """Take a manual backup in the background; the list shows it when done."""
        self._busy("正在备份…")
        db_file = self.db_file
        self._run(QueryOp(parent=self, op=lambda: service.backup_now(db_file)), self._backup_done)

    def restore_selected(self) -> None:
        """Ask, then restore the selected backup over the open database."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        backup = self.model.backup_at(rows[0].row())
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("恢复备份")
        box.setText(f"用 {backup.created:%Y-%m-%d %H:%M}（{backup.reason_label}）的备份覆盖当前数据库？")
        box.setInformativeText("此后录入和导入的内容将被撤销。恢复前会先备份当前数据库，可以再恢复回来。")
        confirm = box.addButton("恢复", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(QMessageBox.StandardButton.NoButton)
        box.exec()
        if box.clickedButton() is not confirm:
            return
        self._busy("正在恢复…")
        path: Path = backup.path
        db_file = self.db_file
        self._run(
            CollectionOp(parent=self, op=lambda: service.restore_database(db_file, path)).changes("all"),
            self._restore_done,
        )

    def _backup_done(self, info: Any) -> None:
        self._idle(f"已备份：{info.path.name}")
        self.refresh()

    def _restore_done(self, outcome: Any) -> None:
        note = "（备份来自旧版本，已升级）" if outcome.upgraded else ""
        kept = f"恢复前的数据已备份为 {outcome.safety.path.name}" if outcome.safety else ""
        self._idle(f"已恢复{note}。{kept}")
        self.refresh()
        self.restored.emit()

    def _run(self, op: QueryOp[Any], on_success: Any) -> None:
        # Failures get the standard dialogs (a KnownError in Chinese, a locked file with 重试, else a bug report).
        op.success(on_success).abandoned(lambda _exc: self._idle("")).run_in_background()

    def _busy(self, text: str) -> None:
        self.status.setText(text)
        for button in (self.backup_button, self.restore_button):
            button.setEnabled(False)

    def _idle(self, text: str) -> None:
        self.status.setText(text)
        self.backup_button.setEnabled(True)
        self._update_buttons()

    def _update_buttons(self, *_args: Any) -> None:
        self.restore_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def _show_keep(self, keep: int) -> None:
        self.keep_spin.setValue(keep)
        self.keep_spin.setEnabled(True)

    def _save_keep(self) -> None:
        database, keep = self.database, self.keep_spin.value()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, DBAPIError):  # e.g. the dialog was opened to rescue a damaged database
                QMessageBox.warning(self, "备份与恢复", "无法把保留份数写入此数据库（数据库无法写入或已损坏）。")
            else:
                show_op_error(self, exc)

        CollectionOp(parent=self, op=lambda: service.set_backup_keep(database, keep)).failure(
            failed
        ).run_in_background()

    def _open_folder(self) -> None:
        folder = service.backup_folder(self.db_file)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def recover_from_backup(path: str, message: str, parent: QWidget | None = None) -> bool:
    """The database at ``path`` would not open: say why and, when it has backups, offer to restore one.

    Returns True when a backup was restored (the caller then tries to open the database again).
    """
    file = Path(path)
    # Only for a file whose folder is there: an offline share is not repaired by restoring over it.
    found = service.list_database_backups(file) if "://" not in path and file.parent.is_dir() else []
    if not found:
        QMessageBox.critical(parent, "无法打开数据库", message)
        return False
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("无法打开数据库")
    box.setText(message)
    box.setInformativeText(
        f"此数据库有 {len(found)} 份备份，最近一份备份于 {found[0].created:%Y-%m-%d %H:%M}。可以从备份恢复。"
    )
    restore = box.addButton("从备份恢复…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not restore:
        return False
    database = Database(file)  # connects only when used: a damaged file is never opened by SQLAlchemy here
    restored: list[bool] = []
    try:
        dialog = BackupsDialog(database, parent)
        dialog.restored.connect(lambda: restored.append(True))
        dialog.exec()
    finally:
        database.dispose()
    return bool(restored)
