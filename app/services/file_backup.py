"""Copy the open database to a backup file (File → 备份数据库…), consistent even while others write."""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path

from app.storage.db import Database
from app.storage.errors import KnownError


def backup_database(database: Database, target: Path) -> Path:
    """Write a consistent copy of ``database`` to ``target`` (the storage layer's backup when there is one)."""
    source = database.path
    if source is None:
        from app.storage.backup import SERVER_DATABASE_MESSAGE

        raise KnownError(SERVER_DATABASE_MESSAGE)
    target = Path(target)
    if target.resolve() == source.resolve():
        raise KnownError("备份文件不能与正在使用的数据库相同")
    try:
        storage_backup = importlib.import_module("app.storage.backup")
    except ModuleNotFoundError:
        storage_backup = None
    fn = getattr(storage_backup, "backup_to", None) if storage_backup is not None else None
    try:
        if callable(fn):
            fn(source, target)
        else:
            _sqlite_copy(source, target)
    except sqlite3.Error as exc:
        raise KnownError(f"备份失败：{exc}") from exc
    except OSError as exc:
        raise KnownError(f"备份失败，无法写入 {target}：{exc.strerror or exc}") from exc
    return target


def _sqlite_copy(source: Path, target: Path) -> None:
    # The online-backup API copies a consistent snapshot page by page, WAL contents included.
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
