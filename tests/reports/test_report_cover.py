"""The meeting cover says the period once: a meeting titled 2025年第三季度联席会议 gets no （2025年第三季度） line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx

from app.reports.content import Cover
from app.reports.docx_render import export_docx
from app.services.meetings import create_meeting
from app.services.report import build_report
from app.storage.db import Database


def _cover(title: str) -> Cover:
    return Cover("联席会议", "第一次会议", "材料", title, "2025年第三季度", "2025年10月15日", "内部资料")


def test_period_line_is_left_out_when_the_title_names_the_period() -> None:
    assert _cover("2025年第三季度联席会议").period_line == ""
    assert _cover("第一次联席会议").period_line == "（2025年第三季度）"
    assert _cover("").period_line == "（2025年第三季度）"


def test_word_cover_names_the_period_once(db: Database, tmp_path: Path) -> None:
    meeting = create_meeting(db, date(2025, 10, 15), "2025年第三季度联席会议", "2025-Q3")
    path = tmp_path / "report.docx"
    export_docx(build_report(db, "2025-Q3", meeting_id=meeting), path)
    document = docx.Document(str(path))
    cover = []
    for p in document.paragraphs:
        if p.text.startswith("一、"):
            break
        cover.append(p.text)
    assert sum(text.count("2025年第三季度") for text in cover) == 1
