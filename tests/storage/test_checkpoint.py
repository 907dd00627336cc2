"""The .db file a clerk copies is whole: committed batches and closing fold the WAL into it."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from app.services import projects
from app.storage.db import Database


def _copy_db_only(path: Path, tmp_path: Path) -> Path:
    """What a clerk does with a USB stick: copy the .db, not the -wal beside it."""
    copy = tmp_path / "copy" / "taizhang.db"
    copy.parent.mkdir()
    shutil.copy(path, copy)
    return copy


def _region(path: Path, project_id: int) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT region FROM projects WHERE id = ?", (project_id,)).fetchone()[0])


def test_a_copy_of_the_db_file_alone_has_what_was_saved_after_close(db_path: Path, tmp_path: Path) -> None:
    db = Database(db_path)
    projects.update_project(db, 4, projects.load_project(db, 4).version, {"region": "长春市"})
    db.dispose()
    assert _region(_copy_db_only(db_path, tmp_path), 4) == "长春市"
    wal = db_path.with_name(db_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_checkpoint_after_a_batch_makes_the_file_whole_while_the_app_runs(db_path: Path, tmp_path: Path) -> None:
    db = Database(db_path)
    projects.update_project(db, 4, projects.load_project(db, 4).version, {"region": "长春市"})
    assert db.checkpoint()
    assert _region(_copy_db_only(db_path, tmp_path), 4) == "长春市"
    db.dispose()


def test_checkpoint_on_a_busy_log_gives_up_quickly_without_error(db_path: Path) -> None:
    import time

    db = Database(db_path)
    projects.update_project(db, 4, projects.load_project(db, 4).version, {"region": "长春市"})
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        db.checkpoint()
        assert time.monotonic() - started < 2
    finally:
        other.execute("ROLLBACK")
        other.close()
    db.dispose()
