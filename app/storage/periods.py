"""The stored reporting periods: one way to get (creating when missing) a period's row."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.periods import Period
from app.storage.models import ReportingPeriod


def ensure_reporting_period(session: Session, period: Period) -> ReportingPeriod:
    """The stored row for ``period``, created when missing; idempotent under concurrent writers.

    Insert-or-get: two departments opening a new period at once both end up with the one row (the second
    insert does nothing instead of failing on the unique key). Used by imports, meetings and the services.
    """
    row = session.scalar(select(ReportingPeriod).where(ReportingPeriod.key == period.key))
    if row is not None:
        return row
    values = {"key": period.key, "kind": period.kind.value, "start": period.start, "end": period.end,
              "label": period.label}  # fmt: skip
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        session.execute(sqlite_insert(ReportingPeriod).values(**values).on_conflict_do_nothing(index_elements=["key"]))
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        session.execute(pg_insert(ReportingPeriod).values(**values).on_conflict_do_nothing(index_elements=["key"]))
    else:
        session.add(ReportingPeriod(**values))
    session.flush()
    found = session.scalar(select(ReportingPeriod).where(ReportingPeriod.key == period.key))
    assert found is not None
    return found
