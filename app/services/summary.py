"""Build the consolidated ledger for a period from the database and write it with app.returns.summary."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.periods import Period
from app.returns.summary import (
    SummaryData,
    SummaryGroup,
    SummaryMember,
    SummaryProgramme,
    SummaryProject,
    write_summary,
)
from app.returns.task_summary import SummaryTask
from app.services.ledger import load_rows
from app.services.period_entries import current_entries, period_scope
from app.services.scope import (
    DEFAULT_OFFICE_NAME,
    OFFICE_NAME_SETTING,
    UNCLASSIFIED_PROJECTS,
    parse_period,
    project_lead_departments,
    setting,
)
from app.services.supervision import list_parts
from app.storage.db import Database
from app.storage.models import Department, Document, ProgrammeMember, Project, Return, Task

UNGROUPED = UNCLASSIFIED_PROJECTS


def summary_data(session: Session, period_key: str, today: date | None = None) -> SummaryData:
    """Gather the period's ledger: key projects grouped by task, programmes with their members."""
    period = parse_period(period_key)
    data = SummaryData(
        period_key=period.key,
        period_label=period.label,
        period_year=period.year,
        office_name=setting(session, OFFICE_NAME_SETTING, DEFAULT_OFFICE_NAME),
    )
    dept_names = dict(session.execute(select(Department.id, Department.name)).all())
    leads = project_lead_departments(session)
    tasks = {t.id: t for t in session.scalars(select(Task))}
    docs = dict(session.execute(select(Document.id, Document.short_title)).all())
    # The same entries the ledger's status and the report read: the quarter's and its months' (latest wins).
    entries = current_entries(session, period_scope(session, period))
    # Status and lag come from the ledger's own rows, so the printed 状态/滞后 never disagree with the screen.
    ledger = {r.id: r for r in load_rows(session, period.key, today)}

    groups: dict[int | None, SummaryGroup] = {}
    key_projects = session.scalars(
        select(Project).where(Project.kind == "key_project").order_by(Project.sort_order, Project.code)
    )
    for p in key_projects:
        if p.task_id not in groups:
            task = tasks.get(p.task_id) if p.task_id is not None else None
            title = f"{task.code} {task.title}（{docs.get(task.document_id, '')}）" if task else UNGROUPED
            groups[p.task_id] = SummaryGroup(title)
        e = entries.get(p.id)
        lead = leads.get(p.id)
        groups[p.task_id].projects.append(
            SummaryProject(
                code=p.code,
                name=p.name,
                department=dept_names.get(lead, "") if lead is not None else "",
                planned_investment=p.planned_investment,
                investment_period=e.investment_period if e else None,
                investment_cumulative=e.investment_cumulative if e else None,
                progress_pct=e.progress_pct if e else None,
                progress_text=e.progress_text if e else "",
                problems=e.problems if e else "",
                coordination_needed=e.coordination_needed if e else "",
                reported=e is not None,
                status=ledger[p.id].status if p.id in ledger else "",
                lag_reasons=ledger[p.id].lag_reasons if p.id in ledger else (),
            )
        )

    def group_order(task_id: int | None) -> tuple[int, int, int]:
        task = tasks.get(task_id) if task_id is not None else None
        if task is None:
            return (1, 0, 0)
        return (0, task.document_id, task.sort_order)

    data.groups = [groups[k] for k in sorted(groups, key=group_order)]

    superseded = set(session.scalars(select(Return.id).where(Return.superseded_by_id.is_not(None))))
    programmes = session.scalars(
        select(Project)
        .where(Project.kind == "programme")
        .options(selectinload(Project.members))
        .order_by(Project.sort_order, Project.code)
    )
    for p in programmes:
        lead = leads.get(p.id)
        sp = SummaryProgramme(
            code=p.code,
            name=p.name,
            department=dept_names.get(lead, "") if lead is not None else "",
            quota_count=p.quota_count,
            quota_period=p.quota_period,
            quota_unit=p.quota_unit or "个",
        )
        members: list[ProgrammeMember] = [
            m
            for m in p.members
            if m.return_id not in superseded and (m.year_counted is None or m.year_counted <= period.year)
        ]
        members.sort(key=lambda m: (m.year_counted or 0, m.name))
        sp.members = [SummaryMember(m.name, m.credit_code, m.region, m.year_counted, *_source_and_notes(m.source))
                      for m in members]  # fmt: skip
        data.programmes.append(sp)
    data.tasks.extend(summary_tasks(session, period))
    return data


def summary_tasks(session: Session, period: Period) -> list[SummaryTask]:
    """Every supervised part with its progress for the period, for the 重点任务推进台账 sheet."""
    out = []
    for part in list_parts(session, period):
        p = part.progress
        out.append(
            SummaryTask(
                document=part.document_title,
                code=part.task_code,
                title=part.task_title,
                department=part.department_name,
                year_target=part.year_target,
                people=part.people,
                progress_text=p.progress_text if p else "",
                problems=p.problems if p else "",
                coordination_needed=p.coordination_needed if p else "",
                next_steps=p.next_steps if p else "",
                state=part.state,
                reported=p is not None,
            )
        )
    return out


def _source_and_notes(stored: str) -> tuple[str, str]:
    """A member's stored source is "file；the department's 备注" (returns.commit): split it back for 来源 and 备注."""
    source, _, notes = (stored or "").partition("；")
    return source, notes.strip()


def export_summary(database: Database, period_key: str, out: Path) -> SummaryData:
    """Write the period's summary workbook to ``out`` and return what it holds."""
    with database.session() as session:
        data = summary_data(session, period_key)
    write_summary(data, Path(out))
    return data
