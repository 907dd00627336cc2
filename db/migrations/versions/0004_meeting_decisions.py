"""meeting decisions (议定事项), their departments and the progress returns report on them

Revision ID: 0004_meeting_decisions
Revises: 0003_supervision_parts
Create Date: 2026-12-03 09:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_meeting_decisions"
down_revision: str | None = "0003_supervision_parts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("coordination_issue_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_decisions_meeting_id_meetings"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["coordination_issue_id"],
            ["coordination_issues.id"],
            name=op.f("fk_decisions_coordination_issue_id_coordination_issues"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decisions_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decisions_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_decisions_status"), ["status"], unique=False)

    op.create_table(
        "decision_departments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_decision_departments_decision_id_decisions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_decision_departments_department_id_departments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_departments")),
        sa.UniqueConstraint(
            "decision_id", "department_id", name=op.f("uq_decision_departments_decision_id_department_id")
        ),
    )
    with op.batch_alter_table("decision_departments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_departments_decision_id"), ["decision_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_departments_department_id"), ["department_id"], unique=False)

    op.create_table(
        "decision_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=True),
        sa.Column("progress_text", sa.Text(), nullable=False),
        sa.Column("reported_done", sa.Boolean(), nullable=False),
        sa.Column("source_sheet", sa.String(length=100), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_decision_progress_decision_id_decisions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_decision_progress_department_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["period_id"], ["reporting_periods.id"], name=op.f("fk_decision_progress_period_id_reporting_periods")
        ),
        sa.ForeignKeyConstraint(
            ["return_id"], ["returns.id"], name=op.f("fk_decision_progress_return_id_returns"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_progress")),
    )
    with op.batch_alter_table("decision_progress", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_progress_decision_id"), ["decision_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_progress_return_id"), ["return_id"], unique=False)


def downgrade() -> None:
    op.drop_table("decision_progress")
    op.drop_table("decision_departments")
    op.drop_table("decisions")
