"""The ledger as plain data: one row per project with its latest progress, next milestone and lag reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.periods import Period
from app.domain.schedule import DEFAULT_LAG_MARGIN_PCT, MilestoneFacts, ScheduleFacts, lag_reasons
from app.storage.db import Database
from app.storage.models import (
    AppSetting,
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

LAG_MARGIN_SETTING = "lag_margin_pct"
KIND_LABELS = {"key_project": "重点项目", "programme": "定额计划"}
STATUSES = ("未填报", "未开工", "在建", "已完成", "暂停", "已撤销")


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


def lag_margin(session: Session) -> float:
    """The lag margin set for this database (app_settings), else the default."""
    value = session.get(AppSetting, LAG_MARGIN_SETTING)
    try:
        return float(value.value) if value is not None else DEFAULT_LAG_MARGIN_PCT
    except ValueError:
        return DEFAULT_LAG_MARGIN_PCT


def _period_end(period_key: str | None) -> date | None:
    if not period_key:
        return None
    try:
        return Period.parse(period_key).end
    except ValueError:
        return None


def load_rows(session: Session, period_key: str | None = None, today: date | None = None) -> list[LedgerRow]:
    """Ledger rows as of ``period_key``: latest progress reported for a period ending by then, lag judged on the
    earlier of today and the period's end (or on ``today`` when given)."""
    margin = lag_margin(session)
    as_of = _period_end(period_key)
    # Lag is judged as of the period's end when that is past: a report for 2025-Q3 says who was behind then.
    if today is None:
        today = min(date.today(), as_of) if as_of is not None else date.today()
    # The fallback lead department is the first lead of the project's task (seeded projects name no lead).
    # Failing a lead, the first department named (sub-tasks list departments; some name no 牵头 role),
    # else the nearest ancestor task's.
    named: dict[int, list[tuple[bool, int]]] = {}
    for task_id, dept_id, role in session.execute(
        select(TaskDepartment.task_id, TaskDepartment.department_id, TaskDepartment.role).order_by(
            TaskDepartment.task_id, TaskDepartment.sort_order
        )
    ):
        named.setdefault(task_id, []).append((role != "lead", dept_id))
    dept_names = dict(session.execute(select(Department.id, Department.name)).all())
    task_docs: dict[int, int] = {}
    task_parent: dict[int, int | None] = {}
    for tid, doc_id, parent_id in session.execute(select(Task.id, Task.document_id, Task.parent_id)):
        task_docs[tid] = doc_id
        task_parent[tid] = parent_id

    def task_lead(task_id: int | None) -> int | None:
        while task_id is not None:
            if task_id in named:
                return min(named[task_id], key=lambda pair: pair[0])[1]
            task_id = task_parent.get(task_id)
        return None

    project_ids = set(session.scalars(select(Project.id)))
    latest = latest_progress(session, project_ids, as_of)
    milestones: dict[int, list[MilestoneFacts]] = {}
    for pid, name, planned, actual in session.execute(
        select(Milestone.project_id, Milestone.name, Milestone.planned_date, Milestone.actual_date).order_by(
            Milestone.project_id, Milestone.sort_order, Milestone.id
        )
    ):
        milestones.setdefault(pid, []).append(MilestoneFacts(name, planned, actual))
    member_counts = dict(
        session.execute(select(ProgrammeMember.project_id, func.count()).group_by(ProgrammeMember.project_id)).all()
    )

    rows: list[LedgerRow] = []
    for p in session.execute(
        select(
            Project.id,
            Project.code,
            Project.name,
            Project.kind,
            Project.task_id,
            Project.lead_department_id,
            Project.region,
            Project.status,
            Project.planned_investment,
            Project.planned_start,
            Project.planned_end,
            Project.version,
        ).order_by(Project.sort_order, Project.id)
    ):
        pct, cum, key, label = latest.get(p.id, (None, None, "", ""))
        ms = tuple(milestones.get(p.id, ()))
        upcoming = sorted((m for m in ms if m.actual is None and m.planned), key=lambda m: m.planned or date.max)
        nxt = upcoming[0] if upcoming else None
        lead_id = p.lead_department_id or task_lead(p.task_id)
        reasons = lag_reasons(ScheduleFacts(p.planned_start, p.planned_end, pct, ms), today, margin)
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
                status=p.status,
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
    entry_cols = (
        ProgressEntry.project_id,
        ProgressEntry.id,
        ProgressEntry.progress_pct,
        ProgressEntry.investment_cumulative,
        ReportingPeriod.end,
        ReportingPeriod.key,
        ReportingPeriod.label,
    )

    def take(rows: Any) -> None:
        for pid, entry_id, pct, cum, end, key, label in rows:
            best = found.get(pid)
            if best is None or (end, entry_id) > (best[0], best[1]):
                found[pid] = (end, entry_id, (pct, cum, key, label))

    # Entries a clerk typed in belong to no return.
    manual = (
        select(*entry_cols)
        .join(ReportingPeriod, ReportingPeriod.id == ProgressEntry.period_id)
        .where(ProgressEntry.return_id.is_(None))
    )
    if as_of is not None:
        manual = manual.where(ReportingPeriod.end <= as_of)
    take(session.execute(manual))

    current = (
        select(Return.id, ReportingPeriod.end)
        .join(ReportingPeriod, ReportingPeriod.id == Return.period_id)
        .where(Return.superseded_by_id.is_(None))
        .order_by(ReportingPeriod.end.desc(), Return.id.desc())
    )
    if as_of is not None:
        current = current.where(ReportingPeriod.end <= as_of)
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
                .join(ReportingPeriod, ReportingPeriod.id == ProgressEntry.period_id)
                .where(ProgressEntry.return_id.in_([rid for rid, _end in batch]))
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
        tasks = [
            TaskNode(*r)
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
