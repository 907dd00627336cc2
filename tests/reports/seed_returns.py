"""A seeded database with a quarter's returns in it: two departments reported, one did not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app.storage.db import Database
from app.storage.models import (
    Department,
    Indicator,
    IndicatorActual,
    Milestone,
    ProgressEntry,
    Project,
    ReportingPeriod,
    Return,
)

PERIOD = "2025-Q3"
IT_FILE = "省工业和信息化厅_2025年第三季度.xlsx"
DRC_FILE = "省发展改革委_2025年第三季度.xlsx"
OLD_FILE = "省工业和信息化厅_2025年第三季度_初稿.xlsx"
LAND_PROBLEM = "用地审批手续尚未办结，土建无法开工"
POWER_ISSUE = "请协调国网吉林省电力公司加快数据中心电力增容"
CLOUD_ISSUE = "请协调省财政厅拨付云计算专项资金"
STALE_ISSUE = "初稿中的问题，已被新报表替代"


@dataclass
class Seeded:
    it_id: int  # 省工业和信息化厅: reported
    drc_id: int  # 省发展改革委: reported
    commerce_id: int  # 省商务厅: leads the programmes, did not report
    period_id: int


def seed_quarter(db: Database) -> Seeded:
    """Give projects departments, dates and milestones; add the quarter's returns, entries and an actual."""
    with db.session() as s:
        dept = {d.name: d.id for d in s.scalars(select(Department))}
        it, drc, commerce = dept["省工业和信息化厅"], dept["省发展改革委"], dept["省商务厅"]
        projects = {p.code: p for p in s.scalars(select(Project))}
        for code, p in projects.items():
            p.lead_department_id = it if code in ("ZD01", "ZD02", "ZD03", "ZD04") else drc
            if code.startswith("JH"):
                p.lead_department_id = commerce
            if code.startswith("ZD"):
                p.planned_start = date(2024, 1, 1)
                p.planned_end = date(2026, 12, 31)
                p.planned_investment = 50_000.0
        s.add(Milestone(project_id=projects["ZD02"].id, name="主体完工", planned_date=date(2025, 6, 30)))
        period = ReportingPeriod(
            key=PERIOD, kind="quarter", start=date(2025, 7, 1), end=date(2025, 9, 30), label="2025年第三季度"
        )
        s.add(period)
        s.flush()
        old = Return(
            department_id=it,
            period_id=period.id,
            file_name=OLD_FILE,
            sha256="0" * 64,
            imported_at=datetime(2025, 10, 3),
        )
        s.add(old)
        s.flush()
        new_it = Return(
            department_id=it, period_id=period.id, file_name=IT_FILE, sha256="1" * 64, imported_at=datetime(2025, 10, 8)
        )
        new_drc = Return(
            department_id=drc,
            period_id=period.id,
            file_name=DRC_FILE,
            sha256="2" * 64,
            imported_at=datetime(2025, 10, 9),
        )
        s.add_all([new_it, new_drc])
        s.flush()
        old.superseded_by_id = new_it.id

        def entry(ret: Return, code: str, row: int, pct: float, cum: float, **text: str) -> None:
            s.add(
                ProgressEntry(
                    project_id=projects[code].id,
                    period_id=period.id,
                    return_id=ret.id,
                    investment_period=1000.0,
                    investment_cumulative=cum,
                    progress_pct=pct,
                    progress_text=text.get("progress", f"{projects[code].name}本季度按计划推进"),
                    problems=text.get("problems", ""),
                    coordination_needed=text.get("coordination", ""),
                    source_sheet="项目进展",
                    source_row=row,
                )
            )

        entry(old, "ZD01", 4, 5, 1000.0, coordination=STALE_ISSUE)
        entry(new_it, "ZD01", 4, 10, 5000.0, problems=LAND_PROBLEM)
        entry(new_it, "ZD02", 5, 60, 30000.0, coordination=POWER_ISSUE)
        entry(new_it, "ZD03", 6, 55, 28000.0)
        entry(new_it, "ZD04", 7, 50, 26000.0)
        entry(new_drc, "ZD05", 4, 45, 20000.0, coordination=CLOUD_ISSUE)
        entry(new_drc, "ZD06", 5, 52, 21000.0)
        broadband = s.scalar(select(Indicator).where(Indicator.name == "固定宽带家庭普及率"))
        assert broadband is not None
        s.add(
            IndicatorActual(
                indicator_id=broadband.id,
                period_key="2024",
                value=62.5,
                return_id=new_it.id,
                source_sheet="主要指标",
                source_row=6,
            )
        )
        s.add(
            IndicatorActual(
                indicator_id=broadband.id, period_key="2023", value=58.0, source="统计年鉴", entered_by="clerk"
            )
        )
        return Seeded(it, drc, commerce, period.id)
