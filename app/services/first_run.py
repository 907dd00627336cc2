"""首次使用: what a new office sets before its first quarter, and what is still missing before a quarter can start.

The organisation's names are database settings under the keys the settings service uses (``organisation``,
``office_name``, ``office_contact``); ``set_organisation`` is the one place the guide writes them, so the
integrator can route it through ``app.services.settings`` when that lands. The guide's own progress (which
step, what was skipped) is one JSON setting, so a clerk may leave it and resume on any PC.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from app.domain.periods import Period, latest_closed_quarter
from app.reports.content import ORGANISATION
from app.services.meetings import set_setting
from app.services.period_entries import ensure_reporting_period
from app.services.scope import (
    DEFAULT_OFFICE_NAME,
    OFFICE_CONTACT_SETTING,
    OFFICE_NAME_SETTING,
    expected_department_ids,
    project_lead_departments,
    setting,
)
from app.storage.audit import add_audit, current_user
from app.storage.db import Database
from app.storage.errors import KnownError, StaleEditError
from app.storage.models import Department, Project, ReportingPeriod

ORGANISATION_SETTING = "organisation"  # the key app.services.settings (branch fidelity) reads
GUIDE_SETTING = "first_run.guide"
STEPS = ("organisation", "period", "ledger", "contacts")
STEP_LABELS = {
    "organisation": "单位名称",
    "period": "报告期",
    "ledger": "现有台账与牵头单位",
    "contacts": "各单位联系人",
}


@dataclass
class GuideState:
    """Where the clerk left the guide: the step, the steps skipped, whether it was finished."""

    step: int = 0
    skipped: list[str] = field(default_factory=list)
    finished: bool = False


@dataclass(frozen=True)
class Organisation:
    """The names the office signs with: the conference (report cover) and the office (templates, notices)."""

    organisation: str
    office_name: str
    office_contact: str
    is_default: bool


@dataclass(frozen=True)
class ContactRow:
    """A department as the contacts step edits it."""

    id: int
    name: str
    contact_person: str
    contact_phone: str
    expected: bool  # it owes returns (leads a project or answers for an indicator)
    version: int


@dataclass(frozen=True)
class Missing:
    """One thing still missing before a quarter can start, with the step of the guide that sets it."""

    step: str
    text: str
    short: str = ""  # a few words for the dashboard's line


@dataclass(frozen=True)
class Readiness:
    """What the dashboard says before a quarter starts: the period and what is still missing."""

    period_key: str
    missing: tuple[Missing, ...]
    guide_finished: bool

    @property
    def ready(self) -> bool:
        return not self.missing

    def sentence(self) -> str:
        """开始 2025年第三季度 前还需：… — or "" when nothing is missing."""
        if not self.missing:
            return ""
        label = Period.parse(self.period_key).label
        return f"开始{label}的报表收集前还需：" + "；".join(m.text for m in self.missing)

    def short_sentence(self) -> str:
        """The same in a few words, for one line of the dashboard."""
        if not self.missing:
            return ""
        return "开始本期前还需：" + "、".join(m.short or m.text for m in self.missing)


def load_guide_state(database: Database) -> GuideState:
    """The guide's saved progress (a fresh state when never opened)."""
    with database.session() as s:
        text = setting(s, GUIDE_SETTING, "")
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        data = {}
    return GuideState(int(data.get("step", 0)), list(data.get("skipped", [])), bool(data.get("finished", False)))


def guide_never_opened(database: Database) -> bool:
    """True on a database whose guide was never opened: the first start of a new office."""
    with database.session() as s:
        return not setting(s, GUIDE_SETTING, "")


def save_guide_state(database: Database, state: GuideState) -> None:
    """Remember where the clerk is in the guide."""
    value = json.dumps({"step": state.step, "skipped": state.skipped, "finished": state.finished})
    set_setting(database, GUIDE_SETTING, value)


def load_organisation(database: Database) -> Organisation:
    """The organisation's names as set, else the defaults."""
    with database.session() as s:
        org = setting(s, ORGANISATION_SETTING, "")
        office = setting(s, OFFICE_NAME_SETTING, "")
        contact = setting(s, OFFICE_CONTACT_SETTING, "")
    return Organisation(org or ORGANISATION, office or DEFAULT_OFFICE_NAME, contact, not org and not office)


def set_organisation(database: Database, organisation: str, office_name: str, office_contact: str = "") -> None:
    """Store the organisation's names (audited); the one place the guide writes them."""
    org = " ".join(organisation.split())
    office = " ".join(office_name.split())
    if not org:
        raise KnownError("请填写机构名称（会议材料封面上的名称），如 吉林省互联网经济与信息消费联席会议")
    if not office:
        raise KnownError("请填写办公室名称（填报模板和催报通知的落款）")
    for label, text in (("机构名称", org), ("办公室名称", office)):
        if len(text) > 100:
            raise KnownError(f"{label}太长（{len(text)} 字），最多 100 字")
    set_setting(database, ORGANISATION_SETTING, org)
    set_setting(database, OFFICE_NAME_SETTING, office)
    set_setting(database, OFFICE_CONTACT_SETTING, " ".join(office_contact.split()))


def default_period(today: date | None = None) -> Period:
    """The quarter a new office collects first: the latest that has ended."""
    return latest_closed_quarter(today or date.today())


def set_reporting_period(database: Database, period_key: str, due: date | None) -> str:
    """Open a reporting period (stored, with the day returns are due); returns its key."""
    try:
        period = Period.parse(period_key)
    except ValueError as exc:
        raise KnownError(str(exc)) from None
    if due is not None and due < period.start:
        raise KnownError(f"报送截止日期 {due:%Y-%m-%d} 早于报告期开始（{period.start:%Y-%m-%d}），请核对")
    with database.session() as s:
        row = ensure_reporting_period(s, period)
        if row.due_date != due:
            add_audit(
                s,
                at=_now(),
                user=current_user(),
                entity="reporting_period",
                entity_id=row.id,
                field="due_date",
                old=_day(row.due_date),
                new=_day(due),
            )
            row.due_date = due
    return period.key


def period_due(database: Database, period_key: str) -> date | None:
    """The due date set for a period, or None (also when the period is not stored yet)."""
    with database.session() as s:
        return s.scalar(select(ReportingPeriod.due_date).where(ReportingPeriod.key == period_key))


def department_contacts(database: Database) -> list[ContactRow]:
    """Every department with its contact, those owing returns first."""
    with database.session() as s:
        expected = expected_department_ids(s)
        rows = [
            ContactRow(d.id, d.name, d.contact_person, d.contact_phone, d.id in expected, d.version)
            for d in s.scalars(select(Department).order_by(Department.sort_order, Department.id))
        ]
    return sorted(rows, key=lambda r: not r.expected)


def set_department_contact(database: Database, department_id: int, version: int, person: str, phone: str) -> int:
    """Set a department's contact person and phone (audited, version-checked); the new version."""
    person, phone = person.strip(), phone.strip()
    if len(person) > 50 or len(phone) > 50:
        raise KnownError("联系人或电话太长（最多 50 字）")
    with database.session() as s:
        dept = s.get(Department, department_id)
        if dept is None:
            raise StaleEditError("该单位已被删除，修改未保存。")
        if dept.version != version:
            raise StaleEditError(f"{dept.name}的联系人刚被其他人修改，本次修改未保存。已重新载入，请核对后再改。")
        for name, value in (("contact_person", person), ("contact_phone", phone)):
            old = getattr(dept, name)
            if old != value:
                add_audit(
                    s,
                    at=_now(),
                    user=current_user(),
                    entity="department",
                    entity_id=dept.id,
                    field=name,
                    old=old,
                    new=value,
                )
                setattr(dept, name, value)
        s.flush()
        return dept.version


def projects_without_lead(database: Database) -> list[tuple[int, str]]:
    """(id, "code name") of key projects and programmes with no lead department, even by their task."""
    with database.session() as s:
        leads = project_lead_departments(s)
        rows = s.execute(select(Project.id, Project.code, Project.name).order_by(Project.sort_order, Project.code))
        return [(pid, f"{code} {name}") for pid, code, name in rows if leads.get(pid) is None]


def readiness(database: Database, period_key: str) -> Readiness:
    """What is still missing before ``period_key``'s returns can be collected (the dashboard's line)."""
    state = load_guide_state(database)
    missing: list[Missing] = []
    with database.session() as s:
        if not setting(s, ORGANISATION_SETTING, "") and not setting(s, OFFICE_NAME_SETTING, ""):
            missing.append(Missing("organisation", "填写单位名称", "单位名称"))
        stored = s.scalar(select(ReportingPeriod).where(ReportingPeriod.key == period_key))
        if stored is None or stored.due_date is None:
            missing.append(Missing("period", "设定本期报送截止日期", "报送截止日期"))
        leads = project_lead_departments(s)
        without = sum(1 for lead in leads.values() if lead is None)
        if without:
            missing.append(
                Missing("ledger", f"为 {without} 个项目指定牵头单位（或导入现有台账）", f"{without} 个项目的牵头单位")
            )
        expected = expected_department_ids(s)
        if expected:
            no_contact = s.scalar(
                select(func.count())
                .select_from(Department)
                .where(
                    Department.id.in_(expected), (Department.contact_person == "") | (Department.contact_phone == "")
                )
            )
            if no_contact:
                missing.append(
                    Missing("contacts", f"补全 {no_contact} 个报送单位的联系人和电话", f"{no_contact} 个单位的联系人")
                )
    return Readiness(period_key, tuple(missing), state.finished)


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _day(value: date | None) -> str:
    return value.isoformat() if value is not None else ""
