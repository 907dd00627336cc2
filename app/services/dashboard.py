"""The 总览 numbers as plain data: projects by status, behind schedule, returns received, indicators vs targets."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app.domain.periods import Period, latest_closed_quarter
from app.services.decisions import DecisionCounts, decision_counts_in
from app.services.ledger import LedgerRow, load_rows
from app.services.period_entries import received_return_facts
from app.services.return_states import latest_refusal_times, return_state
from app.services.scope import owing_department_ids
from app.services.supervision import PartCounts, part_counts
from app.storage.db import Database
from app.storage.models import (
    Department,
    Document,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    ReportingPeriod,
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
    state: str = ""  # the 报表填报 view's word for it (services.returns.ReturnState): 已报 / 未报 / 被拒 / 有警告待确认


@dataclass(frozen=True)
class TargetLine:
    """One document's numeric target for an indicator (the two documents may disagree: both are kept)."""

    year: int
    value: float
    kind: str
    wording: str
    document: str  # short tag of the setting document, e.g. 指导意见


@dataclass(frozen=True)
class IndicatorProgress:
    """One indicator's latest actual value against each document's latest numeric target."""

    id: int
    name: str
    unit: str
    targets: tuple[TargetLine, ...]
    actual_value: float | None
    actual_period: str

    @property
    def target_value(self) -> float | None:
        """The highest of the targets (None when no document sets a number)."""
        return max((t.value for t in self.targets), default=None)


@dataclass(frozen=True)
class Dashboard:
    period_key: str
    status_counts: dict[str, int]
    project_total: int
    behind: list[BehindProject]
    departments: list[DepartmentReturn]
    indicators: list[IndicatorProgress]
    parts: PartCounts = PartCounts()  # supervised task parts: reported / owed / lagging (app.services.supervision)
    decisions: DecisionCounts | None = None  # meeting decisions: open, due soon, overdue, closed in the period

    @property
    def returns_received(self) -> int:
        return sum(d.received for d in self.departments)


def load_dashboard(database: Database, period_key: str, today: date | None = None) -> Dashboard:
    """Everything the dashboard shows for ``period_key``."""
    # A return counts for the period when its own period is the period or lies inside it (months of a quarter).
    period = Period.parse(period_key)
    # Every read here selects table columns (Core), down to the shared services it calls: the first statement
    # that names a mapped class configures all the mappers (≈ 0.1 s), which the first view must not wait for.
    # tests/storage/test_dashboard_without_orm_setup.py holds it to that.
    dp, doc, ind = Department.__table__.c, Document.__table__.c, Indicator.__table__.c
    with database.session() as s:
        rows: list[LedgerRow] = load_rows(s, period_key, today)
        counts = Counter(r.status for r in rows)
        behind = [BehindProject(r.id, r.code, r.name, r.lead_department, r.lag_reasons) for r in rows if r.behind]
        # Departments expected to report: the rule `taizhang missing` and the report use (projects and indicators).
        expected = owing_department_ids(s)
        received = received_return_facts(s, period)  # received_returns: the rule the report, missing, 报表填报 use
        # One word for a department's return everywhere: the 报表填报 view's judgement (a refused last file is 被拒).
        refusals = latest_refusal_times(s, period)
        departments = [
            DepartmentReturn(i, n, i in received, return_state(received.get(i), refusals.get(i)).value)
            for i, n in s.execute(select(dp.id, dp.name).where(dp.id.in_(expected)).order_by(dp.sort_order, dp.id))
        ]
        doc_tags = {i: _document_tag(t) for i, t in s.execute(select(doc.id, doc.short_title))}
        targets = _latest_numeric_targets(s, doc_tags)
        actuals = _latest_actuals(s, period_key)
        indicators = [
            IndicatorProgress(
                ind_id,
                name,
                unit,
                targets.get(ind_id, ()),
                actuals[ind_id][0] if ind_id in actuals else None,
                actuals[ind_id][1] if ind_id in actuals else "",
            )
            for ind_id, name, unit in s.execute(select(ind.id, ind.name, ind.unit).order_by(ind.sort_order, ind.id))
        ]
        decisions = decision_counts_in(s, period, today)
        parts = part_counts(s, period)
    return Dashboard(period_key, dict(counts), len(rows), behind, departments, indicators, parts, decisions)


def period_choices(database: Database, today: date | None = None, quarters: int = 12) -> list[tuple[str, str]]:
    """Periods a clerk can pick, newest first: recent quarters up to the latest closed one, plus any in the database."""
    latest = latest_closed_quarter(today or date.today())
    periods: set[Period] = set()
    p = latest
    for _ in range(quarters):
        periods.add(p)
        p = p.previous()
    rp = ReportingPeriod.__table__.c  # Table columns (Core): asked at start-up, see load_dashboard
    with database.session() as s:
        for key in s.scalars(select(rp.key)):
            try:
                periods.add(Period.parse(key))
            except ValueError:
                continue
    ordered = sorted(periods, key=lambda q: (q.end, q.start), reverse=True)
    return [(q.key, q.label) for q in ordered]


def _document_tag(short_title: str) -> str:
    """A few characters naming a document on a chart: 《…指导意见》 → 指导意见."""
    title = short_title.strip("《》 ")
    return title[-4:] if len(title) > 4 else title


def _latest_numeric_targets(session: Any, doc_tags: dict[int, str]) -> dict[int, tuple[TargetLine, ...]]:
    """Indicator id → each document's latest level target (floor / exact), oldest document first."""
    latest: dict[tuple[int, int], Any] = {}
    c = IndicatorTarget.__table__.c  # Table columns (Core): see load_dashboard
    for t in session.execute(
        select(c.indicator_id, c.document_id, c.year, c.value, c.kind, c.wording)
        .where(c.value.is_not(None), c.kind.in_(("floor", "exact")))
        .order_by(c.id)  # ties on the year keep the first stored, as one query per indicator did
    ):
        key = (t.indicator_id, t.document_id)
        if key not in latest or t.year > latest[key].year:
            latest[key] = t
    lines: dict[int, list[TargetLine]] = {}
    for (indicator_id, _doc), t in sorted(latest.items()):
        lines.setdefault(indicator_id, []).append(
            TargetLine(t.year, float(t.value or 0.0), t.kind, t.wording, doc_tags.get(t.document_id, ""))
        )
    return {k: tuple(v) for k, v in lines.items()}


def _latest_actuals(session: Any, period_key: str) -> dict[int, tuple[float, str]]:
    """Indicator id → its latest actual value up to ``period_key`` and that value's period key."""
    latest: dict[int, tuple[float, str]] = {}
    c = IndicatorActual.__table__.c  # Table columns (Core): see load_dashboard
    for indicator_id, value, key in session.execute(
        select(c.indicator_id, c.value, c.period_key)
        .where(c.value.is_not(None), c.period_key <= period_key)
        # Of two values for one period, the one from the later return, as the (indicator, period, return)
        # index read backwards gave when this was one query per indicator; a clerk's own value (no return) last.
        .order_by(c.indicator_id, c.period_key.desc(), c.return_id.desc().nulls_last(), c.id.desc())
    ):
        latest.setdefault(indicator_id, (value, key))
    return latest
