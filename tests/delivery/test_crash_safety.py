"""A process killed (SIGKILL) in the middle of an import or a migration leaves the database intact and unchanged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.services.database import open_database
from app.storage import migrate
from tests.conftest import REPO_ROOT
from tests.delivery.helpers import EXTRA_REVISION, dump, integrity, migrations_with_extra_revision, revision_of

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX; Windows CI runs the self-test")

# A long import: tens of thousands of rows in one session (more than SQLite's page cache holds, so pages
# spill into the WAL before the commit), then a pause before the commit, where the parent kills it.
IMPORT_SCRIPT = """
import sys, time
from datetime import datetime
from sqlalchemy import insert
from app.storage.db import Database
from app.storage.models import AuditEntry
db = Database(sys.argv[1])
rows = [dict(at=datetime.now(), user="导入", entity="progress_entry", entity_id=i, field="progress_text",
             old_value="", new_value="进展说明" * 40, action="create") for i in range(30000)]
with db.session() as session:
    session.execute(insert(AuditEntry), rows)
    print("WRITING", flush=True)
    time.sleep(60)
"""

MIGRATION_SCRIPT = """
import sys
from pathlib import Path
from app.storage import migrate
from app.services.database import open_database
migrate.migrations_dir = lambda: Path(sys.argv[2])
open_database(sys.argv[1], seed=False)
"""


def _run_until(script: str, marker: str, *args: str, env: dict[str, str] | None = None) -> None:
    """Start ``script``, wait for it to print ``marker``, then SIGKILL it (no cleanup runs at all)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == marker, proc.stderr.read() if proc.stderr else line
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout and proc.stdout.close()
        proc.stderr and proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


def test_killed_import_leaves_the_database_intact_and_unchanged(db_path: Path) -> None:
    before = dump(db_path)
    _run_until(IMPORT_SCRIPT, "WRITING", str(db_path))
    # The uncommitted pages really reached the disk (spilled into the WAL) before the kill.
    assert Path(str(db_path) + "-wal").stat().st_size > 1_000_000
    assert integrity(db_path) == "ok"
    assert dump(db_path) == before
    open_database(db_path).database.dispose()  # and the app opens it as usual


def test_killed_migration_leaves_the_old_schema_intact_and_unchanged(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dump(db_path)
    old_revision = revision_of(db_path)
    folder = migrations_with_extra_revision(tmp_path)

    _run_until(MIGRATION_SCRIPT, "MIGRATING", str(db_path), str(folder), env={"TAIZHANG_TEST_SLEEP": "60"})

    assert integrity(db_path) == "ok"
    assert revision_of(db_path) == old_revision
    assert dump(db_path) == before
    # The interrupted upgrade simply runs again, completely, on the next start.
    monkeypatch.setattr(migrate, "migrations_dir", lambda: folder)
    open_database(db_path, seed=False).database.dispose()
    assert revision_of(db_path) == EXTRA_REVISION
    assert integrity(db_path) == "ok"
