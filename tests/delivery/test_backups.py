"""Backups through the online API: copies, retention, the daily backup, restore and its refusals."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from app.services.backups import restore_database, set_backup_keep
from app.services.database import open_database
from app.storage import migrate
from app.storage.backup import (
    backup_before,
    backup_database,
    backup_revision,
    configured_keep,
    daily_backup,
    list_backups,
    prune_backups,
    restore_backup,
)
from app.storage.db import Database
from app.storage.errors import KnownError
from tests.delivery.helpers import EXTRA_REVISION, dump, integrity, migrations_with_extra_revision, revision_of


def _count(path: Path, table: str) -> int:
    conn = sqlite3.connect(str(path))
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def test_backup_is_a_complete_self_contained_copy(db_path: Path) -> None:
    info = backup_database(db_path, "manual")
    assert info.path.exists() and info.size > 0
    assert dump(info.path) == dump(db_path)
    assert integrity(info.path) == "ok"
    conn = sqlite3.connect(str(info.path))
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # no -wal file needed
    conn.close()


def test_backup_during_an_open_write_transaction_holds_only_committed_rows(db_path: Path) -> None:
    before = _count(db_path, "departments")
    writer = sqlite3.connect(str(db_path), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO departments (name, aliases, contact_person, contact_phone, sort_order, version)"
        " VALUES ('未提交的部门', '', '', '', 0, 1)"
    )
    try:
        info = backup_database(db_path, "manual")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert _count(info.path, "departments") == before


def test_only_the_newest_backups_are_kept(db_path: Path) -> None:
    made = [backup_database(db_path, "manual", keep=3).path for _ in range(5)]
    kept = [b.path for b in list_backups(db_path)]
    assert kept == list(reversed(made[-3:]))
    assert not any(p.exists() for p in made[:2])


def test_prune_never_deletes_the_last_backup(db_path: Path) -> None:
    backup_database(db_path, "manual")
    prune_backups(db_path, 0)
    assert len(list_backups(db_path)) == 1


def test_keep_setting_is_read_from_the_database(db: Database, db_path: Path) -> None:
    assert configured_keep(db_path) == 20
    set_backup_keep(db, 4)
    assert configured_keep(db_path) == 4


def test_daily_backup_runs_once_a_day(db: Database) -> None:
    first = daily_backup(db, today=date.today())
    second = daily_backup(db, today=date.today())
    assert first is not None and first.reason == "daily"
    assert second is None
    assert [b.reason for b in list_backups(db.path)] == ["daily"]  # type: ignore[arg-type]


def test_backup_before_import_is_labelled_and_listed(db: Database) -> None:
    info = backup_before(db, "import")
    assert info is not None
    listed = list_backups(db.path)  # type: ignore[arg-type]
    assert listed[0].path == info.path and listed[0].reason_label == "导入前"


def test_each_database_has_its_own_backup_folder(db_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "其他" / "taizhang.db"
    other.parent.mkdir()
    other.write_bytes(db_path.read_bytes())
    backup_database(db_path, "manual")
    assert list_backups(other) == []


def test_restore_brings_back_the_backup_and_keeps_the_current_contents(db_path: Path) -> None:
    original = dump(db_path)
    backup = backup_database(db_path, "manual")
    conn = sqlite3.connect(str(db_path))
    conn.execute("UPDATE projects SET name = '改过的名称'")
    conn.commit()
    conn.close()
    changed = dump(db_path)

    outcome = restore_database(db_path, backup.path)

    assert dump(db_path) == original
    assert dump(outcome.safety.path) == changed
    assert outcome.safety.reason == "restore" and not outcome.upgraded
    assert integrity(db_path) == "ok"


def test_restore_refuses_a_backup_from_a_newer_program(db_path: Path, tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    newer.write_bytes(db_path.read_bytes())
    conn = sqlite3.connect(str(newer))
    conn.execute("UPDATE alembic_version SET version_num = 'ffffnewer'")
    conn.commit()
    conn.close()
    before = dump(db_path)
    with pytest.raises(KnownError, match="更新版本"):
        restore_backup(db_path, newer)
    assert dump(db_path) == before
    assert list_backups(db_path) == []  # refused before anything was written


def test_restore_refuses_a_file_that_is_not_a_backup(db_path: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_text("not a database", encoding="utf-8")
    with pytest.raises(KnownError, match="不是台账数据库"):
        restore_backup(db_path, bogus)
    with pytest.raises(KnownError, match="不存在"):
        backup_revision(tmp_path / "missing.db")


def test_restore_over_a_damaged_database_keeps_its_bytes(db_path: Path, tmp_path: Path) -> None:
    backup = backup_database(db_path, "manual")
    db_path.write_bytes(b"garbage" * 1000)
    outcome = restore_database(db_path, backup.path)
    assert outcome.safety.path.read_bytes() == b"garbage" * 1000
    assert integrity(db_path) == "ok"


def test_an_older_schema_is_backed_up_before_the_upgrade(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = dump(db_path)
    old_revision = revision_of(db_path)
    folder = migrations_with_extra_revision(tmp_path)
    monkeypatch.setattr(migrate, "migrations_dir", lambda: folder)

    open_database(db_path, seed=False).database.dispose()

    assert revision_of(db_path) == EXTRA_REVISION
    upgrade_backups = [b for b in list_backups(db_path) if b.reason == "upgrade"]
    assert len(upgrade_backups) == 1
    assert revision_of(upgrade_backups[0].path) == old_revision
    assert dump(upgrade_backups[0].path) == original


def test_a_new_empty_database_is_not_backed_up(tmp_path: Path) -> None:
    path = tmp_path / "新建.db"
    open_database(path, seed=False).database.dispose()
    assert list_backups(path) == []


def test_restore_onto_a_new_computer_creates_the_database(db_path: Path, tmp_path: Path) -> None:
    backup = backup_database(db_path, "manual")
    fresh = tmp_path / "新电脑" / "taizhang.db"
    fresh.parent.mkdir()
    outcome = restore_database(fresh, backup.path)
    assert outcome.safety is None
    assert dump(fresh) == dump(db_path)


def test_backup_to_a_chosen_file_replaces_it_whole(db_path: Path, tmp_path: Path) -> None:
    from app.storage.backup import backup_to

    target = tmp_path / "U盘" / "台账备份.db"
    target.parent.mkdir()
    target.write_bytes(b"an older copy that is not a database")
    info = backup_to(db_path, target)
    assert info.path == target.resolve()
    assert dump(target) == dump(db_path)
    assert not list(target.parent.glob("*.part"))


def test_restoring_the_oldest_backup_at_the_limit_keeps_it(db_path: Path) -> None:
    oldest = backup_database(db_path, "manual", keep=2)
    backup_database(db_path, "manual", keep=2)
    outcome = restore_backup(db_path, oldest.path, keep=2)
    assert outcome is not None
    assert oldest.path.exists()  # the safety backup made room by pruning, but not this one
    assert outcome.path in [b.path for b in list_backups(db_path)]


def test_a_window_already_connected_sees_the_restored_contents(db: Database) -> None:
    from sqlalchemy import text

    assert db.path is not None
    first_name = "SELECT name FROM projects ORDER BY id"
    with db.engine.begin() as conn:
        original = conn.execute(text(first_name)).scalar()
    backup = backup_database(db.path, "manual")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE projects SET name = '改过'"))
    restore_backup(db.path, backup.path)
    with db.engine.begin() as conn:  # the same pooled connection, no reopening
        assert conn.execute(text(first_name)).scalar() == original
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_restore_into_a_missing_folder_is_refused(db_path: Path, tmp_path: Path) -> None:
    backup = backup_database(db_path, "manual")
    with pytest.raises(KnownError, match="文件夹不存在"):
        restore_backup(tmp_path / "离线的共享" / "taizhang.db", backup.path)
