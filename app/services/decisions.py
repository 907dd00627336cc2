"""Meeting decisions (议定事项): add, edit, close (销号), reopen, delete, list with lights, counts.

A decision has one or more equally responsible departments and a due date; it is 办理中 until the office
closes it with a note and evidence. A 需协调解决的问题 can become a decision in one step, keeping its source.
Every edit writes audit rows. Functions take the ``Database`` and own their session scope (``*_in`` variants
take an open session for the report, dashboard and circular); they return plain data, never ORM objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.decisions import (
    DEFAULT_WARN_DAYS,
    STATUS_CLOSED,
    STATUS_OPEN,
    Light,
    decision_light,
    due_text,
)
from app.domain.periods import Period
from app.services.scope import resolve_department
from app.storage.audit import add_audit, current_user
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.models import (
    AppSetting,
    CoordinationIssue,
    Decision,
    DecisionDepartment,
    DecisionProgress,
    Department,
    Meeting,
    ProgressEntry,
    Project,
    ReportingPeriod,
    Return,
)

SETTING_WARN_DAYS = "decisions.warn_days"


@dataclass(frozen=True)
class DecisionRow:
    """A decision as the views, the CLI, the report and the circular see it."""

    id: int
    meeting_id: int | None
    meeting_title: str
    meeting_date: date | None
    text: str
    department_ids: tuple[int, ...]
    department_names: tuple[str, ...]
    due_date: date
    status: str
    closed_on: date | None
    closing_note: str
    evidence: str
    source_text: str
    coordination_issue_id: int | None
    light: Light
    due_text: str
    latest_progress: str  # the latest progress a department reported in a return, "" when none
    version: int

    @property
    def closed(self) -> bool:
        return self.status == STATUS_CLOSED

    @property
    def overdue(self) -> bool:
        return self.light is Light.RED

    @property
    def departments_text(self) -> str:
        return "、".join(self.department_names)


@dataclass(frozen=True)
class DecisionCounts:
    """The dashboard's decision figures: open, due soon (yellow), overdue (red), closed in the period."""

    open: int
    due_soon: int
    overdue: int
    closed_in_period: int
    total: int


# ---------------------------------------------------------------------------------------------- settings
def warn_days_in(s: Session) -> int:
    """Days before the due date a decision turns yellow (app_settings ``decisions.warn_days``, default 7)."""
    c = AppSetting.__table__.c  # Table columns (Core): the dashboard asks, and must not configure the mappers
    value = s.scalar(select(c.value).where(c.key == SETTING_WARN_DAYS))
    try:
        return max(0, int(str(value))) if value not in (None, "") else DEFAULT_WARN_DAYS
    except ValueError:
        return DEFAULT_WARN_DAYS


def warn_days(db: Database) -> int:
    """The yellow-light warning days."""
    with db.session() as s:
        return warn_days_in(s)


def set_warn_days(db: Database, days: int) -> None:
    """Store the yellow-light warning days (audited)."""
    if days < 0 or days > 365:
        raise KnownError("临近到期提醒天数应在 0～365 天之间。")
    with db.session() as s:
        row = s.get(AppSetting, SETTING_WARN_DAYS)
        old = row.value if row is not None else None
        if row is None:
            s.add(AppSetting(key=SETTING_WARN_DAYS, value=str(days)))
        else:
            row.value = str(days)
        if old != str(days):
            _audit(s, "app_setting", 0, SETTING_WARN_DAYS, old, days)


# ---------------------------------------------------------------------------------------------- helpers
def _audit(s: Session, entity: str, entity_id: int, fld: str, old: object, new: object, action: str = "update") -> None:
    add_audit(s, user=current_user(), entity=entity, entity_id=entity_id, field=fld, old=old, new=new, action=action)


def _get(s: Session, decision_id: int) -> Decision:
    decision = s.get(Decision, decision_id)
    if decision is None:
        raise KnownError(f"议定事项不存在（编号 {decision_id}），可能已被删除。可运行 taizhang decisions list 查看。")
    return decision


def resolve_departments(s: Session, names: Iterable[str]) -> list[int]:
    """Department ids for names or aliases, in the order given; KnownError naming close candidates if unknown."""
    ids: list[int] = []
    for name in names:
        if not name.strip():
            continue
        dept = resolve_department(s, name)
        if dept.id not in ids:
            ids.append(dept.id)
    return ids


def _check(text: str, department_ids: Sequence[int], due: date | None) -> str:
    text = text.strip()
    if not text:
        raise KnownError("请填写议定事项内容。")
    if not department_ids:
        raise KnownError("议定事项必须指定至少一个责任单位。")
    if due is None:
        raise KnownError("议定事项必须指定完成时限（办结日期）。")
    return text


def _check_departments_exist(s: Session, department_ids: Sequence[int]) -> None:
    known = set(s.scalars(select(Department.id).where(Department.id.in_(department_ids))))
    missing = [d for d in department_ids if d not in known]
    if missing:
        raise KnownError(f"责任单位不存在（编号 {'、'.join(map(str, missing))}），可能已被删除，请刷新后重试。")


def _names(s: Session, ids: Iterable[int]) -> str:
    names = dict(s.execute(select(Department.id, Department.name).where(Department.id.in_(list(ids)))).all())
    return "、".join(names.get(i, str(i)) for i in ids)


# ---------------------------------------------------------------------------------------------- writes
def add_decision(
    db: Database,
    text: str,
    department_ids: Sequence[int],
    due: date | None,
    meeting_id: int | None = None,
    source_text: str = "",
    coordination_issue_id: int | None = None,
) -> int:
    """Record a decision (办理中) and return its id."""
    text = _check(text, department_ids, due)
    assert due is not None
    with db.session() as s:
        return _add_in(s, text, department_ids, due, meeting_id, source_text, coordination_issue_id)


def _add_in(
    s: Session,
    text: str,
    department_ids: Sequence[int],
    due: date,
    meeting_id: int | None,
    source_text: str,
    coordination_issue_id: int | None,
) -> int:
    if meeting_id is not None and s.get(Meeting, meeting_id) is None:
        raise KnownError(f"会议不存在（编号 {meeting_id}）。可在“会议报告”页面查看已有会议。")
    _check_departments_exist(s, department_ids)
    decision = Decision(
        meeting_id=meeting_id,
        text=text,
        due_date=due,
        status=STATUS_OPEN,
        source_text=source_text.strip(),
        coordination_issue_id=coordination_issue_id,
        created_at=datetime.now(),
        closing_note="",
        evidence="",
    )
    decision.departments = [
        DecisionDepartment(department_id=d, sort_order=n) for n, d in enumerate(dict.fromkeys(department_ids))
    ]
    s.add(decision)
    s.flush()
    _audit(s, "decision", decision.id, "text", None, text, "create")
    _audit(s, "decision", decision.id, "departments", None, _names(s, department_ids))
    _audit(s, "decision", decision.id, "due_date", None, due)
    return decision.id


def add_decision_by_names(
    db: Database, text: str, department_names: Sequence[str], due: date | None, meeting_id: int | None = None
) -> int:
    """The CLI's add: departments by name or alias (unknown names refused with candidates)."""
    if not text.strip():
        raise KnownError("请填写议定事项内容（--text）。")
    if not [n for n in department_names if n.strip()]:
        raise KnownError("议定事项必须指定至少一个责任单位（--department 单位名称）。")
    if due is None:
        raise KnownError("议定事项必须指定完成时限（--due 2025-11-30）。")
    with db.session() as s:
        ids = resolve_departments(s, department_names)
        return _add_in(s, _check(text, ids, due), ids, due, meeting_id, "", None)


def decision_from_issue(
    db: Database,
    issue_id: int,
    due: date | None,
    text: str | None = None,
    department_ids: Sequence[int] | None = None,
) -> int:
    """Make a 需协调解决的问题 a decision of its meeting in one step, keeping where it came from."""
    with db.session() as s:
        issue = s.get(CoordinationIssue, issue_id)
        if issue is None:
            raise KnownError("该问题已被删除，请刷新后重试。")
        depts = list(department_ids) if department_ids else ([issue.department_id] if issue.department_id else [])
        body = _check(text if text is not None else issue.text, depts, due)
        assert due is not None
        return _add_in(s, body, depts, due, issue.meeting_id, issue_source_text(s, issue), issue.id)


def issue_source_text(s: Session, issue: CoordinationIssue) -> str:
    """需协调解决的问题（省通信管理局，项目名；文件 报表.xlsx）: where an issue came from, for a decision's source."""
    parts: list[str] = []
    if issue.department_id is not None:
        dept = s.get(Department, issue.department_id)
        if dept is not None:
            parts.append(dept.name)
    if issue.project_id is not None:
        project = s.get(Project, issue.project_id)
        if project is not None:
            parts.append(project.name)
    if issue.progress_entry_id is not None:
        file_name = s.scalar(
            select(Return.file_name)
            .join(ProgressEntry, ProgressEntry.return_id == Return.id)
            .where(ProgressEntry.id == issue.progress_entry_id)
        )
        if file_name:
            parts.append(f"报表 {file_name}")
    return "需协调解决的问题" + (f"（{'，'.join(parts)}）" if parts else "")


def update_decision(
    db: Database,
    decision_id: int,
    *,
    text: str | None = None,
    department_ids: Sequence[int] | None = None,
    due: date | None = None,
    meeting_id: int | None | bool = False,
    source_text: str | None = None,
) -> DecisionRow:
    """Change a decision's fields (only those given; ``meeting_id=None`` detaches it) and return it as saved."""
    with db.session() as s:
        d = _get(s, decision_id)
        if text is not None and text.strip() != d.text:
            if not text.strip():
                raise KnownError("议定事项内容不能为空。")
            _audit(s, "decision", d.id, "text", d.text, text.strip())
            d.text = text.strip()
        if department_ids is not None:
            new = list(dict.fromkeys(department_ids))
            old = [x.department_id for x in d.departments]
            if not new:
                raise KnownError("议定事项必须指定至少一个责任单位。")
            if new != old:
                _check_departments_exist(s, new)
                _audit(s, "decision", d.id, "departments", _names(s, old), _names(s, new))
                keep = {x.department_id: x for x in d.departments}
                d.departments = [keep.get(i) or DecisionDepartment(department_id=i) for i in new]
                for n, link in enumerate(d.departments):
                    link.sort_order = n
        if due is not None and due != d.due_date:
            _audit(s, "decision", d.id, "due_date", d.due_date, due)
            d.due_date = due
        if meeting_id is not False and meeting_id != d.meeting_id:
            if meeting_id is not None and s.get(Meeting, meeting_id) is None:
                raise KnownError(f"会议不存在（编号 {meeting_id}）。")
            _audit(s, "decision", d.id, "meeting_id", d.meeting_id, meeting_id)
            d.meeting_id = meeting_id
        if source_text is not None and source_text.strip() != d.source_text:
            _audit(s, "decision", d.id, "source_text", d.source_text, source_text.strip())
            d.source_text = source_text.strip()
        s.flush()
        return _rows(s, [d.id], date.today(), warn_days_in(s))[0]


def close_decision(
    db: Database, decision_id: int, note: str, evidence: str = "", closed_on: date | None = None
) -> DecisionRow:
    """办结销号: close an open decision with a note (and evidence); closing a closed one is refused, unchanged."""
    if not note.strip():
        raise KnownError("办结销号须填写办结情况说明。")
    with db.session() as s:
        d = _get(s, decision_id)
        if d.status == STATUS_CLOSED:
            when = f"于 {d.closed_on:%Y年%m月%d日} " if d.closed_on else ""
            raise KnownError(f"议定事项 {d.id} 已{when}办结销号，未作改动。")
        day = closed_on or date.today()
        _audit(s, "decision", d.id, "status", d.status, STATUS_CLOSED)
        _audit(s, "decision", d.id, "closing_note", d.closing_note, note.strip())
        if evidence.strip() != d.evidence:
            _audit(s, "decision", d.id, "evidence", d.evidence, evidence.strip())
        d.status = STATUS_CLOSED
        d.closed_on = day
        d.closing_note = note.strip()
        d.evidence = evidence.strip()
        s.flush()
        return _rows(s, [d.id], date.today(), warn_days_in(s))[0]


def reopen_decision(db: Database, decision_id: int) -> DecisionRow:
    """Send a closed decision back to 办理中 (the undo of 销号, or the office returning it)."""
    with db.session() as s:
        d = _get(s, decision_id)
        if d.status != STATUS_CLOSED:
            raise KnownError(f"议定事项 {d.id} 尚未办结，无需退回。")
        _audit(s, "decision", d.id, "status", d.status, STATUS_OPEN)
        d.status = STATUS_OPEN
        d.closed_on = None
        s.flush()
        return _rows(s, [d.id], date.today(), warn_days_in(s))[0]


def delete_decision(db: Database, decision_id: int) -> None:
    """Remove a decision (and the progress reported on it)."""
    with db.session() as s:
        d = _get(s, decision_id)
        _audit(s, "decision", d.id, "text", d.text, None, "delete")
        s.delete(d)


# ---------------------------------------------------------------------------------------------- reads
def _rows(s: Session, ids: Sequence[int] | None, today: date, warn: int) -> list[DecisionRow]:
    # Plain columns, not ORM entities: the 督办 board lists hundreds of decisions and the identity map costs.
    # Table columns (Core): the dashboard counts decisions, and the first view must not configure the mappers.
    dc, mt, dp, dd = Decision.__table__.c, Meeting.__table__.c, Department.__table__.c, DecisionDepartment.__table__.c
    stmt = (
        select(
            dc.id,
            dc.meeting_id,
            dc.text,
            dc.due_date,
            dc.status,
            dc.closed_on,
            dc.closing_note,
            dc.evidence,
            dc.source_text,
            dc.coordination_issue_id,
            dc.version,
            mt.title,
            mt.held_on,
        )
        .select_from(Decision.__table__.outerjoin(Meeting.__table__, dc.meeting_id == mt.id))
        .order_by(dc.due_date, dc.id)
    )
    if ids is not None:
        stmt = stmt.where(dc.id.in_(ids))
    decisions = s.execute(stmt).all()
    names = dict(s.execute(select(dp.id, dp.name)).all())
    links: dict[int, list[int]] = {}
    link_stmt = select(dd.decision_id, dd.department_id).order_by(dd.decision_id, dd.sort_order, dd.id)
    if ids is not None:
        link_stmt = link_stmt.where(dd.decision_id.in_(ids))
    for did, dept in s.execute(link_stmt):
        links.setdefault(did, []).append(dept)
    progress = _latest_progress(s, ids)
    out = []
    for d in decisions:
        mtitle, mdate = d.title, d.held_on
        closed = d.status == STATUS_CLOSED
        dept_ids = tuple(links.get(d.id, ()))
        out.append(
            DecisionRow(
                id=d.id,
                meeting_id=d.meeting_id,
                meeting_title=mtitle or "",
                meeting_date=mdate,
                text=d.text,
                department_ids=dept_ids,
                department_names=tuple(names.get(i, "") for i in dept_ids),
                due_date=d.due_date,
                status=d.status,
                closed_on=d.closed_on,
                closing_note=d.closing_note,
                evidence=d.evidence,
                source_text=d.source_text,
                coordination_issue_id=d.coordination_issue_id,
                light=decision_light(d.due_date, closed, today, warn),
                due_text=due_text(d.due_date, closed, today),
                latest_progress=progress.get(d.id, ""),
                version=d.version,
            )
        )
    return out


def _latest_progress(s: Session, ids: Sequence[int] | None) -> dict[int, str]:
    """Decision id → "单位：进展（报告期）" lines of the latest period each department reported on it."""
    # Table columns (Core): see _rows.
    gp, dp, rp, rt = (m.__table__.c for m in (DecisionProgress, Department, ReportingPeriod, Return))
    stmt = (
        select(gp.decision_id, dp.name, gp.progress_text, gp.reported_done, rp.label, rp.end)
        .select_from(
            DecisionProgress.__table__.join(Department.__table__, gp.department_id == dp.id)
            .join(ReportingPeriod.__table__, gp.period_id == rp.id)
            .outerjoin(Return.__table__, gp.return_id == rt.id)
        )
        .where(rt.superseded_by_id.is_(None))
        .order_by(gp.decision_id, rp.end, gp.id)
    )
    if ids is not None:
        stmt = stmt.where(gp.decision_id.in_(ids))
    latest: dict[tuple[int, str], str] = {}
    for did, dept, text, done, label, _end in s.execute(stmt):
        said = (text or "").strip() + ("（报称已办结）" if done else "")
        latest[(did, dept)] = f"{dept}：{said}（{label}）"
    out: dict[int, list[str]] = {}
    for (did, _dept), line in latest.items():
        out.setdefault(did, []).append(line)
    return {k: "；".join(v) for k, v in out.items()}


def list_decisions_in(
    s: Session,
    *,
    open_only: bool = False,
    overdue_only: bool = False,
    department_id: int | None = None,
    meeting_id: int | None = None,
    today: date | None = None,
) -> list[DecisionRow]:
    """Decisions by due date, filtered, within an open session."""
    rows = _rows(s, None, today or date.today(), warn_days_in(s))
    if open_only:
        rows = [r for r in rows if not r.closed]
    if overdue_only:
        rows = [r for r in rows if r.overdue]
    if department_id is not None:
        rows = [r for r in rows if department_id in r.department_ids]
    if meeting_id is not None:
        rows = [r for r in rows if r.meeting_id == meeting_id]
    return rows


def list_decisions(
    db: Database,
    *,
    open_only: bool = False,
    overdue_only: bool = False,
    department: str | None = None,
    meeting_id: int | None = None,
    today: date | None = None,
) -> list[DecisionRow]:
    """Decisions by due date; ``department`` is a name or alias (unknown names refused with candidates)."""
    with db.session() as s:
        dept_id = resolve_department(s, department).id if department else None
        return list_decisions_in(
            s, open_only=open_only, overdue_only=overdue_only, department_id=dept_id, meeting_id=meeting_id, today=today
        )


def get_decision(db: Database, decision_id: int, today: date | None = None) -> DecisionRow:
    """One decision; KnownError when it does not exist."""
    with db.session() as s:
        _get(s, decision_id)
        return _rows(s, [decision_id], today or date.today(), warn_days_in(s))[0]


def decision_counts_in(s: Session, period: Period, today: date | None = None) -> DecisionCounts:
    """Open, due soon, overdue (as of today) and closed within ``period``, for the dashboard."""
    return count_rows(_rows(s, None, today or date.today(), warn_days_in(s)), period)


def count_rows(rows: Sequence[DecisionRow], period: Period) -> DecisionCounts:
    """The dashboard's counts over decisions already listed (lights as of the day they were listed)."""
    open_rows = [r for r in rows if not r.closed]
    return DecisionCounts(
        open=len(open_rows),
        due_soon=sum(r.light is Light.YELLOW for r in open_rows),
        overdue=sum(r.light is Light.RED for r in open_rows),
        closed_in_period=sum(1 for r in rows if r.closed and r.closed_on is not None and period.contains(r.closed_on)),
        total=len(rows),
    )


def decision_counts(db: Database, period_key: str, today: date | None = None) -> DecisionCounts:
    """The dashboard's decision counts for a period."""
    try:
        period = Period.parse(period_key)
    except ValueError as exc:
        raise KnownError(str(exc)) from exc
    with db.session() as s:
        return decision_counts_in(s, period, today)


def previous_meeting_id(s: Session, meeting_id: int) -> int | None:
    """The meeting held before this one (by date, then id), or None for the first."""
    m = s.get(Meeting, meeting_id)
    if m is None:
        return None
    return s.scalar(
        select(Meeting.id)
        .where((Meeting.held_on < m.held_on) | ((Meeting.held_on == m.held_on) & (Meeting.id < m.id)))
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
        .limit(1)
    )


def meeting_choices(db: Database) -> list[tuple[int, str]]:
    """(id, "2025-10-20 会议名称") of every meeting, newest first, for the decision dialog."""
    with db.session() as s:
        return [
            (i, f"{held:%Y-%m-%d} {title}")
            for i, held, title in s.execute(
                select(Meeting.id, Meeting.held_on, Meeting.title).order_by(Meeting.held_on.desc(), Meeting.id.desc())
            )
        ]


def count_decisions(s: Session) -> int:
    """How many decisions the database holds."""
    return int(s.scalar(select(func.count(Decision.id))) or 0)
