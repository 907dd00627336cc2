"""supervision parts: people and yearly targets per (task, department), progress per period

Revision ID: 0003_supervision_parts
Revises: 0002_gantt_progress_index
Create Date: 2026-12-03 09:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_supervision_parts"
down_revision: str | None = "0002_gantt_progress_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("task_departments", schema=None) as batch_op:
        batch_op.alter_column("role", existing_type=sa.String(length=10), type_=sa.String(length=12))
        batch_op.add_column(sa.Column("responsible_person", sa.String(length=50), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("contact_person", sa.String(length=50), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("contact_phone", sa.String(length=50), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    # The 2018 plan names its departments "按职责分工负责,下同": equal responsible departments. Earlier loads
    # took the first as 牵头 and the rest as 配合, which no document says.
    op.execute(
        "UPDATE task_departments SET role = 'responsible' WHERE task_id IN ("
        "SELECT tasks.id FROM tasks JOIN documents ON documents.id = tasks.document_id "
        "WHERE documents.key = 'infoconsumption-2018')"
    )
    op.create_table(
        "task_part_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["part_id"],
            ["task_departments.id"],
            name=op.f("fk_task_part_targets_part_id_task_departments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_part_targets")),
        sa.UniqueConstraint("part_id", "year", name=op.f("uq_task_part_targets_part_id_year")),
    )
    op.create_index(op.f("ix_task_part_targets_part_id"), "task_part_targets", ["part_id"], unique=False)
    op.create_table(
        "task_part_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=True),
        sa.Column("progress_text", sa.Text(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("coordination_needed", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("completion", sa.String(length=10), nullable=False),
        sa.Column("source_sheet", sa.String(length=100), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("entered_by", sa.String(length=50), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["part_id"],
            ["task_departments.id"],
            name=op.f("fk_task_part_progress_part_id_task_departments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["period_id"], ["reporting_periods.id"], name=op.f("fk_task_part_progress_period_id_reporting_periods")
        ),
        sa.ForeignKeyConstraint(["return_id"], ["returns.id"], name=op.f("fk_task_part_progress_return_id_returns")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_part_progress")),
    )
    op.create_index(op.f("ix_task_part_progress_part_id"), "task_part_progress", ["part_id"], unique=False)
    op.create_index(op.f("ix_task_part_progress_period_id"), "task_part_progress", ["period_id"], unique=False)
    op.create_index(op.f("ix_task_part_progress_return_id"), "task_part_progress", ["return_id"], unique=False)
    op.create_index("ix_task_part_progress_part_period", "task_part_progress", ["part_id", "period_id"], unique=False)


def downgrade() -> None:
    op.drop_table("task_part_progress")
    op.drop_table("task_part_targets")
    with op.batch_alter_table("task_departments", schema=None) as batch_op:
        batch_op.drop_column("version")
        batch_op.drop_column("contact_phone")
        batch_op.drop_column("contact_person")
        batch_op.drop_column("responsible_person")
        batch_op.alter_column("role", existing_type=sa.String(length=12), type_=sa.String(length=10))
