"""Notice when another connection (another window, an import) changed the database: ``PRAGMA data_version``.

The pragma's value changes only when a *different* connection commits, so the watcher keeps one connection of
its own for its whole life. Checking costs microseconds; the UI polls it on a timer.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class ChangeWatcher:
    """Polls one SQLite file for commits made through any other connection."""

    def __init__(self, path: Path | None) -> None:
        self._conn: sqlite3.Connection | None = None
        self._last: int | None = None
        if path is not None:
            self._conn = sqlite3.connect(str(path), check_same_thread=False)
            self._last = self._version()

    def _version(self) -> int | None:
        if self._conn is None:
            return None
        try:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return self._last  # a busy or vanished file: try again next time

    def changed(self) -> bool:
        """Whether the database changed since the last call."""
        current = self._version()
        if current is None or current == self._last:
            return False
        self._last = current
        return True

    def close(self) -> None:
        """Release the watcher's connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
