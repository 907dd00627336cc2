"""Helpers for the data-safety tests: an extra Alembic revision on top of head, database dumps."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from app.storage.migrate import head_revision, migrations_dir

EXTRA_REVISION = "9001"

# A revision of the riskiest kind on SQLite: batch mode rebuilds the projects table (copy, drop, rename),
# then fills the new column. With TAIZHANG_TEST_SLEEP set it stops inside the migration transaction.
_REVISION = '''"""test only: rebuild projects with a new column"""
import os
import time

import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("projects") as batch:
        batch.add_column(sa.Column("test_flag", sa.Integer(), nullable=True))
    op.execute("UPDATE projects SET test_flag = 1, name = name || '（已升级）'")
    if os.environ.get("TAIZHANG_TEST_SLEEP"):
        print("MIGRATING", flush=True)
        time.sleep(float(os.environ["TAIZHANG_TEST_SLEEP"]))


def downgrade():
    with op.batch_alter_table("projects") as batch:
        batch.drop_column("test_flag")
'''


def migrations_with_extra_revision(folder: Path) -> Path:
    """A copy of db/migrations plus one newer test revision; returns the copy's folder."""
    target = folder / "migrations"
    shutil.copytree(migrations_dir(), target, ignore=shutil.ignore_patterns("__pycache__"))
    text = _REVISION.format(revision=EXTRA_REVISION, down=head_revision())
    (target / "versions" / f"{EXTRA_REVISION}_test_rebuild_projects.py").write_text(text, encoding="utf-8")
    return target


def dump(path: Path) -> list[str]:
    """Every schema statement and row of a database, as SQL text (to compare before and after)."""
    conn = sqlite3.connect(str(path))
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def integrity(path: Path) -> str:
    """SQLite's full integrity check: 'ok' for an undamaged file."""
    conn = sqlite3.connect(str(path))
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def revision_of(path: Path) -> str | None:
    conn = sqlite3.connect(str(path))
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    finally:
        conn.close()
