"""The stored reporting periods: one way to get (creating when missing) a period's row."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.periods import Period
from app.storage.models import ReportingPeriod


def ensure_reporting_period(session: Session, period: Period) -> ReportingPeriod:
    """The stored row for ``period``, created when missing (used by imports, meetings and the services)."""
    row = session.scalar(select(ReportingPeriod).where(ReportingPeriod.key == period.key))
    if row is None:
        row = ReportingPeriod(
            key=period.key, kind=period.kind.value, start=period.start, end=period.end, label=period.label
        )
        session.add(row)
        session.flush()
    return row
