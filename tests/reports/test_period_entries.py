"""Which entries are current for a report period made of monthly returns, and who owes a return."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from app.domain.periods import Period
from app.services.period_entries import current_entries, current_returns, period_scope
from app.services.report import build_report
from app.services.scope import project_lead_departments
from app.storage.db import Database
from app.storage.models import (
    Department,
    Indicator,
    ProgressEntry,
    Project,
    ReportingPeriod,
    Return,
    Task,
    TaskDepartment,
)
from tests.supervision_helpers import clear_task_parts


def _month(s: object, key: str) -> ReportingPeriod:
    p = Period.parse(key)
    row = ReportingPeriod(key=key, kind="month", start=p.start, end=p.end, label=p.label)
    s.add(row)  # type: ignore[attr-defined]
    s.flush()  # type: ignore[attr-defined]
    return row


def test_latest_month_of_the_quarter_wins_and_other_quarters_are_ignored(db: Database) -> None:
    with db.session() as s:
        dept = s.scalar(select(Department.id).where(Department.name == "省工业和信息化厅"))
        project = s.scalar(select(Project).where(Project.code == "ZD01"))
        assert dept is not None and project is not None
        for key, pct in (("2025-07", 10.0), ("2025-09", 30.0), ("2025-10", 99.0)):
            period = _month(s, key)
            ret = Return(
                department_id=dept,
                period_id=period.id,
                file_name=f"{key}.xlsx",
                sha256=key,
                imported_at=datetime(2025, 11, 1),
            )
            s.add(ret)
            s.flush()
            s.add(ProgressEntry(project_id=project.id, period_id=period.id, return_id=ret.id, progress_pct=pct))
        s.flush()
        scope = period_scope(s, Period.parse("2025-Q3"))
        assert [e.progress_pct for e in current_entries(s, scope).values()] == [30.0]
        assert current_returns(s, scope)[dept].file_name == "2025-09.xlsx"


def test_project_without_a_lead_is_owed_by_the_lead_of_a_parent_task(db: Database) -> None:
    with db.session() as s:
        drc = s.scalar(select(Department.id).where(Department.name == "省发展改革委"))
        project = s.scalar(select(Project).where(Project.code == "ZD01"))
        assert drc is not None and project is not None and project.lead_department_id is None
        part = s.get(Task, project.task.parent_id)  # 三(四): the item 三(四)2 names no department itself
        assert part is not None
        s.add(TaskDepartment(task_id=part.id, department_id=drc, role="lead"))
        s.flush()
        assert project_lead_departments(s)[project.id] == drc


def test_department_responsible_for_an_indicator_owes_a_return(db: Database) -> None:
    clear_task_parts(db)
    with db.session() as s:
        bureau = s.scalar(select(Department).where(Department.name == "省通信管理局"))
        broadband = s.scalar(select(Indicator).where(Indicator.name == "固定宽带家庭普及率"))
        assert bureau is not None and broadband is not None
        broadband.responsible_department_id = bureau.id
    missing = {m.name: m.owes for m in build_report(db, "2025-Q3").missing}
    assert missing["省通信管理局"] == "指标 1 项"


def test_report_for_a_period_without_returns_says_so(db: Database) -> None:
    content = build_report(db, "2024-Q1", today=date(2024, 4, 15))
    assert content.overview.reported_projects == 0
    assert content.issues == [] and content.lagging == []
    assert content.cover.date_text == "2024年4月15日"
