"""Chasing missing returns: who owes the period's return, with contacts, the notice text and the list."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from app.returns.chasing import ChaseReason
from app.services.chasing import REFUSAL_ENTITY, chase_missing_returns, chasing_report
from app.storage.db import Database
from app.storage.models import AuditEntry, Department, Project, TaskDepartment
from tests.returns.outdata import INDUSTRY, REFORM, TELECOM, build_scenario
from tests.supervision_helpers import clear_task_parts

# Exact scenarios on the first twelve projects (see tests/first_portfolio.py).
pytestmark = pytest.mark.usefixtures("first_portfolio")

AS_OF = date(2025, 10, 20)


def test_department_without_return_is_listed_missing_with_contact(db: Database) -> None:
    build_scenario(db)
    with db.session() as s:
        chase = chase_missing_returns(s, "2025-Q3", AS_OF)
    [missing] = chase.of(ChaseReason.MISSING)
    assert (missing.department, missing.contact_person, missing.contact_phone) == (REFORM, "李四", "0431-88880002")
    assert missing.owes == "重点项目 2 个"


def test_return_with_unresolved_warnings_is_chased_and_clean_one_is_not(db: Database) -> None:
    build_scenario(db)
    with db.session() as s:
        chase = chase_missing_returns(s, "2025-Q3", AS_OF)
    [unresolved] = chase.of(ChaseReason.UNRESOLVED)
    assert unresolved.department == INDUSTRY
    assert unresolved.warning_count == 2
    assert TELECOM not in [i.department for i in chase.items]
    assert (chase.expected, chase.received) == (3, 2)


def test_period_nobody_returned_lists_every_expected_department(db: Database) -> None:
    build_scenario(db)
    with db.session() as s:
        chase = chase_missing_returns(s, "2025-Q4", AS_OF)
    assert [i.department for i in chase.of(ChaseReason.MISSING)] == [INDUSTRY, REFORM, TELECOM]
    assert chase.due_date is None


def test_project_without_lead_falls_back_to_its_task_lead_department(db: Database) -> None:
    clear_task_parts(db)
    with db.session() as s:
        post = s.query(Department).filter_by(name="省邮政管理局").one()
        project = s.query(Project).filter_by(code="ZD06").one()
        assert project.task_id is not None
        s.add(TaskDepartment(task_id=project.task_id, department_id=post.id, role="lead"))
    with db.session() as s:
        chase = chase_missing_returns(s, "2025-Q3", AS_OF)
    assert [i.department for i in chase.items] == ["省邮政管理局"]
    # Every key project of that task (ZD01–ZD08, none with its own lead) falls to the task's lead.
    # ...and, as the task's responsible department, its own part of the task.
    assert chase.items[0].owes == "重点项目 8 个、重点任务 1 项"


def test_notice_is_dated_names_due_date_overdue_days_and_contacts(db: Database) -> None:
    build_scenario(db)
    _chase, notice = chasing_report(db, "2025-Q3", today=AS_OF)
    assert notice.startswith("催报通知")
    assert "应于2025年10月15日前报送，现已逾期 5 天" in notice
    assert "一、尚未报送的单位（1 个）" in notice
    assert f"{REFORM}：尚未报送（应报重点项目 2 个）。联系人 李四，电话 0431-88880002" in notice
    assert "二、报表有问题待核实补正的单位（1 个）" in notice
    assert "10月9日报送的《省工业和信息化厅_2025年第三季度.xlsx》有 2 条警告待核实补正" in notice
    assert notice.rstrip().endswith("2025年10月20日")


def test_notice_and_list_are_written_to_files(db: Database, tmp_path: Path) -> None:
    build_scenario(db)
    xlsx, txt = tmp_path / "催报名单.xlsx", tmp_path / "催报通知.txt"
    chasing_report(db, "2025-Q3", xlsx, txt, today=AS_OF)
    assert txt.read_bytes().decode("utf-8-sig").startswith("催报通知\r\n")  # Notepad-friendly
    ws = openpyxl.load_workbook(xlsx)["催报名单"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4) if row[1].value]
    assert [(r[1], r[2], r[4], r[5]) for r in rows] == [
        (REFORM, "未报送", "李四", "0431-88880002"),
        (INDUSTRY, "有待核实的问题", "张三", "0431-88880001"),
    ]
    assert ws.print_title_rows == "$1:$3"


def _refuse(db: Database, department: str, at: datetime, file_name: str = "发改委.xlsx") -> None:
    """Log a refused file the way the importer does (app.returns.commit.record_refusal)."""
    with db.session() as s:
        dept = s.query(Department).filter_by(name=department).one()
        errors = [f"[错误] 文件 {file_name}，工作表 项目进展，第 5 行，C 列：找不到项目“数据中心”"]
        s.add(
            AuditEntry(
                at=at,
                user="clerk",
                entity=REFUSAL_ENTITY,
                entity_id=dept.id,
                field="2025-Q3",
                old_value=file_name,
                new_value=json.dumps({"sha256": "x", "errors": errors}, ensure_ascii=False),
                action="refuse",
            )
        )


def test_department_whose_file_was_refused_is_chased_with_the_reason(db: Database) -> None:
    build_scenario(db)
    _refuse(db, REFORM, datetime(2025, 10, 10, 9, 0))
    with db.session() as s:
        chase = chase_missing_returns(s, "2025-Q3", AS_OF)
    [refused] = chase.of(ChaseReason.REFUSED)
    assert refused.department == REFORM and not chase.of(ChaseReason.MISSING)
    assert refused.detail == (
        "10月10日报送的《发改委.xlsx》有错误未能导入，请修改后重新报送，"
        "如：工作表 项目进展，第 5 行，C 列：找不到项目“数据中心”"
    )


def test_refusal_older_than_an_accepted_return_is_not_chased(db: Database) -> None:
    build_scenario(db)
    _refuse(db, TELECOM, datetime(2025, 10, 1, 9, 0))  # the clean return came on 10-12
    with db.session() as s:
        chase = chase_missing_returns(s, "2025-Q3", AS_OF)
    assert TELECOM not in [i.department for i in chase.items]


def test_without_any_assigned_department_everyone_is_expected(db: Database) -> None:
    clear_task_parts(db)
    with db.session() as s:
        chase = chase_missing_returns(s, "2025-Q3", AS_OF)
    assert chase.everyone_expected
    # Every department that exists today: the 20 the documents name, less the 7 the 2018 reform renamed or merged
    # away, plus their 5 successors (resources/portfolio/successors.toml).
    assert chase.expected == len(chase.of(ChaseReason.MISSING)) == 18
    assert "省卫生计生委" not in [i.department for i in chase.items]
    assert "省卫生健康委员会" in [i.department for i in chase.items]
