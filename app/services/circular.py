"""Build the period's circular (情况通报) from the database and write it as .docx or PDF.

Returns on time / late / missing: a department's first return for the period (or a month inside it) counts
from the day it was imported, against the period's stored due date, else ``DEFAULT_DUE_DAYS`` after the
period ends. Lagging: projects behind schedule by the ledger's rule, by lead department, plus whatever
the supervised task parts their departments reported 滞后 (app.services.supervision). Overdue decisions: open
past their due date.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.periods import Period
from app.reports.circular import (
    LATE,
    MISSING,
    ON_TIME,
    CircularContent,
    DepartmentStanding,
    OverdueDecision,
)
from app.reports.content import ORGANISATION
from app.services.decisions import decision_counts_in, list_decisions_in
from app.services.ledger import load_rows
from app.services.meetings import read_report_settings
from app.services.period_entries import period_scope, received_returns
from app.services.scope import find_period, owing_department_ids
from app.services.supervision import list_parts
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.models import Department, Return

DEFAULT_DUE_DAYS = 10
NOT_EXPECTED = "无需报送"


def _period(period_key: str) -> Period:
    try:
        return Period.parse(period_key)
    except ValueError as exc:
        raise KnownError(str(exc)) from exc


def build_circular(db: Database, period_key: str, today: date | None = None) -> CircularContent:
    """The circular for ``period_key`` as plain data."""
    period = _period(period_key)
    with db.session() as s:
        return build_circular_in(s, period, today or date.today())


def build_circular_in(s: Session, period: Period, today: date) -> CircularContent:
    """The circular within an open session."""
    stored = find_period(s, period.key)
    if stored is not None and stored.due_date is not None:
        due, due_rule = stored.due_date, f"{stored.due_date:%Y年%m月%d日}前"
    else:
        due = period.end + timedelta(days=DEFAULT_DUE_DAYS)
        due_rule = f"报告期结束后 {DEFAULT_DUE_DAYS} 日内，即{due:%Y年%m月%d日}前"
    expected = owing_department_ids(s)
    received = received_returns(s, period)
    scope = period_scope(s, period)
    first_in: dict[int, date] = {}
    if scope.period_ids:
        for dept_id, at in s.execute(
            select(Return.department_id, Return.imported_at).where(Return.period_id.in_(scope.period_ids))
        ):
            day = at.date()
            if dept_id not in first_in or day < first_in[dept_id]:
                first_in[dept_id] = day

    lagging: dict[int, list[str]] = {}
    supervised = 0
    for row in load_rows(s, period.key, today):
        if row.lead_department_id is None:
            continue
        supervised += 1
        if row.behind:
            lagging.setdefault(row.lead_department_id, []).append(f"{row.name}（{'；'.join(row.lag_reasons)}）")
    parts = list_parts(s, period)
    supervised += len(parts)
    for part in parts:
        if part.lagging:
            said = part.progress.problems if part.progress is not None else ""
            lagging.setdefault(part.department_id, []).append(
                f"{part.label}" + (f"（{said}）" if said else "（单位报称滞后）")
            )
    decisions = list_decisions_in(s, today=today)
    overdue: dict[int, list[OverdueDecision]] = {}
    open_count: dict[int, int] = {}
    for d in decisions:
        if d.closed:
            continue
        for dept_id in d.department_ids:
            open_count[dept_id] = open_count.get(dept_id, 0) + 1
            if d.overdue:
                meeting = f"{d.meeting_date:%Y年%m月%d日}会议" if d.meeting_date else ""
                overdue.setdefault(dept_id, []).append(
                    OverdueDecision(d.id, d.text, d.due_date, (today - d.due_date).days, meeting)
                )

    shown = expected | set(overdue) | set(lagging)
    departments: list[DepartmentStanding] = []
    for dept_id, name in s.execute(
        select(Department.id, Department.name)
        .where(Department.id.in_(shown))
        .order_by(Department.sort_order, Department.id)
    ):
        if dept_id not in expected:
            state, on = NOT_EXPECTED, None
        elif dept_id in received:
            on = first_in.get(dept_id)
            state = ON_TIME if on is not None and on <= due else LATE
        else:
            state, on = MISSING, None
        departments.append(
            DepartmentStanding(
                name=name,
                return_state=state,
                returned_on=on,
                lagging=lagging.get(dept_id, []),
                overdue=overdue.get(dept_id, []),
                open_decisions=open_count.get(dept_id, 0),
            )
        )
    counts = decision_counts_in(s, period, today)
    settings = read_report_settings(s)
    return CircularContent(
        organisation=ORGANISATION,
        period_key=period.key,
        period_label=period.label,
        issued_on=today,
        due_date=due,
        due_rule=due_rule,
        departments=departments,
        supervised_items=supervised,
        lagging_items=sum(len(v) for v in lagging.values()),
        decisions_total=counts.total,
        decisions_open=counts.open,
        decisions_closed=counts.total - counts.open,
        decisions_overdue=counts.overdue,
        decisions_closed_in_period=counts.closed_in_period,
        internal_line=settings.internal_line,
    )


def check_out_path(out: str | Path) -> Path:
    """The output path, refused in Chinese unless it ends in .docx or .pdf."""
    path = Path(out)
    if path.suffix.lower() not in (".docx", ".pdf"):
        raise KnownError(f"输出文件应以 .docx 或 .pdf 结尾：{path.name}")
    return path
