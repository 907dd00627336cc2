"""Supervised parts (督办): each (task, responsible department) pair owes progress every period.

A part is a ``task_departments`` row (``TaskDepartment``): the documents name a task's departments as equal
responsible departments ("按职责分工负责,下同"), so every one of them owes its own progress, year target
(年度任务目标), person responsible (工作责任人) and contact (联系人). This module is the one place that lists
parts with their departments, targets, people and latest progress per period; the ledger, templates, chasing,
the dashboard, the summary and the meeting report read parts through it. Edits are audited (``entity`` =
``task_part``) and version-checked like project edits.

Stable API (other modules build on these names): ``list_parts`` / ``load_parts``, ``part_counts`` /
``load_part_counts``, ``parts_by_department``, ``task_parts`` / ``save_part`` / ``save_parts``, ``add_part`` /
``remove_part`` / ``restore_part``, ``assign_projects`` / ``restore_project_leads``, ``assign_tasks``,
``find_task_ids``, ``department_choices``; rows are ``PartRow`` (``state``: 按时推进 / 滞后 / 已完成 / 已报送 /
未报送) and counts ``PartCounts``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.domain.periods import Period
from app.services.period_entries import period_scope
from app.services.scope import parse_period, resolve_department
from app.storage.audit import add_audit, current_user
from app.storage.db import Database
from app.storage.errors import KnownError, StaleEditError
from app.storage.models import (
    Department,
    Document,
    Project,
    ReportingPeriod,
    Return,
    Task,
    TaskDepartment,
    TaskPartProgress,
    TaskPartTarget,
)

ROLE_LABELS = {"responsible": "负责", "lead": "牵头", "co": "配合"}
ON_TRACK, LAGGING, DONE = "按时推进", "滞后", "已完成"
COMPLETION_CHOICES: tuple[str, ...] = (ON_TRACK, LAGGING, DONE)
# A part's state for a period, as the dashboard, summary and report show it.
STATE_MISSING = "未报送"
STATE_REPORTED = "已报送"
PART_FIELDS: dict[str, str] = {
    "responsible_person": "工作责任人",
    "contact_person": "联系人",
    "contact_phone": "联系电话",
}
_STALE = "该任务的责任分工刚被其他人修改，本次修改未保存。已重新载入最新内容，请核对后再改。"


@dataclass(slots=True)  # not frozen, like PartRow: the board builds ~2,000 of these per load
class PartProgress:
    """A part's progress as one return row (or a clerk) reported it for one period (read-only by convention)."""

    period_key: str
    period_label: str
    progress_text: str
    problems: str
    coordination_needed: str
    next_steps: str
    completion: str  # 按时推进 / 滞后 / 已完成 / ""
    return_id: int | None
    file_name: str = ""
    source_row: int | None = None


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs 30 µs a row, a third of the listing
class PartRow:
    """One supervised part with everything the views print about it (plain values, safe after the session)."""

    part_id: int
    task_id: int
    document_key: str
    document_title: str  # the document's short title
    task_code: str
    task_title: str
    task_level: str
    department_id: int
    department_name: str
    role: str
    responsible_person: str
    contact_person: str
    contact_phone: str
    version: int
    targets: dict[int, str] = field(default_factory=dict)  # year → 年度任务目标
    year: int | None = None  # the year the row was listed for (the period's)
    progress: PartProgress | None = None  # current for the period listed, None when not reported
    done_before: bool = False  # reported 已完成 in an earlier period: owes nothing more

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def year_target(self) -> str:
        """The target of the listed year (else the latest year's before it)."""
        if not self.targets:
            return ""
        if self.year is None:
            return self.targets[max(self.targets)]
        years = [y for y in self.targets if y <= self.year]
        return self.targets[max(years)] if years else ""

    @property
    def reported(self) -> bool:
        return self.progress is not None

    @property
    def owed(self) -> bool:
        """True while the part still owes progress for the period (not reported, not finished before)."""
        return self.progress is None and not self.done_before

    @property
    def state(self) -> str:
        """按时推进 / 滞后 / 已完成 / 已报送 (reported without a 完成情况) / 未报送."""
        if self.progress is not None:
            return self.progress.completion or STATE_REPORTED
        return DONE if self.done_before else STATE_MISSING

    @property
    def lagging(self) -> bool:
        return self.progress is not None and self.progress.completion == LAGGING

    @property
    def label(self) -> str:
        """'二(一)1 推进智能网联汽车发展' — how clerks name the task."""
        return f"{self.task_code} {self.task_title}".strip()

    @property
    def people(self) -> str:
        """'责任人：张三；联系人：李四 0431-8888' — only the parts known."""
        bits = []
        if self.responsible_person:
            bits.append(f"责任人：{self.responsible_person}")
        contact = " ".join(x for x in (self.contact_person, self.contact_phone) if x)
        if contact:
            bits.append(f"联系人：{contact}")
        return "；".join(bits)


@dataclass(frozen=True)
class PartCounts:
    """How a period's parts stand: for the dashboard and the circular."""

    total: int = 0
    reported: int = 0
    owed: int = 0  # not reported yet (and not finished before)
    lagging: int = 0
    done: int = 0
    departments: int = 0  # departments with at least one part

    def describe(self) -> str:
        """'重点任务 20 项（分工 52 项）：已报 30、未报 22、滞后 3、已完成 1' style line."""
        return (
            f"分工任务 {self.total} 项：已报 {self.reported}、未报 {self.owed}、滞后 {self.lagging}、已完成 {self.done}"
        )


def _period_or_none(period_key: str | Period | None) -> Period | None:
    if period_key is None or isinstance(period_key, Period):
        return period_key
    return parse_period(period_key)


def list_parts(
    session: Session,
    period_key: str | Period | None = None,
    *,
    department_id: int | None = None,
    task_id: int | None = None,
    document_key: str | None = None,
) -> list[PartRow]:
    """Every part in document and task order (then the document's department order), with its progress for
    ``period_key`` when given: the current (unsuperseded, latest period inside it) row of that period."""
    period = _period_or_none(period_key)
    # Table columns (Core): the dashboard counts parts, and the first view must not configure the mappers.
    td, t, doc, dp = (m.__table__.c for m in (TaskDepartment, Task, Document, Department))
    stmt = (
        select(
            td.id,
            t.id,
            doc.key,
            doc.short_title,
            t.code,
            t.title,
            t.level,
            dp.id,
            dp.name,
            td.role,
            td.responsible_person,
            td.contact_person,
            td.contact_phone,
            td.version,
        )
        .select_from(
            TaskDepartment.__table__.join(Task.__table__, t.id == td.task_id)
            .join(Document.__table__, doc.id == t.document_id)
            .join(Department.__table__, dp.id == td.department_id)
        )
        .order_by(doc.id, t.sort_order, t.id, td.sort_order, td.id)
    )
    if department_id is not None:
        stmt = stmt.where(td.department_id == department_id)
    if task_id is not None:
        stmt = stmt.where(td.task_id == task_id)
    if document_key is not None:
        stmt = stmt.where(doc.key == document_key)
    # Core execution on the session's connection: the rows are plain tuples, no ORM loading to pay for.
    conn = session.connection()
    base = conn.execute(stmt).all()
    if not base:
        return []
    ids = [r[0] for r in base]
    wanted = set(ids)
    targets: dict[int, dict[int, str]] = {}
    tt = TaskPartTarget.__table__.c
    target_stmt = select(tt.part_id, tt.year, tt.target)
    if len(ids) < 500:
        target_stmt = target_stmt.where(tt.part_id.in_(ids))
    for part_id, year, text in conn.execute(target_stmt).all():
        if part_id in wanted and text:
            targets.setdefault(part_id, {})[year] = text
    progress: dict[int, PartProgress] = {}
    done_before: set[int] = set()
    if period is not None:
        progress = _current_progress(session, period, wanted)
        # Only a part with nothing this period can be "done before": far fewer rows to look back on.
        done_before = _done_before(session, period, wanted - set(progress))
    listed_year = period.year if period is not None else None
    out = []
    for part_id, tid, dkey, dtitle, code, title, level, dept_id, dept, role, person, contact, phone, version in base:
        current = progress.get(part_id)
        out.append(
            PartRow(
                part_id,
                tid,
                dkey,
                dtitle,
                code,
                title,
                level,
                dept_id,
                dept,
                role,
                person,
                contact,
                phone,
                version,
                targets.get(part_id) or {},
                listed_year,
                current,
                current is None and part_id in done_before,
            )
        )
    return out


def _progress_stmt() -> Any:
    """Progress rows with their period and file, of current returns or typed by a clerk."""
    tp, rp, rt = TaskPartProgress.__table__.c, ReportingPeriod.__table__.c, Return.__table__.c  # Core: list_parts
    return (
        select(
            tp.id,
            tp.part_id,
            tp.period_id,
            rp.key,
            rp.label,
            tp.progress_text,
            tp.problems,
            tp.coordination_needed,
            tp.next_steps,
            tp.completion,
            tp.return_id,
            rt.file_name,
            tp.source_row,
        )
        .select_from(
            TaskPartProgress.__table__.join(ReportingPeriod.__table__, rp.id == tp.period_id).outerjoin(
                Return.__table__, rt.id == tp.return_id
            )
        )
        .where(rt.superseded_by_id.is_(None))
    )


def _current_progress(session: Session, period: Period, wanted: set[int]) -> dict[int, PartProgress]:
    scope = period_scope(session, period)
    if not scope.period_ids:
        return {}
    order = {pid: i for i, pid in enumerate(scope.period_ids)}
    best: dict[int, tuple[tuple[int, int], PartProgress]] = {}
    in_scope = TaskPartProgress.__table__.c.period_id.in_(scope.period_ids)
    rows = session.connection().execute(_progress_stmt().where(in_scope))
    for row in rows.all():
        (pid, part_id, period_id, key, label, text, problems, coord, steps, completion, return_id, fname, src_row) = row
        if part_id not in wanted:
            continue
        rank = (order[period_id], pid)
        held = best.get(part_id)
        if held is None or rank > held[0]:
            best[part_id] = (
                rank,
                PartProgress(key, label, text, problems, coord, steps, completion, return_id, fname or "", src_row),
            )
    return {part_id: p for part_id, (_rank, p) in best.items()}


def _done_before(session: Session, period: Period, wanted: set[int]) -> set[int]:
    """Parts whose latest current progress before ``period`` says 已完成 (they owe nothing more).

    Two grouped queries instead of reading every earlier row: the last 已完成 of each part, and its last row of
    any other state; a part is done when nothing came after its 已完成.
    """

    # Table columns (Core): the dashboard counts parts, and the first view must not configure the mappers.
    tp, rp, rt = TaskPartProgress.__table__.c, ReportingPeriod.__table__.c, Return.__table__.c

    def last_end(done: bool) -> Any:
        stmt = (
            select(tp.part_id, func.max(rp.end))
            .join(ReportingPeriod.__table__, rp.id == tp.period_id)
            .outerjoin(Return.__table__, rt.id == tp.return_id)
            .where(rt.superseded_by_id.is_(None), rp.end < period.start)
            .where(tp.completion == DONE if done else tp.completion != DONE)
            .group_by(tp.part_id)
        )
        return stmt

    if not wanted:
        return set()
    done = last_end(True)
    if len(wanted) <= 500:  # a short IN list uses the part index; a long one costs more than it saves
        done = done.where(tp.part_id.in_(list(wanted)))
    finished = {pid: end for pid, end in session.execute(done) if pid in wanted}
    if not finished:
        return set()
    later = dict(session.execute(last_end(False).where(tp.part_id.in_(list(finished)))).all())
    return {pid for pid, end in finished.items() if later.get(pid) is None or later[pid] <= end}


def load_parts(
    database: Database,
    period_key: str | None = None,
    *,
    department: str | None = None,
    task: str | None = None,
) -> list[PartRow]:
    """``list_parts`` for callers holding a Database: department by name or alias, task by code (三(四)2)."""
    with database.session() as s:
        dept_id = resolve_department(s, department).id if department else None
        task_ids = find_task_ids(s, task) if task else None
        rows = list_parts(s, period_key, department_id=dept_id)
        if task_ids is not None:
            rows = [r for r in rows if r.task_id in task_ids]
        return rows


def find_task_ids(session: Session, code: str) -> set[int]:
    """Ids of the tasks coded ``code`` (either document), or a KnownError naming the codes that exist."""
    from app.domain.text import fold_width

    wanted = fold_width(code).replace(" ", "")
    rows = session.execute(select(Task.id, Task.code, Document.short_title).join(Document)).all()
    found = {tid for tid, c, _doc in rows if fold_width(c) == wanted}
    if not found:
        raise KnownError(f"找不到任务“{code}”（任务编号如 二(一)1、三(四)）")
    return found


def parts_by_department(session: Session) -> dict[int, list[int]]:
    """Department id → its part ids, in document order: who owes task progress (every period)."""
    out: dict[int, list[int]] = {}
    td, t = TaskDepartment.__table__.c, Task.__table__.c  # Table columns (Core): the first view asks this (start-up)
    rows = session.execute(
        select(td.department_id, td.id)
        .join(Task.__table__, t.id == td.task_id)
        .order_by(t.document_id, t.sort_order, t.id, td.sort_order)
    )
    for dept_id, part_id in rows:
        out.setdefault(dept_id, []).append(part_id)
    return out


def part_counts(session: Session, period_key: str | Period, *, rows: Sequence[PartRow] | None = None) -> PartCounts:
    """Counts of the period's parts: total, reported, owed, lagging, done (dashboard, circular)."""
    rows = list_parts(session, period_key) if rows is None else rows
    return PartCounts(
        total=len(rows),
        reported=sum(1 for r in rows if r.reported),
        owed=sum(1 for r in rows if r.owed),
        lagging=sum(1 for r in rows if r.lagging),
        done=sum(1 for r in rows if r.state == DONE),
        departments=len({r.department_id for r in rows}),
    )


def load_part_counts(database: Database, period_key: str) -> PartCounts:
    """``part_counts`` for callers holding a Database."""
    with database.session() as s:
        return part_counts(s, period_key)


# --- editing ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskParts:
    """A task and its parts, for the parts dialog."""

    task_id: int
    task_code: str
    task_title: str
    document_title: str
    parts: list[PartRow]
    departments: list[tuple[int, str]]  # every department, for adding a part


def task_parts(database: Database, task_id: int) -> TaskParts:
    """A task with its parts (targets of every year), and the departments one could add."""
    with database.session() as s:
        task = s.get(Task, task_id)
        if task is None:
            raise KnownError("该任务已不存在，请刷新后再试。")
        parts = list_parts(s, None, task_id=task_id)
        departments = [
            (d.id, d.name) for d in s.scalars(select(Department).order_by(Department.sort_order, Department.id))
        ]
        return TaskParts(task.id, task.code, task.title, task.document.short_title, parts, departments)


@dataclass(frozen=True)
class PartEdit:
    """New values for one part: people (field → text) and year targets (year → text; blank removes)."""

    people: dict[str, str] = field(default_factory=dict)
    targets: dict[int, str] = field(default_factory=dict)


def _audit(s: Session, part_id: int, field_name: str, old: object, new: object, action: str = "update") -> None:
    add_audit(
        s, user=current_user(), entity="task_part", entity_id=part_id, field=field_name, old=old, new=new,
        action=action,
    )  # fmt: skip


def save_part(database: Database, part_id: int, expected_version: int, edit: PartEdit) -> int:
    """Write a part's people and year targets if it is still at ``expected_version``; returns the new version.

    Every changed value is one audit row; a part changed meanwhile by someone else raises StaleEditError.
    """
    return save_parts(database, [(part_id, expected_version, edit)])[0][1]


def save_parts(database: Database, edits: Sequence[tuple[int, int, PartEdit]]) -> list[tuple[int, int, PartEdit]]:
    """Save several parts' edits in one transaction (the parts dialog's 保存); all or none.

    Returns, per part, (part id, new version, the values it had before) — what undo writes back.
    """
    for _part_id, _version, edit in edits:
        unknown = set(edit.people) - set(PART_FIELDS)
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        for year in edit.targets:
            if not 2000 <= year <= 2100:
                raise KnownError(f"年度不正确：{year}")
    out: list[tuple[int, int, PartEdit]] = []
    with database.session() as s:
        for part_id, expected_version, edit in edits:
            out.append(_save_part_in(s, part_id, expected_version, edit))
        _flush(s)
        # Versions are final only after the flush.
        return [(pid, s.get(TaskDepartment, pid).version, old) for pid, _v, old in out]  # type: ignore[union-attr]


def _save_part_in(s: Session, part_id: int, expected_version: int, edit: PartEdit) -> tuple[int, int, PartEdit]:
    part = s.get(TaskDepartment, part_id)
    if part is None:
        raise StaleEditError("该责任分工已被其他人删除，修改未保存。")
    if part.version != expected_version:
        raise StaleEditError(_STALE)
    old_people: dict[str, str] = {}
    old_targets: dict[int, str] = {}
    changed = False
    for name, value in edit.people.items():
        value = (value or "").strip()
        old = getattr(part, name)
        if old != value:
            old_people[name] = old
            setattr(part, name, value)
            _audit(s, part.id, name, old, value)
            changed = True
    have = {t.year: t for t in part.targets}
    for year, text in edit.targets.items():
        text = (text or "").strip()
        held = have.get(year)
        old_text = held.target if held is not None else ""
        if old_text == text:
            continue
        old_targets[year] = old_text
        if held is None:
            part.targets.append(TaskPartTarget(year=year, target=text))
        elif text:
            held.target = text
        else:
            part.targets.remove(held)
        _audit(s, part.id, f"target:{year}", old_text, text)
        changed = True
    if changed:
        _touch(part)
        _flush(s)
    return part.id, part.version, PartEdit(old_people, old_targets)


def _touch(part: TaskDepartment) -> None:
    # Bump the version through the ORM's version counter: a targets-only edit must still stale other editors.
    from sqlalchemy.orm.attributes import flag_modified

    flag_modified(part, "contact_phone")


def _flush(s: Session) -> None:
    try:
        s.flush()
    except StaleDataError:
        raise StaleEditError(_STALE) from None


def add_part(database: Database, task_id: int, department_id: int, *, role: str = "responsible") -> int:
    """Make a department responsible for a task (a new part); returns the part id. Audited."""
    if role not in ROLE_LABELS:
        raise ValueError(f"unknown role {role!r}")
    with database.session() as s:
        task = s.get(Task, task_id)
        dept = s.get(Department, department_id)
        if task is None or dept is None:
            raise KnownError("该任务或单位已不存在，请刷新后再试。")
        held = s.scalar(
            select(TaskDepartment).where(TaskDepartment.task_id == task_id, TaskDepartment.department_id == dept.id)
        )
        if held is not None:
            raise KnownError(f"{dept.name}已是任务 {task.code} 的责任单位。")
        order = max((p.sort_order for p in task.departments), default=-1) + 1
        part = TaskDepartment(task=task, department=dept, role=role, sort_order=order, source_text="办公室指定")
        s.add(part)
        s.flush()
        _audit(s, part.id, "department", None, f"{task.code} {dept.name}", "create")
        return part.id


@dataclass(frozen=True)
class RemovedPart:
    """What ``remove_part`` took away, enough for undo to put it back."""

    task_id: int
    department_id: int
    role: str
    people: dict[str, str]
    targets: dict[int, str]


def remove_part(database: Database, part_id: int, expected_version: int | None) -> RemovedPart:
    """Take a department off a task; refused when the part already has reported progress. Audited.

    ``expected_version`` None skips the version check (undo of an add: whatever was typed since goes too).
    """
    with database.session() as s:
        part = s.get(TaskDepartment, part_id)
        if part is None:
            raise StaleEditError("该责任分工已被其他人删除。")
        if expected_version is not None and part.version != expected_version:
            raise StaleEditError(_STALE)
        has_progress = s.scalar(select(TaskPartProgress.id).where(TaskPartProgress.part_id == part_id).limit(1))
        if has_progress is not None:
            raise KnownError(f"{part.department.name}已报送过该任务的进展，不能移除；如需更正，请撤回相应报表。")
        removed = RemovedPart(
            part.task_id,
            part.department_id,
            part.role,
            {name: getattr(part, name) for name in PART_FIELDS},
            {t.year: t.target for t in part.targets},
        )
        _audit(s, part.id, "department", f"{part.task.code} {part.department.name}", None, "delete")
        s.delete(part)
        s.flush()
        return removed


def restore_part(database: Database, removed: RemovedPart) -> int:
    """Undo of ``remove_part``: the part again, with its people and targets; returns the new part id."""
    part_id = add_part(database, removed.task_id, removed.department_id, role=removed.role)
    with database.session() as s:
        version = s.get(TaskDepartment, part_id).version  # type: ignore[union-attr]
    save_part(database, part_id, version, PartEdit(dict(removed.people), dict(removed.targets)))
    return part_id


def department_choices(database: Database) -> list[tuple[int, str]]:
    """(id, name) of every department in the office's order, for the choosers of the dialogs."""
    with database.session() as s:
        rows = s.execute(select(Department.id, Department.name).order_by(Department.sort_order, Department.id))
        return [(i, n) for i, n in rows]


# --- bulk assignment of responsible departments -----------------------------------------------------------


@dataclass(frozen=True)
class AssignResult:
    """What ``assign_projects`` changed: project id → its previous lead department id (for undo)."""

    department: str
    previous: dict[int, int | None]
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return len(self.previous)


def _project_audit(s: Session, project: Project, old: str, new: str) -> None:
    add_audit(
        s, user=current_user(), entity="project", entity_id=project.id, project_id=project.id,
        field="lead_department_id", old=old, new=new,
    )  # fmt: skip


def assign_projects(
    database: Database, project_ids_or_codes: Iterable[int | str], department: str | int
) -> AssignResult:
    """Make ``department`` the responsible (牵头) department of every project given, in one transaction.

    Projects are given by id or code; an unknown code is refused before anything changes. Each change is
    audited like an edit in the project form; the result says what each project had before, for undo.
    """
    wanted = list(project_ids_or_codes)
    if not wanted:
        raise KnownError("没有选择项目。")
    with database.session() as s:
        dept = s.get(Department, department) if isinstance(department, int) else resolve_department(s, department)
        if dept is None:
            raise KnownError("该单位已不存在，请刷新后再试。")
        projects: list[Project] = []
        unknown: list[str] = []
        for item in wanted:
            if isinstance(item, int):
                p = s.get(Project, item)
            else:
                p = s.scalar(select(Project).where(Project.code == item.strip()))
            if p is None:
                unknown.append(str(item))
            elif p not in projects:
                projects.append(p)
        if unknown:
            raise KnownError(f"找不到项目：{'、'.join(unknown)}（项目编号见 taizhang info 或项目台账）")
        names = dict(s.execute(select(Department.id, Department.name)).all())
        previous: dict[int, int | None] = {}
        unchanged = 0
        for p in projects:
            if p.lead_department_id == dept.id:
                unchanged += 1
                continue
            previous[p.id] = p.lead_department_id
            _project_audit(s, p, names.get(p.lead_department_id or -1, ""), dept.name)
            p.lead_department_id = dept.id
        _flush(s)
        return AssignResult(dept.name, previous, unchanged)


def restore_project_leads(database: Database, previous: dict[int, int | None]) -> None:
    """Undo of ``assign_projects``: put each project's previous responsible department back (audited)."""
    with database.session() as s:
        names = dict(s.execute(select(Department.id, Department.name)).all())
        for pid, lead in previous.items():
            p = s.get(Project, pid)
            if p is None or p.lead_department_id == lead:
                continue
            _project_audit(s, p, names.get(p.lead_department_id or -1, ""), names.get(lead or -1, ""))
            p.lead_department_id = lead
        _flush(s)


def assign_tasks(database: Database, task_codes: Iterable[str], department: str) -> list[int]:
    """Make ``department`` responsible for each task coded (a new part each; existing parts are kept).

    Returns the new part ids. A code naming a task in both documents makes a part of each.
    """
    created: list[int] = []
    with database.session() as s:
        dept_id = resolve_department(s, department).id
        task_ids: list[int] = []
        for code in task_codes:
            task_ids.extend(sorted(find_task_ids(s, code)))
        have = set(
            s.scalars(
                select(TaskDepartment.task_id).where(
                    TaskDepartment.department_id == dept_id, TaskDepartment.task_id.in_(task_ids)
                )
            )
        )
    for task_id in task_ids:
        if task_id not in have:
            created.append(add_part(database, task_id, dept_id))
            have.add(task_id)
    return created
