"""Ledger, dashboard, Gantt chart and meeting report tell a clerk the same story about the same period."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from app.domain.periods import Period
from app.services.chasing import chase_missing_returns
from app.services.dashboard import load_dashboard
from app.services.gantt import Selection, load_gantt
from app.services.ledger import load_ledger
from app.services.period_entries import ensure_reporting_period
from app.services.report import build_report
from app.services.returns import ReturnState, period_overview
from app.services.scope import (
    LAG_MARGIN_SETTING,
    department_scopes,
    expected_department_ids,
    owing_department_ids,
    project_lead_departments,
)
from app.storage.db import Database
from app.storage.models import (
    AppSetting,
    Department,
    Milestone,
    ProgrammeMember,
    ProgressEntry,
    Project,
    Return,
    TaskDepartment,
)

TODAY = date(2026, 11, 25)


def _plan(db: Database, code: str, *, start: date, end: date) -> int:
    with db.session() as s:
        project = s.scalar(select(Project).where(Project.code == code))
        assert project is not None
        project.planned_start, project.planned_end = start, end
        return project.id


def _entry(db: Database, project_id: int, period_key: str, pct: float) -> None:
    """A clerk-typed progress entry (no return) for a period."""
    with db.session() as s:
        period = ensure_reporting_period(s, Period.parse(period_key))
        s.add(ProgressEntry(project_id=project_id, period_id=period.id, progress_pct=pct))


def _lagging(db: Database, period_key: str, code: str) -> dict[str, bool]:
    """Whether each place shows ``code`` as behind schedule for the period."""
    ledger = next(r for r in load_ledger(db, period_key, TODAY, with_members=False).rows if r.code == code)
    dashboard = load_dashboard(db, period_key, TODAY)
    gantt = next(r for r in load_gantt(db, Selection(), today=TODAY, period_key=period_key).rows if r.code == code)
    report = build_report(db, period_key, today=TODAY)
    return {
        "ledger": ledger.behind,
        "dashboard": code in {b.code for b in dashboard.behind},
        "gantt": gantt.behind,
        "report": code in {p.code for p in report.lagging},
    }


def test_project_behind_on_earlier_progress_lags_in_ledger_dashboard_gantt_and_report(db: Database) -> None:
    pid = _plan(db, "ZD03", start=date(2025, 1, 1), end=date(2026, 12, 31))
    _entry(db, pid, "2025-Q1", 5.0)  # nothing reported in Q3: the Q1 figure is the latest known
    assert _lagging(db, "2025-Q3", "ZD03") == dict.fromkeys(("ledger", "dashboard", "gantt", "report"), True)


def test_lag_margin_setting_is_read_alike_by_ledger_dashboard_gantt_and_report(db: Database) -> None:
    pid = _plan(db, "ZD03", start=date(2025, 1, 1), end=date(2026, 12, 31))
    _entry(db, pid, "2025-Q1", 5.0)  # 37% of the span elapsed by 30 Sep 2025: 32 points behind
    with db.session() as s:
        s.add(AppSetting(key=LAG_MARGIN_SETTING, value="40"))
    assert _lagging(db, "2025-Q3", "ZD03") == dict.fromkeys(("ledger", "dashboard", "gantt", "report"), False)


def test_lag_is_judged_on_the_period_end_in_ledger_dashboard_gantt_and_report(db: Database) -> None:
    pid = _plan(db, "ZD03", start=date(2025, 1, 1), end=date(2026, 12, 31))
    with db.session() as s:
        s.add(Milestone(project_id=pid, name="主体完工", planned_date=date(2025, 8, 15)))
    _entry(db, pid, "2025-Q2", 40.0)
    _entry(db, pid, "2025-Q3", 50.0)
    assert _lagging(db, "2025-Q2", "ZD03") == dict.fromkeys(("ledger", "dashboard", "gantt", "report"), False)
    assert _lagging(db, "2025-Q3", "ZD03") == dict.fromkeys(("ledger", "dashboard", "gantt", "report"), True)


def test_gantt_today_line_stays_at_today_while_lag_is_judged_on_the_period_end(db: Database) -> None:
    data = load_gantt(db, Selection(), today=TODAY, period_key="2025-Q3")
    assert (data.today, data.judged_on) == (TODAY, date(2025, 9, 30))


def test_task_co_department_is_not_attributed_the_project(db: Database) -> None:
    with db.session() as s:
        project = s.scalar(select(Project).where(Project.code == "ZD01"))
        assert project is not None
        project.lead_department_id = None
        idle = Department(name="省测试配合局", sort_order=99)
        s.add(idle)
        s.flush()
        assert idle.id not in expected_department_ids(s)
        s.execute(TaskDepartment.__table__.delete().where(TaskDepartment.task_id == project.task_id))
        s.add(TaskDepartment(task_id=project.task_id, department_id=idle.id, role="co"))
        s.flush()
        pid, idle_id, idle_name = project.id, idle.id, idle.name
        assert project_lead_departments(s)[pid] != idle_id
        # A 配合 department owes progress on its part of the task, never the project's return.
        scope = next(sc for sc in department_scopes(s) if sc.department.id == idle_id)
        assert scope.part_ids and not scope.key_project_ids
    ledger_row = next(r for r in load_ledger(db, "2025-Q3", TODAY, with_members=False).rows if r.id == pid)
    gantt_row = next(r for r in load_gantt(db, Selection(), today=TODAY, period_key="2025-Q3").rows if r.code == "ZD01")
    report_row = next(r for r in build_report(db, "2025-Q3", today=TODAY).ledger if r.code == "ZD01")
    assert idle_name not in (ledger_row.lead_department, gantt_row.department, report_row.department)


def _status(db: Database, period_key: str, code: str) -> dict[str, str]:
    """The status each place shows for ``code`` (the dashboard as the status whose count includes it)."""
    rows = load_ledger(db, period_key, TODAY, with_members=False).rows
    ledger = next(r.status for r in rows if r.code == code)
    report = next(r.status for r in build_report(db, period_key, today=TODAY).ledger if r.code == code)
    counts = load_dashboard(db, period_key, TODAY).status_counts
    return {"ledger": ledger, "report": report.removesuffix("（滞后）"), "dashboard_count": str(counts.get(ledger))}


def test_programme_with_members_counted_this_year_is_under_way_everywhere(db: Database) -> None:
    with db.session() as s:
        programme = s.scalar(select(Project).where(Project.code == "JH02"))
        assert programme is not None
        s.add(ProgrammeMember(project_id=programme.id, name="吉林某科技有限公司", year_counted=2025))
    status = _status(db, "2025-Q3", "JH02")
    assert (status["ledger"], status["report"]) == ("在建", "在建")
    assert int(status["dashboard_count"]) >= 1


def test_lagging_project_without_a_return_this_period_is_unreported_everywhere(db: Database) -> None:
    pid = _plan(db, "ZD03", start=date(2025, 1, 1), end=date(2026, 12, 31))
    _entry(db, pid, "2025-Q1", 5.0)
    status = _status(db, "2025-Q3", "ZD03")
    assert (status["ledger"], status["report"]) == ("未填报", "未填报")
    assert (
        next(r for r in build_report(db, "2025-Q3", today=TODAY).ledger if r.code == "ZD03").status == "未填报（滞后）"
    )


def test_project_reported_complete_earlier_stays_complete_without_a_return(db: Database) -> None:
    pid = _plan(db, "ZD03", start=date(2025, 1, 1), end=date(2025, 6, 30))
    _entry(db, pid, "2025-Q2", 100.0)
    assert _status(db, "2025-Q3", "ZD03")["ledger"] == "已完成"


def test_status_set_by_a_clerk_to_withdrawn_overrides_the_returns(db: Database) -> None:
    pid = _plan(db, "ZD03", start=date(2025, 1, 1), end=date(2026, 12, 31))
    _entry(db, pid, "2025-Q3", 30.0)
    with db.session() as s:
        project = s.get(Project, pid)
        assert project is not None
        project.status = "已撤销"
    status = _status(db, "2025-Q3", "ZD03")
    assert (status["ledger"], status["report"]) == ("已撤销", "已撤销")


def test_fresh_portfolio_lists_the_same_owing_departments_in_dashboard_returns_view_missing_and_report(
    db: Database,
) -> None:
    dashboard = {d.name for d in load_dashboard(db, "2025-Q3", TODAY).departments}
    returns_view = {s.department_name for s in period_overview(db, "2025-Q3").statuses if s.expected}
    with db.session() as s:
        missing = {i.department for i in chase_missing_returns(s, "2025-Q3", TODAY).items}
    report = {m.name for m in build_report(db, "2025-Q3", today=TODAY).missing}
    assert dashboard and dashboard == returns_view == missing == report


def test_monthly_returns_count_for_their_quarter_in_dashboard_returns_view_missing_and_report(db: Database) -> None:
    with db.session() as s:
        owing = sorted(owing_department_ids(s))
        dept_id = owing[0]
        name = s.get(Department, dept_id).name  # type: ignore[union-attr]
        for month in ("2025-07", "2025-08", "2025-09"):
            period = ensure_reporting_period(s, Period.parse(month))
            s.add(
                Return(
                    department_id=dept_id,
                    period_id=period.id,
                    file_name=f"{month}.xlsx",
                    sha256=month.encode().hex().ljust(64, "0"),
                    imported_at=datetime(2025, 10, 9, 10, 30),
                )
            )
    dashboard = {d.name for d in load_dashboard(db, "2025-Q3", TODAY).departments if d.received}
    overview = period_overview(db, "2025-Q3")
    returns_view = {s.department_name for s in overview.statuses if s.state is ReturnState.RETURNED}
    with db.session() as s:
        chase = chase_missing_returns(s, "2025-Q3", TODAY)
    missing = {i.department for i in chase.items}
    report = build_report(db, "2025-Q3", today=TODAY)
    assert dashboard == returns_view == {name}
    assert name not in missing and chase.received == 1
    assert name not in {m.name for m in report.missing} and report.overview.returns_received == 1
    assert sorted(h.file_name for h in overview.history) == ["2025-07.xlsx", "2025-08.xlsx", "2025-09.xlsx"]


def test_returns_of_another_quarter_do_not_count_in_dashboard_returns_view_missing_and_report(db: Database) -> None:
    with db.session() as s:
        dept_id = sorted(owing_department_ids(s))[0]
        period = ensure_reporting_period(s, Period.parse("2025-06"))
        s.add(
            Return(
                department_id=dept_id,
                period_id=period.id,
                file_name="2025-06.xlsx",
                sha256="6".ljust(64, "0"),
                imported_at=datetime(2025, 7, 9, 10, 30),
            )
        )
    assert not any(d.received for d in load_dashboard(db, "2025-Q3", TODAY).departments)
    assert period_overview(db, "2025-Q3").count(ReturnState.RETURNED) == 0
    with db.session() as s:
        assert chase_missing_returns(s, "2025-Q3", TODAY).received == 0
    assert build_report(db, "2025-Q3", today=TODAY).overview.returns_received == 0
