"""Engine, sessions and the declarative Base; SQLite gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError
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


DRIVER_MISSING_MESSAGE = (
    "无法连接服务器数据库：本机没有安装 PostgreSQL 驱动（psycopg）。\n"
    '请使用带服务器支持的安装包，或请管理员运行 pip install "taizhang[postgres]" 后重试。'
)
_SECRET_IN_URL = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]*@", re.IGNORECASE)
_SECRET_PARAM = re.compile(r"(?P<head>\bpassword\s*[=:]\s*)('[^']*'|\"[^\"]*\"|[^&\s,;)]+)", re.IGNORECASE)


def scrub_secrets(text: str) -> str:
    """``text`` with any password in a database URL or connection string replaced by ***."""
    text = _SECRET_IN_URL.sub(lambda m: f"{m.group('head')}***@", text)
    return _SECRET_PARAM.sub(lambda m: f"{m.group('head')}***", text)


def display_url(url: str) -> str:
    """How a database is named to a clerk: the file, or user@host:port/database of a server (never a password)."""
    path = sqlite_file(url)
    if path is not None:
        return str(path)
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - not a URL SQLAlchemy reads: show it scrubbed
        return scrub_secrets(url)
    host = parsed.host or parsed.query.get("host") or "localhost"
    if isinstance(host, tuple):
        host = host[0]
    port = parsed.port or parsed.query.get("port") or ""
    where = f"{host}:{port}" if port else str(host)
    user = f"{parsed.username}@" if parsed.username else ""
    return f"{user}{where}/{parsed.database or ''}"


def database_url(path_or_url: str | Path) -> str:
    """Turn a file path into a SQLite URL; pass real URLs through (``postgresql://`` gets the psycopg driver)."""
    text = str(path_or_url)
    if "://" in text:
        if text.startswith(("postgresql://", "postgres://")):
            return "postgresql+psycopg://" + text.split("://", 1)[1]
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


def _require_driver(url: str) -> None:
    """A missing server driver is a Chinese KnownError, never a traceback."""
    from app.storage.errors import KnownError

    driver = make_url(url).get_driver_name()
    try:
        importlib.import_module({"psycopg": "psycopg", "psycopg2": "psycopg2"}.get(driver, driver))
    except ImportError as exc:
        raise KnownError(DRIVER_MISSING_MESSAGE) from exc


def make_engine(path_or_url: str | Path, password: str | None = None, **kwargs: Any) -> Engine:
    """Create an engine for a database file or URL, with the SQLite PRAGMAs applied on every connect.

    A server's ``password`` goes to the driver directly, never into the URL (which is shown and logged);
    TLS is used whenever the server offers it (``sslmode=prefer``) unless the URL says otherwise.
    """
    url = database_url(path_or_url)
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": BUSY_TIMEOUT_MS / 1000})
    elif url.startswith("postgresql"):
        _require_driver(url)
        connect_args = kwargs.setdefault("connect_args", {})
        if "sslmode" not in make_url(url).query:
            connect_args.setdefault("sslmode", "prefer")
        if password:
            connect_args["password"] = password
        kwargs.setdefault("pool_pre_ping", True)  # a server restarted overnight: reconnect, do not fail
    try:
        engine = create_engine(url, **kwargs)
    except ImportError as exc:  # the dialect imports the driver itself: the same Chinese answer
        from app.storage.errors import KnownError

        raise KnownError(DRIVER_MISSING_MESSAGE) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas(journal_mode_for(sqlite_file(url))))
    return engine


class Database:
    """An engine with its session factory: the handle every service receives."""

    def __init__(self, path_or_url: str | Path, password: str | None = None) -> None:
        self.url = database_url(path_or_url)
        self.engine = make_engine(self.url, password)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.read_only_reason = ""  # set when opened: why this login may not write ("" = it may)

    @property
    def display_name(self) -> str:
        """The file, or user@host:port/database: what the status bar and messages show (never a password)."""
        return display_url(self.url)

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

    def checkpoint(self) -> bool:
        """Fold the write-ahead log into the .db file (``wal_checkpoint(TRUNCATE)``); True when it is all in.

        In WAL mode committed data sits in ``-wal`` until a checkpoint: a clerk who copies only the .db would
        get an old or empty ledger. Called after each committed batch and on close. A reader or writer
        elsewhere may keep the log busy; that is not an error (the next batch or close tries again).
        """
        if self.engine.dialect.name != "sqlite" or self.path is None:
            return False
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA busy_timeout=200")  # never hold up a close for long
                row = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        except DBAPIError:  # busy, or not a database at all (opening it failed): nothing to fold in
            return False
        return row is not None and row[0] == 0

    def dispose(self) -> None:
        """Checkpoint (so the .db file alone is whole) and close every pooled connection."""
        self.checkpoint()
        self.engine.dispose()
