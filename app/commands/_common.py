"""Helpers shared by the returns commands: open an existing database with a Chinese error if absent."""

from __future__ import annotations

from pathlib import Path

from app.services.database import open_database
from app.storage.db import Database
from app.storage.errors import KnownError


def open_existing(path: str) -> Database:
    """Open (and upgrade) a database that must already exist."""
    if "://" not in path and not Path(path).exists():
        raise KnownError(f"数据库文件不存在：{path}（可先运行 taizhang init --db {path}）")
    return open_database(path, seed=False).database
