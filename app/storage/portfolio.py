"""Load the built-in portfolio (resources/portfolio/*.toml) into a database; only adds what is missing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.resources import read_text
from app.storage.models import (
    Department,
    DepartmentSuccession,
    Document,
    Indicator,
    IndicatorBaseline,
    IndicatorTarget,
    Project,
    Task,
    TaskDepartment,
)

LEVEL_ORDER = {"section": 0, "part": 1, "item": 2}
BUILTIN_USER = "机构改革对照表"  # who the audit log says moved responsibilities at load


@dataclass
class LoadSummary:
    """How many records of each kind the load added (all zero when the database already had them)."""

    added: dict[str, int] = field(default_factory=dict)

    def bump(self, kind: str) -> None:
        self.added[kind] = self.added.get(kind, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.added.values())


def read_portfolio() -> dict[str, Any]:
    """The built-in portfolio as plain data: documents, departments, tasks, projects, indicators."""
    import tomllib  # here, not at the top: a start on an existing database never reads the portfolio files

    data = tomllib.loads(read_text("portfolio", "portfolio.toml"))
    data["tasks"] = tomllib.loads(read_text("portfolio", "tasks.toml"))["tasks"]
    data["successors"] = tomllib.loads(read_text("portfolio", "successors.toml"))
    return data


def load_builtin_portfolio(session: Session, data: dict[str, Any] | None = None) -> LoadSummary:
    """Insert every built-in record the database lacks; records already there (maybe edited) are kept."""
    data = data if data is not None else read_portfolio()
    summary = LoadSummary()
    docs = _load_documents(session, data["documents"], summary)
    depts = _load_departments(session, data["departments"], summary)
    tasks = _load_tasks(session, data["tasks"], docs, depts, summary)
    _load_projects(session, data["projects"], docs, tasks, summary)
    _load_indicators(session, data["indicators"], docs, tasks, summary)
    if "successors" in data:
        _load_successors(session, data["successors"], depts, summary)
    session.flush()
    return summary


def _load_documents(session: Session, rows: list[dict[str, Any]], summary: LoadSummary) -> dict[str, Document]:
    existing = {d.key: d for d in session.scalars(select(Document))}
    for row in rows:
        if row["key"] in existing:
            continue
        issued = row.get("issued_on")
        doc = Document(
            key=row["key"],
            short_title=row["short_title"],
            title=row["title"],
            issuer=row["issuer"],
            issued_on=issued if isinstance(issued, date) else None,
            issued_note=row.get("issued_note", ""),
            file_name=row["file"],
        )
        session.add(doc)
        existing[doc.key] = doc
        summary.bump("documents")
    return existing


def _load_departments(session: Session, rows: list[dict[str, Any]], summary: LoadSummary) -> dict[str, Department]:
    existing = {d.name: d for d in session.scalars(select(Department))}
    for order, row in enumerate(rows):
        if row["name"] in existing:
            continue
        dept = Department(name=row["name"], aliases="\n".join(row.get("aliases", [])), sort_order=order)
        session.add(dept)
        existing[dept.name] = dept
        summary.bump("departments")
    return existing


def _load_tasks(
    session: Session,
    rows: list[dict[str, Any]],
    docs: dict[str, Document],
    depts: dict[str, Department],
    summary: LoadSummary,
) -> dict[tuple[str, str], Task]:
    session.flush()
    existing = {(t.document.key, t.code): t for t in session.scalars(select(Task))}
    for order, row in enumerate(rows):
        key = (row["document"], row["code"])
        if key in existing:
            continue
        parent = existing.get((row["document"], row["parent"])) if row["parent"] else None
        task = Task(
            document=docs[row["document"]],
            parent=parent,
            level=row["level"],
            code=row["code"],
            title=row["title"],
            full_text=row["text"],
            sort_order=order,
        )
        for i, name in enumerate(row.get("departments", [])):
            if name not in depts:
                raise ValueError(f"task {key} names an unknown department {name!r}")
            task.departments.append(
                TaskDepartment(department=depts[name], role=task_role(row, name), sort_order=i, source_text=row["text"])
            )
        session.add(task)
        existing[key] = task
        summary.bump("tasks")
    return existing


def task_role(row: dict[str, Any], name: str) -> str:
    """A named department's role: 牵头/配合 only where the row says so (``lead`` / ``co``), else ``responsible``.

    The 2018 plan names its departments "(…,按职责分工负责,下同)": every one is responsible for its own part
    of that item and, by 下同, of every item after it. Order is the document's, never a rank.
    """
    if name in row.get("lead", []):
        return "lead"
    if name in row.get("co", []):
        return "co"
    return "responsible"


def _load_projects(
    session: Session,
    rows: list[dict[str, Any]],
    docs: dict[str, Document],
    tasks: dict[tuple[str, str], Task],
    summary: LoadSummary,
) -> None:
    existing = set(session.scalars(select(Project.code)))
    for order, row in enumerate(rows):
        if row["code"] in existing:
            continue
        session.add(
            Project(
                code=row["code"],
                name=row["name"],
                kind=row["kind"],
                task=tasks[(row["document"], row["task"])],
                region=row.get("region", ""),
                status="未填报",
                quota_count=row.get("quota_count"),
                quota_period=row.get("quota_period", ""),
                quota_unit=row.get("quota_unit", ""),
                member_kind=row.get("member_kind", ""),
                source_document=docs[row["document"]],
                source_text=row["source"],
                sort_order=order,
            )
        )
        summary.bump("projects")


def _load_indicators(
    session: Session,
    rows: list[dict[str, Any]],
    docs: dict[str, Document],
    tasks: dict[tuple[str, str], Task],
    summary: LoadSummary,
) -> None:
    existing = {i.code: i for i in session.scalars(select(Indicator))}
    for order, row in enumerate(rows):
        ind = existing.get(row["code"])
        if ind is None:
            ind = Indicator(code=row["code"], name=row["name"], unit=row.get("unit", ""), sort_order=order)
            session.add(ind)
            existing[ind.code] = ind
            summary.bump("indicators")
        # Fields added after a database was first seeded are filled in when still empty (a clerk's edit is kept).
        if row.get("task") and ind.task is None:
            ind.task = tasks[(row["task"]["document"], row["task"]["code"])]
        if row.get("note") and not ind.note:
            ind.note = row["note"]
        have_b = {(b.year, b.document.key) for b in ind.baselines}
        for b in row.get("baselines", []):
            if (b["year"], b["document"]) in have_b:
                continue
            ind.baselines.append(
                IndicatorBaseline(
                    year=b["year"],
                    value=float(b["value"]),
                    growth_pct=b.get("growth_pct"),
                    document=docs[b["document"]],
                    source_text=b["source"],
                )
            )
            summary.bump("baselines")
        have_t = {(t.year, t.kind, t.document.key) for t in ind.targets}
        for t in row.get("targets", []):
            if (t["year"], t["kind"], t["document"]) in have_t:
                continue
            value = t.get("value")
            ind.targets.append(
                IndicatorTarget(
                    year=t["year"],
                    kind=t["kind"],
                    value=None if value is None else float(value),
                    wording=t["wording"],
                    document=docs[t["document"]],
                    source_text=t["source"],
                )
            )
            summary.bump("targets")
    for row in rows:
        ind = existing[row["code"]]
        if row.get("related") and ind.related_indicator is None:
            ind.related_indicator = existing[row["related"]]


def _load_successors(
    session: Session, data: dict[str, Any], depts: dict[str, Department], summary: LoadSummary
) -> None:
    """Later departments, short forms and the reform's successions; each succession is applied once."""
    from app.storage.successions import record_succession

    # A successor takes its predecessor's place in the office's department order.
    place: dict[str, int] = {}
    for row in data.get("successions", []):
        place.setdefault(row["new"], depts[row["old"]].sort_order)
    order = max((d.sort_order for d in depts.values()), default=0)
    for row in data.get("departments", []):
        if row["name"] not in depts:
            order += 1
            dept = Department(
                name=row["name"], aliases="\n".join(row.get("aliases", [])), sort_order=place.get(row["name"], order)
            )
            session.add(dept)
            depts[dept.name] = dept
            summary.bump("departments")
    for row in data.get("short_forms", []):
        dept = depts[row["department"]]
        known = dept.alias_list
        extra = [n for n in row["names"] if n not in known and n != dept.name]
        if extra:
            dept.aliases = "\n".join([*known, *extra])
    session.flush()
    done = {(s.old_department_id, s.new_department_id) for s in session.scalars(select(DepartmentSuccession))}
    for row in data.get("successions", []):
        old, new = depts[row["old"]], depts[row["new"]]
        if (old.id, new.id) in done:
            continue
        record_succession(
            session, old, new, row["from"], kind=row["kind"], note=row.get("note", ""),
            user=BUILTIN_USER, builtin=True,
        )
        summary.bump("successions")
