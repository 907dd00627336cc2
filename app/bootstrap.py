"""Composition root: paths → database (migrate, seed) → main window. No globals."""

from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path


def run_gui(db_path: str | None = None) -> int:
    """Start the GUI on ``db_path`` (default: the per-user database, created and seeded on first start)."""
    # Start-up allocates ~100,000 objects and keeps nearly all of them (modules, classes, mappers): the cyclic
    # collector would scan them again and again for nothing (~8 % of the start). It is back on once the first
    # view is painted (or has failed to load for a while) and when this returns.
    gc.disable()
    try:
        return _run_gui(db_path)
    finally:
        gc.enable()


def _run_gui(db_path: str | None) -> int:
    # Everything the start needs that does not use Qt is imported before PySide6: once PySide6 is loaded it
    # replaces ``__import__`` with a hook that runs Python code for every import statement executed and
    # checks every new module's source (≈ 4 % of the start's instructions for SQLAlchemy and the models alone).
    # Modules loaded before it are never asked about; none of them calls Qt.
    from app.logging_setup import configure_logging
    from app.paths import default_database
    from app.services import dashboard as _first_view  # noqa: F401 - SQLAlchemy, the models, the first view's services
    from app.services import watch as _watch  # noqa: F401 - the main window's change watcher
    from app.services.database import open_database
    from app.services.startup import complete_builtin_portfolio, has_portfolio
    from app.storage.backup import daily_backup
    from app.storage.errors import KnownError
    from app.ui import import_hook

    import_hook.install()  # before PySide6 loads: every later import is checked the cheap way
    from PySide6.QtWidgets import QApplication

    from app.ui.crash import install_crash_handler
    from app.ui.qt_chinese import install_qt_chinese
    from app.ui.settings import Settings
    from app.ui.tasks import database_pool, run_in_background

    configure_logging()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Taizhang")
    QApplication.setApplicationDisplayName("台账")
    app.setOrganizationName("Taizhang")
    from app.ui.app_icon import app_icon

    QApplication.setWindowIcon(app_icon())  # every window and dialog, and the taskbar
    install_qt_chinese()
    install_crash_handler()
    # Imported after the crash handler: a failure while loading the windows is shown, not silent.
    from app.ui.main_window import MainWindow, report_startup_if_asked

    path = db_path or str(default_database())
    # A database that already has the portfolio opens at once; the check for records a newer app adds runs
    # after the window shows (it costs ~150 ms). A new database is seeded before the window, as views need it.
    result = None
    seed_later = False
    while result is None:
        seed_later = has_portfolio(path)  # again after a restore from backup
        try:
            result = open_database(path, seed=not seed_later)
        except KnownError as exc:
            from app.ui.dialogs.backups_dialog import recover_from_backup

            # Says why; offers 从备份恢复… when the database has backups (damaged file, newer schema …).
            if not recover_from_backup(path, exc.message):
                return 1
    Settings().add_recent_database(str(result.database.path or path))
    window = MainWindow(result.database)
    window.show()
    report_startup_if_asked(window)

    def after_start() -> None:
        # What start-up built lives as long as the app: set it aside, so turning the collector back on does not
        # pause the window to scan it (and later collections scan only what the session adds).
        gc.freeze()
        gc.enable()
        if not os.environ.get("TAIZHANG_BENCH_STARTUP"):
            from app.ui.first_day import open_guide_if_new

            open_guide_if_new(window)
        # The first view reads table columns only and leaves the ORM's mappers unconfigured (≈ 0.1 s): configure
        # them now, on the worker and before the backup, so the next view the clerk opens does not pay for it
        # (the readiness line's check, queued when the numbers were shown, usually has; this does not depend on it).
        run_in_background(
            _configure_orm,
            lambda _info: None,
            lambda exc, tb: logging.getLogger(__name__).warning("mapper configuration failed: %s\n%s", exc, tb),
            parent=window,
        )
        # The day's first backup copies the whole file: it runs on the database worker once the first view
        # shows its data. A failure is logged; it must not keep the clerk out of the ledger.
        run_in_background(
            lambda: daily_backup(result.database),
            lambda _info: None,
            lambda exc, tb: logging.getLogger(__name__).warning("daily backup skipped: %s\n%s", exc, tb),
            parent=window,
        )
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

    # Nothing the first view does not need may compete with it: backups, checks and the guide come after.
    window.after_first_view(after_start)
    code = app.exec()
    database_pool().waitForDone(10_000)  # let a running backup or save finish before the engine goes
    if window.database is not result.database:  # the clerk switched databases: close the one in use too
        window.database.dispose()
    result.database.dispose()  # checkpoints the WAL, so the .db file alone is whole
    return int(code)


def _configure_orm() -> None:
    from sqlalchemy.orm import configure_mappers

    configure_mappers()


def project_root() -> Path:
    return Path(__file__).resolve().parents[1]
