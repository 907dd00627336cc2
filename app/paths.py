"""Per-user locations: the data folder (%APPDATA%\\Taizhang on Windows), default database, logs, backups."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "Taizhang"
DB_FILE_NAME = "taizhang.db"


def data_dir() -> Path:
    """The per-user data folder; TAIZHANG_HOME overrides it (tests, portable use)."""
    override = os.environ.get("TAIZHANG_HOME")
    base = Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False, roaming=True))
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_database() -> Path:
    return data_dir() / DB_FILE_NAME


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def backup_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path
