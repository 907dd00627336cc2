"""Joint-conference meetings: create, edit, delete; the 需协调解决的问题 list gathered from returns; settings.

Every user edit writes audit rows. Functions take the ``Database`` and own their session scope; they return
plain data, never ORM objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.domain.periods import Period
from app.domain.schedule import DEFAULT_LAG_MARGIN_PCT
from app.domain.text import is_empty_answer
from app.services.period_entries import current_entries, period_scope
from app.services.scope import LAG_MARGIN_SETTING, lag_margin
from app.storage.audit import add_audit, current_user
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.models import (
    AppSetting,
    CoordinationIssue,
    Department,
    Meeting,
    MeetingAttendee,
    Project,
)
from app.storage.periods import ensure_reporting_period

SETTING_INTERNAL_LINE = "report.internal_line"
# The one lag margin the ledger, dashboard and Gantt chart read too (scope.LAG_MARGIN_SETTING): a clerk who
# sets it here must see the same projects behind schedule everywhere, not only in the report.
SETTING_LAG_MARGIN = LAG_MARGIN_SETTING
DEFAULT_INTERNAL_LINE = "内部资料 注意保存"


@dataclass
class MeetingData:
    """A meeting as the views and the report see it."""

    id: int
    held_on: date
    title: str
    period_key: str
    period_label: str
    attendee_ids: list[int] = field(default_factory=list)
    notes: str = ""


@dataclass
class IssueRow:
    """One 需协调解决的问题 of a meeting, with where it came from."""

    id: int
    text: str
    included: bool
    sort_order: int
    project_id: int | None
    project_name: str
    department_id: int | None
    department_name: str
    progress_entry_id: int | None


@dataclass(frozen=True)
class ReportSettings:
    """The report's database-wide settings."""

    internal_line: str = DEFAULT_INTERNAL_LINE
    lag_margin_pct: float = DEFAULT_LAG_MARGIN_PCT


def _audit(
    session: Session, entity: str, entity_id: int, fld: str, old: object, new: object, action: str = "update"
) -> None:
    add_audit(session, user=current_user(), entity=entity, entity_id=entity_id, field=fld, old=old, new=new,
              action=action, at=datetime.now())  # fmt: skip


def _parse_period(period_key: str) -> Period:
    try:
        return Period.parse(period_key)
    except ValueError as exc:
        raise KnownError(str(exc)) from exc


def _to_data(meeting: Meeting) -> MeetingData:
    period = meeting.period
    return MeetingData(
        id=meeting.id,
        held_on=meeting.held_on,
        title=meeting.title,
        period_key=period.key if period else "",
        period_label=period.label if period else "",
        attendee_ids=sorted(a.department_id for a in meeting.attendees),
        notes=meeting.notes,
    )


def _get(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise KnownError(f"会议不存在（编号 {meeting_id}），可能已被删除。")
    return meeting


def list_meetings(db: Database) -> list[MeetingData]:
    """All meetings, newest first."""
    with db.session() as s:
        return [_to_data(m) for m in s.scalars(select(Meeting).order_by(Meeting.held_on.desc(), Meeting.id.desc()))]


def get_meeting(db: Database, meeting_id: int) -> MeetingData:
    """One meeting; KnownError when it does not exist."""
    with db.session() as s:
        return _to_data(_get(s, meeting_id))


def list_departments(db: Database) -> list[tuple[int, str]]:
    """(id, name) of every department in the office's order, for the attendance checklist."""
    with db.session() as s:
        return [(i, n) for i, n in s.execute(select(Department.id, Department.name).order_by(Department.sort_order))]


def create_meeting(db: Database, held_on: date, title: str, period_key: str, attendee_ids: Iterable[int] = ()) -> int:
    """Add a meeting and return its id."""
    title = title.strip()
    if not title:
        raise KnownError("请填写会议名称。")
    period = _parse_period(period_key)
    with db.session() as s:
        meeting = Meeting(held_on=held_on, title=title, period_id=ensure_reporting_period(s, period).id)
        meeting.attendees = [MeetingAttendee(department_id=d) for d in sorted(set(attendee_ids))]
        s.add(meeting)
        s.flush()
        _audit(s, "meeting", meeting.id, "title", None, title, "create")
        return meeting.id


def update_meeting(
    db: Database,
    meeting_id: int,
    *,
    held_on: date | None = None,
    title: str | None = None,
    period_key: str | None = None,
    attendee_ids: Iterable[int] | None = None,
) -> MeetingData:
    """Change a meeting's fields (only those given) and return it as saved."""
    with db.session() as s:
        meeting = _get(s, meeting_id)
        if held_on is not None and held_on != meeting.held_on:
            _audit(s, "meeting", meeting_id, "held_on", meeting.held_on, held_on)
            meeting.held_on = held_on
        if title is not None and title.strip() != meeting.title:
            if not title.strip():
                raise KnownError("请填写会议名称。")
            _audit(s, "meeting", meeting_id, "title", meeting.title, title.strip())
            meeting.title = title.strip()
        if period_key is not None:
            period = ensure_reporting_period(s, _parse_period(period_key))
            if period.id != meeting.period_id:
                _audit(s, "meeting", meeting_id, "period", meeting.period.key if meeting.period else "", period.key)
                meeting.period = period
        if attendee_ids is not None:
            new = sorted(set(attendee_ids))
            old = sorted(a.department_id for a in meeting.attendees)
            if new != old:
                _audit(s, "meeting", meeting_id, "attendees", ",".join(map(str, old)), ",".join(map(str, new)))
                keep = {a.department_id: a for a in meeting.attendees}
                meeting.attendees = [keep.get(d) or MeetingAttendee(department_id=d) for d in new]
        s.flush()
        return _to_data(meeting)


def delete_meeting(db: Database, meeting_id: int) -> None:
    """Remove a meeting with its attendance and issue list."""
    with db.session() as s:
        meeting = _get(s, meeting_id)
        _audit(s, "meeting", meeting_id, "title", meeting.title, None, "delete")
        s.delete(meeting)


def _issue_rows(s: Session, meeting_id: int) -> list[IssueRow]:
    stmt = (
        select(CoordinationIssue, Project.name, Department.name)
        .outerjoin(Project, CoordinationIssue.project_id == Project.id)
        .outerjoin(Department, CoordinationIssue.department_id == Department.id)
        .where(CoordinationIssue.meeting_id == meeting_id)
        .order_by(CoordinationIssue.sort_order, CoordinationIssue.id)
    )
    return [
        IssueRow(
            id=i.id,
            text=i.text,
            included=i.included,
            sort_order=i.sort_order,
            project_id=i.project_id,
            project_name=pname or "",
            department_id=i.department_id,
            department_name=dname or "",
            progress_entry_id=i.progress_entry_id,
        )
        for i, pname, dname in s.execute(stmt)
    ]


def list_issues(db: Database, meeting_id: int) -> list[IssueRow]:
    """The meeting's issue list in printing order."""
    with db.session() as s:
        return _issue_rows(s, meeting_id)


def gather_issues(db: Database, meeting_id: int) -> list[IssueRow]:
    """Add the period's 需协调解决的问题 not yet on the list; issues already there keep their edits."""
    with db.session() as s:
        meeting = _get(s, meeting_id)
        if meeting.period is None:
            raise KnownError("会议未设置报告期，无法汇总需协调解决的问题。")
        scope = period_scope(s, Period.parse(meeting.period.key))
        entries = current_entries(s, scope)
        have = set(
            s.scalars(
                select(CoordinationIssue.progress_entry_id).where(
                    CoordinationIssue.meeting_id == meeting_id, CoordinationIssue.progress_entry_id.is_not(None)
                )
            )
        )
        order = int(
            s.scalar(select(func.max(CoordinationIssue.sort_order)).where(CoordinationIssue.meeting_id == meeting_id))
            or 0
        )
        projects = {
            pid: (sort, dept)
            for pid, sort, dept in s.execute(select(Project.id, Project.sort_order, Project.lead_department_id))
        }
        for entry in sorted(entries.values(), key=lambda e: (projects[e.project_id][0], e.project_id)):
            text = (entry.coordination_needed or "").strip()
            if is_empty_answer(text) or entry.id in have:
                continue
            order += 1
            dept = entry.return_.department_id if entry.return_ is not None else projects[entry.project_id][1]
            issue = CoordinationIssue(
                meeting_id=meeting_id,
                project_id=entry.project_id,
                department_id=dept,
                text=text,
                included=True,
                progress_entry_id=entry.id,
                sort_order=order,
            )
            s.add(issue)
            s.flush()
            _audit(s, "coordination_issue", issue.id, "text", None, text, "create")
        s.flush()
        return _issue_rows(s, meeting_id)


def add_issue(db: Database, meeting_id: int, text: str, department_id: int | None = None) -> int:
    """Add an issue typed by the clerk at the end of the list; return its id."""
    if not text.strip():
        raise KnownError("问题内容不能为空。")
    with db.session() as s:
        _get(s, meeting_id)
        order = s.scalar(
            select(func.max(CoordinationIssue.sort_order)).where(CoordinationIssue.meeting_id == meeting_id)
        )
        issue = CoordinationIssue(
            meeting_id=meeting_id,
            text=text.strip(),
            included=True,
            department_id=department_id,
            sort_order=int(order or 0) + 1,
        )
        s.add(issue)
        s.flush()
        _audit(s, "coordination_issue", issue.id, "text", None, issue.text, "create")
        return issue.id


def update_issue(db: Database, issue_id: int, *, text: str | None = None, included: bool | None = None) -> None:
    """Change an issue's text or whether it is printed."""
    with db.session() as s:
        issue = s.get(CoordinationIssue, issue_id)
        if issue is None:
            raise KnownError("该问题已被删除。")
        if text is not None and text != issue.text:
            if not text.strip():
                raise KnownError("问题内容不能为空；如不需要打印，请取消勾选“列入材料”。")
            _audit(s, "coordination_issue", issue_id, "text", issue.text, text)
            issue.text = text
        if included is not None and included != issue.included:
            _audit(s, "coordination_issue", issue_id, "included", issue.included, included)
            issue.included = included


def delete_issue(db: Database, issue_id: int) -> None:
    """Remove an issue from the list."""
    with db.session() as s:
        issue = s.get(CoordinationIssue, issue_id)
        if issue is not None:
            _audit(s, "coordination_issue", issue_id, "text", issue.text, None, "delete")
            s.delete(issue)


def set_issue_order(db: Database, meeting_id: int, issue_ids: Sequence[int]) -> None:
    """Store the printing order: ``issue_ids`` first to last."""
    with db.session() as s:
        issues = {
            i.id: i for i in s.scalars(select(CoordinationIssue).where(CoordinationIssue.meeting_id == meeting_id))
        }
        if set(issue_ids) != set(issues):
            raise KnownError("问题列表已被他人修改，请刷新后重试。")
        for n, iid in enumerate(issue_ids, start=1):
            if issues[iid].sort_order != n:
                issues[iid].sort_order = n
        _audit(s, "meeting", meeting_id, "issue_order", "", ",".join(map(str, issue_ids)))


def get_setting(db: Database, key: str, default: str = "") -> str:
    """A database-wide setting, or ``default`` when never set."""
    with db.session() as s:
        row = s.get(AppSetting, key)
        return row.value if row is not None else default


def set_setting(db: Database, key: str, value: str) -> None:
    """Store a database-wide setting (audited)."""
    with db.session() as s:
        row = s.get(AppSetting, key)
        old = row.value if row is not None else None
        if row is None:
            s.add(AppSetting(key=key, value=value))
        else:
            row.value = value
        if old != value:
            _audit(s, "app_setting", 0, key, old, value)


def report_settings(db: Database) -> ReportSettings:
    """The 内部资料 line and the lag margin, with defaults when never set."""
    with db.session() as s:
        return read_report_settings(s)


def read_report_settings(s: Session) -> ReportSettings:
    """Report settings from an open session."""
    line = s.scalar(select(AppSetting.value).where(AppSetting.key == SETTING_INTERNAL_LINE))
    return ReportSettings(DEFAULT_INTERNAL_LINE if line is None else line, lag_margin(s))


def save_report_settings(db: Database, internal_line: str, lag_margin_pct: float) -> None:
    """Store the 内部资料 line and the lag margin."""
    if lag_margin_pct < 0 or lag_margin_pct > 100:
        raise KnownError("滞后判定阈值应在 0～100 个百分点之间。")
    set_setting(db, SETTING_INTERNAL_LINE, internal_line.strip())
    set_setting(db, SETTING_LAG_MARGIN, f"{lag_margin_pct:g}")


def meeting_ordinal(db: Database, meeting_id: int) -> int:
    """Which meeting this is (第X次): its place among meetings by date."""
    with db.session() as s:
        return meeting_ordinal_in(s, meeting_id)


def meeting_ordinal_in(s: Session, meeting_id: int) -> int:
    """Which meeting this is (第X次), within an open session."""
    m = _get(s, meeting_id)
    earlier = s.scalar(
        select(func.count(Meeting.id)).where(
            (Meeting.held_on < m.held_on) | ((Meeting.held_on == m.held_on) & (Meeting.id < m.id))
        )
    )
    return int(earlier or 0) + 1


def clear_issues(db: Database, meeting_id: int) -> None:
    """Remove every issue of a meeting (used before gathering afresh)."""
    with db.session() as s:
        s.execute(delete(CoordinationIssue).where(CoordinationIssue.meeting_id == meeting_id))
