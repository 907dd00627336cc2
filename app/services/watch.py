"""Notice when another connection (another window, an import) changed the database: ``PRAGMA data_version``.

The pragma's value changes only when a *different* connection commits, so the watcher keeps one connection of
its own for its whole life. Checking costs microseconds; the UI polls it on a timer. On PostgreSQL the watcher
reads the trigger-maintained counter of ``app.storage.changes`` instead (``remote`` is then True: a network
round trip, which the GUI runs on its database worker).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from app.storage.changes import change_count


class ChangeWatcher:
    """Polls one SQLite file (or a server database's change counter) for commits made elsewhere."""

    def __init__(self, path: Path | None, engine: Engine | None = None) -> None:
        self._conn: sqlite3.Connection | None = None
        self._server: Connection | None = None
        self._last: int | None = None
        if path is not None:
            self._conn = sqlite3.connect(str(path), check_same_thread=False)
            self._last = self._version()
        elif engine is not None and engine.dialect.name == "postgresql":
            try:
                self._server = engine.connect()
            except DBAPIError:
                self._server = None  # unreachable now: the views say so when they load
            self._last = self._version()

    @property
    def remote(self) -> bool:
        """True when checking is a network round trip (run it off the GUI thread)."""
        return self._server is not None

    def _version(self) -> int | None:
        if self._server is not None:
            try:
                return change_count(self._server)
            except DBAPIError:
                return self._last  # the server is away: try again next time
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
        if self._server is not None:
            self._server.close()
            self._server = None
