"""The report's content for a quarter with returns: lagging projects, issues, missing returns, sources."""

from __future__ import annotations

from datetime import date

import pytest

from app.reports.content import Chart, GanttSpec, Heading, layout
from app.services import meetings
from app.services.report import build_report
from app.storage.db import Database
from tests.reports.seed_returns import (
    CLOUD_ISSUE,
    DRC_FILE,
    IT_FILE,
    LAND_PROBLEM,
    PERIOD,
    POWER_ISSUE,
    STALE_ISSUE,
    Seeded,
)
from tests.supervision_helpers import clear_task_parts

# Exact scenarios on the first twelve projects (see tests/first_portfolio.py).
pytestmark = pytest.mark.usefixtures("first_portfolio")


def test_lagging_projects_carry_rule_reasons_and_the_departments_problems(db: Database, quarter: Seeded) -> None:
    content = build_report(db, PERIOD)
    lagging = {p.code: p for p in content.lagging}
    assert set(lagging) >= {"ZD01", "ZD02"}
    assert lagging["ZD01"].stated_problems == LAND_PROBLEM
    assert any("形象进度 10%" in r for r in lagging["ZD01"].rule_reasons)
    assert any("主体完工" in r for r in lagging["ZD02"].rule_reasons)
    assert lagging["ZD01"].department == "省工业和信息化厅"
    assert IT_FILE in lagging["ZD01"].source


def test_on_schedule_project_is_not_listed_as_lagging(db: Database, quarter: Seeded) -> None:
    content = build_report(db, PERIOD)
    assert "ZD03" not in {p.code for p in content.lagging}


def test_issues_come_from_current_returns_only(db: Database, quarter: Seeded) -> None:
    texts = [i.text for i in build_report(db, PERIOD).issues]
    assert POWER_ISSUE in texts and CLOUD_ISSUE in texts
    assert STALE_ISSUE not in texts


def test_department_without_a_return_is_missing(db: Database, quarter: Seeded) -> None:
    clear_task_parts(db)  # only the project departments of the seeded quarter owe a return
    content = build_report(db, PERIOD)
    assert [m.name for m in content.missing] == ["省商务厅"]
    assert (content.overview.returns_received, content.overview.returns_expected) == (2, 3)


def test_overview_sums_planned_and_completed_investment(db: Database, quarter: Seeded) -> None:
    overview = build_report(db, PERIOD).overview
    assert overview.planned_investment == 8 * 50_000.0
    assert overview.completed_investment == 5000 + 30000 + 28000 + 26000 + 20000 + 21000
    assert overview.reported_projects == 6


def test_sources_appendix_names_file_sheet_and_row(db: Database, quarter: Seeded) -> None:
    sources = build_report(db, PERIOD).sources
    zd01 = next(s for s in sources if s.figure.startswith("ZD01"))
    assert (zd01.file, zd01.sheet, zd01.row) == (IT_FILE, "项目进展", "4")
    zd05 = next(s for s in sources if s.figure.startswith("ZD05"))
    assert zd05.file == DRC_FILE
    broadband = next(s for s in sources if s.figure.startswith("固定宽带家庭普及率"))
    assert (broadband.file, broadband.sheet, broadband.row) == (IT_FILE, "主要指标", "6")


def test_both_broadband_targets_are_listed_each_with_its_document(db: Database, quarter: Seeded) -> None:
    line = next(i for i in build_report(db, PERIOD).indicators if i.name == "固定宽带家庭普及率")
    by_doc = {t.document: t for t in line.targets}
    assert len(line.targets) == 2
    assert any("75" in t.wording for t in line.targets) and any("55" in t.wording for t in line.targets)
    assert len(by_doc) == 2
    statuses = {t.wording: t.status for t in line.targets}
    assert statuses["达55%以上"] == "达标"
    assert statuses["达到75%（“十三五”末期）"] == "滞后"


def test_indicator_with_actuals_gets_a_chart(db: Database, quarter: Seeded) -> None:
    content = build_report(db, PERIOD)
    assert [c.name for c in content.indicator_charts] == ["固定宽带家庭普及率"]


def test_meeting_report_prints_the_edited_issue_list(db: Database, quarter: Seeded) -> None:
    mid = meetings.create_meeting(db, date(2025, 10, 20), "第三季度联席会议", PERIOD)
    issues = meetings.gather_issues(db, mid)
    power = next(i for i in issues if i.text == POWER_ISSUE)
    cloud = next(i for i in issues if i.text == CLOUD_ISSUE)
    meetings.update_issue(db, power.id, text="电力增容（已与电力公司对接）")
    meetings.update_issue(db, cloud.id, included=False)
    content = build_report(db, PERIOD, mid)
    assert [i.text for i in content.issues] == ["电力增容（已与电力公司对接）"]
    assert content.cover.meeting_line == "第一次会议"
    assert content.cover.date_text == "2025年10月20日"


def test_layout_has_every_section_in_order(db: Database, quarter: Seeded) -> None:
    headings = [b.text for b in layout(build_report(db, PERIOD)) if isinstance(b, Heading) and b.level == 1]
    assert headings == [
        "一、总体情况",
        "二、主要指标完成情况",
        "三、重点任务进展",
        "四、滞后项目",
        "五、需协调解决的问题",
        "六、未报送单位",
        "附录一 项目台账",
        "附录二 项目进度甘特图",
        "附录三 数据来源",
    ]


def test_gantt_appendix_charts_every_dated_project(db: Database, quarter: Seeded) -> None:
    charts = [b.spec for b in layout(build_report(db, PERIOD)) if isinstance(b, Chart)]
    gantt = [c for c in charts if isinstance(c, GanttSpec)]
    assert sum(len(g.rows) for g in gantt) == 8
    assert {r.label.split()[0] for g in gantt for r in g.rows if r.lagging} >= {"ZD01", "ZD02"}


def test_lag_margin_setting_changes_what_is_lagging(db: Database, quarter: Seeded) -> None:
    meetings.save_report_settings(db, "内部资料", 90)
    codes = {p.code for p in build_report(db, PERIOD).lagging}
    assert "ZD01" not in codes  # progress 10% vs ~58% elapsed is within a 90-point margin
    assert "ZD02" in codes  # the overdue milestone still counts
