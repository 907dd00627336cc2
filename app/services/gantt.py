"""Gantt data and edits: rows of plain dataclasses for a selection, baselines and slips, planned-date moves.

Actual span (decided here, shown in the legend):
- it starts at the earliest of the milestones' actual dates and the start of the first reporting period whose
  current (not superseded) progress entry reports progress (形象进度 > 0 or investment in the period > 0);
- it is *finished* when every milestone has an actual date (end = the latest one) or, without milestones, when a
  report says 100% (end = the end of that period);
- otherwise it is ongoing and runs to the end of the latest reported period or the latest milestone actual date,
  whichever is later, but never past today.

Progress and lag are read as of the chosen period, exactly as the ledger, dashboard and report read them: entries
of periods ending after the period's end are left out, the latest entry (by period end, then id) gives 形象进度,
and lag is judged on ``as_of`` = ``lag_as_of`` (the earlier of today and the period's end) with the one margin
``scope.lag_margin``. The today line stays at today. Departments are the projects' lead departments by
``scope.project_lead_departments`` (a task's lead when the project names none).

Edits use optimistic locking (``WHERE version = :expected``, then bump) and write one AuditEntry per field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Connection, case, delete, func, insert, literal, or_, select
from sqlalchemy.orm import Session

from app.domain.periods import Period, current_quarter
from app.domain.schedule import DEFAULT_LAG_MARGIN_PCT, ScheduleFacts, lag_as_of, lag_reasons
from app.services.projects import current_user
from app.services.scope import UNCLASSIFIED, lag_margin, project_lead_departments
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.models import (
    AuditEntry,
    Department,
    Document,
    Milestone,
    PlanBaseline,
    PlanBaselineItem,
    ProgressEntry,
    Project,
    ReportingPeriod,
    Return,
    Task,
)

KIND_LABELS = {"key_project": "重点项目", "programme": "定额计划"}


class Grouping:
    """Ways to group rows (values are stable keys, labels are Chinese)."""

    NONE = "none"
    TASK = "task"
    DEPARTMENT = "department"
    REGION = "region"
    KIND = "kind"
    LABELS = {NONE: "不分组", TASK: "按任务", DEPARTMENT: "按牵头单位", REGION: "按地区", KIND: "按类别"}


@dataclass(frozen=True)
class Selection:
    """Which part of the portfolio: ``kind`` all / task / department / region / project, with its ``value``."""

    kind: str = "all"
    value: str = ""

    @property
    def label(self) -> str:
        """How titles name the selection."""
        if self.kind == "all" or not self.value:
            return "全部项目"
        prefix = {"task": "任务", "department": "牵头单位", "region": "地区", "project": "项目"}.get(self.kind, "")
        return f"{prefix}：{self.value}"


@dataclass(slots=True)
class GanttMilestone:
    id: int
    name: str
    planned: date | None
    actual: date | None
    version: int
    baseline: date | None = None

    def overdue(self, today: date) -> bool:
        """Planned date passed, not done."""
        return self.planned is not None and self.actual is None and self.planned < today


@dataclass
class GanttRow:
    """One project's line: plan, actual, milestones, baseline and why it is behind (if it is)."""

    project_id: int
    code: str
    name: str
    kind: str
    version: int
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None = None
    actual_end: date | None = None
    actual_finished: bool = False
    progress_pct: float | None = None
    milestones: list[GanttMilestone] = field(default_factory=list)
    lag_reasons: tuple[str, ...] = ()
    baseline_start: date | None = None
    baseline_end: date | None = None
    task_label: str = ""
    task_sort: tuple[int, int] = (0, 0)
    department: str = ""
    department_sort: int = 0
    region: str = ""

    @property
    def behind(self) -> bool:
        return bool(self.lag_reasons)

    def group_key(self, grouping: str) -> tuple[Any, str] | None:
        """(sort key, label) of this row's group, None without grouping."""
        if grouping == Grouping.TASK:
            return ((0, *self.task_sort) if self.task_label else (1, 0, 0), self.task_label or f"（{UNCLASSIFIED}）")
        if grouping == Grouping.DEPARTMENT:
            return (
                (0 if self.department else 1, self.department_sort, self.department),
                self.department or "（未定牵头单位）",
            )
        if grouping == Grouping.REGION:
            return ((0 if self.region else 1, self.region), self.region or "（未定地区）")
        if grouping == Grouping.KIND:
            return ((int(self.kind != "key_project"), self.kind), KIND_LABELS.get(self.kind, self.kind))
        return None

    def dates(self) -> Iterable[date]:
        for d in (self.planned_start, self.planned_end, self.actual_start, self.actual_end):
            if d:
                yield d
        for d in (self.baseline_start, self.baseline_end):
            if d:
                yield d
        for m in self.milestones:
            for d in (m.planned, m.actual, m.baseline):
                if d:
                    yield d


@dataclass(frozen=True)
class BaselineInfo:
    id: int
    name: str
    created_at: datetime
    created_by: str


@dataclass
class GanttData:
    """Everything the chart draws, as plain data."""

    rows: list[GanttRow]
    today: date  # where the today line is drawn
    period_key: str
    period_label: str
    period_start: date
    period_end: date
    selection: Selection
    baseline: BaselineInfo | None = None
    lag_margin: float = DEFAULT_LAG_MARGIN_PCT
    progress_loaded: bool = True  # False after a plans-first load, until apply_progress
    as_of: date | None = None  # the day lag is judged on (lag_as_of); None = today
    _range: tuple[date, date] | None = field(default=None, repr=False, compare=False)

    def date_range(self) -> tuple[date, date]:
        """Earliest and latest date on the chart (today and the current period always included); cached."""
        if self._range is None:
            self._range = self._compute_range()
        return self._range

    def invalidate_range(self) -> None:
        """Forget the cached range after a row's dates changed."""
        self._range = None

    def _compute_range(self) -> tuple[date, date]:
        lo, hi = min(self.today, self.period_start), max(self.today, self.period_end)
        for row in self.rows:
            for d in row.dates():
                if d < lo:
                    lo = d
                elif d > hi:
                    hi = d
        return lo, hi

    @property
    def judged_on(self) -> date:
        """The day lag is judged on: ``as_of`` when set, else today."""
        return self.as_of or self.today

    @property
    def behind_count(self) -> int:
        return sum(1 for r in self.rows if r.behind)


@dataclass(frozen=True)
class Slip:
    """A planned date that moved since the baseline (``days`` > 0 = later)."""

    project_code: str
    project_name: str
    item: str
    baseline: date | None
    current: date | None

    @property
    def days(self) -> int | None:
        if self.baseline is None or self.current is None:
            return None
        return (self.current - self.baseline).days


# --- reading ---------------------------------------------------------------------------------------------------


def selection_choices(database: Database) -> dict[str, list[str]]:
    """Values a clerk can pick for each selection kind (task codes, department names, regions, projects)."""
    with database.session() as s:
        tasks = [
            f"{code} {title}"
            for code, title in s.execute(
                select(Task.code, Task.title)
                .where(Task.id.in_(select(Project.task_id).where(Project.task_id.is_not(None))))
                .order_by(Task.document_id, Task.sort_order)
            )
        ]
        leading = {d for d in project_lead_departments(s).values() if d is not None}
        departments = list(
            s.scalars(
                select(Department.name).where(Department.id.in_(leading)).order_by(Department.sort_order, Department.id)
            )
        )
        regions = sorted(r for r in s.scalars(select(Project.region).distinct()) if r)
        projects = [
            f"{code} {name}"
            for code, name in s.execute(select(Project.code, Project.name).order_by(Project.sort_order))
        ]
    return {"task": tasks, "department": departments, "region": regions, "project": projects}


def _task_ids_for(s: Session, value: str) -> list[int]:
    """Task ids matching a code (with or without title, optionally ``docKey/code``), with all descendants."""
    text = value.strip()
    doc_key = ""
    if "/" in text:
        doc_key, text = text.split("/", 1)
    parts = text.split(maxsplit=1)
    code = parts[0] if parts else ""
    stmt = select(Task.id, Task.document_id).where(Task.code == code)
    if len(parts) == 2:  # "code title", as the pick list offers it: the title tells the documents apart
        stmt = stmt.where(Task.title == parts[1].strip())
    if doc_key:
        stmt = stmt.join(Document, Document.id == Task.document_id).where(Document.key == doc_key)
    found = list(s.execute(stmt))
    if not found:
        raise KnownError(f"找不到任务：{value}（任务编号如 三(四)2，可写作 文件代号/编号）")
    if len({doc for _id, doc in found}) > 1:
        keys = "、".join(s.scalars(select(Document.key).order_by(Document.id)))
        raise KnownError(f"任务编号 {code} 在两个文件中都有，请写作 文件代号/{code}（文件代号：{keys}）")
    ids = {tid for tid, _doc in found}
    parents = dict(s.execute(select(Task.id, Task.parent_id)).all())
    for tid in list(parents):
        p = parents[tid]
        while p is not None:
            if p in ids:
                ids.add(tid)
                break
            p = parents.get(p)
    return sorted(ids)


def _project_filter(s: Session, selection: Selection) -> Any:
    if selection.kind == "all" or not selection.value.strip():
        return None
    value = selection.value.strip()
    if selection.kind == "task":
        return Project.task_id.in_(_task_ids_for(s, value))
    if selection.kind == "department":
        from app.services.departments import resolve_in

        # Short forms and former names reach today's department; an unknown name is refused with candidates.
        dept = resolve_in(s, value).department_id
        return Project.id.in_([pid for pid, lead in project_lead_departments(s).items() if lead == dept])
    if selection.kind == "region":
        if s.scalar(select(Project.id).where(Project.region == value).limit(1)) is None:
            raise KnownError(f"没有地区为「{value}」的项目")
        return Project.region == value
    if selection.kind == "project":
        code = value.split()[0]
        if s.scalar(select(Project.id).where(or_(Project.code == code, Project.name == value))) is None:
            raise KnownError(f"找不到项目：{value}")
        return or_(Project.code == code, Project.name == value)
    raise KnownError(f"不支持的选择方式：{selection.kind}")


def load_gantt(
    database: Database,
    selection: Selection | None = None,
    *,
    today: date | None = None,
    period_key: str | None = None,
    baseline_id: int | None = None,
    with_progress: bool = True,
) -> GanttData:
    """Read the rows for a selection with plain queries (no ORM objects).

    ``with_progress=False`` skips the progress entries (actual spans, the progress lag rule) so that a view can draw
    plans and milestones first and add them with ``load_progress`` + ``apply_progress`` a moment later.
    """
    selection = selection or Selection()
    today = today or date.today()
    period = Period.parse(period_key) if period_key else current_quarter(today)
    as_of = lag_as_of(period.end, today)
    with database.session() as s:
        cond = _project_filter(s, selection)
        # Plain Core queries on the connection: the ORM's row processing would double the load time.
        conn = s.connection()
        stmt = select(
            Project.id,
            Project.code,
            Project.name,
            Project.kind,
            Project.version,
            Project.planned_start,
            Project.planned_end,
            Project.task_id,
            Project.region,
        ).order_by(Project.sort_order, Project.id)
        if cond is not None:
            stmt = stmt.where(cond)
        project_rows = conn.execute(stmt).all()
        ids = [r.id for r in project_rows]
        id_set = set(ids)
        tasks = {
            tid: (doc, sort, code, title)
            for tid, doc, sort, code, title in conn.execute(
                select(Task.id, Task.document_id, Task.sort_order, Task.code, Task.title)
            )
        }
        depts = {
            did: (name, sort)
            for did, name, sort in conn.execute(select(Department.id, Department.name, Department.sort_order))
        }
        leads = project_lead_departments(s)
        rows: dict[int, GanttRow] = {}
        for r in project_rows:
            task = tasks.get(r.task_id) if r.task_id else None
            lead = leads.get(r.id)
            dept = depts.get(lead) if lead is not None else None
            rows[r.id] = GanttRow(
                project_id=r.id,
                code=r.code,
                name=r.name,
                kind=r.kind,
                version=r.version,
                planned_start=r.planned_start,
                planned_end=r.planned_end,
                task_label=f"{task[2]} {task[3]}" if task else "",
                task_sort=(task[0], task[1]) if task else (1 << 30, 0),
                department=dept[0] if dept else "",
                department_sort=dept[1] if dept else 0,
                region=r.region or "",
            )
        baseline = None
        base_projects: dict[int, tuple[date | None, date | None]] = {}
        base_milestones: dict[int, date | None] = {}
        if baseline_id is not None:
            b = s.get(PlanBaseline, baseline_id)
            if b is None:
                raise KnownError("所选基线已不存在")
            baseline = BaselineInfo(b.id, b.name, b.created_at, b.created_by)
            for pid, mid, ps, pe, pd in conn.execute(
                select(
                    PlanBaselineItem.project_id,
                    PlanBaselineItem.milestone_id,
                    PlanBaselineItem.planned_start,
                    PlanBaselineItem.planned_end,
                    PlanBaselineItem.planned_date,
                ).where(PlanBaselineItem.baseline_id == baseline_id)
            ):
                if mid is None:
                    base_projects[pid] = (ps, pe)
                else:
                    base_milestones[mid] = pd
        append_to = {pid: row.milestones.append for pid, row in rows.items()}
        for mid, pid, name, planned, actual, version in conn.execute(
            select(
                Milestone.id,
                Milestone.project_id,
                Milestone.name,
                Milestone.planned_date,
                Milestone.actual_date,
                Milestone.version,
            ).order_by(Milestone.project_id, Milestone.sort_order, Milestone.id)
        ):
            append = append_to.get(pid)
            if append is not None:
                append(GanttMilestone(mid, name, planned, actual, version, base_milestones.get(mid)))
        summary = (
            _progress_summary(conn, id_set if cond is not None else None, today, period.end) if with_progress else {}
        )
        margin = lag_margin(s)
    for pid, row in rows.items():
        if pid in base_projects:
            row.baseline_start, row.baseline_end = base_projects[pid]
        if not with_progress:
            recompute_lag(row, as_of, margin)  # the milestone rule only, until apply_progress
    data = GanttData(
        rows=[rows[i] for i in ids],
        today=today,
        period_key=period.key,
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        selection=selection,
        baseline=baseline,
        lag_margin=margin,
        progress_loaded=False,
        as_of=as_of,
    )
    if with_progress:
        apply_progress(data, summary)
    return data


def load_progress(database: Database, data: GanttData) -> dict[int, ProgressSummary]:
    """The progress summary for the rows of ``data`` (second step of a two-step load)."""
    ids = {r.project_id for r in data.rows}
    with database.session() as s:
        return _progress_summary(
            s.connection(), ids if data.selection.kind != "all" else None, data.today, data.period_end
        )


def apply_progress(data: GanttData, summary: dict[int, ProgressSummary]) -> None:
    """Fill actual spans and progress from a summary and judge every row by both lag rules."""
    for row in data.rows:
        _fill_actual(row, summary.get(row.project_id), data.today)
        recompute_lag(row, data.judged_on, data.lag_margin)
    data.progress_loaded = True
    data.invalidate_range()


def recompute_lag(row: GanttRow, as_of: date, margin: float = DEFAULT_LAG_MARGIN_PCT) -> None:
    """Re-judge a row on ``as_of`` (``GanttData.judged_on``) after its plan changed (same rules as loading)."""
    facts = ScheduleFacts(
        row.planned_start,
        row.planned_end,
        row.progress_pct,
        # GanttMilestone has the fields the rules read: no copy per milestone (≈ 10 ms over 20,000 of them).
        tuple(row.milestones),
    )
    row.lag_reasons = tuple(lag_reasons(facts, as_of, margin))


def _progress_summary(
    conn: Connection, ids: set[int] | None, today: date, period_end: date
) -> dict[int, ProgressSummary]:
    """Per project, from current entries (return not superseded): first/last reported period, first 100%, latest %.

    Aggregated in SQL so that 60,000 entries cost one pass in SQLite, not 60,000 Python tuples. Periods that
    start after ``today`` are ignored (a report cannot describe the future; generated data sometimes does), and so
    are periods ending after ``period_end`` (the chart shows the portfolio as of the chosen period, like the ledger).
    The latest % is that of the latest entry (period end, then id), as in ``ledger.latest_progress``: an entry that
    leaves 形象进度 empty makes it unknown rather than falling back to an older figure.

    Why it is shaped so: the few periods are read first and turned into integer ranks (by start, by end), so the
    pass over the entries compares integers instead of joining periods and comparing date text; it reads only the
    columns of the covering index ``ix_progress_entries_gantt`` (in project order, no sort for GROUP BY); the latest
    entry is ``max(end rank * 2**32 + id)`` and its % is fetched afterwards by id (≈ 5,000 primary-key lookups).
    """
    periods = conn.execute(
        select(ReportingPeriod.id, ReportingPeriod.start, ReportingPeriod.end).where(
            ReportingPeriod.start <= today, ReportingPeriod.end <= period_end
        )
    ).all()
    if not periods:
        return {}
    by_start = sorted(periods, key=lambda p: (p.start, p.id))
    by_end = sorted(periods, key=lambda p: (p.end, p.id))
    pe = ProgressEntry.__table__.c
    ids_in_order = [p.id for p in by_start] == sorted(p.id for p in periods)
    start_rank: Any = (
        pe.period_id if ids_in_order else case({p.id: i for i, p in enumerate(by_start)}, value=pe.period_id)
    )
    end_ids_in_order = [p.id for p in by_end] == sorted(p.id for p in periods)
    end_rank: Any = (
        pe.period_id if end_ids_in_order else case({p.id: i for i, p in enumerate(by_end)}, value=pe.period_id)
    )
    start_of = (
        {p.id: _as_date(p.start) for p in periods}
        if ids_in_order
        else {i: _as_date(p.start) for i, p in enumerate(by_start)}
    )
    end_of = (
        {p.id: _as_date(p.end) for p in periods}
        if end_ids_in_order
        else {i: _as_date(p.end) for i, p in enumerate(by_end)}
    )
    reported = or_(pe.progress_pct > 0, pe.investment_period > 0)
    superseded = select(Return.id).where(Return.superseded_by_id.is_not(None))
    stmt = (
        select(
            pe.project_id,
            func.min(case((reported, start_rank))),
            func.max(case((reported, end_rank))),
            func.min(case((pe.progress_pct >= 100, end_rank))),
            func.max(end_rank * literal(_ID_SPAN, BigInteger()) + pe.id),  # bigint: PostgreSQL's integer overflows
        )
        .where(or_(pe.return_id.is_(None), pe.return_id.not_in(superseded)))
        .group_by(pe.project_id)
    )
    if len(periods) < len(conn.execute(select(ReportingPeriod.id)).all()):
        stmt = stmt.where(pe.period_id.in_([p.id for p in periods]))
    # Without statistics SQLite would walk the period_id index and sort for GROUP BY; the covering index is ≈ 3×
    # cheaper to read than the table rows, which carry the long text columns.
    stmt = stmt.with_hint(ProgressEntry.__table__, "INDEXED BY ix_progress_entries_gantt", "sqlite")
    aggregates = [
        (pid, first, last, done, key) for pid, first, last, done, key in conn.execute(stmt) if ids is None or pid in ids
    ]
    latest_ids = [key % _ID_SPAN for *_, key in aggregates]
    pct_of: dict[int, float | None] = {}
    for i in range(0, len(latest_ids), _IN_CHUNK):
        chunk = latest_ids[i : i + _IN_CHUNK]
        pct_of.update((eid, pct) for eid, pct in conn.execute(select(pe.id, pe.progress_pct).where(pe.id.in_(chunk))))
    return {
        pid: ProgressSummary(
            start_of[first] if first is not None else None,
            end_of[last] if last is not None else None,
            end_of[done] if done is not None else None,
            pct_of.get(key % _ID_SPAN),
        )
        for pid, first, last, done, key in aggregates
    }


_ID_SPAN = 1 << 32  # entry ids stay below this, so "end rank * span + id" orders by period end, then id
_IN_CHUNK = 900  # below SQLite's oldest bound-parameter limit (999)


def _as_date(value: Any) -> date | None:
    """Aggregates over Date columns come back as text on SQLite."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class ProgressSummary:
    first_start: date | None  # start of the first period reporting progress
    last_end: date | None  # end of the last period reporting progress
    done_end: date | None  # end of the first period reporting 100%
    latest_pct: float | None  # the latest reported 形象进度


def _fill_actual(row: GanttRow, summary: ProgressSummary | None, today: date) -> None:
    """Apply the actual-span rule in the module docstring."""
    actuals = [m.actual for m in row.milestones if m.actual]
    row.progress_pct = summary.latest_pct if summary else None
    starts = list(actuals)
    if summary and summary.first_start:
        starts.append(summary.first_start)
    if not starts:
        return
    row.actual_start = min(starts)
    if row.milestones and all(m.actual for m in row.milestones):
        row.actual_finished, row.actual_end = True, max(actuals)
        return
    if not row.milestones and summary and summary.done_end:
        row.actual_finished, row.actual_end = True, summary.done_end
        return
    ends = actuals + ([summary.last_end] if summary and summary.last_end else [])
    row.actual_end = max(row.actual_start, min(max(ends), today))


# --- baselines -------------------------------------------------------------------------------------------------


def list_baselines(database: Database) -> list[BaselineInfo]:
    """Saved baselines, newest first."""
    with database.session() as s:
        return [
            BaselineInfo(b.id, b.name, b.created_at, b.created_by)
            for b in s.scalars(select(PlanBaseline).order_by(PlanBaseline.created_at.desc(), PlanBaseline.id.desc()))
        ]


def save_baseline(database: Database, name: str, *, user: str | None = None, now: datetime | None = None) -> int:
    """Copy every project's planned span and every milestone's planned date into a new named baseline."""
    name = name.strip()
    if not name:
        raise KnownError("请填写基线名称，例如：2025年初计划")
    with database.session() as s:
        if s.scalar(select(PlanBaseline.id).where(PlanBaseline.name == name)) is not None:
            raise KnownError(f"已有名为「{name}」的基线，请换一个名称")
        baseline = PlanBaseline(name=name, created_at=now or datetime.now(), created_by=user or current_user())
        s.add(baseline)
        s.flush()
        items: list[dict[str, Any]] = [
            dict(baseline_id=baseline.id, project_id=pid, milestone_id=None, planned_start=ps, planned_end=pe)
            for pid, ps, pe in s.execute(select(Project.id, Project.planned_start, Project.planned_end))
        ]
        items += [
            dict(baseline_id=baseline.id, project_id=pid, milestone_id=mid, planned_date=pd)
            for mid, pid, pd in s.execute(select(Milestone.id, Milestone.project_id, Milestone.planned_date))
        ]
        if items:
            s.execute(insert(PlanBaselineItem), items)
        s.add(
            AuditEntry(
                at=baseline.created_at,
                user=baseline.created_by,
                entity="plan_baseline",
                entity_id=baseline.id,
                field="name",
                old_value="",
                new_value=name,
                action="create",
            )
        )
        return baseline.id


def delete_baseline(database: Database, baseline_id: int, *, user: str | None = None) -> None:
    """Remove a baseline and its items (audited)."""
    with database.session() as s:
        b = s.get(PlanBaseline, baseline_id)
        if b is None:
            return
        s.add(
            AuditEntry(
                at=datetime.now(),
                user=user or current_user(),
                entity="plan_baseline",
                entity_id=b.id,
                field="name",
                old_value=b.name,
                new_value="",
                action="delete",
            )
        )
        s.execute(delete(PlanBaselineItem).where(PlanBaselineItem.baseline_id == baseline_id))
        s.delete(b)


def baseline_slips(database: Database, baseline_id: int, selection: Selection | None = None) -> list[Slip]:
    """Planned dates that differ from the baseline, biggest slip first."""
    data = load_gantt(database, selection, baseline_id=baseline_id)
    slips: list[Slip] = []
    for row in data.rows:
        if (row.baseline_start, row.baseline_end) != (None, None) or row.planned_start or row.planned_end:
            for item, base, cur in (
                ("计划开始", row.baseline_start, row.planned_start),
                ("计划完成", row.baseline_end, row.planned_end),
            ):
                if base != cur:
                    slips.append(Slip(row.code, row.name, item, base, cur))
        for m in row.milestones:
            if m.baseline != m.planned:
                slips.append(Slip(row.code, row.name, f"里程碑「{m.name}」", m.baseline, m.planned))
    slips.sort(key=lambda sl: (-(sl.days if sl.days is not None else 10**6), sl.project_code))
    return slips


# --- edits -----------------------------------------------------------------------------------------------------


def move_project(
    database: Database,
    project_id: int,
    expected_version: int,
    planned_start: date | None,
    planned_end: date | None,
) -> int:
    """Set a project's planned span if nobody changed it since ``expected_version``; return the new version.

    Goes through the project service so a drag is version-checked and audited exactly like a form edit.
    """
    from app.services import projects

    if planned_start and planned_end and planned_end < planned_start:
        raise KnownError("计划完成日期不能早于计划开始日期")
    changes = {"planned_start": planned_start, "planned_end": planned_end}
    return projects.update_project(database, project_id, expected_version, changes)


def move_milestone(database: Database, milestone_id: int, expected_version: int, planned_date: date | None) -> int:
    """Set a milestone's planned date if nobody changed it since ``expected_version``; return the new version."""
    from app.services import projects

    return projects.update_milestone(database, milestone_id, expected_version, {"planned_date": planned_date})
