"""Realistic schedules for the seeded portfolio (the documents give no dates), shared by the Gantt tests."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from app.domain.periods import Period, PeriodKind
from app.storage.db import Database
from app.storage.models import Department, Milestone, ProgressEntry, Project, ReportingPeriod

TODAY = date(2025, 11, 20)

# code: (department, region, start, end, [(milestone, planned, actual)], progress by quarter key)
SCHEDULES: dict[str, tuple[str, str, date, date, list[tuple[str, date, date | None]], dict[str, float]]] = {
    "ZD01": (
        "省发展改革委",
        "长春市",
        date(2024, 3, 1),
        date(2026, 6, 30),
        [
            ("立项", date(2024, 3, 15), date(2024, 3, 20)),
            ("开工", date(2024, 9, 1), date(2024, 10, 8)),
            ("主体完工", date(2025, 9, 30), None),
            ("竣工验收", date(2026, 6, 30), None),
        ],
        {"2024-Q2": 8, "2024-Q4": 25, "2025-Q1": 34, "2025-Q2": 41, "2025-Q3": 45},
    ),
    "ZD02": (
        "省工业和信息化厅",
        "吉林市",
        date(2024, 1, 10),
        date(2025, 12, 31),
        [
            ("立项", date(2024, 1, 20), date(2024, 1, 18)),
            ("开工", date(2024, 5, 1), date(2024, 4, 26)),
            ("主体完工", date(2025, 6, 30), date(2025, 7, 10)),
            ("竣工验收", date(2025, 12, 31), None),
        ],
        {"2024-Q2": 20, "2024-Q4": 55, "2025-Q2": 82, "2025-Q3": 90},
    ),
    "ZD03": (
        "省工业和信息化厅",
        "吉林市",
        date(2023, 6, 1),
        date(2025, 6, 30),
        [
            ("立项", date(2023, 6, 15), date(2023, 6, 12)),
            ("开工", date(2023, 10, 1), date(2023, 9, 28)),
            ("竣工验收", date(2025, 6, 30), date(2025, 6, 18)),
        ],
        {"2023-Q4": 15, "2024-Q2": 50, "2024-Q4": 80, "2025-Q2": 100},
    ),
    "ZD04": (
        "省发展改革委",
        "白城市",
        date(2024, 7, 1),
        date(2027, 12, 31),
        [
            ("立项", date(2024, 8, 1), date(2024, 8, 20)),
            ("开工", date(2025, 3, 31), None),
            ("一期投运", date(2026, 9, 30), None),
            ("竣工验收", date(2027, 12, 31), None),
        ],
        {"2024-Q4": 3, "2025-Q2": 6, "2025-Q3": 8},
    ),
    "ZD05": (
        "省发展改革委",
        "延边州",
        date(2025, 1, 1),
        date(2026, 12, 31),
        [
            ("立项", date(2025, 2, 28), date(2025, 3, 3)),
            ("开工", date(2025, 8, 31), date(2025, 9, 5)),
            ("竣工验收", date(2026, 12, 31), None),
        ],
        {"2025-Q1": 4, "2025-Q2": 12, "2025-Q3": 22},
    ),
    "ZD06": (
        "省通信管理局",
        "长春市",
        date(2024, 4, 1),
        date(2026, 3, 31),
        [
            ("开工", date(2024, 5, 15), date(2024, 5, 10)),
            ("机房封顶", date(2025, 4, 30), date(2025, 4, 28)),
            ("竣工验收", date(2026, 3, 31), None),
        ],
        {"2024-Q2": 10, "2024-Q4": 35, "2025-Q2": 62, "2025-Q3": 70},
    ),
    "ZD07": (
        "省通信管理局",
        "长春市",
        date(2025, 3, 1),
        date(2026, 8, 31),
        [
            ("开工", date(2025, 4, 1), date(2025, 4, 15)),
            ("坐席上线", date(2026, 3, 31), None),
            ("竣工验收", date(2026, 8, 31), None),
        ],
        {"2025-Q2": 10, "2025-Q3": 24},
    ),
    "ZD08": (
        "省通信管理局",
        "长春市",
        date(2024, 9, 1),
        date(2026, 10, 31),
        [
            ("开工", date(2024, 10, 1), date(2024, 11, 20)),
            ("主体完工", date(2025, 10, 31), None),
            ("竣工验收", date(2026, 10, 31), None),
        ],
        {"2024-Q4": 5, "2025-Q2": 15, "2025-Q3": 20},
    ),
    "JH01": ("省工业和信息化厅", "", date(2021, 1, 1), date(2025, 12, 31), [], {"2024-Q4": 70, "2025-Q3": 80}),
    "JH02": ("省工业和信息化厅", "", date(2021, 1, 1), date(2025, 12, 31), [], {"2024-Q4": 76, "2025-Q3": 88}),
    "JH03": ("省工业和信息化厅", "", date(2025, 1, 1), date(2025, 12, 31), [], {"2025-Q2": 40, "2025-Q3": 71}),
    "JH04": ("省商务厅", "", date(2025, 1, 1), date(2025, 12, 31), [], {"2025-Q2": 45, "2025-Q3": 69}),
}


def add_sample_schedules(database: Database) -> None:
    """Give every seeded project a lead department, region, planned span, milestones and quarterly progress."""
    with database.session() as s:
        depts = {name: did for name, did in s.execute(select(Department.name, Department.id))}
        periods: dict[str, int] = {}
        for code, (dept, region, start, end, milestones, progress) in SCHEDULES.items():
            pid = s.scalar(select(Project.id).where(Project.code == code))
            assert pid is not None, code
            s.execute(
                update(Project)
                .where(Project.id == pid)
                .values(
                    lead_department_id=depts.get(dept),
                    region=region,
                    planned_start=start,
                    planned_end=end,
                )
                .execution_options(synchronize_session=False)
            )
            for k, (name, planned, actual) in enumerate(milestones):
                s.add(Milestone(project_id=pid, name=name, planned_date=planned, actual_date=actual, sort_order=k))
            for key, pct in progress.items():
                if key not in periods:
                    p = Period.parse(key)
                    rp = ReportingPeriod(
                        key=key, kind=PeriodKind.QUARTER.value, start=p.start, end=p.end, label=p.label
                    )
                    s.add(rp)
                    s.flush()
                    periods[key] = rp.id
                s.add(ProgressEntry(project_id=pid, period_id=periods[key], progress_pct=float(pct)))
