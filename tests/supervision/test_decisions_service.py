"""Meeting decisions (议定事项): recorded, lit yellow then red as the due date nears and passes, closed once."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.decisions import STATUS_CLOSED, STATUS_OPEN, Light
from app.services import decisions, meetings
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.models import AuditEntry, Department

TODAY = date(2025, 11, 1)


def _dept(db: Database, name: str) -> int:
    with db.session() as s:
        return int(s.scalar(select(Department.id).where(Department.name == name)))


def test_a_decision_goes_green_yellow_red_and_closes(db: Database) -> None:
    it = _dept(db, "省工业和信息化厅")
    did = decisions.add_decision(db, "制定测试区5G覆盖方案", [it], date(2025, 11, 30))
    assert decisions.get_decision(db, did, today=TODAY).light is Light.GREEN
    assert decisions.get_decision(db, did, today=date(2025, 11, 23)).light is Light.YELLOW
    assert decisions.get_decision(db, did, today=date(2025, 11, 30)).light is Light.YELLOW
    late = decisions.get_decision(db, did, today=date(2025, 12, 1))
    assert late.light is Light.RED and late.due_text == "逾期 1 天"
    closed = decisions.close_decision(db, did, "方案已印发", "吉通管〔2025〕12号", closed_on=date(2025, 12, 2))
    assert closed.status == STATUS_CLOSED and closed.light is Light.GREEN
    assert closed.closing_note == "方案已印发" and closed.evidence == "吉通管〔2025〕12号"


def test_the_warning_days_setting_moves_the_yellow_light(db: Database) -> None:
    it = _dept(db, "省工业和信息化厅")
    did = decisions.add_decision(db, "事项", [it], date(2025, 11, 20))
    assert decisions.get_decision(db, did, today=TODAY).light is Light.GREEN
    decisions.set_warn_days(db, 30)
    assert decisions.get_decision(db, did, today=TODAY).light is Light.YELLOW


def test_closing_twice_is_refused_and_changes_nothing(db: Database) -> None:
    it = _dept(db, "省工业和信息化厅")
    did = decisions.add_decision(db, "事项", [it], date(2025, 11, 20))
    decisions.close_decision(db, did, "已办结", closed_on=date(2025, 11, 10))
    with db.session() as s:
        audits = s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
    with pytest.raises(KnownError, match="已于 2025年11月10日 办结销号，未作改动"):
        decisions.close_decision(db, did, "再次办结")
    row = decisions.get_decision(db, did)
    assert row.closing_note == "已办结" and row.closed_on == date(2025, 11, 10)
    with db.session() as s:
        assert s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) == audits


def test_a_decision_needs_a_department_and_a_due_date(db: Database) -> None:
    with pytest.raises(KnownError, match="责任单位"):
        decisions.add_decision(db, "事项", [], date(2025, 11, 20))
    with pytest.raises(KnownError, match="完成时限"):
        decisions.add_decision(db, "事项", [_dept(db, "省商务厅")], None)
    with pytest.raises(KnownError, match="相近的单位有：省通信管理局"):
        decisions.add_decision_by_names(db, "事项", ["通信局"], date(2025, 11, 20))
    assert decisions.list_decisions(db) == []


def test_reopening_sends_a_closed_decision_back(db: Database) -> None:
    did = decisions.add_decision(db, "事项", [_dept(db, "省商务厅")], date(2025, 11, 20))
    decisions.close_decision(db, did, "已办结")
    row = decisions.reopen_decision(db, did)
    assert row.status == STATUS_OPEN and row.closed_on is None


def test_lists_filter_open_overdue_and_department(db: Database) -> None:
    it, commerce = _dept(db, "省工业和信息化厅"), _dept(db, "省商务厅")
    a = decisions.add_decision(db, "甲", [it, commerce], date(2025, 10, 1))
    b = decisions.add_decision(db, "乙", [commerce], date(2025, 12, 31))
    c = decisions.add_decision(db, "丙", [it], date(2025, 9, 1))
    decisions.close_decision(db, c, "已办结", closed_on=date(2025, 10, 15))
    ids = lambda rows: [r.id for r in rows]  # noqa: E731
    assert ids(decisions.list_decisions(db, open_only=True, today=TODAY)) == [a, b]
    assert ids(decisions.list_decisions(db, overdue_only=True, today=TODAY)) == [a]
    assert ids(decisions.list_decisions(db, department="省工信厅", today=TODAY)) == [c, a]
    counts = decisions.decision_counts(db, "2025-Q4", today=TODAY)
    assert (counts.open, counts.overdue, counts.closed_in_period, counts.total) == (2, 1, 1, 3)


def test_an_issue_becomes_a_decision_keeping_its_source(db: Database) -> None:
    commerce = _dept(db, "省商务厅")
    mid = meetings.create_meeting(db, date(2025, 10, 20), "第三季度联席会议", "2025-Q3")
    iid = meetings.add_issue(db, mid, "请协调省财政厅拨付专项资金", department_id=commerce)
    did = decisions.decision_from_issue(db, iid, date(2025, 12, 31))
    row = decisions.get_decision(db, did)
    assert row.text == "请协调省财政厅拨付专项资金"
    assert row.meeting_id == mid and row.coordination_issue_id == iid
    assert row.department_names == ("省商务厅",)
    assert "省商务厅" in row.source_text and row.source_text.startswith("需协调解决的问题")


def test_every_edit_is_audited(db: Database) -> None:
    it, commerce = _dept(db, "省工业和信息化厅"), _dept(db, "省商务厅")
    did = decisions.add_decision(db, "事项", [it], date(2025, 11, 20))
    decisions.update_decision(db, did, text="新事项", department_ids=[it, commerce], due=date(2025, 12, 1))
    decisions.close_decision(db, did, "已办结")
    with db.session() as s:
        fields = list(
            s.scalars(select(AuditEntry.field).where(AuditEntry.entity == "decision", AuditEntry.entity_id == did))
        )
    assert {"text", "departments", "due_date", "status", "closing_note"} <= set(fields)
    assert fields.count("text") == 2 and fields.count("due_date") == 2


def test_deleting_a_meeting_keeps_its_decisions(db: Database) -> None:
    mid = meetings.create_meeting(db, date(2025, 10, 20), "第三季度联席会议", "2025-Q3")
    did = decisions.add_decision(db, "事项", [_dept(db, "省商务厅")], date(2025, 11, 20), meeting_id=mid)
    meetings.delete_meeting(db, mid)
    assert decisions.get_decision(db, did).meeting_id is None
