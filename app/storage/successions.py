"""Department successions (renamings, mergers): record one and move the old department's responsibilities.

History stays where it is: returns, meeting attendance, coordination issues and the audit log keep the old
department. What moves is current responsibility: the task departments, a project's lead department and an
indicator's responsible department. A module that adds another responsibility column adds it to ``_move``.
When both merged bodies were named on one task, the old part's progress, year targets and people fold into
the successor's part before the old row goes (``_fold_part``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from app.storage.audit import add_audit
from app.storage.models import (
    Department,
    DepartmentSuccession,
    Indicator,
    Project,
    TaskDepartment,
    TaskPartProgress,
    TaskPartTarget,
)

KINDS = {"rename": "更名", "merge": "合并", "part": "职责划转"}


@dataclass(frozen=True)
class Moved:
    """One responsibility moved from the old department to the new, in words."""

    what: str  # e.g. 任务 二(二)3、项目 XF12 旅游云服务平台、指标 ZB15 …


def record_succession(
    session: Session,
    old: Department,
    new: Department,
    effective_from: date,
    *,
    kind: str,
    note: str,
    user: str,
    builtin: bool = False,
) -> list[Moved]:
    """Record ``old`` → ``new`` from ``effective_from`` and move old's current responsibilities; audited.

    Recording the same pair again corrects its date, kind and note (responsibilities found on old move again).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown succession kind {kind!r}")
    now = datetime.now().replace(microsecond=0)
    row = session.scalars(
        select(DepartmentSuccession).where(
            DepartmentSuccession.old_department_id == old.id, DepartmentSuccession.new_department_id == new.id
        )
    ).one_or_none()
    if row is None:
        row = DepartmentSuccession(old_department_id=old.id, new_department_id=new.id)
        session.add(row)
        before = ""
    else:
        before = f"{row.effective_from:%Y-%m-%d} {KINDS.get(row.kind, row.kind)}"
    row.effective_from, row.kind, row.note, row.builtin = effective_from, kind, note, builtin
    row.recorded_by, row.recorded_at = user, now
    session.flush()
    # The shipped reform table is the seeded state, not a clerk's edit: its row says who and when, no audit trail.
    audit = not builtin
    if audit:
        _audit(
            session,
            now,
            user,
            "department",
            old.id,
            "successor",
            before,
            f"{new.name}（{effective_from:%Y-%m-%d}起，{KINDS[kind]}）",
        )
    return _move(session, old, new, now, user, audit)


def _move(session: Session, old: Department, new: Department, now: datetime, user: str, audit: bool) -> list[Moved]:
    moved: list[Moved] = []
    new_tasks = set(session.scalars(select(TaskDepartment.task_id).where(TaskDepartment.department_id == new.id)))
    for link in session.scalars(select(TaskDepartment).where(TaskDepartment.department_id == old.id)).all():
        label = f"任务 {link.task.code} {link.task.title}"
        if link.task_id in new_tasks:
            # Both merged bodies were named on one item: the successor already answers for it. What the old
            # part carried (its progress history, year targets, people) moves to the successor's part first,
            # so that deleting the old row loses nothing.
            _fold_part(session, link, new.id)
            session.delete(link)
        else:
            link.department_id = new.id
            new_tasks.add(link.task_id)
        if audit:
            _audit(session, now, user, "task_department", link.task_id, "department_id", old.name, new.name)
        moved.append(Moved(label))
    # A clerk's own assignments (a project's lead, an indicator's reporter) are audited even when the shipped
    # table moves them (a database seeded before the table existed); the seeded task departments are not.
    for project in session.scalars(select(Project).where(Project.lead_department_id == old.id)).all():
        project.lead_department_id = new.id
        add_audit(
            session, user=user, entity="project", entity_id=project.id, project_id=project.id,
            field="lead_department_id", old=old.name, new=new.name, at=now,
        )  # fmt: skip
        moved.append(Moved(f"项目 {project.code} {project.name}"))
    for ind in session.scalars(select(Indicator).where(Indicator.responsible_department_id == old.id)).all():
        ind.responsible_department_id = new.id
        _audit(session, now, user, "indicator", ind.id, "responsible_department_id", old.name, new.name)
        moved.append(Moved(f"指标 {ind.code} {ind.name}"))
    session.flush()
    return moved


def _fold_part(session: Session, old_part: TaskDepartment, new_department_id: int) -> None:
    """Move an old part's progress, year targets and people onto the successor's part of the same task."""
    target = session.scalar(
        select(TaskDepartment).where(
            TaskDepartment.task_id == old_part.task_id, TaskDepartment.department_id == new_department_id
        )
    )
    if target is None:
        return
    session.execute(
        update(TaskPartProgress).where(TaskPartProgress.part_id == old_part.id).values(part_id=target.id)
    )
    years = {t.year: t for t in target.targets}
    for t in list(old_part.targets):
        kept = years.get(t.year)
        if kept is None:
            target.targets.append(TaskPartTarget(year=t.year, target=t.target))
        elif t.target and t.target not in kept.target:
            kept.target = f"{kept.target}；（原{old_part.department.name}）{t.target}".lstrip("；")
    for name in ("responsible_person", "contact_person", "contact_phone"):
        if not getattr(target, name) and getattr(old_part, name):
            setattr(target, name, getattr(old_part, name))
    session.flush()
    session.expire(old_part, ["targets"])


def _audit(
    session: Session, now: datetime, user: str, entity: str, entity_id: int, field: str, old: str, new: str
) -> None:
    add_audit(session, user=user, entity=entity, entity_id=entity_id, field=field, old=old, new=new, at=now)


def _in_force(stmt: Select[Any], on: date) -> Select[Any]:
    """``stmt`` limited to successions in force on ``on``, in the order where the latest recorded comes last."""
    c = DepartmentSuccession.__table__.c
    return stmt.where(c.effective_from <= on).order_by(c.effective_from, c.id)


def successions_in_force(session: Session, on: date) -> dict[int, DepartmentSuccession]:
    """Old department id → its succession in force on ``on`` (the latest recorded when there are several)."""
    rows = session.scalars(_in_force(select(DepartmentSuccession), on))
    return {r.old_department_id: r for r in rows}


def successor_map(session: Session, on: date | None = None) -> dict[int, int]:
    """Old department id → the department that answers for it on ``on`` (default today), chains followed."""
    # Table columns (Core): the importer's check calls this without configuring the ORM.
    c = DepartmentSuccession.__table__.c
    rows = session.execute(_in_force(select(c.old_department_id, c.new_department_id), on or date.today()))
    step: dict[int, int] = {old: new for old, new in rows}  # the latest recorded wins, as in successions_in_force
    result: dict[int, int] = {}
    for start in step:
        current, seen = start, {start}
        while current in step and step[current] not in seen:
            current = step[current]
            seen.add(current)
        result[start] = current
    return result


def retired_department_ids(session: Session, on: date | None = None) -> set[int]:
    """Departments that no longer exist on ``on`` (default today): they were renamed or merged away."""
    # Table columns (Core): the first view asks who owes a return, and must not configure the mappers (start-up).
    c = DepartmentSuccession.__table__.c
    return set(session.scalars(_in_force(select(c.old_department_id), on or date.today())))
