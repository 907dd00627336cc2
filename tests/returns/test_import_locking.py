"""A database held by another writer makes an import wait, then answer in Chinese; backups never collide."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

import app.services.returns as service
import app.storage.db as storage_db
from app.domain.periods import Period
from app.services.returns import OutcomeStatus, commit, preview
from app.storage import backup
from app.storage.db import Database
from app.storage.periods import ensure_reporting_period as ensure_period
from tests.returns.helpers import department_workbook


def test_a_locked_database_waits_then_gives_a_chinese_message_not_a_traceback(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage_db, "BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(service, "WRITE_ATTEMPTS", 2)
    monkeypatch.setattr(service, "_backup_before_import", lambda database: None)
    database = Database(db_path)
    path = department_workbook(tmp_path / "a.xlsx", projects=[("ZD01", "省数据灾备中心二期工程", 100, 10, "开工")])
    previews = preview(database, [path])
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another PC in the middle of its import
    try:
        [outcome] = commit(database, previews)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert outcome.status is OutcomeStatus.FAILED
    assert "数据库正被其他电脑或程序占用" in outcome.message
    assert "Error" not in outcome.message
    [again] = commit(database, previews)  # released: the same check now imports
    assert again.status is OutcomeStatus.IMPORTED
    database.dispose()


def test_creating_a_period_twice_gives_the_one_row(db: Database) -> None:
    period = Period.parse("2031-Q2")
    with db.session() as s:
        first = ensure_period(s, period)
    with db.session() as s:
        second = ensure_period(s, period)
    assert first.id == second.id


def test_backups_in_the_same_instant_get_distinct_names_with_pid(tmp_path: Path) -> None:
    when = datetime(2026, 12, 3, 10, 0, 0, 123456)
    first = backup._free_name(tmp_path, when, "import")
    first.write_bytes(b"")
    second = backup._free_name(tmp_path, when, "import")
    assert first != second
    assert f"-p{os.getpid()}" in first.name and ".123456" in first.name
