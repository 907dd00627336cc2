"""Build the meeting report's content (``app.reports.content.ReportContent``) from the database.

One read-only session; returns plain data the renderers (PDF, .docx) and the CLI share.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.numerals import chinese_number
from app.domain.periods import Period
from app.domain.schedule import lag_as_of
from app.domain.text import is_empty_answer
from app.reports.content import (
    Cover,
    DecisionLine,
    DecisionsSection,
    GanttRow,
    IssueLine,
    LaggingProject,
    LedgerRow,
    MissingDepartment,
    Overview,
    ReportContent,
    SourceLine,
    TaskGroupProgress,
    TaskPartLine,
    group_issues,
    money,
    pct,
)
from app.services import report_indicators
from app.services.decisions import list_decisions_in, previous_meeting_id
from app.services.gantt import Selection, load_gantt
from app.services.ledger import load_rows
from app.services.meetings import meeting_ordinal_in, read_report_settings
from app.services.period_entries import current_entries, period_scope, received_returns
from app.services.report_indicators import document_label, document_notes
from app.services.scope import UNCLASSIFIED_PROJECTS, owing_scopes, project_lead_departments
from app.services.settings import organisation as organisation_setting
from app.services.supervision import list_parts
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.models import (
    CoordinationIssue,
    Department,
    Document,
    Meeting,
    ProgrammeMember,
    ProgressEntry,
    Project,
    Return,
    Task,
)

HIGHLIGHT_CHARS = 90


def build_report(
    db: Database, period_key: str, meeting_id: int | None = None, today: date | None = None
) -> ReportContent:
    """The report for a period (and meeting, whose date, attendance and edited issue list it uses)."""
    try:
        period = Period.parse(period_key)
    except ValueError as exc:
        raise KnownError(str(exc)) from exc
    with db.session() as s:
        return _build(s, db, period, meeting_id, today or date.today())


def _build(s: Session, db: Database, period: Period, meeting_id: int | None, today: date) -> ReportContent:
    settings = read_report_settings(s)
    meeting = None
    if meeting_id is not None:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None:
            raise KnownError(f"会议不存在（编号 {meeting_id}）。可在“会议”页面查看已有会议。")
    scope = period_scope(s, period)
    # Status and lag as the ledger, dashboard and Gantt chart show them for this period: one computation.
    as_of = lag_as_of(period.end, today)
    ledger_rows = {r.id: r for r in load_rows(s, period.key, today)}
    entries = current_entries(s, scope)
    returns = received_returns(s, period)  # the one rule for "returned for the period"
    dept_names = dict(s.execute(select(Department.id, Department.name)).all())
    responsible = project_lead_departments(s)
    tasks = {t.id: t for t in s.scalars(select(Task))}
    docs = {d.id: d for d in s.scalars(select(Document))}
    projects = list(
        s.scalars(select(Project).options(selectinload(Project.milestones)).order_by(Project.sort_order, Project.id))
    )
    return_by_id = {r.id: r for r in returns.values()}
    missing_return_ids = {e.return_id for e in entries.values() if e.return_id and e.return_id not in return_by_id}
    if missing_return_ids:
        for r in s.scalars(select(Return).where(Return.id.in_(missing_return_ids))):
            return_by_id[r.id] = r

    def source_of(entry: ProgressEntry) -> tuple[str, str, str]:
        ret = return_by_id.get(entry.return_id) if entry.return_id else None
        return (
            ret.file_name if ret else "人工录入",
            entry.source_sheet or "—",
            str(entry.source_row) if entry.source_row else "—",
        )

    # --- schedule: which projects are behind, and why
    lagging: list[LaggingProject] = []
    lag_ids: set[int] = set()
    for p in projects:
        entry = entries.get(p.id)
        shown = ledger_rows[p.id]
        reasons = list(shown.lag_reasons)
        if reasons:
            lag_ids.add(p.id)
            file, sheet, row = source_of(entry) if entry else ("—", "—", "—")
            lagging.append(
                LaggingProject(
                    p.code,
                    p.name,
                    dept_names.get(responsible.get(p.id) or -1, "—"),
                    shown.progress_pct,
                    reasons,
                    _said(entry.problems) if entry else "",
                    f"{file} {sheet} 第{row}行" if entry else "本期未填报",
                )
            )

    # --- overview
    key_projects = [p for p in projects if p.kind == "key_project"]
    programmes = [p for p in projects if p.kind == "programme"]
    period_investment = 0.0
    if scope.period_ids:
        stmt = (
            select(ProgressEntry.investment_period)
            .outerjoin(Return, ProgressEntry.return_id == Return.id)
            .where(ProgressEntry.period_id.in_(scope.period_ids), Return.superseded_by_id.is_(None))
        )
        period_investment = sum(v or 0.0 for v in s.scalars(stmt))
    # Who owes a return: the one rule templates, chasing, 报表填报 and the dashboard use.
    owed = {sc.department.id: sc.describe() for sc in owing_scopes(s)[0]}
    expected = set(owed)
    members = s.query(ProgrammeMember).count()
    # The completion share divides like by like: what the projects with a plan have done by that plan.
    planned_keys = [p for p in key_projects if p.planned_investment]
    overview = Overview(
        documents=len(docs),
        tasks=len(tasks),
        item_tasks=sum(1 for t in tasks.values() if t.level == "item"),
        key_projects=len(key_projects),
        programmes=len(programmes),
        members=members,
        planned_investment=sum(p.planned_investment or 0.0 for p in key_projects),
        # Key projects only, like the plan it stands beside (programmes report members, not investment).
        completed_investment=sum(
            entries[p.id].investment_cumulative or 0.0 for p in key_projects if p.id in entries
        ),
        period_investment=period_investment,
        reported_projects=len(entries),
        returns_received=len(expected & set(returns)),
        returns_expected=len(expected),
        lagging_projects=len(lagging),
        share_projects=len(planned_keys),
        share_planned=sum(p.planned_investment or 0.0 for p in planned_keys),
        share_completed=sum(entries[p.id].investment_cumulative or 0.0 for p in planned_keys if p.id in entries),
    )

    # --- task groups: projects under each part (（一）…) of each document
    def group_of(task_id: int | None) -> Task | None:
        t = tasks.get(task_id) if task_id else None
        while t is not None and t.level == "item" and t.parent_id is not None:
            t = tasks[t.parent_id]
        return t

    grouped: dict[int, list[Project]] = defaultdict(list)
    ungrouped: list[Project] = []
    for p in projects:
        g = group_of(p.task_id)
        (grouped[g.id] if g else ungrouped).append(p)
    task_groups = []
    for gid in sorted(grouped, key=lambda i: (tasks[i].document_id, tasks[i].sort_order)):
        task_groups.append(
            _group(tasks[gid], document_label(docs[tasks[gid].document_id]), grouped[gid], entries, lag_ids)
        )
    if ungrouped:
        task_groups.append(_group(None, "", ungrouped, entries, lag_ids))

    # --- issues
    issues = _issues(s, meeting, entries, dept_names, {p.id: p.name for p in projects}, return_by_id)

    # --- missing departments
    contacts = {d.id: d for d in s.scalars(select(Department))}
    missing = [
        MissingDepartment(
            contacts[d].name,
            owed[d],
            " ".join(x for x in (contacts[d].contact_person, contacts[d].contact_phone) if x),
        )
        for d in sorted(expected - set(returns), key=lambda i: (contacts[i].sort_order, i))
    ]

    # --- ledger and gantt
    ledger = []
    gantt = []
    for p in projects:
        entry = entries.get(p.id)
        task = tasks.get(p.task_id) if p.task_id else None
        task_label = f"{document_label(docs[task.document_id])[5:]}{task.code}" if task else "—"
        planned = f"{p.planned_start:%Y.%m}–{p.planned_end:%Y.%m}" if p.planned_start and p.planned_end else "—"
        ledger.append(
            LedgerRow(
                p.code,
                p.name,
                "重点" if p.kind == "key_project" else "定额",
                task_label,
                dept_names.get(responsible.get(p.id) or -1, "—"),
                p.region or "—",
                planned,
                p.planned_investment,
                entry.investment_cumulative if entry else None,
                entry.progress_pct if entry else None,
                f"{ledger_rows[p.id].status}（滞后）" if p.id in lag_ids else ledger_rows[p.id].status,
            )
        )
        if p.kind == "key_project":
            gantt.append(
                GanttRow(
                    f"{p.code} {p.name}",
                    p.planned_start,
                    p.planned_end,
                    entry.progress_pct if entry else None,
                    p.id in lag_ids,
                )
            )

    # --- indicators (their own session: the indicators service owns its queries)
    indicator_lines, charts, indicator_sources = report_indicators.indicator_section(
        db, period.key, {d.key: document_label(d) for d in docs.values()}
    )

    # --- sources appendix
    sources: list[SourceLine] = []
    for p in projects:
        entry = entries.get(p.id)
        if entry is None:
            continue
        file, sheet, row = source_of(entry)
        sources.append(
            SourceLine(
                f"{p.code} {p.name}",
                f"投资{money(entry.investment_cumulative)}；进度{pct(entry.progress_pct)}",
                file,
                sheet,
                row,
            )
        )
    sources.extend(indicator_sources)
    # Numbered as printed: by department, each text once (group_issues is the layout's own grouping).
    entry_of = {id(line): entry for line, entry in issues}
    lines_by_text: dict[tuple[str, str], list[IssueLine]] = defaultdict(list)
    for line, _ in issues:
        lines_by_text[(line.department or "其他", line.text.strip())].append(line)
    for n, group in enumerate(group_issues([line for line, _ in issues]), start=1):
        for k, (text, _projects) in enumerate(group.items, start=1):
            for line in lines_by_text.get((group.department, text), []):
                raised = entry_of.get(id(line))
                if raised is not None:
                    file, sheet, row = source_of(raised)
                    sources.append(
                        SourceLine(f"需协调解决的问题 {n}.（{k}）{line.project}", "文字", file, sheet, row)
                    )

    ordinal = meeting_ordinal_in(s, meeting.id) if meeting else None
    held = meeting.held_on if meeting else today
    cover = Cover(
        organisation=organisation_setting(s),
        meeting_line=f"第{chinese_number(ordinal)}次会议" if ordinal else "",
        kind_line="材料",
        meeting_title=meeting.title if meeting else "",
        period_label=period.label,
        date_text=f"{held.year}年{held.month}月{held.day}日",
        internal_line=settings.internal_line,
    )
    attendees = sorted(
        (dept_names.get(a.department_id, "") for a in meeting.attendees) if meeting else [],
    )
    return ReportContent(
        cover=cover,
        period_key=period.key,
        period_label=period.label,
        as_of=as_of,
        overview=overview,
        indicators=indicator_lines,
        indicator_charts=charts,
        task_groups=task_groups,
        lagging=lagging,
        issues=[i for i, _ in issues],
        missing=missing,
        ledger=ledger,
        gantt=gantt,
        sources=sources,
        lag_margin_pct=settings.lag_margin_pct,
        attendees=attendees,
        document_notes=document_notes(s),
        previous_decisions=_decisions_section(s, previous_meeting_id(s, meeting.id), today, "上次会议")
        if meeting
        else None,
        decisions=_decisions_section(s, meeting.id, today, "本次会议") if meeting else None,
        task_parts=report_task_parts(s, period),
        gantt_data=_gantt_data(db, period, today),
    )


def _decisions_section(s: Session, meeting_id: int | None, today: date, which: str) -> DecisionsSection | None:
    """A meeting's decisions as the report prints them, standing as of ``today``."""
    if meeting_id is None:
        return None
    rows = list_decisions_in(s, meeting_id=meeting_id, today=today)
    if not rows:
        return None
    held = rows[0].meeting_date
    title = f"{which}（{held.year}年{held.month}月{held.day}日）" if held else which
    lines = []
    for r in sorted(rows, key=lambda r: r.id):
        if r.closed and r.closed_on is not None:
            standing, note = f"已办结（{r.closed_on.year}年{r.closed_on.month}月{r.closed_on.day}日）", r.closing_note
        elif r.overdue:
            standing, note = f"逾期 {(today - r.due_date).days} 天未办结", r.latest_progress
        else:
            standing, note = "正在办理", r.latest_progress
        due = f"{r.due_date.year}年{r.due_date.month}月{r.due_date.day}日"
        lines.append(DecisionLine(r.text, r.departments_text, due, standing, note))
    return DecisionsSection(title, lines)


def _gantt_data(db: Database, period: Period, today: date) -> object:
    """The Gantt service's rows of the key projects with a planned span, for the report's Gantt appendix."""
    data = load_gantt(db, Selection(), today=today, period_key=period.key)
    data.rows = [r for r in data.rows if r.kind == "key_project" and r.planned_start and r.planned_end]
    data.invalidate_range()
    return data


def _said(text: str | None) -> str:
    """A department's free text, or "" when it says nothing (无, 暂无, 没有 …)."""
    return "" if is_empty_answer(text) else (text or "").strip()


def _group(
    task: Task | None,
    document: str,
    projects: list[Project],
    entries: dict[int, ProgressEntry],
    lag_ids: set[int],
) -> TaskGroupProgress:
    reported = [entries[p.id] for p in projects if p.id in entries]
    progress = [e.progress_pct for e in reported if e.progress_pct is not None]
    highlights = []
    for p in projects:
        e = entries.get(p.id)
        if e is None or not (e.progress_text or "").strip():
            continue
        text = " ".join(e.progress_text.split())
        if len(text) > HIGHLIGHT_CHARS:
            text = text[: HIGHLIGHT_CHARS - 1] + "…"
        highlights.append(f"{p.name}：{text}")
    return TaskGroupProgress(
        document=document,
        code=task.code if task else "",
        title=task.title if task else UNCLASSIFIED_PROJECTS,
        projects=len(projects),
        reported=len(reported),
        average_progress=sum(progress) / len(progress) if progress else None,
        completed_investment=sum(e.investment_cumulative or 0.0 for e in reported),
        lagging=sum(1 for p in projects if p.id in lag_ids),
        highlights=highlights,
    )


def _issues(
    s: Session,
    meeting: Meeting | None,
    entries: dict[int, ProgressEntry],
    dept_names: dict[int, str],
    project_names: dict[int, str],
    returns: dict[int, Return],
) -> list[tuple[IssueLine, ProgressEntry | None]]:
    """The meeting's edited list when it has one; else what the period's returns ask for, as gathered."""
    by_id = {e.id: e for e in entries.values()}
    if meeting is not None:
        stored = list(
            s.scalars(
                select(CoordinationIssue)
                .where(CoordinationIssue.meeting_id == meeting.id)
                .order_by(CoordinationIssue.sort_order, CoordinationIssue.id)
            )
        )
        if stored:
            out = []
            for i in stored:
                if not i.included or is_empty_answer(i.text):
                    continue
                entry = by_id.get(i.progress_entry_id) if i.progress_entry_id else None
                if entry is None and i.progress_entry_id:
                    entry = s.get(ProgressEntry, i.progress_entry_id)
                    if entry is not None and entry.return_id and entry.return_id not in returns:
                        ret = s.get(Return, entry.return_id)
                        if ret is not None:
                            returns[ret.id] = ret
                line = IssueLine(
                    i.text,
                    dept_names.get(i.department_id, "") if i.department_id else "",
                    project_names.get(i.project_id, "") if i.project_id else "",
                )
                out.append((line, entry))
            return out
    out = []
    for pid in sorted(entries, key=lambda p: p):
        e = entries[pid]
        text = _said(e.coordination_needed)
        if not text:
            continue
        ret = returns.get(e.return_id) if e.return_id else None
        out.append(
            (IssueLine(text, dept_names.get(ret.department_id, "") if ret else "", project_names.get(pid, "")), e)
        )
    return out


def report_task_parts(session: Session, period: Period) -> list[TaskPartLine]:
    """Every supervised part of both documents' tasks with its progress for the period, in document order."""
    labels = {d.key: document_label(d) for d in session.scalars(select(Document))}
    out = []
    for part in list_parts(session, period):
        p = part.progress
        out.append(
            TaskPartLine(
                document=labels.get(part.document_key, part.document_title),
                code=part.task_code,
                title=part.task_title,
                department=part.department_name,
                state=part.state,
                progress_text=p.progress_text if p else "",
                problems=p.problems if p else "",
                coordination_needed=p.coordination_needed if p else "",
            )
        )
    return out
