"""Which progress entries and returns are current for a reporting period (who owes one: app.services.scope).

A report period (2025-Q3) covers the reporting periods stored for it: the quarter itself, or the months
inside it. An entry is current when its return has not been superseded; of several periods, the latest wins.
``received_returns`` is the one rule for "has this department returned for the period": the dashboard, the
report, ``taizhang missing`` and the 报表填报 view all call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

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
    rp = ReportingPeriod.__table__.c  # Table columns (Core): the first view must not configure the mappers
    rows = session.execute(select(rp.id, rp.key, rp.start, rp.end).order_by(rp.end, rp.start)).all()
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
    facts = _current_return_facts(session, scope)
    if not facts:
        return {}
    by_id = {r.id: r for r in session.scalars(select(Return).where(Return.id.in_([f.id for f in facts.values()])))}
    return {dept_id: by_id[fact.id] for dept_id, fact in facts.items()}


def received_returns(session: Session, period: Period) -> dict[int, Return]:
    """Department id → its return received for ``period``: filed for the period itself or a period inside it
    (the monthly returns 2025-07/08/09 count for 2025-Q3); unsuperseded, the latest period winning."""
    return current_returns(session, period_scope(session, period))


class ReceivedReturn(NamedTuple):
    """What the dashboard needs of a department's received return (``return_states.return_state`` takes it)."""

    id: int
    imported_at: datetime
    warnings_resolved: bool


def received_return_facts(session: Session, period: Period) -> dict[int, ReceivedReturn]:
    """``received_returns`` without the ORM entities: the dashboard, the first view, must not configure the
    mappers (start-up)."""
    return _current_return_facts(session, period_scope(session, period))


def _current_return_facts(session: Session, scope: PeriodScope) -> dict[int, ReceivedReturn]:
    """The one rule for a department's current return in a scope: unsuperseded, the latest period, then the
    latest return. Table columns (Core), so that callers without entities never configure the mappers."""
    if not scope.period_ids:
        return {}
    order = {pid: i for i, pid in enumerate(scope.period_ids)}
    r = Return.__table__.c
    rows = session.execute(
        select(r.department_id, r.period_id, r.id, r.imported_at, r.warnings_resolved).where(
            r.period_id.in_(scope.period_ids), r.superseded_by_id.is_(None)
        )
    )
    best: dict[int, tuple[tuple[int, int], ReceivedReturn]] = {}
    for dept_id, period_id, return_id, imported_at, resolved in rows:
        rank = (order[period_id], return_id)
        held = best.get(dept_id)
        if held is None or rank > held[0]:
            best[dept_id] = (rank, ReceivedReturn(return_id, imported_at, resolved))
    return {dept_id: ret for dept_id, (_rank, ret) in best.items()}


def covered_period_keys(session: Session, period: Period) -> list[str]:
    """Keys of the stored periods ``period`` covers (itself included even when not stored), latest last."""
    scope = period_scope(session, period)
    rp = ReportingPeriod.__table__.c  # Table columns (Core): the first view must not configure the mappers
    keys = dict(session.execute(select(rp.id, rp.key)).all())
    covered = [keys[i] for i in scope.period_ids]
    return covered if period.key in covered else [*covered, period.key]
