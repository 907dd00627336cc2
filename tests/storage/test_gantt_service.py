"""Gantt data: selections, actual spans, lag reasons, baselines and slips, locked and audited plan moves."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.services import gantt as service
from app.services.gantt import Grouping, Selection
from app.storage.audit import current_user
from app.storage.db import Database
from app.storage.errors import KnownError, StaleEditError
from app.storage.models import AuditEntry, Document, Milestone, PlanBaselineItem, Project, Task
from app.storage.portfolio import read_portfolio
from tests.gantt_sample import TODAY, add_sample_schedules


@pytest.fixture
def gdb(db: Database) -> Database:
    add_sample_schedules(db)
    return db


def _row(data: service.GanttData, code: str) -> service.GanttRow:
    return next(r for r in data.rows if r.code == code)


def test_all_selection_has_every_project_with_its_milestones(gdb: Database) -> None:
    data = service.load_gantt(gdb, today=TODAY)
    assert len(data.rows) == len(read_portfolio()["projects"])
    assert [m.name for m in _row(data, "ZD01").milestones] == ["立项", "开工", "主体完工", "竣工验收"]
    assert data.period_label == "2025年第四季度"


def test_selection_by_region_department_and_project(gdb: Database) -> None:
    assert {r.code for r in service.load_gantt(gdb, Selection("region", "吉林市"), today=TODAY).rows} == {
        "ZD02",
        "ZD03",
    }
    telecom = service.load_gantt(gdb, Selection("department", "省通信管理局"), today=TODAY)
    assert [r.code for r in telecom.rows] == ["ZD06", "ZD07", "ZD08"]
    assert [r.code for r in service.load_gantt(gdb, Selection("project", "JH03 中小企业"), today=TODAY).rows] == [
        "JH03"
    ]


def test_selection_by_task_includes_the_tasks_below_it(gdb: Database) -> None:
    item = service.load_gantt(gdb, Selection("task", "三(四)2"), today=TODAY)
    assert len(item.rows) == 8
    with gdb.session() as s:
        doc_key = s.scalar(
            select(Document.key).join(Task, Task.document_id == Document.id).where(Task.code == "三(四)2")
        )
    part = service.load_gantt(gdb, Selection("task", f"{doc_key}/三(四)"), today=TODAY)
    assert {r.code for r in part.rows} >= {r.code for r in item.rows}


def test_unknown_selection_values_are_refused_in_chinese(gdb: Database) -> None:
    with pytest.raises(KnownError, match="找不到单位“不存在的厅”"):  # with the closest names, if any
        service.load_gantt(gdb, Selection("department", "不存在的厅"))
    with pytest.raises(KnownError, match="找不到任务"):
        service.load_gantt(gdb, Selection("task", "九(九)9"))


def test_ambiguous_task_code_asks_for_the_document(gdb: Database) -> None:
    with pytest.raises(KnownError, match="两个文件中都有"):
        service.load_gantt(gdb, Selection("task", "三"))


def test_actual_span_runs_from_first_milestone_or_report_to_the_last_one(gdb: Database) -> None:
    data = service.load_gantt(gdb, today=TODAY)
    done = _row(data, "ZD03")  # every milestone done
    assert (done.actual_start, done.actual_end, done.actual_finished) == (date(2023, 6, 12), date(2025, 6, 18), True)
    ongoing = _row(data, "ZD01")  # first milestone 2024-03-20; latest report 2025-Q3
    assert (ongoing.actual_start, ongoing.actual_end, ongoing.actual_finished) == (
        date(2024, 3, 20),
        date(2025, 9, 30),
        False,
    )
    assert ongoing.progress_pct == 45


def test_programme_without_milestones_takes_its_actual_span_from_reports(gdb: Database) -> None:
    row = _row(service.load_gantt(gdb, today=TODAY), "JH03")
    assert (row.actual_start, row.actual_end, row.actual_finished) == (date(2025, 4, 1), date(2025, 9, 30), False)


def test_lag_reasons_name_the_overdue_milestone(gdb: Database) -> None:
    data = service.load_gantt(gdb, today=TODAY)
    assert not _row(data, "ZD03").behind
    reasons = _row(data, "ZD04").lag_reasons
    assert any("开工" in r and "逾期 234 天" in r for r in reasons)
    assert data.behind_count == 8


def test_group_keys_order_departments_and_put_the_unassigned_last(gdb: Database) -> None:
    data = service.load_gantt(gdb, today=TODAY)
    regions = {r.group_key(Grouping.REGION)[1] for r in data.rows}  # type: ignore[index]
    assert regions == {"长春市", "吉林市", "白城市", "延边州", "（未定地区）"}
    assert _row(data, "ZD01").group_key(Grouping.NONE) is None
    assert _row(data, "JH01").group_key(Grouping.KIND)[1] == "定额计划"  # type: ignore[index]


def test_saving_a_baseline_copies_every_planned_date(gdb: Database) -> None:
    bid = service.save_baseline(gdb, "2025年初计划", user="tester", now=datetime(2025, 1, 5, 9))
    with gdb.session() as s:
        items = s.scalars(select(PlanBaselineItem).where(PlanBaselineItem.baseline_id == bid)).all()
        milestones = s.scalar(select(func.count(Milestone.id)))
    assert len(items) == len(read_portfolio()["projects"]) + milestones
    assert [b.name for b in service.list_baselines(gdb)] == ["2025年初计划"]
    with pytest.raises(KnownError, match="已有名为"):
        service.save_baseline(gdb, "2025年初计划")


def test_slips_list_planned_dates_moved_since_the_baseline_biggest_first(gdb: Database) -> None:
    bid = service.save_baseline(gdb, "2025年初计划")
    data = service.load_gantt(gdb, today=TODAY)
    zd01, zd05 = _row(data, "ZD01"), _row(data, "ZD05")
    service.move_project(gdb, zd01.project_id, zd01.version, zd01.planned_start, date(2026, 12, 31))
    m = zd05.milestones[2]
    service.move_milestone(gdb, m.id, m.version, date(2026, 10, 31))
    slips = service.baseline_slips(gdb, bid)
    assert [(s.project_code, s.item, s.days) for s in slips] == [
        ("ZD01", "计划完成", 184),
        ("ZD05", "里程碑「竣工验收」", -61),
    ]
    shown = service.load_gantt(gdb, today=TODAY, baseline_id=bid)
    assert _row(shown, "ZD01").baseline_end == date(2026, 6, 30)
    assert _row(shown, "ZD05").milestones[2].baseline == date(2026, 12, 31)


def test_moving_a_project_bumps_its_version_and_audits_each_changed_field(gdb: Database) -> None:
    row = _row(service.load_gantt(gdb, today=TODAY), "ZD02")
    version = service.move_project(gdb, row.project_id, row.version, date(2024, 2, 1), date(2026, 1, 31))
    assert version == row.version + 1
    with gdb.session() as s:
        audit = s.execute(
            select(AuditEntry.field, AuditEntry.old_value, AuditEntry.new_value, AuditEntry.user).where(
                AuditEntry.entity == "project"
            )
        ).all()
        assert s.scalar(select(Project.version).where(Project.id == row.project_id)) == version
    assert sorted(audit) == [
        ("planned_end", "2025-12-31", "2026-01-31", current_user()),
        ("planned_start", "2024-01-10", "2024-02-01", current_user()),
    ]


def test_a_move_with_a_stale_version_is_refused_and_changes_nothing(gdb: Database) -> None:
    row = _row(service.load_gantt(gdb, today=TODAY), "ZD02")
    service.move_project(gdb, row.project_id, row.version, row.planned_start, date(2026, 1, 31))
    with pytest.raises(StaleEditError, match="刚被其他人修改"):
        service.move_project(gdb, row.project_id, row.version, row.planned_start, date(2026, 6, 30))
    with gdb.session() as s:
        assert s.scalar(select(Project.planned_end).where(Project.id == row.project_id)) == date(2026, 1, 31)


def test_end_before_start_is_refused(gdb: Database) -> None:
    row = _row(service.load_gantt(gdb, today=TODAY), "ZD02")
    with pytest.raises(KnownError, match="不能早于"):
        service.move_project(gdb, row.project_id, row.version, date(2026, 1, 1), date(2025, 1, 1))


def test_milestone_move_is_locked_and_audited(gdb: Database) -> None:
    m = _row(service.load_gantt(gdb, today=TODAY), "ZD07").milestones[1]
    service.move_milestone(gdb, m.id, m.version, date(2026, 4, 30))
    with pytest.raises(StaleEditError):
        service.move_milestone(gdb, m.id, m.version, date(2026, 5, 31))
    with gdb.session() as s:
        rows = s.execute(select(AuditEntry.entity, AuditEntry.old_value, AuditEntry.new_value)).all()
    assert rows == [("milestone", "2026-03-31", "2026-04-30")]


def test_every_task_in_the_pick_list_selects_without_ambiguity(gdb: Database) -> None:
    tasks = service.selection_choices(gdb)["task"]
    assert tasks
    for value in tasks:
        service.load_gantt(gdb, Selection("task", value), today=TODAY)


def test_reports_for_periods_after_today_are_ignored(gdb: Database) -> None:
    early = date(2025, 3, 15)  # before JH03's 2025-Q2 and Q3 reports
    row = _row(service.load_gantt(gdb, today=early), "JH03")
    assert (row.progress_pct, row.actual_start, row.actual_end) == (None, None, None)
    later = _row(service.load_gantt(gdb, today=date(2025, 6, 15)), "JH03")
    assert (later.progress_pct, later.actual_start) == (40, date(2025, 4, 1))
