"""Open, create and upgrade databases: the one place that runs migrations and seeds the portfolio."""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text as text_sql
from sqlalchemy.exc import DBAPIError

from app.storage.backup import backup_before
from app.storage.changes import ensure_change_triggers
from app.storage.db import Database, scrub_secrets
from app.storage.errors import KnownError
from app.storage.migrate import (
    SchemaTooNewError,
    certainly_at_head,
    current_revision,
    needs_upgrade,
    upgrade_to_head,
)
from app.storage.portfolio import LoadSummary, load_builtin_portfolio

log = logging.getLogger(__name__)


@dataclass
class OpenResult:
    database: Database
    loaded: LoadSummary


def open_database(path_or_url: str | Path, *, seed: bool = True, password: str | None = None) -> OpenResult:
    """Open (creating if needed) a database, upgrade it to head and add the built-in portfolio.

    A login that may only read opens read-only (``database.read_only_reason`` says why): nothing is upgraded,
    seeded or otherwise half-tried.
    """
    text = str(path_or_url)
    if "://" not in text:
        parent = Path(text).expanduser().resolve().parent
        if not parent.exists():
            raise KnownError(f"数据库所在文件夹不存在：{parent}")
    elif password is None and not text.startswith("sqlite"):
        # A desk started with `--db postgresql+psycopg://…` (the office's shortcut) uses the password the clerk
        # saved once through 连接服务器数据库…; without one, libpq's own sources (pgpass.conf) still apply.
        from app.services.credentials import saved_password

        password = saved_password(text)
    db = Database(path_or_url, password)
    text = db.display_name  # never a password in a message
    try:
        db.read_only_reason = write_refusal(db)
        if db.read_only_reason:
            if current_revision(db.engine) is None or needs_upgrade(db.engine):
                raise KnownError(f"{db.read_only_reason}，而该数据库需要创建或升级；请让有写入权限的同事先打开一次。")
            return OpenResult(db, LoadSummary())
        _backup_then_upgrade(db)
        ensure_change_triggers(db.engine)
        loaded = LoadSummary()
        if seed:
            with db.session() as session:
                loaded = load_builtin_portfolio(session)
    except SchemaTooNewError as exc:
        db.dispose()
        raise KnownError(str(exc)) from exc
    except (DBAPIError, sqlite3.DatabaseError) as exc:
        db.dispose()
        raise KnownError(scrub_secrets(f"无法打开数据库 {text}：{_explain(exc)}")) from exc
    except BaseException:  # e.g. the backup before an upgrade was refused: release the file all the same
        db.dispose()
        raise
    return OpenResult(db, loaded)


def write_refusal(db: Database) -> str:
    """Why this login may not write to the database, in Chinese; "" when it may."""
    path = db.path
    if path is not None:
        if path.exists() and not os.access(path, os.W_OK):
            return "数据库文件是只读的（没有写入权限）"
        return ""
    if db.engine.dialect.name != "postgresql":
        return ""
    with db.engine.connect() as conn:
        user, read_only, table = conn.execute(
            text_sql("SELECT current_user, current_setting('transaction_read_only'), to_regclass('projects')")
        ).one()
        if read_only == "on":
            return f"服务器数据库当前只允许读取（登录用户 {user}）"
        if (
            table is not None
            and not conn.execute(text_sql("SELECT has_table_privilege(current_user, 'projects', 'UPDATE')")).scalar()
        ):
            return f"登录用户 {user} 对服务器数据库只有读取权限"
    return ""


def _backup_then_upgrade(db: Database) -> None:
    # Every start but the first after an upgrade: at head, known without importing Alembic (~150 ms).
    if certainly_at_head(db.engine):
        return
    # A database that already holds a schema is backed up before it is changed; a new, empty one is not.
    current = current_revision(db.engine)
    if current is not None and needs_upgrade(db.engine):
        info = backup_before(db, "upgrade")
        if info is not None:
            log.info("upgrading %s from revision %s; backup at %s", db.path, current, info.path)
    upgrade_to_head(db.engine)


def _explain(exc: Exception) -> str:
    msg = str(exc).lower()
    if "locked" in msg or "busy" in msg:
        return "数据库正被其他程序占用，请稍后再试"
    if "not a database" in msg or "malformed" in msg:
        return "文件不是台账数据库或已损坏"
    if "readonly" in msg or "read-only" in msg:
        return "没有写入权限"
    if "disk" in msg and "full" in msg:
        return "磁盘空间不足"
    return str(exc).splitlines()[0]
