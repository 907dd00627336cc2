"""Load and edit one project, its milestones and programme members; every change is audited and version-checked.

Optimistic locking: callers pass the version they loaded; a row changed meanwhile by someone else raises
``StaleEditError`` and nothing is written. Values are typed here (dates, numbers) from the text a form holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.domain import credit_code
from app.domain.dates import parse_date as read_date
from app.domain.periods import Period, latest_closed_quarter
from app.domain.schedule import MilestoneFacts, ScheduleFacts, lag_as_of, lag_reasons
from app.services import audit_mark
from app.services.ledger import KIND_LABELS, STATUSES, latest_progress
from app.services.scope import lag_margin
from app.storage.audit import add_audit, current_user
from app.storage.db import Database
from app.storage.errors import KnownError, StaleEditError
from app.storage.models import (
    AuditEntry,
    Department,
    Document,
    Milestone,
    ProgrammeMember,
    Project,
    Task,
    TaskDepartment,
)

# The fields a clerk edits, in form order, with their Chinese labels.
PROJECT_FIELDS: dict[str, str] = {
    "code": "项目编号",
    "name": "项目名称",
    "task_id": "所属任务",
    "lead_department_id": "牵头单位",
    "region": "所在地区",
    "status": "状态",
    "planned_start": "计划开工",
    "planned_end": "计划完工",
    "planned_investment": "计划投资（万元）",
    "quota_count": "定额数量",
    "quota_period": "定额周期",
    "quota_unit": "计量单位",
    "member_kind": "成员类型",
    "notes": "备注",
}
MILESTONE_FIELDS: dict[str, str] = {"name": "里程碑", "planned_date": "计划日期", "actual_date": "实际日期"}
MEMBER_FIELDS: dict[str, str] = {
    "name": "名称",
    "credit_code": "统一社会信用代码",
    "region": "地区",
    "year_counted": "计入年度",
}
QUOTA_PERIODS = {"": "", "total": "合计", "yearly": "每年"}
MEMBER_KINDS = {"": "", "enterprise": "企业", "zone": "园区"}
REGIONS = (
    "长春市",
    "吉林市",
    "四平市",
    "辽源市",
    "通化市",
    "白山市",
    "松原市",
    "白城市",
    "延边州",
    "长白山管委会",
    "梅河口市",
    "公主岭市",
    "全省",
)
USER_ENTERED = "手工录入"


@dataclass(frozen=True)
class MilestoneRow:
    id: int
    name: str
    planned_date: date | None
    actual_date: date | None
    source: str
    version: int


@dataclass(frozen=True)
class MemberDetail:
    id: int
    name: str
    credit_code: str
    region: str
    year_counted: int | None
    source: str
    from_return: bool
    version: int


@dataclass(frozen=True)
class ProjectDetail:
    """Every field of one project, plus the choices its form offers."""

    id: int
    version: int
    kind: str
    values: dict[str, Any]
    source_document: str
    source_text: str
    milestones: list[MilestoneRow]
    members: list[MemberDetail]
    departments: list[tuple[int, str]] = field(default_factory=list)
    tasks: list[tuple[int, str]] = field(default_factory=list)
    lag_reasons: tuple[str, ...] = ()
    task_departments: dict[int, list[str]] = field(default_factory=dict)  # every responsible department per task

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    user: str
    entity: str
    entity_id: int
    field: str
    old_value: str
    new_value: str
    action: str


def load_project(
    database: Database, project_id: int, period_key: str | None = None, today: date | None = None
) -> ProjectDetail:
    """One project with its milestones, members and the department and task choices; lag judged for
    ``period_key`` (default: the latest closed quarter) as the ledger row of that period judges it."""
    with database.session() as s:
        p = s.get(Project, project_id)
        if p is None:
            raise KnownError(f"项目（编号 {project_id}）不存在，可能已被删除")
        doc = s.get(Document, p.source_document_id) if p.source_document_id else None
        departments = [
            (i, n)
            for i, n in s.execute(select(Department.id, Department.name).order_by(Department.sort_order, Department.id))
        ]
        tasks = [
            (t.id, f"{doc_title}·{t.code} {t.title}")
            for t, doc_title in s.execute(
                select(Task, Document.short_title)
                .join(Document, Document.id == Task.document_id)
                .order_by(Task.document_id, Task.sort_order)
            )
        ]
        return ProjectDetail(
            lag_reasons=_lag(s, p, period_key, today),
            id=p.id,
            version=p.version,
            kind=p.kind,
            values={name: getattr(p, name) for name in PROJECT_FIELDS},
            source_document=doc.short_title if doc else "",
            source_text=p.source_text,
            milestones=[
                MilestoneRow(m.id, m.name, m.planned_date, m.actual_date, m.source, m.version) for m in p.milestones
            ],
            members=[
                MemberDetail(
                    m.id, m.name, m.credit_code, m.region, m.year_counted, m.source, m.return_id is not None, m.version
                )
                for m in p.members
            ],
            departments=departments,
            tasks=tasks,
            task_departments=_task_departments(s),
        )


def _task_departments(s: Session) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for task_id, name in s.execute(
        select(TaskDepartment.task_id, Department.name)
        .join(Department, Department.id == TaskDepartment.department_id)
        .order_by(TaskDepartment.task_id, TaskDepartment.sort_order, TaskDepartment.id)
    ):
        out.setdefault(task_id, []).append(name)
    return out


def _lag(s: Session, p: Project, period_key: str | None, today: date | None) -> tuple[str, ...]:
    # The ledger's rule (scope module docstring): progress up to the period's end, judged on lag_as_of.
    today = today or date.today()
    period = Period.parse(period_key) if period_key else latest_closed_quarter(today)
    pct = latest_progress(s, {p.id}, period.end).get(p.id, (None, None, "", ""))[0]
    facts = ScheduleFacts(
        p.planned_start,
        p.planned_end,
        pct,
        tuple(MilestoneFacts(m.name, m.planned_date, m.actual_date) for m in p.milestones),
    )
    return tuple(lag_reasons(facts, lag_as_of(period.end, today), lag_margin(s)))


def lag_for_project(
    database: Database, project_id: int, period_key: str | None = None, today: date | None = None
) -> tuple[str, ...]:
    """Why the project is behind schedule for ``period_key`` (default: the latest closed quarter); empty if not."""
    with database.session() as s:
        p = s.get(Project, project_id)
        return _lag(s, p, period_key, today) if p is not None else ()


# --- parsing form text into values ------------------------------------------------------------------------


def parse_date(text: str) -> date | None:
    """A date typed in a form, read by the same rule as dates in returns (2025-03-31, 2025/3/31, 2025.3.31,
    2025年3月31日, 全角 digits); a form needs the day too. Empty means none; ValueError in Chinese otherwise."""
    t = text.strip()
    if not t:
        return None
    if t.isdigit() and len(t) != 8:  # a bare number (an Excel serial in a cell) is not a date typed in a form
        raise ValueError("日期格式应为 2025-03-31")
    outcome = read_date(t)
    if not outcome.ok:
        raise ValueError(outcome.reason or "日期格式应为 2025-03-31")
    if outcome.note:  # month only (2025年3月): a form asks for the day rather than guess the month's end
        raise ValueError("请写到日，如 2025-03-31")
    return outcome.value


def parse_number(text: str, *, integer: bool = False) -> float | int | None:
    """A non-negative number typed with or without thousands separators; empty means none."""
    t = text.strip().replace(",", "").replace("，", "")
    if not t:
        return None
    try:
        value = int(t) if integer else float(t)
    except ValueError:
        raise ValueError("请输入整数" if integer else "请输入数字") from None
    if value < 0:
        raise ValueError("不能为负数")
    return value


def check_project_values(database: Database, project_id: int, changes: dict[str, Any]) -> dict[str, str]:
    """Problems with proposed values, by field (empty when all are acceptable)."""
    problems: dict[str, str] = {}
    if "code" in changes:
        code = str(changes["code"] or "").strip()
        if not code:
            problems["code"] = "项目编号不能为空"
        else:
            with database.session() as s:
                other = s.scalar(select(Project.id).where(Project.code == code, Project.id != project_id))
            if other is not None:
                problems["code"] = f"编号 {code} 已被其他项目使用"
    if "name" in changes and not str(changes["name"] or "").strip():
        problems["name"] = "项目名称不能为空"
    if "status" in changes and not str(changes["status"] or "").strip():
        problems["status"] = "状态不能为空"
    elif "status" in changes and changes["status"] not in STATUSES and len(str(changes["status"])) > 20:
        problems["status"] = "状态过长（最多20字）"
    if "quota_period" in changes and changes["quota_period"] not in QUOTA_PERIODS:
        problems["quota_period"] = "定额周期不在可选范围内"
    if "member_kind" in changes and changes["member_kind"] not in MEMBER_KINDS:
        problems["member_kind"] = "成员类型不在可选范围内"
    return problems


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _audit(
    s: Session, entity: str, entity_id: int, project_id: int, field_name: str, old: Any, new: Any, action: str
) -> None:
    add_audit(
        s, user=current_user(), entity=entity, entity_id=entity_id, project_id=project_id, field=field_name,
        old=old, new=new, action=audit_mark.action(action),
    )  # fmt: skip


def _flush_versioned(s: Session, what: str) -> None:
    try:
        s.flush()
    except StaleDataError:
        raise StaleEditError(f"{what}刚被其他人修改，本次修改未保存。已重新载入最新内容，请核对后再改。") from None


def _check_version(obj: Any, expected: int, what: str) -> None:
    if obj.version != expected:
        raise StaleEditError(f"{what}刚被其他人修改，本次修改未保存。已重新载入最新内容，请核对后再改。")


def _apply_audited(s: Session, obj: Any, entity: str, allowed: Any, changes: dict[str, Any], what: str) -> None:
    """Set each changed field on ``obj`` with an audit row; flush once (version-checked) if anything changed."""
    changed = False
    for name, value in changes.items():
        if name not in allowed:
            raise ValueError(f"not editable: {name}")
        old = getattr(obj, name)
        if old != value:
            setattr(obj, name, value)
            _audit(s, entity, obj.id, obj.project_id, name, old, value, "update")
            changed = True
    if changed:
        _flush_versioned(s, what)


# --- projects ---------------------------------------------------------------------------------------------


def update_project(database: Database, project_id: int, expected_version: int, changes: dict[str, Any]) -> int:
    """Write ``changes`` (field → typed value) if the project is still at ``expected_version``; new version."""
    unknown = set(changes) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    problems = check_project_values(database, project_id, changes)
    if problems:
        raise KnownError("；".join(f"{PROJECT_FIELDS[f]}：{m}" for f, m in problems.items()))
    with database.session() as s:
        p = s.get(Project, project_id)
        if p is None:
            raise StaleEditError("该项目已被其他人删除，修改未保存。")
        _check_version(p, expected_version, "该项目")
        changed = False
        for name, value in changes.items():
            if isinstance(value, str) and name not in ("notes",):
                value = value.strip()
            old = getattr(p, name)
            if old == value:
                continue
            setattr(p, name, value)
            _audit(s, "project", p.id, p.id, name, _display(s, name, old), _display(s, name, value), "update")
            changed = True
        if changed:
            _flush_versioned(s, "该项目")
        return p.version


def _display(s: Session, field_name: str, value: Any) -> Any:
    """What the audit log shows for a value: names rather than ids."""
    if value is None:
        return None
    if field_name == "lead_department_id":
        dept = s.get(Department, value)
        return dept.name if dept else value
    if field_name == "task_id":
        task = s.get(Task, value)
        return f"{task.code} {task.title}" if task else value
    if field_name == "quota_period":
        return QUOTA_PERIODS.get(value, value)
    if field_name == "member_kind":
        return MEMBER_KINDS.get(value, value)
    return value


def project_version(database: Database, project_id: int) -> int | None:
    """The project's current version (None when it no longer exists)."""
    with database.session() as s:
        return s.scalar(select(Project.version).where(Project.id == project_id))


# --- milestones -------------------------------------------------------------------------------------------


def add_milestone(
    database: Database,
    project_id: int,
    name: str,
    planned_date: date | None = None,
    actual_date: date | None = None,
    source: str = USER_ENTERED,
) -> MilestoneRow:
    """Add a milestone at the end of the project's list."""
    if not name.strip():
        raise KnownError("里程碑名称不能为空")
    with database.session() as s:
        if s.get(Project, project_id) is None:
            raise StaleEditError("该项目已被其他人删除，修改未保存。")
        last = s.scalar(
            select(Milestone.sort_order)
            .where(Milestone.project_id == project_id)
            .order_by(Milestone.sort_order.desc())
            .limit(1)
        )
        m = Milestone(
            project_id=project_id,
            name=name.strip(),
            planned_date=planned_date,
            actual_date=actual_date,
            sort_order=(last or 0) + 1,
            source=source,
        )
        s.add(m)
        s.flush()
        _audit(s, "milestone", m.id, project_id, "name", None, m.name, "create")
        for f in ("planned_date", "actual_date"):
            if getattr(m, f) is not None:
                _audit(s, "milestone", m.id, project_id, f, None, getattr(m, f), "create")
        return MilestoneRow(m.id, m.name, m.planned_date, m.actual_date, m.source, m.version)


def update_milestone(database: Database, milestone_id: int, expected_version: int, changes: dict[str, Any]) -> int:
    """Change a milestone's name or dates if it is still at ``expected_version``; its new version."""
    if "name" in changes and not str(changes["name"] or "").strip():
        raise KnownError("里程碑名称不能为空")
    with database.session() as s:
        m = s.get(Milestone, milestone_id)
        if m is None:
            raise StaleEditError("该里程碑已被其他人删除，修改未保存。")
        _check_version(m, expected_version, "该里程碑")
        _apply_audited(s, m, "milestone", MILESTONE_FIELDS, changes, "该里程碑")
        return m.version


def delete_milestone(database: Database, milestone_id: int, expected_version: int) -> MilestoneRow:
    """Delete a milestone (asked first by the UI); returns what it was, for undo."""
    with database.session() as s:
        m = s.get(Milestone, milestone_id)
        if m is None:
            raise StaleEditError("该里程碑已被其他人删除。")
        _check_version(m, expected_version, "该里程碑")
        row = MilestoneRow(m.id, m.name, m.planned_date, m.actual_date, m.source, m.version)
        _audit(s, "milestone", m.id, m.project_id, "name", m.name, None, "delete")
        s.delete(m)
        _flush_versioned(s, "该里程碑")
        return row


# --- programme members ------------------------------------------------------------------------------------


def check_member(
    database: Database, project_id: int, name: str, code: str, member_id: int | None = None
) -> dict[str, str]:
    """Problems with a member's name and credit code, by field."""
    problems: dict[str, str] = {}
    if not name.strip():
        problems["name"] = "名称不能为空"
    code = code.strip().upper()
    if code:
        msg = credit_code.problem(code)
        if msg:
            problems["credit_code"] = msg
        else:
            with database.session() as s:
                dup = s.scalar(
                    select(ProgrammeMember.name).where(
                        ProgrammeMember.project_id == project_id,
                        ProgrammeMember.credit_code == code,
                        ProgrammeMember.id != (member_id or -1),
                    )
                )
            if dup:
                problems["credit_code"] = f"该代码已登记为「{dup}」"
    return problems


def _member_detail(m: ProgrammeMember) -> MemberDetail:
    return MemberDetail(
        m.id, m.name, m.credit_code, m.region, m.year_counted, m.source, m.return_id is not None, m.version
    )


def add_member(
    database: Database,
    project_id: int,
    name: str,
    code: str = "",
    region: str = "",
    year_counted: int | None = None,
    source: str = USER_ENTERED,
) -> MemberDetail:
    """Register an enterprise or zone in a quota programme (credit code checked against GB 32100)."""
    problems = check_member(database, project_id, name, code)
    if problems:
        raise KnownError("；".join(problems.values()))
    with database.session() as s:
        p = s.get(Project, project_id)
        if p is None:
            raise StaleEditError("该项目已被其他人删除，修改未保存。")
        if p.kind != "programme":
            raise KnownError("只有定额计划才有成员名单")
        m = ProgrammeMember(
            project_id=project_id,
            name=name.strip(),
            credit_code=code.strip().upper(),
            region=region.strip(),
            year_counted=year_counted,
            source=source,
        )
        s.add(m)
        s.flush()
        for f in MEMBER_FIELDS:
            if getattr(m, f) not in (None, ""):
                _audit(s, "member", m.id, project_id, f, None, getattr(m, f), "create")
        return _member_detail(m)


def update_member(database: Database, member_id: int, expected_version: int, changes: dict[str, Any]) -> int:
    """Change a member if it is still at ``expected_version``; its new version."""
    with database.session() as s:
        m = s.get(ProgrammeMember, member_id)
        if m is None:
            raise StaleEditError("该成员已被其他人删除，修改未保存。")
        _check_version(m, expected_version, "该成员")
        if "credit_code" in changes:
            changes = {**changes, "credit_code": str(changes["credit_code"] or "").strip().upper()}
        problems = check_member(
            database, m.project_id, changes.get("name", m.name), changes.get("credit_code", m.credit_code), m.id
        )
        if problems:
            raise KnownError("；".join(problems.values()))
        _apply_audited(s, m, "member", MEMBER_FIELDS, changes, "该成员")
        return m.version


def delete_member(database: Database, member_id: int, expected_version: int) -> MemberDetail:
    """Delete a member the clerk entered; members that came from a return are corrected through returns."""
    with database.session() as s:
        m = s.get(ProgrammeMember, member_id)
        if m is None:
            raise StaleEditError("该成员已被其他人删除。")
        if m.return_id is not None:
            raise KnownError("该成员来自部门报表，不能在此删除；请在报表中更正后重新导入。")
        _check_version(m, expected_version, "该成员")
        detail = _member_detail(m)
        _audit(s, "member", m.id, m.project_id, "name", m.name, None, "delete")
        s.delete(m)
        _flush_versioned(s, "该成员")
        return detail


def restore_member(database: Database, project_id: int, detail: MemberDetail) -> MemberDetail:
    """Re-create a deleted member (undo of a delete); it gets a new id."""
    return add_member(
        database, project_id, detail.name, detail.credit_code, detail.region, detail.year_counted, detail.source
    )


# --- audit ------------------------------------------------------------------------------------------------

ENTITY_LABELS = {"project": "项目", "milestone": "里程碑", "member": "成员"}
ACTION_LABELS = {"create": "新增", "update": "修改", "delete": "删除", "undo": "撤销", "redo": "重做"}


def field_label(entity: str, field_name: str) -> str:
    """The Chinese name of an audited field."""
    table: dict[str, dict[str, str]] = {
        "project": PROJECT_FIELDS,
        "milestone": MILESTONE_FIELDS,
        "member": MEMBER_FIELDS,
    }
    return table.get(entity, {}).get(field_name, field_name)


def audit_for_project(database: Database, project_id: int) -> list[AuditRow]:
    """Every audited change to a project, its milestones and members, newest first."""
    with database.session() as s:
        return [
            AuditRow(a.at, a.user, a.entity, a.entity_id, a.field, a.old_value, a.new_value, a.action)
            for a in s.scalars(
                select(AuditEntry).where(AuditEntry.project_id == project_id).order_by(AuditEntry.id.desc())
            )
        ]
