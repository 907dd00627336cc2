"""Composition root: paths → database (migrate, seed) → main window. No globals."""

from __future__ import annotations

import logging
import sys
from pathlib import Path


def run_gui(db_path: str | None = None) -> int:
    """Start the GUI on ``db_path`` (default: the per-user database, created and seeded on first start)."""
    from PySide6.QtWidgets import QApplication

    from app.logging_setup import configure_logging
    from app.paths import default_database
    from app.services.database import open_database
    from app.storage.backup import daily_backup
    from app.storage.errors import KnownError
    from app.ui.crash import install_crash_handler
    from app.ui.dialogs.backups_dialog import recover_from_backup
    from app.ui.qt_chinese import install_qt_chinese

    configure_logging()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Taizhang")
    app.setApplicationDisplayName("台账")
    app.setOrganizationName("Taizhang")
    install_qt_chinese()
    install_crash_handler()
    # Imported after the crash handler: a failure while loading the windows is shown, not silent.
    from app.ui.main_window import MainWindow

    path = db_path or str(default_database())
    result = None
    while result is None:
        try:
            result = open_database(path)
        except KnownError as exc:
            # Says why; offers 从备份恢复… when the database has backups (damaged file, newer schema …).
            if not recover_from_backup(path, exc.message):
                return 1
    try:
        daily_backup(result.database)
    except KnownError as exc:  # a missed backup must not keep the clerk out of the ledger
        logging.getLogger(__name__).warning("daily backup skipped: %s", exc.message)
    window = MainWindow(result.database)
    window.show()
    code = app.exec()
    result.database.dispose()
    return int(code)


def project_root() -> Path:
    return Path(__file__).resolve().parents[1]
