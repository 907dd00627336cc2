"""portfolio fidelity: indicator task links, notes, reported target, related indicators; department successions

Revision ID: 0005_portfolio_fidelity
Revises: 0002_gantt_progress_index
Create Date: 2026-12-03 09:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_portfolio_fidelity"
down_revision: str | None = "0002_gantt_progress_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The 2015 targets of the sentence "力争互联网产业规模达到800亿元，电子商务交易额达到2200亿元，网络零售交易额突破600亿元"
# were stored without the 力争 that governs all three; databases seeded before this revision get it back.
HEDGED_2015 = (("达到800亿元", "力争达到800亿元"), ("达到2200亿元", "力争达到2200亿元"), ("突破600亿元", "力争突破600亿元"))


def upgrade() -> None:
    op.create_table(
        "department_successions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("old_department_id", sa.Integer(), nullable=False),
        sa.Column("new_department_id", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.String(length=50), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["new_department_id"],
            ["departments.id"],
            name=op.f("fk_department_successions_new_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["old_department_id"],
            ["departments.id"],
            name=op.f("fk_department_successions_old_department_id_departments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_department_successions")),
        sa.UniqueConstraint(
            "old_department_id",
            "new_department_id",
            name=op.f("uq_department_successions_old_department_id_new_department_id"),
        ),
    )
    with op.batch_alter_table("department_successions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_department_successions_new_department_id"), ["new_department_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_department_successions_old_department_id"), ["old_department_id"], unique=False
        )

    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("task_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("reported_document_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("related_indicator_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_indicators_task_id"), ["task_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_indicators_task_id_tasks"), "tasks", ["task_id"], ["id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_indicators_reported_document_id_documents"), "documents", ["reported_document_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_indicators_related_indicator_id_indicators"), "indicators", ["related_indicator_id"], ["id"]
        )

    targets = sa.table(
        "indicator_targets", sa.column("wording", sa.String), sa.column("year", sa.Integer), sa.column("kind", sa.String)
    )
    for old, new in HEDGED_2015:
        op.execute(
            targets.update()
            .where(targets.c.wording == old, targets.c.year == 2015, targets.c.kind == "floor")
            .values(wording=new)
        )


def downgrade() -> None:
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_indicators_related_indicator_id_indicators"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_indicators_reported_document_id_documents"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_indicators_task_id_tasks"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_indicators_task_id"))
        batch_op.drop_column("related_indicator_id")
        batch_op.drop_column("reported_document_id")
        batch_op.drop_column("note")
        batch_op.drop_column("task_id")
    with op.batch_alter_table("department_successions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_department_successions_old_department_id"))
        batch_op.drop_index(batch_op.f("ix_department_successions_new_department_id"))
    op.drop_table("department_successions")
