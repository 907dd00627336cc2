"""The meeting report opens with how the last meeting's decisions stand and lists the meeting's own."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from docx import Document

from app.reports.content import Heading, Table, layout
from app.services import decisions, meetings
from app.services.report import build_report
from app.storage.db import Database
from tests.reports.seed_returns import PERIOD, Seeded

TODAY = date(2025, 10, 20)


def _two_meetings(db: Database, quarter: Seeded) -> int:
    first = meetings.create_meeting(db, date(2025, 7, 20), "第二季度联席会议", "2025-Q2")
    second = meetings.create_meeting(db, TODAY, "第三季度联席会议", PERIOD)
    done = decisions.add_decision(db, "制定测试区5G覆盖方案", [quarter.it_id], date(2025, 9, 30), meeting_id=first)
    decisions.close_decision(db, done, "方案已印发", closed_on=date(2025, 9, 28))
    decisions.add_decision(db, "拨付云计算专项资金", [quarter.commerce_id], date(2025, 10, 15), meeting_id=first)
    decisions.add_decision(db, "梳理数字乡村试点名单", [quarter.drc_id], date(2025, 12, 31), meeting_id=second)
    return second


def test_report_opens_with_the_previous_meetings_decisions(db: Database, quarter: Seeded) -> None:
    blocks = layout(build_report(db, PERIOD, _two_meetings(db, quarter), today=TODAY))
    headings = [b.text for b in blocks if isinstance(b, Heading) and b.level > 0]  # after the title
    assert headings[0] == "上次会议议定事项落实情况" and headings[1] == "一、总体情况"
    assert "本次会议议定事项" in headings
    first_table = next(b for b in blocks if isinstance(b, Table))
    assert first_table.rows[0][1] == "制定测试区5G覆盖方案"
    assert first_table.rows[0][4] == "已办结（2025年9月28日）：方案已印发"
    assert first_table.rows[1][4].startswith("逾期 5 天未办结")


def test_report_without_decisions_is_unchanged(db: Database, quarter: Seeded) -> None:
    mid = meetings.create_meeting(db, TODAY, "第三季度联席会议", PERIOD)
    blocks = layout(build_report(db, PERIOD, mid, today=TODAY))
    headings = [b.text for b in blocks if isinstance(b, Heading) and b.level > 0]
    assert headings[0] == "一、总体情况" and "本次会议议定事项" not in headings


def test_report_docx_lists_the_decisions(db: Database, quarter: Seeded, tmp_path: Path) -> None:
    from app.reports.docx_render import export_docx

    out = tmp_path / "材料.docx"
    export_docx(build_report(db, PERIOD, _two_meetings(db, quarter), today=TODAY), out)
    doc = Document(str(out))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "上次会议（2025年7月20日）议定事项 2 项，已办结 1 项，正在办理 0 项，逾期未办结 1 项。" in text
    assert "梳理数字乡村试点名单" in text and "省发展改革委" in text
