"""portfolio fidelity: indicator task links, notes, reported target, related indicators; department successions

Revision ID: 0005_portfolio_fidelity
Revises: 0004_meeting_decisions
Create Date: 2026-12-03 09:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_portfolio_fidelity"
down_revision: str | None = "0004_meeting_decisions"
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

    if op.get_bind().dialect.name == "sqlite":
        # A batch "move and copy" of indicators would drop the old table, and with foreign keys on, SQLite's
        # implicit DELETE would cascade to every target, baseline and actual. SQLite adds a nullable column
        # with its REFERENCES clause in place, so nothing is copied and nothing cascades.
        # A database downgraded from this revision kept them (see downgrade).
        have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("indicators")}
        for column, target in (
            ("task_id", "tasks"),
            ("reported_document_id", "documents"),
            ("related_indicator_id", "indicators"),
        ):
            if column in have:
                continue
            op.execute(
                f"ALTER TABLE indicators ADD COLUMN {column} INTEGER "
                f"CONSTRAINT fk_indicators_{column}_{target} REFERENCES {target} (id)"
            )
        op.add_column("indicators", sa.Column("note", sa.Text(), nullable=False, server_default=""))
    else:
        op.add_column("indicators", sa.Column("task_id", sa.Integer(), nullable=True))
        op.add_column("indicators", sa.Column("note", sa.Text(), nullable=False, server_default=""))
        op.add_column("indicators", sa.Column("reported_document_id", sa.Integer(), nullable=True))
        op.add_column("indicators", sa.Column("related_indicator_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_indicators_task_id_tasks"), "indicators", "tasks", ["task_id"], ["id"])
        op.create_foreign_key(
            op.f("fk_indicators_reported_document_id_documents"),
            "indicators",
            "documents",
            ["reported_document_id"],
            ["id"],
        )
        op.create_foreign_key(
            op.f("fk_indicators_related_indicator_id_indicators"),
            "indicators",
            "indicators",
            ["related_indicator_id"],
            ["id"],
        )
    op.create_index(op.f("ix_indicators_task_id"), "indicators", ["task_id"], unique=False)

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
    op.drop_index(op.f("ix_indicators_task_id"), table_name="indicators")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops a column in place (3.35+) unless a constraint names it; these columns' REFERENCES
        # clauses do, so they stay (unused by the older schema) rather than risk a cascading table copy.
        op.drop_column("indicators", "note")
    else:
        op.drop_constraint(op.f("fk_indicators_related_indicator_id_indicators"), "indicators", type_="foreignkey")
        op.drop_constraint(op.f("fk_indicators_reported_document_id_documents"), "indicators", type_="foreignkey")
        op.drop_constraint(op.f("fk_indicators_task_id_tasks"), "indicators", type_="foreignkey")
        for column in ("related_indicator_id", "reported_document_id", "note", "task_id"):
            op.drop_column("indicators", column)
    with op.batch_alter_table("department_successions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_department_successions_old_department_id"))
        batch_op.drop_index(batch_op.f("ix_department_successions_new_department_id"))
    op.drop_table("department_successions")
