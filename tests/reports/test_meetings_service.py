"""Meetings: create, edit, delete; gathering and editing the issue list; report settings."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.services import meetings
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.models import AuditEntry
from tests.reports.seed_returns import CLOUD_ISSUE, PERIOD, POWER_ISSUE, Seeded


def test_create_meeting_stores_period_and_attendees(db: Database, quarter: Seeded) -> None:
    mid = meetings.create_meeting(db, date(2025, 10, 20), "联席会议", PERIOD, [quarter.it_id, quarter.drc_id])
    m = meetings.get_meeting(db, mid)
    assert (m.period_key, m.period_label) == (PERIOD, "2025年第三季度")
    assert m.attendee_ids == sorted([quarter.it_id, quarter.drc_id])


def test_meeting_for_a_new_period_creates_the_period(db: Database) -> None:
    mid = meetings.create_meeting(db, date(2026, 1, 15), "年度会议", "2025-Q4")
    assert meetings.get_meeting(db, mid).period_label == "2025年第四季度"


def test_update_meeting_changes_attendance_and_audits(db: Database, quarter: Seeded) -> None:
    mid = meetings.create_meeting(db, date(2025, 10, 20), "联席会议", PERIOD, [quarter.it_id])
    saved = meetings.update_meeting(db, mid, title="第三季度联席会议", attendee_ids=[quarter.drc_id])
    assert saved.title == "第三季度联席会议" and saved.attendee_ids == [quarter.drc_id]
    with db.session() as s:
        fields = set(s.scalars(select(AuditEntry.field).where(AuditEntry.entity == "meeting")))
    assert {"title", "attendees"} <= fields


def test_bad_period_is_refused_in_chinese(db: Database) -> None:
    with pytest.raises(KnownError, match="报告期"):
        meetings.create_meeting(db, date(2025, 10, 20), "会议", "2025-Q9")


def test_delete_meeting_removes_its_issues(db: Database, quarter: Seeded) -> None:
    mid = meetings.create_meeting(db, date(2025, 10, 20), "会议", PERIOD)
    meetings.gather_issues(db, mid)
    meetings.delete_meeting(db, mid)
    assert meetings.list_meetings(db) == []
    assert meetings.list_issues(db, mid) == []


def test_gathering_twice_keeps_edits_and_adds_nothing_twice(db: Database, quarter: Seeded) -> None:
    mid = meetings.create_meeting(db, date(2025, 10, 20), "会议", PERIOD)
    first = meetings.gather_issues(db, mid)
    assert [i.text for i in first] == [POWER_ISSUE, CLOUD_ISSUE]
    meetings.update_issue(db, first[0].id, text="已改写")
    again = meetings.gather_issues(db, mid)
    assert [i.text for i in again] == ["已改写", CLOUD_ISSUE]


def test_issue_order_is_stored(db: Database, quarter: Seeded) -> None:
    mid = meetings.create_meeting(db, date(2025, 10, 20), "会议", PERIOD)
    ids = [i.id for i in meetings.gather_issues(db, mid)]
    meetings.set_issue_order(db, mid, ids[::-1])
    assert [i.id for i in meetings.list_issues(db, mid)] == ids[::-1]


def test_emptying_an_issue_text_is_refused(db: Database, quarter: Seeded) -> None:
    mid = meetings.create_meeting(db, date(2025, 10, 20), "会议", PERIOD)
    issue = meetings.gather_issues(db, mid)[0]
    with pytest.raises(KnownError, match="不能为空"):
        meetings.update_issue(db, issue.id, text="  ")


def test_report_settings_round_trip_with_defaults(db: Database) -> None:
    assert meetings.report_settings(db) == meetings.ReportSettings()
    meetings.save_report_settings(db, "内部资料 请勿外传", 20)
    assert meetings.report_settings(db) == meetings.ReportSettings("内部资料 请勿外传", 20.0)
    with db.session() as s:
        assert s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.entity == "app_setting")) == 2


def test_meeting_ordinal_follows_dates(db: Database) -> None:
    later = meetings.create_meeting(db, date(2025, 12, 1), "会议乙", PERIOD)
    earlier = meetings.create_meeting(db, date(2025, 6, 1), "会议甲", "2025-Q2")
    assert (meetings.meeting_ordinal(db, earlier), meetings.meeting_ordinal(db, later)) == (1, 2)
