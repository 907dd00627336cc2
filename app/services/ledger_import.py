"""Adopt the office's existing Excel ledger: plan (the dry run), import in one transaction, undo as one step.

The plan matches each ledger row to a ledger project by normalised name (with its score), lists the changes
to planned figures, the projects and departments it would create, and the progress it would keep as of the
ledger's date. The import backs the database up first, writes everything in one transaction with an audit row
per change, and records the batch (what it created and the values it replaced) as one audit entry, so that
``undo_ledger_import`` can reverse it: delete what the import created, restore what it changed.
"""

from __future__ import annotations

import difflib
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.domain.money import MoneyUnit
from app.domain.periods import Period
from app.returns.ledger_adopt import LedgerRead, LedgerRow, UnstatedUnit, period_for_as_of, read_ledger
from app.returns.match import Catalogue, load_catalogue, normalise_department, normalise_key
from app.returns.parsed import Problem, Severity
from app.services.period_entries import ensure_reporting_period
from app.services.scope import UNCLASSIFIED
from app.storage.audit import add_audit, current_user
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.models import (
    AuditEntry,
    CoordinationIssue,
    Department,
    Document,
    Indicator,
    Meeting,
    Milestone,
    PlanBaselineItem,
    ProgrammeMember,
    ProgressEntry,
    Project,
    ReportingPeriod,
    Return,
    Task,
    TaskDepartment,
)

log = logging.getLogger("taizhang.ledger_import")

AUTO_MATCH = 0.8  # a unique best score at or above this is taken as the same project
CONSIDER = 0.6  # below this a built-in project is not worth naming as a candidate
TIE = 0.02  # scores this close are "equally good": shown, never guessed
BATCH_ENTITY = "ledger_import"
NEW_CODE_PREFIX = "TZ"
# Words that name the kind of thing rather than which one: 省数据灾备中心（二期） is 省数据灾备中心二期工程.
_GENERIC_SUFFIX_RE = re.compile(r"(?:建设项目|建设工程|工程项目|项目|工程|建设)+$")
_GENERIC_PREFIX_RE = re.compile(r"^(?:吉林省|吉林)")

# Plan fields a ledger row may set on a project, with their Chinese labels (as the project form names them).
PLAN_FIELDS: dict[str, str] = {
    "lead_department_id": "牵头单位",
    "region": "所在地区",
    "planned_start": "计划开工",
    "planned_end": "计划完工",
    "planned_investment": "计划投资（万元）",
}
PROGRESS_FIELDS: dict[str, str] = {
    "investment_period": "本年完成投资（万元）",
    "investment_cumulative": "累计完成投资（万元）",
    "progress_pct": "形象进度（%）",
    "progress_text": "进展情况",
    "problems": "存在问题",
    "next_steps": "下步计划",
}


class Action:
    """What the import does with one ledger row."""

    UPDATE = "update"  # matched a project: its plan figures and progress are taken
    CREATE = "create"  # no project matched: a new one is added
    AMBIGUOUS = "ambiguous"  # two projects match equally well: shown, left out until the clerk picks
    SKIP = "skip"  # the clerk chose to leave the row out


ACTION_LABELS = {Action.UPDATE: "匹配", Action.CREATE: "新增项目", Action.AMBIGUOUS: "无法确定", Action.SKIP: "不导入"}


@dataclass(frozen=True)
class Candidate:
    """A project a ledger row may be, with how close the names are (1.0 the same)."""

    project_id: int
    code: str
    name: str
    score: float

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


@dataclass(frozen=True)
class Change:
    """One field a row changes on an existing project: old and new as shown, and the new typed value."""

    field: str
    label: str
    old_text: str
    new_text: str
    new_value: Any


@dataclass
class RowPlan:
    """The plan for one ledger row."""

    row: LedgerRow
    action: str
    candidates: list[Candidate] = field(default_factory=list)  # best first
    project_id: int | None = None
    project_label: str = ""
    score: float | None = None
    department: str = ""  # as the ledger writes it
    department_id: int | None = None
    new_department: str = ""  # a department the import would create for this row
    changes: list[Change] = field(default_factory=list)
    progress: dict[str, Any] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"第 {self.row.row} 行"

    def describe(self) -> str:
        """One line of the dry run for this row."""
        name = self.row.name
        if self.action == Action.UPDATE:
            head = f"{self.where}“{name}” → {self.project_label}（相似度 {self.score:.2f}）"
        elif self.action == Action.CREATE:
            near = f"；最接近：{self.candidates[0].label}（{self.candidates[0].score:.2f}）" if self.candidates else ""
            head = f"{self.where}“{name}” → 新增项目{near}"
        elif self.action == Action.AMBIGUOUS:
            listed = "、".join(f"{c.label}（{c.score:.2f}）" for c in self.candidates if c.score >= CONSIDER)
            head = f"{self.where}“{name}” 同样接近多个项目，未导入，请选择：{listed}"
        else:
            head = f"{self.where}“{name}” 不导入"
        return head


@dataclass
class LedgerPlan:
    """The dry run: everything the import would do, and anything that stops it."""

    read: LedgerRead
    rows: list[RowPlan] = field(default_factory=list)
    as_of: date | None = None
    as_of_source: str = ""  # 标题 / 命令行 / 文件名
    period_key: str | None = None
    unit: MoneyUnit | None = None  # the clerk's answer for unstated money units
    task_id: int | None = None
    task_label: str = UNCLASSIFIED
    new_departments: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return self.read.file_name

    @property
    def path(self) -> Path:
        return self.read.path

    @property
    def all_problems(self) -> list[Problem]:
        return self.read.problems + self.problems

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.all_problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.all_problems if p.severity is Severity.WARNING]

    @property
    def units_unanswered(self) -> list[UnstatedUnit]:
        return [] if self.unit is not None else list(self.read.unstated_units)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def importable(self) -> bool:
        return (
            not self.errors
            and not self.units_unanswered
            and any(r.action in (Action.UPDATE, Action.CREATE) for r in self.rows)
        )

    def summary(self) -> str:
        """One sentence: how many rows match, are new, are unsure; which period; which task."""
        parts = [f"匹配 {self.count(Action.UPDATE)} 个项目", f"新增 {self.count(Action.CREATE)} 个项目"]
        if self.count(Action.AMBIGUOUS):
            parts.append(f"{self.count(Action.AMBIGUOUS)} 行无法确定对应项目")
        if self.new_departments:
            parts.append(f"新建 {len(self.new_departments)} 个单位")
        period = f"，进展记入 {Period.parse(self.period_key).label}" if self.period_key else ""
        return "，".join(parts) + period + f"；新项目归入：{self.task_label}"

    def listing(self) -> list[str]:
        """Every change the import would make, one per line, as the dry run prints it."""
        lines = [f"台账：{self.file_name}（{'、'.join(self.read.sheets) or '—'}）"]
        if self.as_of is not None:
            lines.append(f"数据截至：{self.as_of:%Y年%m月%d日}（{self.as_of_source}），记入报告期 {self.period_key}")
        if self.read.unit is not None:
            lines.append(f"金额单位：{self.read.unit.value}（表头写明）")
        elif self.unit is not None and self.read.unstated_units:
            lines.append(f"金额单位：{self.unit.value}（按指定）")
        elif self.read.unstated_units:
            lines.append("金额单位：表头没有写明（以下金额暂按万元显示；导入前须指明是万元还是亿元）")
        for dept in self.new_departments:
            lines.append(f"新建单位：{dept}")
        for plan in self.rows:
            lines.append(plan.describe())
            for change in plan.changes:
                lines.append(f"    {change.label}：{change.old_text or '（空）'} → {change.new_text or '（空）'}")
            if plan.action == Action.CREATE:
                for name, label in PLAN_FIELDS.items():
                    text = _show(name, plan.row.values.get(name)) if name != "lead_department_id" else plan.department
                    if text:
                        lines.append(f"    {label}：{text}")
            if plan.progress and plan.action in (Action.UPDATE, Action.CREATE):
                shown = "，".join(f"{PROGRESS_FIELDS[k]} {_show(k, v)}" for k, v in plan.progress.items())
                lines.append(f"    进展（{self.period_key}）：{shown}")
        return lines


# --- matching ------------------------------------------------------------------------------------------------


def _core(key: str) -> str:
    return _GENERIC_PREFIX_RE.sub("", _GENERIC_SUFFIX_RE.sub("", key)) or key


def match_score(wanted: str, name: str) -> float:
    """How alike a ledger name and a project name are, 0..1: 1 the same once width and punctuation are folded."""
    a, b = normalise_key(wanted), normalise_key(name)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ca, cb = _core(a), _core(b)
    if ca == cb:
        return 0.97
    short, long_ = sorted((ca, cb), key=len)
    if len(short) >= 4 and short in long_:
        return round(0.85 + 0.1 * len(short) / len(long_), 4)
    return round(difflib.SequenceMatcher(None, ca, cb, autojunk=False).ratio(), 4)


def rank_projects(catalogue: Catalogue, name: str, code: str = "") -> list[Candidate]:
    """Projects by how well they match a ledger row, best first (a code that names one project scores 1)."""
    out: list[Candidate] = []
    code_key = normalise_key(code)
    for p in catalogue.projects.values():
        score = 1.0 if code_key and normalise_key(p.code) == code_key else match_score(name, p.name)
        if score >= CONSIDER * 0.75:
            out.append(Candidate(p.id, p.code, p.name, score))
    out.sort(key=lambda c: (-c.score, c.code))
    return out


def _decide(candidates: list[Candidate]) -> tuple[str, Candidate | None]:
    if not candidates or candidates[0].score < AUTO_MATCH:
        return Action.CREATE, None
    best = candidates[0]
    if len(candidates) > 1 and best.score - candidates[1].score <= TIE:
        return Action.AMBIGUOUS, None
    return Action.UPDATE, best


# --- the plan -------------------------------------------------------------------------------------------------


def resolve_task(session: Session, value: str) -> Task:
    """The task a code names (三(四)2, or 文件代号/三(四)2 when both documents use it)."""
    text = value.strip()
    doc_key = ""
    if "/" in text:
        doc_key, text = text.split("/", 1)
    code = text.split(maxsplit=1)[0] if text else ""
    stmt = select(Task).where(Task.code == code)
    if doc_key:
        stmt = stmt.join(Document, Document.id == Task.document_id).where(Document.key == doc_key)
    found = list(session.scalars(stmt))
    if not found:
        raise KnownError(f"找不到任务：{value}（任务编号如 三(四)2，可写作 文件代号/编号）")
    if len(found) > 1:
        keys = "、".join(session.scalars(select(Document.key).order_by(Document.id)))
        raise KnownError(f"任务编号 {code} 在两个文件中都有，请写作 文件代号/{code}（文件代号：{keys}）")
    return found[0]


def task_choices(database: Database) -> list[tuple[int, str]]:
    """(task id, "code title") of every task, in document order, for the wizard's 新项目归入 box."""
    with database.session() as s:
        rows = s.execute(
            select(Task.id, Task.code, Task.title, Document.short_title)
            .join(Document, Document.id == Task.document_id)
            .order_by(Document.id, Task.sort_order)
        ).all()
    return [(tid, f"{code} {title}（{doc}）") for tid, code, title, doc in rows]


def plan_ledger_import(
    database: Database,
    path: Path | str,
    *,
    as_of: date | None = None,
    task: str | int | None = None,
    unit: MoneyUnit | None = None,
    picks: dict[int, int | None] | None = None,
    skip_departments: set[str] | None = None,
) -> LedgerPlan:
    """The dry run of adopting ``path``: read it, match every row, list every change; writes nothing.

    ``picks`` maps an Excel row to the clerk's choice for it: a project id, 0 for a new project, None to
    leave it out. ``skip_departments`` are new departments the clerk declined; their rows get no department.
    """
    read = read_ledger(path, unit=unit)
    plan = LedgerPlan(read, unit=unit if read.unstated_units else None)
    if read.is_return or read.errors:
        return plan
    if as_of is not None:
        plan.as_of, plan.as_of_source = as_of, "指定"
    elif read.as_of is not None:
        plan.as_of, plan.as_of_source = read.as_of, f"标题“{read.as_of_source}”"
    plan.period_key = period_for_as_of(plan.as_of).key if plan.as_of else None
    picks = picks or {}
    declined = {normalise_department(d) for d in skip_departments or set()}
    with database.session() as s:
        if isinstance(task, int):
            row = s.get(Task, task)
            if row is None:
                raise KnownError("所选任务已不存在，请重新选择")
            plan.task_id, plan.task_label = row.id, f"{row.code} {row.title}"
        elif task:
            row = resolve_task(s, task)
            plan.task_id, plan.task_label = row.id, f"{row.code} {row.title}"
        catalogue = load_catalogue(s)
        projects = {p.id: p for p in s.scalars(select(Project))}
        departments = {d.id: d.name for d in s.scalars(select(Department))}
        new_depts: dict[str, str] = {}  # normalised → as written
        claimed: dict[int, int] = {}  # project id → the first row that matched it
        for ledger_row in read.rows:
            row_plan = _plan_row(catalogue, ledger_row, picks)
            if row_plan.action == Action.UPDATE and row_plan.project_id is not None:
                first = claimed.setdefault(row_plan.project_id, ledger_row.row)
                if first != ledger_row.row:
                    plan.problems.append(
                        Problem(
                            read.file_name,
                            f"“{ledger_row.name}”与第 {first} 行对应同一个项目 {row_plan.project_label}，本行未导入；"
                            "请合并这两行，或在向导中为本行另选",
                            Severity.WARNING,
                            ledger_row.sheet,
                            ledger_row.row,
                        )
                    )
                    row_plan.action = Action.AMBIGUOUS
            _plan_department(catalogue, row_plan, new_depts, declined)
            if row_plan.action == Action.UPDATE and row_plan.project_id is not None:
                row_plan.changes = _changes(projects[row_plan.project_id], row_plan, departments)
            row_plan.progress = {
                k: ledger_row.values[k] for k in PROGRESS_FIELDS if ledger_row.values.get(k) not in (None, "")
            }
            plan.rows.append(row_plan)
    plan.new_departments = list(new_depts.values())
    if plan.period_key is None and any(r.progress for r in plan.rows if r.action in (Action.UPDATE, Action.CREATE)):
        plan.problems.append(
            Problem(
                read.file_name,
                "台账标题中没有写明数据截至日期（如“截至2025年6月底”），不知道进展记入哪个报告期；"
                "请在向导中填写截至日期，或用 --as-of 2025-06-30 指明",
            )
        )
    return plan


def _plan_row(catalogue: Catalogue, row: LedgerRow, picks: dict[int, int | None]) -> RowPlan:
    candidates = rank_projects(catalogue, row.name, row.text("project_code"))
    if row.row in picks:
        choice = picks[row.row]
        if choice is None:
            return RowPlan(row, Action.SKIP, candidates)
        if choice == 0:
            return RowPlan(row, Action.CREATE, candidates)
        picked = catalogue.projects.get(choice)
        if picked is None:
            raise KnownError(f"第 {row.row} 行所选的项目已不存在，请重新选择")
        score = next((c.score for c in candidates if c.project_id == choice), match_score(row.name, picked.name))
        return RowPlan(row, Action.UPDATE, candidates, picked.id, picked.label, score)
    action, best = _decide(candidates)
    if best is not None:
        return RowPlan(row, action, candidates, best.project_id, best.label, best.score)
    return RowPlan(row, action, candidates)


def _plan_department(catalogue: Catalogue, plan: RowPlan, new_depts: dict[str, str], declined: set[str]) -> None:
    text = plan.row.text("department")
    plan.department = text
    if not text or plan.action in (Action.AMBIGUOUS, Action.SKIP):
        return
    # Several departments in one cell (省工信厅、省发改委): the first is the lead, as in the documents.
    first = re.split(r"[、,，;；/\s]+", text.strip())[0]
    found = catalogue.match_department(first)
    if found is not None:
        plan.department_id = found.id
        return
    key = normalise_department(first)
    if key in declined:
        return
    new_depts.setdefault(key, first)
    plan.new_department = new_depts[key]


def _changes(project: Project, plan: RowPlan, departments: dict[int, str]) -> list[Change]:
    out: list[Change] = []
    values = plan.row.values
    for name, label in PLAN_FIELDS.items():
        if name == "lead_department_id":
            if plan.department_id is not None and plan.department_id != project.lead_department_id:
                old = departments.get(project.lead_department_id or 0, "")
                out.append(Change(name, label, old, departments[plan.department_id], plan.department_id))
            elif plan.new_department:
                old = departments.get(project.lead_department_id or 0, "")
                out.append(Change(name, label, old, plan.new_department, None))
            continue
        new = values.get(name)
        if new in (None, ""):
            continue
        old = getattr(project, name)
        if old != new:
            out.append(Change(name, label, _show(name, old), _show(name, new), new))
    return out


def _show(name: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return text + ("%" if name == "progress_pct" else "")
    return str(value)


# --- the import -----------------------------------------------------------------------------------------------


@dataclass
class ImportDone:
    """What an import did: its batch (for undo) and the counts the clerk is told."""

    batch_id: int
    updated: int
    created: int
    departments: int
    progress: int
    backup: str = ""

    def message(self) -> str:
        parts = [f"已更新 {self.updated} 个项目", f"新增 {self.created} 个项目"]
        if self.departments:
            parts.append(f"新建 {self.departments} 个单位")
        parts.append(f"记入进展 {self.progress} 条")
        return "，".join(parts) + f"（导入批次 {self.batch_id}，可撤销）"


def import_ledger(database: Database, plan: LedgerPlan, *, user: str | None = None) -> ImportDone:
    """Carry out ``plan`` in one transaction after a backup; every change audited; the batch recorded for undo."""
    if plan.read.is_return:
        raise KnownError(plan.read.return_reason)
    if plan.units_unanswered:
        cols = "、".join(u.describe() for u in plan.units_unanswered)
        raise KnownError(f"{plan.file_name}：{cols} 没有写明金额单位（万元还是亿元），请指明后再导入")
    if plan.errors:
        raise KnownError("台账有错误，未导入：\n" + "\n".join(p.describe() for p in plan.errors[:20]))
    if not plan.importable:
        raise KnownError("台账中没有可导入的项目行")
    backup = _backup(database)
    who = user or current_user()
    now = datetime.now().replace(microsecond=0)
    record: dict[str, Any] = {
        "file": plan.file_name,
        "period": plan.period_key,
        "created": {"projects": [], "departments": [], "progress_entries": [], "periods": []},
        "changed": [],
        "undone": False,
    }
    with database.session() as s:
        batch = add_audit(s, at=now, user=who, entity=BATCH_ENTITY, entity_id=0, field="batch", action="import")
        s.flush()
        batch.entity_id = batch.id

        def audit(entity: str, entity_id: int, project_id: int | None, name: str, old: str, new: str, act: str) -> None:
            add_audit(
                s,
                at=now,
                user=who,
                entity=entity,
                entity_id=entity_id,
                project_id=project_id,
                field=name,
                old=old,
                new=new,
                action=act,
            )

        dept_ids: dict[str, int] = {}
        order = (s.scalar(select(func.max(Department.sort_order))) or 0) + 1
        for i, name in enumerate(plan.new_departments):
            if s.scalar(select(Department.id).where(Department.name == name)) is not None:
                raise KnownError(f"单位“{name}”刚被其他人建立，请重新检查台账后再导入")
            dept = Department(name=name, sort_order=order + i)
            s.add(dept)
            s.flush()
            dept_ids[name] = dept.id
            record["created"]["departments"].append(dept.id)
            audit("department", dept.id, None, "name", "", name, "create")
        period_row = None
        if plan.period_key is not None:
            existed = s.scalar(select(ReportingPeriod.id).where(ReportingPeriod.key == plan.period_key))
            period_row = ensure_reporting_period(s, Period.parse(plan.period_key))
            if existed is None:
                record["created"]["periods"].append(period_row.id)
        next_code = _code_counter(s)
        sort_order = (s.scalar(select(func.max(Project.sort_order))) or 0) + 1
        updated = created = progress = 0
        # New projects and entries are flushed once each (not a row at a time): a 2,000-row ledger stays quick.
        touched: list[tuple[RowPlan, Project]] = []
        new_projects: list[Project] = []
        for row_plan in plan.rows:
            if row_plan.action == Action.UPDATE and row_plan.project_id is not None:
                project = s.get(Project, row_plan.project_id)
                if project is None:
                    raise KnownError(f"项目 {row_plan.project_label} 已被删除，请重新检查台账后再导入")
                for change in row_plan.changes:
                    new = dept_ids.get(change.new_text) if change.new_value is None else change.new_value
                    if change.field == "lead_department_id" and new is None:
                        continue
                    old = getattr(project, change.field)
                    record["changed"].append(
                        {"project_id": project.id, "field": change.field, "old": _jsonable(old), "new": _jsonable(new)}
                    )
                    setattr(project, change.field, new)
                    audit("project", project.id, project.id, change.field, change.old_text, change.new_text, "update")
                updated += 1
            elif row_plan.action == Action.CREATE:
                project = _new_project(s, plan, row_plan, next_code, sort_order, dept_ids)
                new_projects.append(project)
                sort_order += 1
                created += 1
            else:
                continue
            touched.append((row_plan, project))
        s.flush()
        for project in new_projects:
            record["created"]["projects"].append(project.id)
            audit("project", project.id, project.id, "name", "", project.name, "create")
        entries: list[tuple[RowPlan, ProgressEntry]] = []
        for row_plan, project in touched:
            if row_plan.progress and period_row is not None:
                entry = ProgressEntry(
                    project_id=project.id,
                    period_id=period_row.id,
                    return_id=None,
                    investment_period=row_plan.progress.get("investment_period"),
                    investment_cumulative=row_plan.progress.get("investment_cumulative"),
                    progress_pct=row_plan.progress.get("progress_pct"),
                    progress_text=str(row_plan.progress.get("progress_text") or ""),
                    problems=str(row_plan.progress.get("problems") or ""),
                    next_steps=str(row_plan.progress.get("next_steps") or ""),
                    source_sheet=row_plan.row.sheet,
                    source_row=row_plan.row.row,
                )
                s.add(entry)
                entries.append((row_plan, entry))
        s.flush()
        for row_plan, entry in entries:
            record["created"]["progress_entries"].append(entry.id)
            shown = "，".join(f"{PROGRESS_FIELDS[k]} {_show(k, v)}" for k, v in row_plan.progress.items())
            audit("progress", entry.id, entry.project_id, "progress", "", f"{plan.period_key}：{shown}", "create")
            progress += 1
        batch.old_value = f"导入现有台账 {plan.file_name}：更新 {updated}，新增 {created}"
        batch.new_value = json.dumps(record, ensure_ascii=False)
        batch_id = batch.id
    log.info("ledger %s imported as batch %d (%d updated, %d created)", plan.file_name, batch_id, updated, created)
    return ImportDone(batch_id, updated, created, len(plan.new_departments), progress, backup)


def _backup(database: Database) -> str:
    from app.storage.backup import backup_before

    try:
        info = backup_before(database, "import")
    except KnownError as exc:
        # The import is still one all-or-nothing transaction, and undoable; say what was missed in the log.
        log.warning("backup before ledger import skipped: %s", exc.message)
        return ""
    return str(info.path) if info is not None else ""


def _code_counter(s: Session) -> Any:
    taken = set(s.scalars(select(Project.code)))
    number = 1

    def next_code(preferred: str) -> str:
        nonlocal number
        if preferred and preferred not in taken and len(preferred) <= 40:
            taken.add(preferred)
            return preferred
        while f"{NEW_CODE_PREFIX}{number:03d}" in taken:
            number += 1
        code = f"{NEW_CODE_PREFIX}{number:03d}"
        taken.add(code)
        return code

    return next_code


def _new_project(
    s: Session, plan: LedgerPlan, row_plan: RowPlan, next_code: Any, sort_order: int, dept_ids: dict[str, int]
) -> Project:
    values = row_plan.row.values
    dept = row_plan.department_id if row_plan.department_id is not None else dept_ids.get(row_plan.new_department)
    notes = row_plan.row.text("notes")
    project = Project(
        code=next_code(row_plan.row.text("project_code")),
        name=row_plan.row.name.strip()[:200],
        kind="key_project",
        task_id=plan.task_id,
        lead_department_id=dept,
        region=row_plan.row.text("region")[:50],
        planned_start=values.get("planned_start"),
        planned_end=values.get("planned_end"),
        planned_investment=values.get("planned_investment"),
        status="未填报",
        source_text=f"导入自现有台账 {plan.file_name}，工作表“{row_plan.row.sheet}”第 {row_plan.row.row} 行",
        notes=notes,
        sort_order=sort_order,
    )
    s.add(project)
    return project


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict) and "date" in value:
        return date.fromisoformat(value["date"])
    return value


# --- undo -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportBatch:
    """An import as the audit log keeps it, for listing and undo."""

    id: int
    at: datetime
    user: str
    summary: str
    undone: bool


def list_ledger_imports(database: Database) -> list[ImportBatch]:
    """Every ledger import, newest first."""
    with database.session() as s:
        out = []
        for a in s.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == BATCH_ENTITY, AuditEntry.action == "import")
            .order_by(AuditEntry.id.desc())
        ):
            record = json.loads(a.new_value or "{}")
            out.append(ImportBatch(a.id, a.at, a.user, a.old_value, bool(record.get("undone"))))
        return out


def undo_ledger_import(database: Database, batch_id: int, *, user: str | None = None) -> str:
    """Reverse one ledger import in one transaction: delete what it created, restore what it changed."""
    who = user or current_user()
    now = datetime.now().replace(microsecond=0)
    with database.session() as s:
        batch = s.get(AuditEntry, batch_id)
        if batch is None or batch.entity != BATCH_ENTITY or batch.action != "import":
            raise KnownError(f"找不到导入批次 {batch_id}（taizhang import-ledger --list 列出各次导入）")
        record = json.loads(batch.new_value or "{}")
        if record.get("undone"):
            raise KnownError(f"导入批次 {batch_id} 已经撤销过了")
        created = record.get("created", {})
        entry_ids = set(created.get("progress_entries", []))
        project_ids = list(created.get("projects", []))
        _refuse_if_used(s, project_ids, entry_ids)
        conflicts = []
        for change in record.get("changed", []):
            project = s.get(Project, change["project_id"])
            if project is None:
                continue
            if getattr(project, change["field"]) != _from_json(change["new"]):
                conflicts.append(
                    f"{project.code} {project.name} 的“{PLAN_FIELDS.get(change['field'], change['field'])}”"
                )
        if conflicts:
            raise KnownError("导入之后这些内容又被修改过，撤销会覆盖这些修改，因此未撤销：" + "、".join(conflicts[:10]))
        if entry_ids:
            s.execute(delete(ProgressEntry).where(ProgressEntry.id.in_(entry_ids)))
        for change in reversed(record.get("changed", [])):
            project = s.get(Project, change["project_id"])
            if project is None:
                continue
            old = _from_json(change["old"])
            new = getattr(project, change["field"])
            setattr(project, change["field"], old)
            add_audit(
                s,
                at=now,
                user=who,
                entity="project",
                entity_id=project.id,
                project_id=project.id,
                field=change["field"],
                old=_show(change["field"], new),
                new=_show(change["field"], old),
                action="undo",
            )
        if project_ids:
            # Checked above: nothing else hangs on these projects, so a plain delete leaves no orphans.
            for pid, name in s.execute(select(Project.id, Project.name).where(Project.id.in_(project_ids))).all():
                add_audit(
                    s,
                    at=now,
                    user=who,
                    entity="project",
                    entity_id=pid,
                    project_id=pid,
                    field="name",
                    old=name,
                    new="",
                    action="undo",
                )
            s.flush()
            s.execute(delete(Project).where(Project.id.in_(project_ids)))
        s.flush()
        _refuse_if_department_used(s, list(created.get("departments", [])))
        for dept_id in created.get("departments", []):
            dept = s.get(Department, dept_id)
            if dept is not None:
                s.delete(dept)
        for period_id in created.get("periods", []):
            period = s.get(ReportingPeriod, period_id)
            if period is not None and not _period_used(s, period_id):
                s.delete(period)
        record["undone"] = True
        batch.new_value = json.dumps(record, ensure_ascii=False)
        add_audit(
            s,
            at=now,
            user=who,
            entity=BATCH_ENTITY,
            entity_id=batch_id,
            field="batch",
            old=batch.old_value,
            new="",
            action="undo",
        )
    return (
        f"已撤销导入批次 {batch_id}：删除新增项目 {len(project_ids)} 个，还原修改 {len(record.get('changed', []))} 处"
    )


def _refuse_if_used(s: Session, project_ids: list[int], entry_ids: set[int]) -> None:
    """Refuse an undo that would delete projects other records have come to depend on since the import."""
    if project_ids:
        later = s.scalar(
            select(func.count())
            .select_from(ProgressEntry)
            .where(ProgressEntry.project_id.in_(project_ids), ProgressEntry.id.not_in(entry_ids or {0}))
        )
        others = sum(
            s.scalar(select(func.count()).select_from(model).where(col.in_(project_ids))) or 0
            for model, col in (
                (Milestone, Milestone.project_id),
                (ProgrammeMember, ProgrammeMember.project_id),
                (CoordinationIssue, CoordinationIssue.project_id),
                (PlanBaselineItem, PlanBaselineItem.project_id),
            )
        )
        if later or others:
            raise KnownError("导入后新增的项目已有报表进展、里程碑或会议事项，撤销会一并删掉这些内容，因此未撤销")


def _refuse_if_department_used(s: Session, dept_ids: list[int]) -> None:
    """Refuse to delete a department the import created once something else has come to use it."""
    if dept_ids:
        used = sum(
            s.scalar(select(func.count()).select_from(model).where(col.in_(dept_ids))) or 0
            for model, col in (
                (Return, Return.department_id),
                (TaskDepartment, TaskDepartment.department_id),
                (Indicator, Indicator.responsible_department_id),
            )
        )
        used += s.scalar(select(func.count()).select_from(Project).where(Project.lead_department_id.in_(dept_ids))) or 0
        if used:
            raise KnownError("导入时新建的单位已被其他项目、任务或报表使用，因此未撤销")


def _period_used(s: Session, period_id: int) -> bool:
    return bool(
        s.scalar(select(func.count()).select_from(ProgressEntry).where(ProgressEntry.period_id == period_id))
        or s.scalar(select(func.count()).select_from(Return).where(Return.period_id == period_id))
        or s.scalar(select(func.count()).select_from(Meeting).where(Meeting.period_id == period_id))
    )
