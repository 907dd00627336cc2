"""Departments' names through time: resolve what a return or a clerk writes, record renamings and mergers.

A written name is matched to a department by its name, an alias or a short form (scope.resolve_department: an
unknown name is refused with the closest candidates, never guessed), then followed through the successions in
force (resources/portfolio/successors.toml and what clerks record) to the department that answers for it today.
Whenever the department found is not the one written, the resolution says so ("省卫计委 → 省卫生健康委员会"),
so nothing is matched silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.scope import normalise_name, project_lead_departments, resolve_department
from app.storage.audit import current_user
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.models import Department, DepartmentSuccession, Indicator, TaskDepartment
from app.storage.successions import KINDS, record_succession, successions_in_force, successor_map


@dataclass(frozen=True)
class Resolution:
    """The department a written name stands for today, and how it was reached."""

    department_id: int
    name: str  # the department's current name
    written: str  # as written
    chain: tuple[str, ...] = ()  # former names followed, oldest first (empty when none)
    when: str = ""  # e.g. 2018-10-18起更名

    @property
    def direct(self) -> bool:
        """True when the written name is the department's own name (with or without 吉林 and spaces)."""
        wanted = normalise_name(self.written)
        return not self.chain and wanted in (self.name, "吉林" + self.name)

    @property
    def said(self) -> str:
        """'' for a direct match, else e.g. '省卫计委 → 省卫生健康委员会（原省卫生计生委，2018-10-18起更名）'."""
        if self.direct:
            return ""
        notes = []
        if self.chain:
            notes.append("原" + "、".join(self.chain))
        if self.when:
            notes.append(self.when)
        tail = f"（{'，'.join(notes)}）" if notes else ""
        return f"{self.written.strip()} → {self.name}{tail}"


def resolve_in(session: Session, name: str, on: date | None = None) -> Resolution:
    """Resolve ``name`` within an open session; KnownError (with candidates) when it names no department."""
    found = resolve_department(session, name)
    in_force = successions_in_force(session, on or date.today())
    chain: list[str] = []
    whens: list[str] = []
    current, seen = found, {found.id}
    while current.id in in_force:
        succession = in_force[current.id]
        chain.append(current.name)
        whens.append(f"{succession.effective_from:%Y-%m-%d}起{KINDS.get(succession.kind, succession.kind)}")
        nxt = session.get(Department, succession.new_department_id)
        if nxt is None or nxt.id in seen:
            break
        current = nxt
        seen.add(nxt.id)
    return Resolution(current.id, current.name, name, tuple(chain), "；".join(whens))


def said_note(written: str, name: str) -> str:
    """'省卫计委 → 省卫生健康委员会' when a written name was matched to a department of another name, else ''."""
    wanted = normalise_name(written)
    if not wanted or wanted in (name, "吉林" + name):
        return ""
    return f"{written.strip()} → {name}"


def resolve_name(database: Database, name: str) -> Resolution:
    """Resolve a department name as a clerk or a return writes it (see the module docstring)."""
    with database.session() as session:
        return resolve_in(session, name)


@dataclass(frozen=True)
class SuccessionResult:
    """What recording a renaming or merger did."""

    old_names: tuple[str, ...]
    new_name: str
    created: bool  # the new department did not exist and was added
    moved: tuple[str, ...]  # responsibilities moved, in words

    def summary(self) -> str:
        """One paragraph for the CLI and the dialog."""
        verb = "合并为" if len(self.old_names) > 1 else "更名为"
        text = f"已记录：{'、'.join(self.old_names)} {verb} {self.new_name}"
        if self.created:
            text += "（新建单位）"
        if self.moved:
            text += f"；移交现有职责 {len(self.moved)} 项：" + "、".join(self.moved[:8])
            if len(self.moved) > 8:
                text += " 等"
        else:
            text += "；原单位没有需要移交的职责"
        return text + "。原单位的报表和历史记录保留原名称。"


def rename_department(
    database: Database,
    old_name: str,
    new_name: str,
    effective_from: date,
    *,
    note: str = "",
    user: str | None = None,
    today: date | None = None,
) -> SuccessionResult:
    """Record that ``old_name`` is called ``new_name`` from ``effective_from``; move its responsibilities."""
    return _record(database, [old_name], new_name, effective_from, "rename", note, user, today)


def merge_departments(
    database: Database,
    old_names: list[str],
    new_name: str,
    effective_from: date,
    *,
    note: str = "",
    user: str | None = None,
    today: date | None = None,
) -> SuccessionResult:
    """Record that the ``old_names`` became ``new_name`` from ``effective_from``; move their responsibilities."""
    if len(old_names) < 2:
        raise KnownError("合并至少需要两个原单位；只有一个单位改名请用“更名”")
    return _record(database, old_names, new_name, effective_from, "merge", note, user, today)


def _record(
    database: Database,
    old_names: list[str],
    new_name: str,
    effective_from: date,
    kind: str,
    note: str,
    user: str | None,
    today: date | None,
) -> SuccessionResult:
    wanted = normalise_name(new_name)
    if not wanted:
        raise KnownError("请填写新的单位名称")
    if effective_from > (today or date.today()):
        raise KnownError(f"生效日期 {effective_from:%Y-%m-%d} 晚于今天：请在更名或合并生效后再记录")
    who = user or current_user()
    with database.session() as session:
        olds: list[Department] = []
        retired = successions_in_force(session, today or date.today())
        for name in old_names:
            dept = resolve_department(session, name)
            if dept.id in retired:
                later = session.get(Department, retired[dept.id].new_department_id)
                raise KnownError(
                    f"“{dept.name}”已于 {retired[dept.id].effective_from:%Y-%m-%d} 起由“{later.name if later else ''}”"
                    "承接；如需更正请对现名称操作"
                )
            if dept not in olds:
                olds.append(dept)
        if len(olds) < len(old_names):
            raise KnownError("原单位中有重复的单位")
        new = _exact(session, wanted)
        created = new is None
        if new is None:
            new = Department(
                name="".join(new_name.split()),  # as typed (full-width brackets kept), without stray spaces
                sort_order=min(d.sort_order for d in olds),
                contact_person=olds[0].contact_person if len(olds) == 1 else "",
                contact_phone=olds[0].contact_phone if len(olds) == 1 else "",
            )
            session.add(new)
            session.flush()
        if any(d.id == new.id for d in olds):
            raise KnownError(f"新名称“{new.name}”就是原单位本身")
        moved: list[str] = []
        for old in olds:
            moved += [
                m.what for m in record_succession(session, old, new, effective_from, kind=kind, note=note, user=who)
            ]
        return SuccessionResult(tuple(d.name for d in olds), new.name, created, tuple(moved))


def _exact(session: Session, wanted: str) -> Department | None:
    """The department whose own name or alias is exactly ``wanted`` (normalised); no fuzzy match here."""
    for dept in session.scalars(select(Department)):
        if wanted in {normalise_name(n) for n in (dept.name, *dept.alias_list)}:
            return dept
    return None


@dataclass(frozen=True)
class SuccessionLine:
    """A recorded succession, for the departments dialog and `taizhang departments list`."""

    old_name: str
    new_name: str
    effective_from: date
    kind_label: str
    note: str
    recorded_by: str
    builtin: bool


@dataclass(frozen=True)
class DepartmentLine:
    """A department with its spellings, former names and what it answers for today."""

    id: int
    name: str
    aliases: tuple[str, ...]
    former_names: tuple[str, ...]  # departments it succeeded
    successor: str  # '' while the department exists
    successor_since: date | None
    tasks: int
    projects: int
    indicators: int
    contact: str = ""
    successions: tuple[SuccessionLine, ...] = field(default=())

    @property
    def current(self) -> bool:
        return not self.successor


def list_departments(database: Database, today: date | None = None) -> list[DepartmentLine]:
    """Every department (current ones first, in the office's order) with former names and responsibilities."""
    on = today or date.today()
    with database.session() as session:
        depts = list(session.scalars(select(Department).order_by(Department.sort_order, Department.id)))
        names = {d.id: d.name for d in depts}
        in_force = successions_in_force(session, on)
        final = successor_map(session, on)
        former: dict[int, list[str]] = {}
        for old_id in final:
            former.setdefault(final[old_id], []).append(names[old_id])
        counts: dict[str, dict[int, int]] = {"tasks": {}, "projects": {}, "indicators": {}}
        for kind, column in (
            ("tasks", TaskDepartment.department_id),
            ("indicators", Indicator.responsible_department_id),
        ):
            for dept_id in session.scalars(select(column)):
                if dept_id is not None:
                    counts[kind][dept_id] = counts[kind].get(dept_id, 0) + 1
        # Projects by the shared rule: the project's own lead, else its task's (docs/project-status.md).
        for dept_id in project_lead_departments(session).values():
            if dept_id is not None:
                counts["projects"][dept_id] = counts["projects"].get(dept_id, 0) + 1
        lines = []
        for d in depts:
            s = in_force.get(d.id)
            lines.append(
                DepartmentLine(
                    id=d.id,
                    name=d.name,
                    aliases=tuple(d.alias_list),
                    former_names=tuple(former.get(d.id, [])),
                    successor=names.get(final[d.id], "") if d.id in final else "",
                    successor_since=s.effective_from if s else None,
                    tasks=counts["tasks"].get(d.id, 0),
                    projects=counts["projects"].get(d.id, 0),
                    indicators=counts["indicators"].get(d.id, 0),
                    contact=" ".join(x for x in (d.contact_person, d.contact_phone) if x),
                )
            )
    lines.sort(key=lambda line: not line.current)  # stable: keeps the office's order within each group
    return lines


def list_successions(database: Database) -> list[SuccessionLine]:
    """Every recorded renaming and merger, oldest first."""
    with database.session() as session:
        rows = session.scalars(
            select(DepartmentSuccession).order_by(DepartmentSuccession.effective_from, DepartmentSuccession.id)
        )
        return [
            SuccessionLine(
                r.old_department.name,
                r.new_department.name,
                r.effective_from,
                KINDS.get(r.kind, r.kind),
                r.note,
                r.recorded_by,
                r.builtin,
            )
            for r in rows
        ]
