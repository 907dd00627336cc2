"""Preparing a joint-conference meeting: issues edited in the 会议报告 view reach the printed report; one lag rule."""

from __future__ import annotations

import contextlib
import io
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.cli import main
from app.services import meetings
from app.services.dashboard import load_dashboard
from app.services.gantt import load_gantt
from app.services.report import build_report
from app.services.returns import commit, preview
from app.services.templates import export_templates
from app.storage.db import Database
from app.storage.models import Department
from tests.e2e.journey import (
    COORDINATION,
    MIIT,
    PERIOD,
    TELECOM,
    assign_departments,
    fill_miit,
    fill_telecom,
    template_path,
)

EDITED = "请省自然资源厅年内解决用地指标（会前已沟通）"
ADDED = "请省财政厅安排数据中心配套资金"


def _seeded(db_path: Path, folder: Path) -> Database:
    assign_departments(db_path)
    database = Database(db_path)
    export_templates(database, PERIOD, folder)
    files = [
        fill_miit(template_path(folder, MIIT), folder / "工信厅.xlsx", slip=False),
        fill_telecom(template_path(folder, TELECOM), folder / "通信局.xlsx", cumulative=3000, progress=30),
    ]
    assert all(o.ok for o in commit(database, preview(database, files)))
    return database


def _meeting(database: Database) -> int:
    """What the clerk does in 会议报告: a meeting, its issues gathered from returns, one edited, one added."""
    with database.session() as s:
        depts = {d.name: d.id for d in s.scalars(select(Department))}
    meeting_id = meetings.create_meeting(
        database, date(2025, 10, 20), "2025年第三季度联席会议", PERIOD, [depts[MIIT], depts[TELECOM]]
    )
    gathered = meetings.gather_issues(database, meeting_id)
    (issue,) = [i for i in gathered if COORDINATION in i.text]
    meetings.update_issue(database, issue.id, text=EDITED)
    meetings.add_issue(database, meeting_id, ADDED, depts[MIIT])
    return meeting_id


def _pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(unicodedata.normalize("NFKC", out).split())


def test_report_for_a_meeting_prints_the_issues_as_edited(db_path: Path, tmp_path: Path, qapp: object) -> None:
    database = _seeded(db_path, tmp_path)
    try:
        meeting_id = _meeting(database)
    finally:
        database.dispose()
    out = tmp_path / "会议材料.pdf"
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(
            ["report", "--db", str(db_path), "--period", PERIOD, "--meeting", str(meeting_id), "--out", str(out)]
        )
    assert code == 0
    text = _pdf_text(out)
    issues = text[text.rindex("五、需协调解决的问题") : text.rindex("六、未报送单位")]  # after the contents page
    assert unicodedata.normalize("NFKC", EDITED) in issues and ADDED in issues
    assert COORDINATION not in issues


def test_lag_margin_set_for_the_report_is_the_one_every_view_uses(db_path: Path, tmp_path: Path) -> None:
    database = _seeded(db_path, tmp_path)
    try:
        # ZD02 is 42 points behind its elapsed time: behind at the default 15, not at 50.
        meetings.save_report_settings(database, "内部资料 注意保存", 50)
        report = build_report(database, PERIOD)
        dashboard = load_dashboard(database, PERIOD, today=date(2025, 10, 15))
        gantt = load_gantt(database, today=date(2025, 9, 30), period_key=PERIOD)
        in_report = {p.code for p in report.lagging}
        in_dashboard = {b.code for b in dashboard.behind}
        in_gantt = {r.code for r in gantt.rows if r.behind}
        assert in_report == in_dashboard == in_gantt == {"ZD03"}
    finally:
        database.dispose()
