"""Which progress entries and returns are current for a reporting period (who owes one: app.services.scope).

A report period (2025-Q3) covers the reporting periods stored for it: the quarter itself, or the months
inside it. An entry is current when its return has not been superseded; of several periods, the latest wins.
``received_returns`` is the one rule for "has this department returned for the period": the dashboard, the
report, ``taizhang missing`` and the 报表填报 view all call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.periods import Period
from app.storage.models import ProgressEntry, ReportingPeriod, Return
from app.storage.periods import ensure_reporting_period as ensure_reporting_period  # one home: storage


@dataclass(frozen=True)
class PeriodScope:
    """The stored reporting periods a report period covers, latest last."""

    period: Period
    period_ids: tuple[int, ...]

    @property
    def as_of(self) -> date:
        """The day the report speaks for: the last day of the period."""
        return self.period.end


def period_scope(session: Session, period: Period) -> PeriodScope:
    """Stored periods equal to ``period`` or lying inside it, ordered by end date."""
    rows = session.execute(
        select(ReportingPeriod.id, ReportingPeriod.key, ReportingPeriod.start, ReportingPeriod.end).order_by(
            ReportingPeriod.end, ReportingPeriod.start
        )
    ).all()
    ids = [pid for pid, key, start, end in rows if key == period.key or (start >= period.start and end <= period.end)]
    return PeriodScope(period, tuple(ids))


def current_entries(session: Session, scope: PeriodScope) -> dict[int, ProgressEntry]:
    """Each project's current progress entry in the scope (project id → entry), from unsuperseded returns."""
    if not scope.period_ids:
        return {}
    order = {pid: i for i, pid in enumerate(scope.period_ids)}
    stmt = (
        select(ProgressEntry)
        .outerjoin(Return, ProgressEntry.return_id == Return.id)
        .where(ProgressEntry.period_id.in_(scope.period_ids), Return.superseded_by_id.is_(None))
    )
    best: dict[int, ProgressEntry] = {}
    for entry in session.scalars(stmt):
        held = best.get(entry.project_id)
        if held is None or (order[entry.period_id], entry.id) > (order[held.period_id], held.id):
            best[entry.project_id] = entry
    return best


def current_returns(session: Session, scope: PeriodScope) -> dict[int, Return]:
    """Each department's current (unsuperseded) return in the scope, the latest period winning."""
    if not scope.period_ids:
        return {}
    order = {pid: i for i, pid in enumerate(scope.period_ids)}
    stmt = select(Return).where(Return.period_id.in_(scope.period_ids), Return.superseded_by_id.is_(None))
    best: dict[int, Return] = {}
    for ret in session.scalars(stmt):
        held = best.get(ret.department_id)
        if held is None or (order[ret.period_id], ret.id) > (order[held.period_id], held.id):
            best[ret.department_id] = ret
    return best


def received_returns(session: Session, period: Period) -> dict[int, Return]:
    """Department id → its return received for ``period``: filed for the period itself or a period inside it
    (the monthly returns 2025-07/08/09 count for 2025-Q3); unsuperseded, the latest period winning."""
    return current_returns(session, period_scope(session, period))


def covered_period_keys(session: Session, period: Period) -> list[str]:
    """Keys of the stored periods ``period`` covers (itself included even when not stored), latest last."""
    scope = period_scope(session, period)
    keys = dict(session.execute(select(ReportingPeriod.id, ReportingPeriod.key)).all())
    covered = [keys[i] for i in scope.period_ids]
    return covered if period.key in covered else [*covered, period.key]
