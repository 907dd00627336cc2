"""covering index for the Gantt progress aggregate

Revision ID: 0002_gantt_progress_index
Revises: 0001
Create Date: 2026-11-25 16:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002_gantt_progress_index"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Lets the Gantt read progress in project order without touching the wide entry rows (≈ 15 ms of ≈ 45 ms).
    op.create_index(
        "ix_progress_entries_gantt",
        "progress_entries",
        ["project_id", "period_id", "return_id", "progress_pct", "investment_period"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_progress_entries_gantt", table_name="progress_entries")
