"""Start-up helpers: decide whether the built-in portfolio must load before the window or can follow it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.storage.db import Database
from app.storage.portfolio import load_builtin_portfolio


def has_portfolio(path_or_url: str | Path) -> bool:
    """Whether a database file already holds the built-in documents (cheap: one read-only query)."""
    text = str(path_or_url)
    if "://" in text:
        return False
    path = Path(text).expanduser()
    if not path.is_file():
        return False
    try:
        conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
        try:
            return bool(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def complete_builtin_portfolio(database: Database) -> int:
    """Add any built-in record the database lacks (a newer app may ship more); how many were added."""
    with database.session() as session:
        return load_builtin_portfolio(session).total
