"""Composition root: paths → database (migrate, seed) → main window. No globals."""

from __future__ import annotations

import logging
import sys
from pathlib import Path


def run_gui(db_path: str | None = None) -> int:
    """Start the GUI on ``db_path`` (default: the per-user database, created and seeded on first start)."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.paths import default_database
    from app.services.database import open_database
    from app.services.startup import complete_builtin_portfolio, has_portfolio
    from app.storage.backup import daily_backup
    from app.storage.errors import KnownError
    from app.ui.crash import install_crash_handler
    from app.ui.main_window import MainWindow, report_startup_if_asked
    from app.ui.qt_chinese import install_qt_chinese
    from app.ui.settings import Settings
    from app.ui.tasks import run_in_background

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Taizhang")
    QApplication.setApplicationDisplayName("台账")
    app.setOrganizationName("Taizhang")
    install_qt_chinese()
    install_crash_handler()
    path = db_path or str(default_database())
    # A database that already has the portfolio opens at once; the check for records a newer app adds runs
    # after the window shows (it costs ~150 ms). A new database is seeded before the window, as views need it.
    seed_later = has_portfolio(path)
    try:
        result = open_database(path, seed=not seed_later)
    except KnownError as exc:
        QMessageBox.critical(None, "无法打开数据库", exc.message)
        return 1
    Settings().add_recent_database(str(result.database.path or path))
    try:
        daily_backup(result.database)
    except KnownError as exc:  # a missed backup must not keep the clerk out of the ledger
        logging.getLogger(__name__).warning("daily backup skipped: %s", exc.message)
    window = MainWindow(result.database)
    window.show()
    report_startup_if_asked(window)
    if seed_later:
        database = result.database

        def portfolio_checked(added: int) -> None:
            if added:
                window.check_for_changes()

        run_in_background(
            lambda: complete_builtin_portfolio(database),
            portfolio_checked,
            lambda exc, tb: logging.getLogger("taizhang").error("portfolio check failed: %s\n%s", exc, tb),
            parent=window,
        )
    code = app.exec()
    result.database.dispose()
    return int(code)


def project_root() -> Path:
    return Path(__file__).resolve().parents[1]
