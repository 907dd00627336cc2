"""The ledger as plain data: one row per project with its latest progress, next milestone and lag reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.domain.periods import Period, current_quarter
from app.domain.project_status import project_status
from app.domain.schedule import MilestoneFacts, ScheduleFacts, lag_as_of, lag_reasons
from app.services.period_entries import period_scope
from app.services.scope import lag_margin, project_lead_departments
from app.storage.db import Database
from app.storage.models import (
    Department,
    Document,
    Milestone,
    ProgrammeMember,
    ProgressEntry,
    Project,
    ReportingPeriod,
    Return,
    Task,
    TaskDepartment,
)

KIND_LABELS = {"key_project": "重点项目", "programme": "定额计划"}
STATUSES = ("未填报", "未开工", "在建", "已完成", "暂停", "已撤销")  # shown as app.domain.project_status derives them


@dataclass(frozen=True)
class LedgerRow:
    """One project as the ledger table shows it."""

    id: int
    code: str
    name: str
    kind: str
    task_id: int | None
    document_id: int | None
    lead_department_id: int | None
    lead_department: str
    region: str
    status: str
    planned_investment: float | None
    completed_investment: float | None
    progress_pct: float | None
    last_return: str  # label of the period of the latest current progress entry
    last_return_key: str
    next_milestone: str
    next_milestone_date: date | None
    lag_reasons: tuple[str, ...]
    member_count: int
    version: int

    @property
    def behind(self) -> bool:
        return bool(self.lag_reasons)


@dataclass(frozen=True)
class TaskNode:
    id: int
    document_id: int
    parent_id: int | None
    code: str
    title: str
    level: str
    departments: tuple[str, ...] = ()  # every responsible department (a supervised part each), document order


@dataclass(frozen=True)
class DocumentNode:
    id: int
    short_title: str


@dataclass(frozen=True)
class MemberRow:
    id: int
    project_id: int
    name: str
    credit_code: str
    region: str
    year_counted: int | None
    from_return: bool


@dataclass
class Ledger:
    """Everything the ledger view shows, loaded in one go (off the GUI thread)."""

    rows: list[LedgerRow]
    documents: list[DocumentNode]
    tasks: list[TaskNode]
    members: dict[int, list[MemberRow]] = field(default_factory=dict)
    departments: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    period_key: str | None = None


def _period(period_key: str | None, today: date) -> tuple[Period, date | None]:
    """The chosen period (the current quarter without one) and the end date that caps progress (None: no cap)."""
    if period_key:
        try:
            period = Period.parse(period_key)
            return period, period.end
        except ValueError:
            pass
    return current_quarter(today), None


def reported_project_ids(session: Session, period: Period) -> set[int]:
    """Projects with a current progress entry in the period (the quarter itself or a month inside it)."""
    scope = period_scope(session, period)
    if not scope.period_ids:
        return set()
    pe, rt = ProgressEntry.__table__.c, Return.__table__.c  # Table columns (Core): see load_rows
    return set(
        session.scalars(
            select(pe.project_id)
            .outerjoin(Return.__table__, rt.id == pe.return_id)
            .where(pe.period_id.in_(scope.period_ids), rt.superseded_by_id.is_(None))
            .distinct()
        )
    )


def members_counted(session: Session, year: int) -> dict[int, tuple[int, int]]:
    """Programme id → (members counted in ``year``, members counted up to ``year``), superseded returns left out.

    A member without a year counts in every year (a clerk entered it without one).
    """
    pm, rt = ProgrammeMember.__table__.c, Return.__table__.c  # Table columns (Core): see load_rows
    superseded = select(rt.id).where(rt.superseded_by_id.is_not(None))
    counts: dict[int, tuple[int, int]] = {}
    for pid, counted in session.execute(
        select(pm.project_id, pm.year_counted).where(or_(pm.return_id.is_(None), pm.return_id.not_in(superseded)))
    ):
        this_year, so_far = counts.get(pid, (0, 0))
        counts[pid] = (
            this_year + (counted is None or counted == year),
            so_far + (counted is None or counted <= year),
        )
    return counts


def load_rows(session: Session, period_key: str | None = None, today: date | None = None) -> list[LedgerRow]:
    """Ledger rows for ``period_key``: latest progress reported for a period ending by its end, status for the
    period (``app.domain.project_status``), lag judged on ``lag_as_of`` (the earlier of today and its end)."""
    margin = lag_margin(session)
    period, as_of = _period(period_key, today or date.today())
    judged_on = lag_as_of(as_of, today or date.today())
    leads = project_lead_departments(session)
    # Table columns (Core): the dashboard, the first view, reads these rows and must not configure the mappers
    # (start-up); the values are the same, the columns' own types convert them.
    d, t, pj = Department.__table__.c, Task.__table__.c, Project.__table__.c
    mi, pm = Milestone.__table__.c, ProgrammeMember.__table__.c
    dept_names = dict(session.execute(select(d.id, d.name)).all())
    task_docs = dict(session.execute(select(t.id, t.document_id)).all())
    reported = reported_project_ids(session, period)
    counted = members_counted(session, period.year)

    project_ids = set(session.scalars(select(pj.id)))
    latest = latest_progress(session, project_ids, as_of)
    milestones: dict[int, list[MilestoneFacts]] = {}
    for pid, name, planned, actual in session.execute(
        select(mi.project_id, mi.name, mi.planned_date, mi.actual_date).order_by(mi.project_id, mi.sort_order, mi.id)
    ):
        milestones.setdefault(pid, []).append(MilestoneFacts(name, planned, actual))
    member_counts: dict[int, int] = dict(
        session.execute(select(pm.project_id, func.count()).group_by(pm.project_id)).all()
    )

    rows: list[LedgerRow] = []
    for p in session.execute(
        select(
            pj.id,
            pj.code,
            pj.name,
            pj.kind,
            pj.task_id,
            pj.lead_department_id,
            pj.region,
            pj.status,
            pj.quota_count,
            pj.quota_period,
            pj.planned_investment,
            pj.planned_start,
            pj.planned_end,
            pj.version,
        ).order_by(pj.sort_order, pj.id)
    ):
        pct, cum, key, label = latest.get(p.id, (None, None, "", ""))
        ms = tuple(milestones.get(p.id, ()))
        upcoming = sorted((m for m in ms if m.actual is None and m.planned), key=lambda m: m.planned or date.max)
        nxt = upcoming[0] if upcoming else None
        lead_id = leads.get(p.id)
        this_year, so_far = counted.get(p.id, (0, 0))
        status = project_status(
            kind=p.kind,
            stored=p.status,
            reported_this_period=p.id in reported,
            latest_pct=pct,
            latest_investment=cum,
            members_counted=this_year if p.quota_period == "yearly" else so_far,
            quota_count=p.quota_count,
        )
        facts = ScheduleFacts(p.planned_start, p.planned_end, pct, ms, finished=status == "已完成")
        reasons = lag_reasons(facts, judged_on, margin)
        rows.append(
            LedgerRow(
                id=p.id,
                code=p.code,
                name=p.name,
                kind=p.kind,
                task_id=p.task_id,
                document_id=task_docs.get(p.task_id) if p.task_id else None,
                lead_department_id=lead_id,
                lead_department=dept_names.get(lead_id, "") if lead_id else "",
                region=p.region or "",
                status=status,
                planned_investment=p.planned_investment,
                completed_investment=cum,
                progress_pct=pct,
                last_return=label,
                last_return_key=key,
                next_milestone=f"{nxt.name}（{nxt.planned:%Y-%m-%d}）" if nxt and nxt.planned else "",
                next_milestone_date=nxt.planned if nxt else None,
                lag_reasons=tuple(reasons),
                member_count=member_counts.get(p.id, 0),
                version=p.version,
            )
        )
    return rows


RETURN_BATCH = 60


def latest_progress(
    session: Session, project_ids: set[int], as_of: date | None
) -> dict[int, tuple[float | None, float | None, str, str]]:
    """Each project's latest current progress (pct, cumulative investment, period key, label) up to ``as_of``.

    Entries of superseded returns are history, not progress. Current returns are read newest first, a batch at
    a time, until every project has its entry: usually the newest batch covers all, so the 100,000 history
    rows of a large portfolio are never touched.
    """
    found: dict[int, tuple[date, int, tuple[float | None, float | None, str, str]]] = {}
    pe, rp, rt = ProgressEntry.__table__.c, ReportingPeriod.__table__.c, Return.__table__.c  # Core: see load_rows
    entry_cols = (pe.project_id, pe.id, pe.progress_pct, pe.investment_cumulative, rp.end, rp.key, rp.label)

    def take(rows: Any) -> None:
        for pid, entry_id, pct, cum, end, key, label in rows:
            best = found.get(pid)
            if best is None or (end, entry_id) > (best[0], best[1]):
                found[pid] = (end, entry_id, (pct, cum, key, label))

    # Entries a clerk typed in belong to no return.
    manual = select(*entry_cols).join(ReportingPeriod.__table__, rp.id == pe.period_id).where(pe.return_id.is_(None))
    if as_of is not None:
        manual = manual.where(rp.end <= as_of)
    take(session.execute(manual))

    current = (
        select(rt.id, rp.end)
        .join(ReportingPeriod.__table__, rp.id == rt.period_id)
        .where(rt.superseded_by_id.is_(None))
        .order_by(rp.end.desc(), rt.id.desc())
    )
    if as_of is not None:
        current = current.where(rp.end <= as_of)
    returns = list(session.execute(current))
    for start in range(0, len(returns), RETURN_BATCH):
        batch = returns[start : start + RETURN_BATCH]
        oldest_in_batch = batch[-1][1]
        settled = {pid for pid, (end, _i, _v) in found.items() if end >= batch[0][1]}
        if project_ids <= settled:
            break
        take(
            session.execute(
                select(*entry_cols)
                .join(ReportingPeriod.__table__, rp.id == pe.period_id)
                .where(pe.return_id.in_([rid for rid, _end in batch]))
            )
        )
        # Every later batch is older than this one: projects found at or after its oldest period are settled.
        if all(pid in found and found[pid][0] >= oldest_in_batch for pid in project_ids):
            break
    return {pid: value for pid, (_end, _id, value) in found.items()}


def load_ledger(
    database: Database, period_key: str | None = None, today: date | None = None, *, with_members: bool = True
) -> Ledger:
    """Load rows, the document/task tree and (optionally) programme members as plain data."""
    with database.session() as session:
        rows = load_rows(session, period_key, today)
        documents = [
            DocumentNode(i, t)
            for i, t in session.execute(select(Document.id, Document.short_title).order_by(Document.id))
        ]
        task_departments: dict[int, list[str]] = {}
        for task_id, name in session.execute(
            select(TaskDepartment.task_id, Department.name)
            .join(Department, Department.id == TaskDepartment.department_id)
            .order_by(TaskDepartment.task_id, TaskDepartment.sort_order, TaskDepartment.id)
        ):
            task_departments.setdefault(task_id, []).append(name)
        tasks = [
            TaskNode(*r, departments=tuple(task_departments.get(r[0], ())))
            for r in session.execute(
                select(Task.id, Task.document_id, Task.parent_id, Task.code, Task.title, Task.level).order_by(
                    Task.document_id, Task.sort_order, Task.id
                )
            )
        ]
        members: dict[int, list[MemberRow]] = {}
        if with_members:
            for m in session.execute(
                select(
                    ProgrammeMember.id,
                    ProgrammeMember.project_id,
                    ProgrammeMember.name,
                    ProgrammeMember.credit_code,
                    ProgrammeMember.region,
                    ProgrammeMember.year_counted,
                    ProgrammeMember.return_id,
                ).order_by(ProgrammeMember.project_id, ProgrammeMember.id)
            ):
                members.setdefault(m.project_id, []).append(
                    MemberRow(
                        m.id, m.project_id, m.name, m.credit_code, m.region, m.year_counted, m.return_id is not None
                    )
                )
        departments = sorted({r.lead_department for r in rows if r.lead_department})
        regions = sorted({r.region for r in rows if r.region})
    return Ledger(rows, documents, tasks, members, departments, regions, period_key)


def task_subtree(tasks: list[TaskNode], root_id: int) -> set[int]:
    """The ids of a task and every task below it."""
    children: dict[int, list[int]] = {}
    for t in tasks:
        if t.parent_id is not None:
            children.setdefault(t.parent_id, []).append(t.id)
    out, stack = set(), [root_id]
    while stack:
        tid = stack.pop()
        out.add(tid)
        stack.extend(children.get(tid, ()))
    return out


@dataclass
class LoadedLedger:
    """The ledger as the 项目台账 view shows it: rows, a search key per row, and how long loading took."""

    ledger: Ledger
    search_keys: list[str]
    seconds: float


def load_for_view(database: Database, period_key: str | None) -> LoadedLedger:
    """The ledger plus a pinyin search key per row (run on the GUI's database worker)."""
    import time

    from app.domain.pinyin import search_key

    t0 = time.perf_counter()
    ledger = load_ledger(database, period_key)
    keys = [f"{r.code.lower()}\x1f{search_key(r.name)}" for r in ledger.rows]
    return LoadedLedger(ledger, keys, time.perf_counter() - t0)
