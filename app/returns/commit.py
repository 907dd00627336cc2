"""Write one validated return into the database inside the caller's transaction: all of it or none of it.

The caller (app.services.returns) opens one session and one transaction per file and rolls back on any
error, so a failure midway leaves every table as it was. Here: the reporting period (created if absent), the
Return with its warnings, progress entries with their source sheet and row, milestone actual dates with audit
entries, programme members, indicator actuals, project status, and — when the department already has a
current return for the period — the supersede link and a change summary (per project, field old → new).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from app.returns.decision_rows import decision_change_lines, delete_decision_rows, write_decision_rows
from app.returns.task_rows import delete_task_rows, task_change_lines, write_task_rows
from app.returns.validate import FIELD_LABELS, PROGRESS_FIELDS, ValidatedReturn, project_status_for
from app.storage.audit import REFUSAL_ENTITY, add_audit, audit_text
from app.storage.models import (
    AuditEntry,
    CoordinationIssue,
    IndicatorActual,
    Milestone,
    ProgrammeMember,
    ProgressEntry,
    Project,
    ReportingPeriod,
    Return,
)
from app.storage.periods import ensure_reporting_period


@dataclass
class CommitResult:
    """What one committed file changed."""

    return_id: int | None
    already_imported: bool = False
    superseded_id: int | None = None
    change_summary: str = ""
    entries: int = 0
    milestones: int = 0
    members: int = 0
    indicators: int = 0
    tasks: int = 0
    status_changes: list[str] = field(default_factory=list)


def lock_for_import(session: Session) -> None:
    """Take the database's write lock now, so the check for a current return and the write are one step.

    SQLite: BEGIN IMMEDIATE (the driver would otherwise begin lazily, letting two imports both read "no
    current return" before either writes); it waits up to the busy timeout for another writer. PostgreSQL
    serialises through the period row (``lock_period``).
    """
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")


def lock_period(session: Session, period_id: int) -> None:
    """Row-lock the period (PostgreSQL; SQLite already holds the write lock) until the transaction ends."""
    session.execute(select(ReportingPeriod.id).where(ReportingPeriod.id == period_id).with_for_update())


def _audit(
    session: Session,
    *,
    user: str,
    now: datetime,
    entity: str,
    entity_id: int,
    field_name: str,
    old: object = "",
    new: object = "",
    action: str = "update",
    project_id: int | None = None,
) -> None:
    add_audit(session, user=user, entity=entity, entity_id=entity_id, field=field_name, old=old, new=new,
              action=action, project_id=project_id, at=now)  # fmt: skip


def commit_return(
    session: Session,
    validated: ValidatedReturn,
    *,
    user: str,
    now: datetime,
    warnings_resolved: bool,
) -> CommitResult:
    """Write ``validated`` (which must have no errors) in the session's open transaction."""
    parsed = validated.parsed
    if validated.has_errors or validated.department is None or validated.period is None:
        raise ValueError("a return with errors cannot be committed")
    existing = session.scalar(select(Return.id).where(Return.sha256 == parsed.sha256).limit(1))
    if existing is not None and parsed.sha256:
        return CommitResult(return_id=existing, already_imported=True)

    period_row = ensure_reporting_period(session, validated.period)
    lock_period(session, period_row.id)
    previous = session.scalar(
        select(Return).where(
            Return.department_id == validated.department.id,
            Return.period_id == period_row.id,
            Return.superseded_by_id.is_(None),
        )
    )
    warnings = validated.warnings
    ret = Return(
        department_id=validated.department.id,
        period_id=period_row.id,
        file_name=parsed.file_name,
        sha256=parsed.sha256,
        imported_at=now,
        imported_by=user,
        warning_count=len(warnings),
        warnings_resolved=warnings_resolved or not warnings,
        problems_json=json.dumps([_problem_dict(p) for p in warnings], ensure_ascii=False),
    )
    session.add(ret)
    session.flush()
    result = CommitResult(return_id=ret.id)
    _audit(session, user=user, now=now, entity="return", entity_id=ret.id, field_name="file_name",
           new=parsed.file_name, action="create")  # fmt: skip

    if previous is not None:
        result.superseded_id = previous.id
        result.change_summary = change_summary(session, previous.id, validated)
        previous.superseded_by_id = ret.id
        ret.change_summary = result.change_summary
        _audit(session, user=user, now=now, entity="return", entity_id=previous.id, field_name="superseded_by_id",
               new=ret.id)  # fmt: skip

    _write_entries(session, validated, ret.id, period_row.id, result)
    _write_milestones(session, validated, user, now, result)
    _write_members(session, validated, ret.id, previous.id if previous else None, result)
    _write_indicators(session, validated, ret.id, user, now, result)
    _update_projects(session, validated, user, now, result)
    result.tasks = write_task_rows(session, validated, ret.id, period_row.id)
    write_decision_rows(session, validated, ret.id, period_row.id)
    session.flush()
    return result


def _problem_dict(p: Any) -> dict[str, Any]:
    return {
        "file": p.file,
        "sheet": p.sheet,
        "row": p.row,
        "column": p.column,
        "message": p.message,
        "severity": str(p.severity),
    }


def _write_entries(
    session: Session, validated: ValidatedReturn, return_id: int, period_id: int, result: CommitResult
) -> None:
    rows = [
        {
            "project_id": plan.project_id,
            "period_id": period_id,
            "return_id": return_id,
            "source_sheet": plan.sheet,
            "source_row": plan.row,
            **{name: plan.values.get(name, "" if name in _TEXT_FIELDS else None) for name in PROGRESS_FIELDS},
        }
        for plan in validated.progress
    ]
    if rows:
        session.execute(insert(ProgressEntry), rows)
    result.entries = len(rows)


_TEXT_FIELDS = ("progress_text", "problems", "coordination_needed", "next_steps")


def _write_milestones(
    session: Session, validated: ValidatedReturn, user: str, now: datetime, result: CommitResult
) -> None:
    if not validated.milestones:
        return
    ids = [m.milestone_id for m in validated.milestones if m.milestone_id is not None]
    known = {m.id: m for m in session.scalars(select(Milestone).where(Milestone.id.in_(ids)))} if ids else {}
    next_order: dict[int, int] = {}
    for plan in validated.milestones:
        source = f"{validated.parsed.file_name} {plan.sheet} 第{plan.row}行"
        if plan.milestone_id is None:
            if plan.project_id not in next_order:
                last = session.scalar(
                    select(Milestone.sort_order)
                    .where(Milestone.project_id == plan.project_id)
                    .order_by(Milestone.sort_order.desc())
                    .limit(1)
                )
                next_order[plan.project_id] = (last or 0) + 1
            ms = Milestone(
                project_id=plan.project_id,
                name=plan.name,
                planned_date=plan.planned_date,
                actual_date=plan.actual_date,
                sort_order=next_order[plan.project_id],
                source=source,
            )
            next_order[plan.project_id] += 1
            session.add(ms)
            session.flush()
            _audit(session, user=user, now=now, entity="milestone", entity_id=ms.id, field_name="name",
                   new=plan.name, action="create", project_id=plan.project_id)  # fmt: skip
            result.milestones += 1
            continue
        ms = known[plan.milestone_id]
        if plan.actual_date is not None and plan.actual_date != ms.actual_date:
            _audit(session, user=user, now=now, entity="milestone", entity_id=ms.id, field_name="actual_date",
                   old=ms.actual_date, new=plan.actual_date, project_id=plan.project_id)  # fmt: skip
            ms.actual_date = plan.actual_date
            ms.source = source
            result.milestones += 1
        if plan.planned_date is not None and ms.planned_date is None:
            _audit(session, user=user, now=now, entity="milestone", entity_id=ms.id, field_name="planned_date",
                   old=None, new=plan.planned_date, project_id=plan.project_id)  # fmt: skip
            ms.planned_date = plan.planned_date


def _write_members(
    session: Session, validated: ValidatedReturn, return_id: int, superseded_id: int | None, result: CommitResult
) -> None:
    # A new return that has a members sheet replaces the members the superseded return brought in; one
    # without it leaves them alone (the department only updated its progress).
    if superseded_id is not None and "members" in validated.parsed.rows:
        session.execute(delete(ProgrammeMember).where(ProgrammeMember.return_id == superseded_id))
    source = validated.parsed.file_name
    rows = [
        {
            "project_id": m.programme_id,
            "name": m.name,
            "credit_code": m.credit_code,
            "region": m.region,
            "year_counted": m.year_counted,
            "source": f"{source}{'；' + m.notes if m.notes else ''}",
            "return_id": return_id,
            "source_sheet": m.sheet,
            "source_row": m.row,
            "version": 1,
        }
        for m in validated.members
    ]
    if rows:
        session.execute(insert(ProgrammeMember), rows)
    result.members = len(rows)


def _write_indicators(
    session: Session, validated: ValidatedReturn, return_id: int, user: str, now: datetime, result: CommitResult
) -> None:
    assert validated.period is not None
    rows = [
        {
            "indicator_id": i.indicator_id,
            "period_key": validated.period.key,
            "value": i.value,
            "source": i.source or validated.parsed.file_name,
            "return_id": return_id,
            "source_sheet": i.sheet,
            "source_row": i.row,
            "entered_by": user,
            "entered_at": now,
        }
        for i in validated.indicators
    ]
    if rows:
        session.execute(insert(IndicatorActual), rows)
    result.indicators = len(rows)


def _update_projects(
    session: Session, validated: ValidatedReturn, user: str, now: datetime, result: CommitResult
) -> None:
    plans = {p.project_id: p for p in validated.progress}
    if not plans:
        return
    for project in session.scalars(select(Project).where(Project.id.in_(list(plans)))):
        plan = plans[project.id]
        status = project_status_for(
            plan.values.get("progress_pct"), plan.values.get("investment_cumulative"), project.status
        )
        changes: list[tuple[str, object, object]] = []
        if status != project.status:
            changes.append(("status", project.status, status))
            result.status_changes.append(f"{project.code} {project.name}：{project.status} → {status}")
            project.status = status
        # The return fills gaps in the ledger; it never overwrites what the office has recorded.
        if plan.planned_investment is not None and project.planned_investment is None:
            changes.append(("planned_investment", None, plan.planned_investment))
            project.planned_investment = plan.planned_investment
        if plan.region and not project.region:
            changes.append(("region", "", plan.region))
            project.region = plan.region
        for name, old, new in changes:
            _audit(session, user=user, now=now, entity="project", entity_id=project.id, field_name=name,
                   old=old, new=new, project_id=project.id)  # fmt: skip


_TEXT_SUMMARY_FIELDS = ("progress_text", "problems", "coordination_needed", "next_steps")
_SUMMARY_FIELDS = ("investment_period", "investment_cumulative", "progress_pct", "progress_text", "problems",
                   "coordination_needed", "next_steps")  # fmt: skip


def change_summary(session: Session, previous_id: int, validated: ValidatedReturn) -> str:
    """Per project, field old → new between the superseded return and this one, one line each."""
    old_entries = {
        e.project_id: e for e in session.scalars(select(ProgressEntry).where(ProgressEntry.return_id == previous_id))
    }
    new_plans = {p.project_id: p for p in validated.progress}
    labels = {
        pid: f"{code} {name}"
        for pid, code, name in session.execute(
            select(Project.id, Project.code, Project.name).where(Project.id.in_(set(old_entries) | set(new_plans)))
        )
    }
    lines: list[str] = []
    for pid, plan in new_plans.items():
        old = old_entries.get(pid)
        if old is None:
            lines.append(f"{labels[pid]}：新报送")
            continue
        diffs = []
        for name in _SUMMARY_FIELDS:
            before = getattr(old, name)
            after = plan.values.get(name)
            if _same(before, after):
                continue
            if after in (None, "") and name in _TEXT_SUMMARY_FIELDS:
                diffs.append(f"{FIELD_LABELS[name]}「{_brief(before)}」被清空（更正报表中此栏为空）")
                continue
            diffs.append(f"{FIELD_LABELS[name]} {_brief(before)} → {_brief(after)}")
        if diffs:
            lines.append(f"{labels[pid]}：{'；'.join(diffs)}")
    for pid in old_entries:
        if pid not in new_plans:
            lines.append(f"{labels[pid]}：本次未报送，本期显示为未报（原数据保留在历史中）")
    if "members" in validated.parsed.rows:
        old_count = session.scalar(
            select(func.count(ProgrammeMember.id)).where(ProgrammeMember.return_id == previous_id)
        )
        if old_count != len(validated.members):
            line = f"计划成员：{old_count} 个 → {len(validated.members)} 个"
            if not validated.members:
                line += f"（更正报表的成员表为空，此前报送的 {old_count} 个成员已删除）"
            lines.append(line)
    old_ind = dict(
        session.execute(
            select(IndicatorActual.indicator_id, IndicatorActual.value).where(IndicatorActual.return_id == previous_id)
        ).all()
    )
    for ind in validated.indicators:
        if ind.indicator_id in old_ind and not _same(old_ind[ind.indicator_id], ind.value):
            lines.append(f"指标 {ind.indicator_name}：{_brief(old_ind[ind.indicator_id])} → {_brief(ind.value)}")
    lines.extend(task_change_lines(session, previous_id, validated))
    lines.extend(decision_change_lines(session, previous_id, validated))
    return "\n".join(lines) if lines else "与被替换的报表相比没有变化"


def _same(a: object, b: object) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < 0.005
    return a == b


def _brief(value: object, limit: int = 30) -> str:
    if value in (None, ""):
        return "（空）"
    text = audit_text(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def record_refusal(
    session: Session,
    validated: ValidatedReturn,
    *,
    user: str,
    now: datetime,
) -> bool:
    """Log a refused file for its department and period (the 被拒 status); False when either is unknown.

    Kept in audit_log (entity ``return_refused``, entity_id = department id, field = period key) so the
    schema needs no new table; only the file name, its hash and the first errors are stored.
    """
    if validated.department is None or validated.period is None:
        return False
    errors = [p.describe() for p in validated.errors][:20]
    add_audit(
        session,
        at=now,
        user=user,
        entity=REFUSAL_ENTITY,
        entity_id=validated.department.id,
        field=validated.period.key,
        old=validated.parsed.file_name,
        new=json.dumps({"sha256": validated.parsed.sha256, "errors": errors}, ensure_ascii=False),
        action="refuse",
    )
    return True


@dataclass
class WithdrawResult:
    """What withdrawing an import undid."""

    file_name: str
    restored_id: int | None  # the earlier return that is current again
    entries: int = 0
    members: int = 0
    reverted: list[str] = field(default_factory=list)  # ledger edits put back, in words
    lost_members: bool = False  # the earlier return's members had been replaced and cannot come back


def withdraw_return(session: Session, return_id: int, *, user: str, now: datetime) -> WithdrawResult:
    """Undo an import inside the caller's transaction: delete what the return brought, put back what it changed.

    Only the current return of its department and period can be withdrawn; the return it superseded (if any)
    becomes current again. Ledger edits the import made (milestone dates, new milestones, project status and
    gaps filled) are found by the audit entries it wrote at its own timestamp and reverted, with new audit
    entries saying so.
    """
    from app.storage.errors import KnownError

    ret = session.get(Return, return_id)
    if ret is None:
        raise KnownError("找不到这份报表，可能已被撤回")
    if ret.superseded_by_id is not None:
        raise KnownError("这份报表已被更新的报表替换，只能撤回现行的报表")
    cited = session.scalar(
        select(func.count(CoordinationIssue.id))
        .join(ProgressEntry, ProgressEntry.id == CoordinationIssue.progress_entry_id)
        .where(ProgressEntry.return_id == ret.id)
    )
    if cited:
        raise KnownError(f"这份报表中的 {cited} 个问题已被会议材料引用，不能撤回；如需更正，请导入新的报表替换它")
    created = session.scalar(
        select(AuditEntry).where(
            AuditEntry.entity == "return", AuditEntry.entity_id == ret.id, AuditEntry.action == "create"
        )
    )
    result = WithdrawResult(ret.file_name, None)
    if created is not None:
        edits = list(
            session.scalars(
                select(AuditEntry)
                .where(
                    AuditEntry.at == created.at,
                    AuditEntry.user == created.user,
                    AuditEntry.entity.in_(("milestone", "project")),
                )
                .order_by(AuditEntry.id.desc())
            )
        )
        for edit in edits:
            _revert(session, edit, user, now, result)
    previous = session.scalar(select(Return).where(Return.superseded_by_id == ret.id))
    result.entries = session.scalar(select(func.count(ProgressEntry.id)).where(ProgressEntry.return_id == ret.id)) or 0
    session.execute(delete(ProgressEntry).where(ProgressEntry.return_id == ret.id))
    result.members = (
        session.scalar(select(func.count(ProgrammeMember.id)).where(ProgrammeMember.return_id == ret.id)) or 0
    )
    session.execute(delete(ProgrammeMember).where(ProgrammeMember.return_id == ret.id))
    session.execute(delete(IndicatorActual).where(IndicatorActual.return_id == ret.id))
    delete_task_rows(session, ret.id)
    delete_decision_rows(session, ret.id)
    if previous is not None:
        previous.superseded_by_id = None
        result.restored_id = previous.id
        has_members = session.scalar(
            select(func.count(ProgrammeMember.id)).where(ProgrammeMember.return_id == previous.id)
        )
        result.lost_members = bool(result.members) and not has_members and "计划成员" in (ret.change_summary or "")
    session.flush()
    _audit(session, user=user, now=now, entity="return", entity_id=ret.id, field_name="file_name",
           old=ret.file_name, action="delete")  # fmt: skip
    session.delete(ret)
    session.flush()
    return result


def _revert(session: Session, edit: AuditEntry, user: str, now: datetime, result: WithdrawResult) -> None:
    if edit.entity == "milestone":
        ms = session.get(Milestone, edit.entity_id)
        if ms is None:
            return
        if edit.action == "create":
            result.reverted.append(f"删除导入时新增的里程碑「{ms.name}」")
            _audit(session, user=user, now=now, entity="milestone", entity_id=ms.id, field_name="name",
                   old=ms.name, action="delete", project_id=ms.project_id)  # fmt: skip
            session.delete(ms)
            return
        if edit.field in ("actual_date", "planned_date"):
            old = date.fromisoformat(edit.old_value) if edit.old_value else None
            _audit(session, user=user, now=now, entity="milestone", entity_id=ms.id, field_name=edit.field,
                   old=getattr(ms, edit.field), new=old, project_id=ms.project_id)  # fmt: skip
            setattr(ms, edit.field, old)
            result.reverted.append(f"里程碑「{ms.name}」{FIELD_LABELS[edit.field]}恢复为 {edit.old_value or '（空）'}")
        return
    project = session.get(Project, edit.entity_id)
    if project is None:
        return
    value: object
    if edit.field == "status":
        value = edit.old_value
    elif edit.field == "planned_investment":
        value = float(edit.old_value) if edit.old_value else None
    elif edit.field == "region":
        value = edit.old_value
    else:
        return
    _audit(session, user=user, now=now, entity="project", entity_id=project.id, field_name=edit.field,
           old=getattr(project, edit.field), new=value, project_id=project.id)  # fmt: skip
    setattr(project, edit.field, value)
    label = {"status": "状态", "planned_investment": "计划总投资", "region": "所在地区"}[edit.field]
    result.reverted.append(f"{project.code} {project.name}：{label}恢复为 {edit.old_value or '（空）'}")
