"""Logging: a rotating log file in the data folder (logs/taizhang.log), set up once at start."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE_NAME = "taizhang.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5  # taizhang.log.1 … .5: about 6 MB of history at most
FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"

_HANDLER_NAME = "taizhang-file"


def configure_logging(level: int = logging.INFO, *, folder: Path | None = None) -> Path:
    """Send the app's log records to ``logs/taizhang.log`` (rotating); idempotent. Returns the log file."""
    if folder is None:
        from app.paths import log_dir

        folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE_NAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            if Path(getattr(handler, "baseFilename", "")) == path.resolve():
                return path
            root.removeHandler(handler)
            handler.close()
    try:
        file_handler: logging.Handler = _SharedRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
        )
    except OSError:
        # A read-only or full data folder must not stop the app from starting; logs then go nowhere.
        file_handler = logging.NullHandler()
    file_handler.set_name(_HANDLER_NAME)
    file_handler.setFormatter(_ScrubbingFormatter(FORMAT))
    root.addHandler(file_handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    # Alembic says "Context impl SQLiteImpl" at INFO on every open; only its warnings are worth keeping.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return path


class _ScrubbingFormatter(logging.Formatter):
    """Formats as usual, then blanks any password in a database URL or connection string (never logged)."""

    def format(self, record: logging.LogRecord) -> str:
        from app.storage.db import scrub_secrets

        return scrub_secrets(super().format(record))


class _SharedRotatingFileHandler(RotatingFileHandler):
    """A rotating file that tolerates a second Taizhang window holding the same log open.

    On Windows a file open in another process cannot be renamed, so rollover fails there; the record then
    goes to the current file and rotation is tried again at the next record instead of failing every time.
    """

    def doRollover(self) -> None:  # noqa: N802 - logging's name
        try:
            super().doRollover()
        except OSError:
            if self.stream is None:
                self.stream = self._open()


def log_file() -> Path:
    """The current log file (whether or not anything has been written yet)."""
    from app.paths import log_dir

    return log_dir() / LOG_FILE_NAME
