"""The clerk can open a database in any folder: Chinese names, spaces, percent signs; backups follow it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.services.database import open_database
from app.storage.backup import backup_database, list_backups


def test_database_in_a_chinese_folder_opens_seeds_and_backs_up(tmp_path: Path) -> None:
    folder = tmp_path / "吉林省联席会议办公室" / "2025年 台账（共享）" / "100%"
    folder.mkdir(parents=True)
    path = folder / "台账.db"
    result = open_database(path)
    assert result.database.path == path.resolve()
    assert result.loaded.total > 0
    result.database.dispose()
    info = backup_database(path, "manual")
    assert list_backups(path)[0].path == info.path
    conn = sqlite3.connect(str(path))
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
