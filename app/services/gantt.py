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
from typing import Any, ClassVar, NamedTuple

from sqlalchemy import BigInteger, Connection, case, delete, func, insert, literal, or_, select, text
from sqlalchemy.orm import Session

from app.domain.periods import Period, current_quarter
from app.domain.schedule import DEFAULT_LAG_MARGIN_PCT, lag_as_of, lag_reasons
from app.gc_pause import gc_paused
from app.services.scope import UNCLASSIFIED, lag_margin, lead_department_resolver, project_lead_departments
from app.storage.audit import add_audit, current_user
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.models import (
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


@dataclass(slots=True)
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
    # What the lag rules call 已完成 by status; the chart judges 100 % reports instead (progress_pct).
    finished: ClassVar[bool] = False

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
    """Read the rows for a selection with plain queries (no ORM objects), one query per table.

    ``with_progress=False`` skips the progress entries (actual spans, the progress lag rule) so that a view can draw
    plans and milestones first and add them with ``load_progress`` + ``apply_progress`` a moment later.
    """
    with gc_paused():
        return _load_gantt(database, selection, today, period_key, baseline_id, with_progress)


def _load_gantt(
    database: Database,
    selection: Selection | None,
    today: date | None,
    period_key: str | None,
    baseline_id: int | None,
    with_progress: bool,
) -> GanttData:
    selection = selection or Selection()
    today = today or date.today()
    period = Period.parse(period_key) if period_key else current_quarter(today)
    as_of = lag_as_of(period.end, today)
    with database.session() as s:
        cond = _project_filter(s, selection)
        # Plain Core queries on the connection, fetched with all(): the ORM's row processing, or iterating a
        # result row by row, would double the load time.
        conn = s.connection()
        p = Project.__table__.c
        stmt = select(
            p.id, p.code, p.name, p.kind, p.version, p.planned_start, p.planned_end, p.task_id, p.region,
            p.lead_department_id,
        ).order_by(p.sort_order, p.id)  # fmt: skip
        if cond is not None:
            stmt = stmt.where(cond)
        days = _Days()
        project_rows = _driver_rows(conn, stmt)
        tasks = {
            tid: (f"{code} {title}", (doc, sort))
            for tid, doc, sort, code, title in conn.execute(
                select(Task.id, Task.document_id, Task.sort_order, Task.code, Task.title)
            ).all()
        }
        depts = {
            did: (name, sort)
            for did, name, sort in conn.execute(select(Department.id, Department.name, Department.sort_order)).all()
        }
        lead_of = lead_department_resolver(s)
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
            ).all():
                if mid is None:
                    base_projects[pid] = (ps, pe)
                else:
                    base_milestones[mid] = pd
        m = Milestone.__table__.c
        # Fetched in (project, id) order, which SQLite reads straight off ix_milestones_project_id, rather than
        # in (project, sort order, id) order, for which it would sort 20,000 rows in a temporary B-tree (≈ 10 ms).
        # Milestones are nearly always entered in their sort order; those of a project that were not are put in
        # order below.
        mstmt = select(m.project_id, m.sort_order, m.id, m.name, m.planned_date, m.actual_date, m.version).order_by(
            m.project_id, m.id
        )
        if cond is not None:
            mstmt = mstmt.where(m.project_id.in_(select(Project.id).where(cond)))
        milestones: dict[int, list[GanttMilestone]] = {r[0]: [] for r in project_rows}
        list_of, base_of = milestones.get, base_milestones.get
        # A project outside the selection (only if one was edited in between) gets a list that is thrown away.
        elsewhere: list[GanttMilestone] = []
        # Rows come in project order: look the project's list up once per project, not once per milestone.
        shown, found, last = None, elsewhere, 0
        disordered: set[int] = set()  # projects with a milestone of a lower sort order than the one before it
        fetched = _driver_rows(conn, mstmt)
        for pid, order, mid, name, planned, actual, version in fetched:
            if pid != shown:
                shown, found = pid, list_of(pid, elsewhere)
            elif order < last:
                disordered.add(pid)
            last = order
            found.append(GanttMilestone(mid, name, days[planned], days[actual], version, base_of(mid)))
        if disordered:
            order_of = {row[2]: row[1] for row in fetched if row[0] in disordered}
            for pid in disordered:
                list_of(pid, elsewhere).sort(key=lambda ms: (order_of[ms.id], ms.id))
        summary = (
            _progress_summary(conn, set(milestones) if cond is not None else None, today, period.end)
            if with_progress
            else {}
        )
        margin = lag_margin(s)
    rows: list[GanttRow] = []
    no_task = ("", (1 << 30, 0))
    no_dept = ("", 0)
    no_base = (None, None)
    for pid, code, name, kind, version, start, end, task_id, region, lead in project_rows:
        task_label, task_sort = tasks.get(task_id, no_task) if task_id else no_task
        dept = lead if lead is not None else lead_of(None, task_id)  # the project's own lead needs no task walk
        dept_name, dept_sort = depts.get(dept, no_dept) if dept is not None else no_dept
        base_start, base_end = base_projects.get(pid, no_base)
        row = GanttRow(
            pid, code, name, kind, version, days[start], days[end], None, None, False, None, milestones[pid], (),
            base_start, base_end, task_label, task_sort, dept_name, dept_sort, region or "",
        )  # fmt: skip
        if with_progress:
            _fill_actual(row, summary.get(pid), today)
        # Without progress: the milestone rule only, until apply_progress. (recompute_lag, inlined)
        row.lag_reasons = tuple(lag_reasons(row, as_of, margin))
        rows.append(row)
    return GanttData(
        rows=rows,
        today=today,
        period_key=period.key,
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        selection=selection,
        baseline=baseline,
        lag_margin=margin,
        progress_loaded=with_progress,
        as_of=as_of,
    )


def load_progress(database: Database, data: GanttData) -> dict[int, ProgressSummary]:
    """The progress summary for the rows of ``data`` (second step of a two-step load)."""
    ids = {r.project_id for r in data.rows}
    with gc_paused(), database.session() as s:
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
    # The row has the fields the rules read: no ScheduleFacts and milestone copies per row (≈ 10 ms over 5,000).
    row.lag_reasons = tuple(lag_reasons(row, as_of, margin))


def _driver_rows(conn: Connection, stmt: Any) -> list[Any]:
    """Every row of ``stmt`` as the driver returns it, without SQLAlchemy's row processing.

    Half the cost of ``all()`` on 20,000 milestones. Dates stay what the driver gives (ISO text on SQLite, dates on
    PostgreSQL): ``_Days`` turns them into dates exactly as SQLAlchemy's SQLite Date type does (``fromisoformat``).
    """
    result = conn.execute(stmt)
    try:
        rows = result.cursor.fetchall()
        return rows if isinstance(rows, list) else list(rows)  # sqlite3 and psycopg give a list: no copy
    finally:
        result.close()


class _Days(dict[Any, "date | None"]):
    """``days[value]``: the date of a driver's Date value, each distinct value parsed once in one load."""

    def __missing__(self, value: Any) -> date | None:
        day = value if value is None or isinstance(value, date) else date.fromisoformat(value)
        self[value] = day
        return day


def _progress_summary(
    conn: Connection, ids: set[int] | None, today: date, period_end: date
) -> dict[int, ProgressSummary]:
    """Per project, from current entries (return not superseded): first/last reported period, first 100%, latest %.

    Folded in SQL so that 60,000 entries cost one pass in SQLite, not 60,000 Python tuples. Periods that
    start after ``today`` are ignored (a report cannot describe the future; generated data sometimes does), and so
    are periods ending after ``period_end`` (the chart shows the portfolio as of the chosen period, like the ledger).
    The latest % is that of the latest entry (period end, then id), as in ``ledger.latest_progress``: an entry that
    leaves 形象进度 empty makes it unknown rather than falling back to an older figure.

    Why it is shaped so: the few periods are read first and turned into integer ranks (by start, by end), so the
    pass over the entries compares integers instead of joining periods and comparing date text; it reads only the
    columns of the covering index ``ix_progress_entries_gantt`` (in project order, no sort for GROUP BY); the latest
    entry is ``max(end rank * 2**32 + id)``, and the same query joins it back by primary key for its %.
    """
    every = conn.execute(select(ReportingPeriod.id, ReportingPeriod.start, ReportingPeriod.end)).all()
    periods = [(pid, _as_date(start), _as_date(end)) for pid, start, end in every]
    periods = [(pid, start, end) for pid, start, end in periods if start <= today and end <= period_end]  # type: ignore[operator]
    if not periods:
        return {}
    ids_sorted = sorted(pid for pid, _start, _end in periods)
    by_start = sorted(periods, key=lambda p: (p[1], p[0]))
    by_end = sorted(periods, key=lambda p: (p[2], p[0]))
    pe = ProgressEntry.__table__.c
    # Where the ids already run in date order (the usual case) the id is the rank: no CASE per entry.
    start_rank: Any = pe.period_id
    start_of: dict[int, date | None] = {pid: start for pid, start, _end in periods}
    if [p[0] for p in by_start] != ids_sorted:
        start_rank = case({p[0]: i for i, p in enumerate(by_start)}, value=pe.period_id)
        start_of = {i: p[1] for i, p in enumerate(by_start)}
    end_rank: Any = pe.period_id
    end_of: dict[int, date | None] = {pid: end for pid, _start, end in periods}
    if [p[0] for p in by_end] != ids_sorted:
        end_rank = case({p[0]: i for i, p in enumerate(by_end)}, value=pe.period_id)
        end_of = {i: p[2] for i, p in enumerate(by_end)}
    new = tuple.__new__
    if start_rank is pe.period_id and end_rank is pe.period_id and conn.dialect.name == "sqlite":
        filtered = ids_sorted if len(periods) < len(every) else None
        return {
            pid: new(ProgressSummary, (start_of.get(first), end_of.get(last), end_of.get(done), pct))
            for pid, first, last, done, pct in _driver_rows(conn, text(_sqlite_progress_sql(filtered)))
            if (ids is None or pid in ids) and not (first is None and last is None and done is None and pct is None)
        }
    reported = or_(pe.progress_pct > 0, pe.investment_period > 0)
    superseded = select(Return.id).where(Return.superseded_by_id.is_not(None))
    # FILTER rather than min(CASE …), and one NOT IN on coalesce (return ids start at 1) rather than an OR: each
    # ≈ 15 % off the pass over the entries (SQLite 3.30+ and PostgreSQL both know FILTER).
    aggregate = (
        select(
            pe.project_id.label("project_id"),
            func.min(start_rank).filter(reported).label("first"),
            func.max(end_rank).filter(reported).label("last"),
            func.min(end_rank).filter(pe.progress_pct >= 100).label("done"),
            # bigint: PostgreSQL's integer would overflow
            func.max(end_rank * literal(_ID_SPAN, BigInteger()) + pe.id).label("latest"),
        )
        .where(func.coalesce(pe.return_id, 0).not_in(superseded))
        .group_by(pe.project_id)
    )
    if len(periods) < len(every):
        # "+ 0": without statistics SQLite would pick the period_id index for the IN list and sort for GROUP BY;
        # the covering index ix_progress_entries_gantt, read in project order, is ≈ 3× cheaper than the table rows
        # (they carry the long text columns). SQLAlchemy renders no INDEXED BY hint for SQLite, so this steers it.
        aggregate = aggregate.where((pe.period_id + 0).in_(ids_sorted))
    folded = aggregate.subquery()
    latest = ProgressEntry.__table__.alias("latest")
    stmt = select(
        folded.c.project_id, folded.c.first, folded.c.last, folded.c.done, latest.c.progress_pct
    ).outerjoin_from(folded, latest, latest.c.id == folded.c.latest % literal(_ID_SPAN, BigInteger()))
    return {
        pid: new(ProgressSummary, (start_of.get(first), end_of.get(last), end_of.get(done), pct))
        for pid, first, last, done, pct in _driver_rows(conn, stmt)
        if ids is None or pid in ids
    }


_ID_SPAN = 1 << 32  # entry ids stay below this, so "end rank * span + id" orders by period end, then id


def _sqlite_progress_sql(period_ids: list[int] | None) -> str:
    """The progress summary on SQLite when period ids run in date order: per project, index seeks, not a pass.

    The GROUP BY above steps four aggregates through every one of the 60,000 entries; here each project asks the
    covering index ix_progress_entries_gantt (project, period, …) for its first and last reporting period, which
    SQLite answers by reading from either end of the project's entries until one reports (min/max optimisation),
    then for its latest period and the highest entry id in it, whose % comes along from the same index entry (a
    bare column beside the one max(): SQLite takes it from the max's row, as documented). The first 100 % report is
    only looked for in projects without milestones, the only ones it finishes (``_fill_actual``). On the benchmark
    portfolio: about half the instructions of the GROUP BY and a third less CPU time (seeks are cache misses); the
    same answers (tests/gantt_picture.py's recorded picture is drawn through this on SQLite and through the GROUP
    BY on PostgreSQL). A project with no current entry in the chosen periods comes back with nothing but NULLs and
    is left out, as the GROUP BY leaves it out.
    """
    current = "coalesce(e.return_id, 0) NOT IN (SELECT id FROM returns WHERE superseded_by_id IS NOT NULL)"
    if period_ids is not None:
        # "+ 0" keeps SQLite on the project's index range instead of the period_id index.
        current += f" AND e.period_id + 0 IN ({', '.join(str(int(pid)) for pid in period_ids)})"
    reported = "(e.progress_pct > 0 OR e.investment_period > 0)"
    return f"""
SELECT p.id,
  (SELECT min(e.period_id) FROM progress_entries e WHERE e.project_id = p.id AND {reported} AND {current}),
  (SELECT max(e.period_id) FROM progress_entries e WHERE e.project_id = p.id AND {reported} AND {current}),
  CASE WHEN NOT EXISTS (SELECT 1 FROM milestones m WHERE m.project_id = p.id) THEN
    (SELECT min(e.period_id) FROM progress_entries e WHERE e.project_id = p.id AND e.progress_pct >= 100 AND {current})
  END,
  (SELECT pct FROM (
    SELECT max(e.id), e.progress_pct AS pct FROM progress_entries e INDEXED BY ix_progress_entries_gantt
    WHERE e.project_id = p.id AND {current} AND e.period_id = (
      SELECT max(e.period_id) FROM progress_entries e WHERE e.project_id = p.id AND {current})))
FROM projects p"""


def _as_date(value: Any) -> date | None:
    """Aggregates over Date columns come back as text on SQLite."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


class ProgressSummary(NamedTuple):
    """One project's progress as the Gantt reads it (immutable; built straight from the folded SQL row)."""

    first_start: date | None  # start of the first period reporting progress
    last_end: date | None  # end of the last period reporting progress
    done_end: date | None  # end of the first period reporting 100% (SQLite seeks: projects without milestones only)
    latest_pct: float | None  # the latest reported 形象进度


def _fill_actual(row: GanttRow, summary: ProgressSummary | None, today: date) -> None:
    """Apply the actual-span rule in the module docstring."""
    first, last, done, row.progress_pct = summary if summary is not None else _NO_PROGRESS
    # One pass over the milestones for the earliest and latest actual date and whether all have one: no lists,
    # no min()/max() calls (a third of the cost of the whole row on 5,000 rows).
    lo = hi = None
    all_done = True
    for m in row.milestones:
        day = m.actual
        if day is None:
            all_done = False
        elif lo is None:
            lo = hi = day
        elif day < lo:
            lo = day
        elif day > hi:  # type: ignore[operator]
            hi = day
    if lo is None:
        if first is None:
            return
        start = row.actual_start = first
    else:
        start = row.actual_start = lo if first is None or lo <= first else first
        if all_done:
            row.actual_finished, row.actual_end = True, hi
            return
    if done is not None and not row.milestones:
        row.actual_finished, row.actual_end = True, done
        return
    end = last if hi is None or (last is not None and last > hi) else hi
    assert end is not None  # first and last come from the same reported entries: both or neither
    row.actual_end = max(start, min(end, today))


_NO_PROGRESS = (None, None, None, None)


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
        add_audit(
            s,
            at=baseline.created_at,
            user=baseline.created_by,
            entity="plan_baseline",
            entity_id=baseline.id,
            field="name",
            old="",
            new=name,
            action="create",
        )
        return baseline.id


def delete_baseline(database: Database, baseline_id: int, *, user: str | None = None) -> None:
    """Remove a baseline and its items (audited)."""
    with database.session() as s:
        b = s.get(PlanBaseline, baseline_id)
        if b is None:
            return
        add_audit(
            s,
            at=datetime.now(),
            user=user or current_user(),
            entity="plan_baseline",
            entity_id=b.id,
            field="name",
            old=b.name,
            new="",
            action="delete",
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
