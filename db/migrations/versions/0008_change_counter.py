"""change counter: lets a PostgreSQL client notice other clerks' commits (SQLite uses PRAGMA data_version)

Revision ID: 0008_change_counter
Revises: 0002_gantt_progress_index
Create Date: 2026-12-03 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_change_counter"
down_revision: str | None = "0002_gantt_progress_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_counter")),
    )
    op.execute("INSERT INTO change_counter (id, value) VALUES (1, 0)")
    # The counting triggers themselves are (re)installed on every table by app.storage.changes when the app
    # opens a PostgreSQL database, so tables added by later revisions are covered too.


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS taizhang_count_change() CASCADE")
    op.drop_table("change_counter")
