"""Copy the open database to a backup file (File → 备份数据库…), consistent even while others write."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.storage.backup import SERVER_DATABASE_MESSAGE, backup_to
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.files import guarded_write, sqlite_write_error


def backup_database(database: Database, target: Path) -> Path:
    """Write a consistent copy of ``database`` to ``target`` (SQLite's online backup, WAL contents included)."""
    source = database.path
    if source is None:
        raise KnownError(SERVER_DATABASE_MESSAGE)
    target = Path(target)
    if target.resolve() == source.resolve():
        raise KnownError("备份文件不能与正在使用的数据库相同")
    try:
        with guarded_write(target):  # the folder chosen may be read-only, on a full disk, or the file held open
            backup_to(source, target)
    except sqlite3.Error as exc:
        raise sqlite_write_error(target, exc) or KnownError(f"备份失败：{exc}") from exc
    return target
