"""Engine, sessions and the declarative Base; SQLite gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

# A naming convention makes constraint names deterministic, which Alembic batch mode needs on SQLite.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

BUSY_TIMEOUT_MS = 5000


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def database_url(path_or_url: str | Path) -> str:
    """Turn a file path into a SQLite URL; pass real URLs (postgresql://…) through unchanged."""
    text = str(path_or_url)
    if "://" in text:
        return text
    # URLs unquote %xx, so a literal % in a folder name must be escaped to reach the file unchanged.
    return "sqlite:///" + str(Path(text).expanduser().resolve()).replace("%", "%25")


def sqlite_file(url: str) -> Path | None:
    """The database file a SQLite URL points to, or None (server database, in-memory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _sqlite_pragmas(journal_mode: str) -> Any:
    def apply(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute(f"PRAGMA journal_mode={journal_mode}")
        cur.execute("PRAGMA synchronous=NORMAL" if journal_mode == "WAL" else "PRAGMA synchronous=FULL")
        cur.close()

    return apply


def journal_mode_for(path: Path | None) -> str:
    """WAL on a local disk (a reader keeps reading while an import writes); a rollback journal on a share.

    WAL needs shared memory between all processes using the file, which a network share cannot provide
    (SQLite: "WAL does not work over a network filesystem"), so databases on UNC paths use DELETE.
    """
    from app.paths import is_network_path

    return "DELETE" if path is not None and is_network_path(str(path)) else "WAL"


def make_engine(path_or_url: str | Path, **kwargs: Any) -> Engine:
    """Create an engine for a database file or URL, with the SQLite PRAGMAs applied on every connect."""
    url = database_url(path_or_url)
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": BUSY_TIMEOUT_MS / 1000})
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas(journal_mode_for(sqlite_file(url))))
    return engine


class Database:
    """An engine with its session factory: the handle every service receives."""

    def __init__(self, path_or_url: str | Path) -> None:
        self.url = database_url(path_or_url)
        self.engine = make_engine(self.url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def path(self) -> Path | None:
        """The database file, or None for a server database."""
        return sqlite_file(self.url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block succeeds and rolls back when it raises."""
        with self.sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()
