"""Who reports what: department lookup by name or alias, lead departments, expected departments, entries.

The rules every module shares (ledger, dashboard, Gantt, 报表填报, ``missing``, summary, meeting report):

- A project's lead (responsible) department is ``projects.lead_department_id``; when that is empty, the lead
  (牵头) department of the project's task, else of the nearest parent task that names one. A co-operating
  (配合) department is never the lead: ``project_lead_departments`` is the only implementation.
- A department owes a return for a period when it leads at least one key project or quota programme, is
  responsible for at least one indicator, or is one of a task's responsible departments (a supervised part,
  ``app.services.supervision``): ``expected_department_ids`` / ``expected_scopes``. While no department
  is expected (a fresh portfolio), chasing, 报表填报, the dashboard and the report list every department
  (``owing_scopes``); templates refuse instead of writing one for each.
- A department has returned for a period when it has a current return for the period or a period inside it
  (monthly returns count for their quarter): ``app.services.period_entries.received_returns`` is the only rule.
- Lag is judged with the margin ``lag_margin(session)`` (app_settings ``lag_margin_pct``) on the day
  ``app.domain.schedule.lag_as_of`` gives: the earlier of today and the end of the chosen period.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from app.domain.periods import Period
from app.domain.schedule import DEFAULT_LAG_MARGIN_PCT
from app.storage.errors import KnownError
from app.storage.models import (
    Department,
    Indicator,
    ProgressEntry,
    Project,
    ReportingPeriod,
    Return,
    Task,
    TaskDepartment,
)


def normalise_name(text: str) -> str:
    """Fold full-width forms, drop spaces and the seal note, so 省工信厅（盖章） matches 省工信厅."""
    t = unicodedata.normalize("NFKC", text or "")
    t = "".join(t.split())
    for note in ("(盖章)", "(公章)", "盖章"):
        t = t.replace(note, "")
    return t


def resolve_department(session: Session, name: str) -> Department:
    """The department called ``name`` or one of its aliases; a Chinese KnownError listing close names if none."""
    wanted = normalise_name(name)
    departments = list(session.scalars(select(Department).order_by(Department.sort_order, Department.id)))
    spellings: dict[str, Department] = {}
    for d in departments:
        for spelling in (d.name, *d.alias_list):
            spellings.setdefault(normalise_name(spelling), d)
    if wanted in spellings:
        return spellings[wanted]
    # 吉林省工业和信息化厅 → 省工业和信息化厅: the province prefix is often added or dropped.
    for variant in (wanted.removeprefix("吉林"), "吉林" + wanted):
        if variant in spellings:
            return spellings[variant]
    close = difflib.get_close_matches(wanted, list(spellings), n=5, cutoff=0.4)
    contained = [s for s in spellings if wanted and (wanted in s or s in wanted)]
    names: list[str] = []
    for s in contained + close:
        if spellings[s].name not in names:
            names.append(spellings[s].name)
    if names:
        raise KnownError(f"找不到单位“{name}”。相近的单位有：{'、'.join(names[:5])}")
    raise KnownError(f"找不到单位“{name}”。可用 taizhang info 查看项目库，或检查单位名称。")


def project_lead_departments(session: Session) -> dict[int, int | None]:
    """Project id → lead department id, falling back to the task's (or a parent task's) lead department.

    The one implementation of "who is responsible for a project" (see the module docstring); None when
    neither the project nor any task above it names a lead. Co-operating departments never count.
    """
    lead_of = lead_department_resolver(session)
    p = Project.__table__.c  # Table columns (Core): the first view must not configure the mappers (start-up)
    return {
        pid: lead_of(lead, project_task)
        for pid, lead, project_task in session.execute(select(p.id, p.lead_department_id, p.task_id))
    }


def lead_department_resolver(session: Session) -> Callable[[int | None, int | None], int | None]:
    """``lead_of(project's lead_department_id, project's task_id)``: the rule of ``project_lead_departments``.

    For a caller that reads the projects' rows itself (the Gantt): the tasks are read once here, the projects not.
    """
    # Table columns (Core): the first view must not configure the mappers (start-up).
    t, td = Task.__table__.c, TaskDepartment.__table__.c
    task_parent = dict(session.execute(select(t.id, t.parent_id)).all())
    task_lead: dict[int, int] = {}
    rows = session.execute(select(td.task_id, td.department_id).where(td.role == "lead").order_by(td.sort_order, td.id))
    for task_id, dept_id in rows:
        task_lead.setdefault(task_id, dept_id)

    found: dict[int | None, int | None] = {}  # task id → its lead, walked once per task

    def lead_of(lead: int | None, start: int | None) -> int | None:
        if lead is not None:
            return lead
        if start in found:
            return found[start]
        task_id, seen, result = start, 0, None
        while task_id is not None and seen < 20:
            if task_id in task_lead:
                result = task_lead[task_id]
                break
            task_id = task_parent.get(task_id)
            seen += 1
        found[start] = result
        return result

    return lead_of


@dataclass
class DepartmentScope:
    """What one department reports: its key projects, programmes and indicators (ids, in display order)."""

    department: Department
    key_project_ids: list[int] = field(default_factory=list)
    programme_ids: list[int] = field(default_factory=list)
    indicator_ids: list[int] = field(default_factory=list)
    part_ids: list[int] = field(default_factory=list)  # supervised task parts (app.services.supervision)

    @property
    def expected(self) -> bool:
        return bool(self.key_project_ids or self.programme_ids or self.indicator_ids or self.part_ids)

    def describe(self) -> str:
        """'重点项目 3 个、定额计划 1 个、指标 2 项、重点任务 4 项' — only the non-empty parts."""
        parts = []
        if self.key_project_ids:
            parts.append(f"重点项目 {len(self.key_project_ids)} 个")
        if self.programme_ids:
            parts.append(f"定额计划 {len(self.programme_ids)} 个")
        if self.indicator_ids:
            parts.append(f"指标 {len(self.indicator_ids)} 项")
        if self.part_ids:
            parts.append(f"重点任务 {len(self.part_ids)} 项")
        return "、".join(parts)


def department_scopes(session: Session, *, include_retired: bool = False) -> list[DepartmentScope]:
    """Every department with what it reports, in the office's department order.

    A department renamed or merged away (app.storage.successions) is left out unless ``include_retired``: its
    responsibilities moved to its successor, which reports in its place.
    """
    duties = _duties(session, include_retired=include_retired)
    return _scopes(session, duties, list(duties))


def _scopes(session: Session, duties: dict[int, _Duties], ids: list[int]) -> list[DepartmentScope]:
    by_id = {d.id: d for d in session.scalars(select(Department))}
    return [DepartmentScope(by_id[dept_id], *duties[dept_id]) for dept_id in ids]


class _Duties(NamedTuple):
    """The ids of what one department reports (``DepartmentScope``'s lists, in the same order)."""

    key_project_ids: list[int]
    programme_ids: list[int]
    indicator_ids: list[int]
    part_ids: list[int]


def _duties(session: Session, *, include_retired: bool = False) -> dict[int, _Duties]:
    """Department id → the ids of what it reports (``DepartmentScope``'s lists), in the office's department order.

    Table columns (Core): the dashboard asks who owes a return, and the first view must not configure the
    mappers (start-up); ``department_scopes`` adds the Department entities.
    """
    from app.storage.successions import retired_department_ids

    retired: set[int] = set() if include_retired else retired_department_ids(session)
    d, p, i = Department.__table__.c, Project.__table__.c, Indicator.__table__.c
    scopes: dict[int, _Duties] = {
        dept_id: _Duties([], [], [], [])
        for dept_id in session.scalars(select(d.id).order_by(d.sort_order, d.id))
        if dept_id not in retired
    }
    leads = project_lead_departments(session)
    for pid, kind in session.execute(select(p.id, p.kind).order_by(p.sort_order, p.code)):
        dept_id = leads.get(pid)
        if dept_id is None or dept_id not in scopes:
            continue
        duty = scopes[dept_id]
        (duty.programme_ids if kind == "programme" else duty.key_project_ids).append(pid)
    for iid, dept_id in session.execute(select(i.id, i.responsible_department_id).order_by(i.sort_order, i.code)):
        if dept_id in scopes:
            scopes[dept_id].indicator_ids.append(iid)
    from app.services.supervision import parts_by_department

    for dept_id, part_ids in parts_by_department(session).items():
        if dept_id in scopes:
            scopes[dept_id].part_ids.extend(part_ids)
    return scopes


def expected_scopes(session: Session) -> list[DepartmentScope]:
    """Departments that owe a return (see the module docstring for the rule)."""
    return [s for s in department_scopes(session) if s.expected]


def expected_department_ids(session: Session) -> set[int]:
    """Ids of the departments that owe a return: one rule for templates, chasing, returns view, dashboard, report."""
    return {s.department.id for s in expected_scopes(session)}


def owing_scopes(session: Session) -> tuple[list[DepartmentScope], bool]:
    """The departments chasing, 报表填报, the dashboard and the report list as owing a return, and whether that is
    every department because no project or indicator names one yet (a fresh portfolio: nobody is left out)."""
    duties = _duties(session)
    ids, everyone = _owing(duties)
    return _scopes(session, duties, ids), everyone


def owing_department_ids(session: Session) -> set[int]:
    """Ids of ``owing_scopes``, read without the Department entities (the dashboard asks this at start-up)."""
    return set(_owing(_duties(session))[0])


def _owing(duties: dict[int, _Duties]) -> tuple[list[int], bool]:
    """The departments owing a return: those reporting anything, else every one (and True: nobody is named yet)."""
    expected = [dept_id for dept_id, duty in duties.items() if any(duty)]
    return (expected, False) if expected else (list(duties), True)


def scope_of(session: Session, department: Department) -> DepartmentScope:
    """What one department reports."""
    return next(s for s in department_scopes(session, include_retired=True) if s.department.id == department.id)


def parse_period(key: str) -> Period:
    """Period.parse with the Chinese message as a KnownError."""
    try:
        return Period.parse(key)
    except ValueError as exc:
        raise KnownError(str(exc)) from exc


def find_period(session: Session, key: str) -> ReportingPeriod | None:
    """The reporting period row for a key, or None when no return or setting has created it yet."""
    return session.scalar(select(ReportingPeriod).where(ReportingPeriod.key == key))


def _current_entry_filter() -> ColumnElement[bool]:
    # An entry counts when its return has not been superseded, or when a clerk entered it (no return).
    return or_(ProgressEntry.return_id.is_(None), Return.superseded_by_id.is_(None))


@dataclass(frozen=True)
class PreviousFigures:
    """A project's latest reported figures before a period, with the label of the period they are from."""

    period_label: str
    investment_cumulative: float | None
    progress_pct: float | None


def latest_before(session: Session, before: date, project_ids: list[int]) -> dict[int, PreviousFigures]:
    """Project id → its figures from the latest period ending before ``before`` that has a current entry."""
    if not project_ids:
        return {}
    latest = (
        select(ProgressEntry.project_id, func.max(ReportingPeriod.end).label("end"))
        .join(ReportingPeriod, ReportingPeriod.id == ProgressEntry.period_id)
        .outerjoin(Return, Return.id == ProgressEntry.return_id)
        .where(ProgressEntry.project_id.in_(project_ids), ReportingPeriod.end < before, _current_entry_filter())
        .group_by(ProgressEntry.project_id)
        .subquery()
    )
    rows = session.execute(
        select(
            ProgressEntry.project_id,
            ReportingPeriod.label,
            ProgressEntry.investment_cumulative,
            ProgressEntry.progress_pct,
        )
        .join(ReportingPeriod, ReportingPeriod.id == ProgressEntry.period_id)
        .outerjoin(Return, Return.id == ProgressEntry.return_id)
        .join(latest, and_(latest.c.project_id == ProgressEntry.project_id, latest.c.end == ReportingPeriod.end))
        .where(_current_entry_filter())
        .order_by(ProgressEntry.id)
    )
    return {pid: PreviousFigures(label, cum, pct) for pid, label, cum, pct in rows}


LAG_MARGIN_SETTING = "lag_margin_pct"  # the one app_settings key for the lag margin (percentage points)


def lag_margin(session: Session) -> float:
    """The lag margin set for this database (app_settings ``lag_margin_pct``), else the default."""
    try:
        return float(setting(session, LAG_MARGIN_SETTING) or DEFAULT_LAG_MARGIN_PCT)
    except ValueError:
        return DEFAULT_LAG_MARGIN_PCT


def setting(session: Session, key: str, default: str = "") -> str:
    """A value from app_settings, or ``default`` when unset."""
    from app.storage.models import AppSetting

    c = AppSetting.__table__.c  # Table columns (Core): the first view must not configure the mappers (start-up)
    value = session.scalar(select(c.value).where(c.key == key))
    return value if value else default


OFFICE_NAME_SETTING = "office_name"
OFFICE_CONTACT_SETTING = "office_contact"  # e.g. 联系人：王某，电话：0431-88888888
DEFAULT_OFFICE_NAME = "吉林省互联网经济发展联席会议办公室"
# Projects under no task (an adopted ledger's new projects, by default): one word wherever they are grouped.
UNCLASSIFIED = "未归类"
UNCLASSIFIED_PROJECTS = "未归类项目"
