"""The 总览 numbers as plain data: projects by status, behind schedule, returns received, indicators vs targets."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.domain.periods import Period, latest_closed_quarter
from app.services.ledger import LedgerRow, load_rows
from app.services.scope import expected_department_ids
from app.storage.db import Database
from app.storage.models import (
    Department,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    ReportingPeriod,
    Return,
)


@dataclass(frozen=True)
class BehindProject:
    id: int
    code: str
    name: str
    lead_department: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class DepartmentReturn:
    id: int
    name: str
    received: bool


@dataclass(frozen=True)
class IndicatorProgress:
    """One indicator's latest actual value against its latest numeric target."""

    id: int
    name: str
    unit: str
    target_year: int | None
    target_value: float | None
    target_kind: str
    wording: str
    actual_value: float | None
    actual_period: str


@dataclass(frozen=True)
class Dashboard:
    period_key: str
    status_counts: dict[str, int]
    project_total: int
    behind: list[BehindProject]
    departments: list[DepartmentReturn]
    indicators: list[IndicatorProgress]

    @property
    def returns_received(self) -> int:
        return sum(d.received for d in self.departments)


def load_dashboard(database: Database, period_key: str, today: date | None = None) -> Dashboard:
    """Everything the dashboard shows for ``period_key``."""
    # A return counts for the period when its own period ends inside it (monthly returns count for the quarter).
    period = Period.parse(period_key)
    with database.session() as s:
        rows: list[LedgerRow] = load_rows(s, period_key, today)
        counts = Counter(r.status for r in rows)
        behind = [BehindProject(r.id, r.code, r.name, r.lead_department, r.lag_reasons) for r in rows if r.behind]
        # Departments expected to report: the rule `taizhang missing` and the report use (projects and indicators).
        expected = expected_department_ids(s)
        received = set(
            s.scalars(
                select(Return.department_id)
                .join(ReportingPeriod, ReportingPeriod.id == Return.period_id)
                .where(
                    ReportingPeriod.end >= period.start,
                    ReportingPeriod.end <= period.end,
                    Return.superseded_by_id.is_(None),
                )
            )
        )
        departments = [
            DepartmentReturn(i, n, i in received)
            for i, n in s.execute(
                select(Department.id, Department.name)
                .where(Department.id.in_(expected))
                .order_by(Department.sort_order, Department.id)
            )
        ]
        indicators = []
        for ind in s.scalars(select(Indicator).order_by(Indicator.sort_order, Indicator.id)):
            numeric = [
                t
                for t in s.scalars(select(IndicatorTarget).where(IndicatorTarget.indicator_id == ind.id))
                if t.value is not None and t.kind in ("floor", "exact")
            ]
            target = max(numeric, key=lambda t: t.year, default=None)
            actual = s.execute(
                select(IndicatorActual.value, IndicatorActual.period_key)
                .where(IndicatorActual.indicator_id == ind.id, IndicatorActual.value.is_not(None))
                .where(IndicatorActual.period_key <= period_key)
                .order_by(IndicatorActual.period_key.desc())
                .limit(1)
            ).first()
            indicators.append(
                IndicatorProgress(
                    ind.id,
                    ind.name,
                    ind.unit,
                    target.year if target else None,
                    target.value if target else None,
                    target.kind if target else "",
                    target.wording if target else "",
                    actual[0] if actual else None,
                    actual[1] if actual else "",
                )
            )
    return Dashboard(period_key, dict(counts), len(rows), behind, departments, indicators)


def period_choices(database: Database, today: date | None = None, quarters: int = 12) -> list[tuple[str, str]]:
    """Periods a clerk can pick, newest first: recent quarters up to the latest closed one, plus any in the database."""
    latest = latest_closed_quarter(today or date.today())
    periods: set[Period] = set()
    p = latest
    for _ in range(quarters):
        periods.add(p)
        p = p.previous()
    with database.session() as s:
        for key in s.scalars(select(ReportingPeriod.key)):
            try:
                periods.add(Period.parse(key))
            except ValueError:
                continue
    ordered = sorted(periods, key=lambda q: (q.end, q.start), reverse=True)
    return [(q.key, q.label) for q in ordered]
