"""Schema migrations: upgrade any database to head through Alembic; refuse one newer than this app."""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine


class SchemaTooNewError(Exception):
    """The database was written by a newer Taizhang; opening it could damage it."""


def migrations_dir() -> Path:
    """Where db/migrations lives: beside the app package in a checkout, in the bundle when frozen."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "db" / "migrations"
    return Path(__file__).resolve().parents[2] / "db" / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads: {heads}")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def needs_upgrade(engine: Engine) -> bool:
    """True when the database is behind head (an empty database counts as behind)."""
    current = current_revision(engine)
    if current == head_revision():
        return False
    refuse_if_newer(current)
    return True


def refuse_if_newer(current: str | None) -> None:
    """Raise SchemaTooNewError when ``current`` is a revision this program does not know."""
    if current is None:
        return
    script = ScriptDirectory.from_config(alembic_config())
    try:
        script.get_revision(current)
    except Exception as exc:
        raise SchemaTooNewError(f"数据库版本（{current}）比本程序新，请升级台账程序后再打开此数据库。") from exc


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema to head in one transaction (all revisions or none); a no-op when already there."""
    refuse_if_newer(current_revision(engine))
    cfg = alembic_config()
    with engine.begin() as conn:
        _begin_for_ddl(conn)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def downgrade(engine: Engine, revision: str) -> None:
    """Downgrade to ``revision`` (``base`` for an empty schema); used by tests and recovery."""
    cfg = alembic_config()
    with engine.begin() as conn:
        _begin_for_ddl(conn)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def _begin_for_ddl(conn: Connection) -> None:
    # Python's sqlite3 (before 3.12's autocommit=False) only opens a transaction before INSERT/UPDATE/DELETE,
    # so CREATE/ALTER/DROP would each commit on their own and a crash mid-migration would leave half a
    # schema. An explicit BEGIN makes the whole upgrade one SQLite transaction; IMMEDIATE takes the write
    # lock up front, so a second instance waits (busy timeout) instead of failing halfway.
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
