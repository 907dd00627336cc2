"""Departments' later names: resolved (and said) in import, templates and chasing; renamings keep history."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli import main
from app.services import departments as service
from app.services.returns import commit, preview
from app.services.scope import expected_department_ids
from app.services.templates import export_templates
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.models import AuditEntry, Department, Project, Return, TaskDepartment
from tests.returns.helpers import department_workbook


def _dept_id(db: Database, name: str) -> int:
    with db.session() as s:
        return s.scalars(select(Department.id).where(Department.name == name)).one()


@pytest.mark.parametrize(
    ("written", "today"),
    [
        ("省卫计委", "省卫生健康委员会"),
        ("吉林省卫生和计划生育委员会", "省卫生健康委员会"),
        ("省旅游发展委", "省文化和旅游厅"),
        ("省文化厅", "省文化和旅游厅"),
        ("省农委", "省农业农村厅"),
        ("省工商局", "省市场监督管理厅"),
        ("省质监局", "省市场监督管理厅"),
        ("省新闻出版广电局", "省广播电视局"),
        ("省通管局", "省通信管理局"),
        ("省交通厅", "省交通运输厅"),
        ("人行长春中心支行", "人民银行长春中心支行"),
    ],
)
def test_former_names_and_short_forms_resolve_to_todays_department_and_say_so(
    db: Database, written: str, today: str
) -> None:
    found = service.resolve_name(db, written)
    assert found.name == today
    assert found.said.startswith(f"{written} → {today}")


def test_a_departments_own_name_resolves_silently_and_an_unknown_one_is_refused_with_candidates(db: Database) -> None:
    assert service.resolve_name(db, "吉林省卫生健康委员会（盖章）").said == ""
    with pytest.raises(KnownError, match="相近的单位有：省卫生健康委员会"):
        service.resolve_name(db, "省卫生健康委")


def test_a_return_under_a_former_name_is_imported_for_todays_department_and_the_preview_says_so(
    db: Database, tmp_path: Path
) -> None:
    with db.session() as s:
        code = s.scalars(select(Project.code).where(Project.name == "动漫游戏产业园")).one()
    path = department_workbook(
        tmp_path / "文化厅.xlsx",
        department="吉林省文化厅（盖章）",
        projects=[(code, "动漫游戏产业园", 300, 20, "园区一期开工")],
    )
    [item] = preview(db, [path])
    assert item.importable, [p.message for p in item.problems]
    assert item.department_name == "省文化和旅游厅"
    assert "吉林省文化厅 → 省文化和旅游厅" in item.verdict_text()  # the seal note is not part of a name
    commit(db, [item])
    with db.session() as s:
        ret = s.scalars(select(Return)).one()
        assert ret.department.name == "省文化和旅游厅"


def test_template_for_a_former_name_is_written_for_todays_department_and_says_so(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [written] = export_templates(db, "2025-Q3", tmp_path, "省文化厅")
    # The 2018 plan's parts of 省文化厅 and 省旅游发展委 moved to today's department, which reports them.
    assert written.department == "省文化和旅游厅" and written.tasks >= 2
    assert written.resolved.startswith("省文化厅 → 省文化和旅游厅")
    db.dispose()
    code = main(
        [
            "template",
            "--db",
            str(db.path),
            "--period",
            "2025-Q3",
            "--department",
            "省旅游委",
            "--out",
            str(tmp_path / "b"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "单位名称：省旅游委 → 省文化和旅游厅" in out


def test_missing_lists_todays_departments_and_resolves_a_former_name(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    db.dispose()
    assert main(["missing", "--db", str(db.path), "--period", "2025-Q3"]) == 0
    out = capsys.readouterr().out
    assert "省文化和旅游厅" in out and "省文化厅：" not in out and "省旅游发展委" not in out
    assert main(["missing", "--db", str(db.path), "--period", "2025-Q3", "--department", "省文化厅"]) == 0
    out = capsys.readouterr().out
    assert "单位名称：省文化厅 → 省文化和旅游厅" in out and "未报送" in out


def test_a_recorded_renaming_keeps_history_and_moves_future_responsibility(db: Database, tmp_path: Path) -> None:
    gongxin = _dept_id(db, "省工业和信息化厅")
    # A return filed before the renaming stays the old department's.
    with db.session() as s:
        xf01 = s.scalars(select(Project).where(Project.code == "XF01")).one()
        xf01.lead_department_id = gongxin
    path = department_workbook(
        tmp_path / "工信.xlsx",
        department="省工业和信息化厅",
        projects=[("XF01", "国家智能网联汽车应用(北方)示范区", 100, 10, "示范区建设推进")],
    )
    commit(db, preview(db, [path]))
    result = service.rename_department(
        db,
        "省工信厅",
        "省工业和信息化厅（新）",
        date(2025, 11, 1),
        note="测试更名",
        user="王五",
        today=date(2026, 1, 1),
    )
    assert result.created and result.new_name == "省工业和信息化厅（新）"
    assert any("XF01" in m for m in result.moved) and any(m.startswith("任务") for m in result.moved)
    new = _dept_id(db, "省工业和信息化厅（新）")
    with db.session() as s:
        assert s.scalars(select(Return.department_id)).one() == gongxin  # history keeps the old department
        assert s.get(Project, xf01.id).lead_department_id == new  # type: ignore[union-attr]
        assert not s.scalars(select(TaskDepartment).where(TaskDepartment.department_id == gongxin)).all()
        assert gongxin not in expected_department_ids(s) and new in expected_department_ids(s)
        audit = s.scalars(select(AuditEntry).where(AuditEntry.user == "王五")).all()
        assert any(a.field == "successor" and "省工业和信息化厅（新）" in a.new_value for a in audit)
        assert any(a.field == "lead_department_id" and a.old_value == "省工业和信息化厅" for a in audit)
    # The old name, and its short form, now resolve to the new department, said.
    assert service.resolve_name(db, "省工信厅").said.startswith("省工信厅 → 省工业和信息化厅（新）（原省工业和信息化厅")
    lines = {d.name: d for d in service.list_departments(db, today=date(2026, 1, 1))}
    assert lines["省工业和信息化厅"].successor == "省工业和信息化厅（新）" and not lines["省工业和信息化厅"].current
    assert lines["省工业和信息化厅（新）"].former_names == ("省工业和信息化厅",)


def test_a_merger_moves_both_bodies_responsibilities_without_duplicating_an_item(db: Database) -> None:
    result = service.merge_departments(
        db, ["省公安厅", "省网信办"], "省网络安全和公安厅", date(2025, 1, 1), today=date(2026, 1, 1)
    )
    assert result.old_names == ("省公安厅", "省网信办")
    merged = _dept_id(db, "省网络安全和公安厅")
    with db.session() as s:
        # Both were named on 三(一), 三(三) and 三(四): the merged body answers once for each.
        links = s.scalars(select(TaskDepartment.task_id).where(TaskDepartment.department_id == merged)).all()
        assert len(links) == len(set(links)) == 3


def test_renaming_refuses_a_future_date_a_retired_department_and_a_single_merger(db: Database) -> None:
    with pytest.raises(KnownError, match="晚于今天"):
        service.rename_department(db, "省教育厅", "省教育委员会", date(2999, 1, 1))
    with pytest.raises(KnownError, match="已于 2018-10-18 起由“省卫生健康委员会”承接"):
        service.rename_department(db, "省卫生计生委", "省卫生委", date(2020, 1, 1))
    with pytest.raises(KnownError, match="至少需要两个"):
        service.merge_departments(db, ["省教育厅"], "省教育委员会", date(2020, 1, 1))


def test_cli_records_a_renaming_and_lists_the_history(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    db.dispose()
    assert (
        main(["departments", "rename", "省教育厅", "省教育委员会", "--from", "2024-03-01", "--db", str(db.path)]) == 0
    )
    assert "已记录：省教育厅 更名为 省教育委员会（新建单位）" in capsys.readouterr().out
    assert main(["departments", "list", "--history", "--db", str(db.path)]) == 0
    out = capsys.readouterr().out
    assert "省教育委员会（原省教育厅）" in out
    assert "2018-10-18 省卫生计生委 → 省卫生健康委员会（更名，内置对照表" in out
    assert "2024-03-01 省教育厅 → 省教育委员会（更名" in out
    assert main(["departments", "resolve", "省不存在局", "--db", str(db.path)]) == 1


def test_seeding_applies_the_reform_once_and_records_it_as_builtin(db: Database) -> None:
    lines = service.list_successions(db)
    assert {(x.old_name, x.new_name) for x in lines} >= {
        ("省工商局", "省市场监督管理厅"),
        ("省质监局", "省市场监督管理厅"),
    }
    assert all(x.builtin for x in lines)
    with db.session() as s:
        moved_at = s.scalars(select(AuditEntry.at)).all()
    assert moved_at == []  # the shipped table is the seeded state, not an edit
    assert datetime.now().year >= 2025


def test_a_database_seeded_before_the_successor_table_moves_clerks_assignments_audited(tmp_path: Path) -> None:
    from app.services.database import open_database
    from app.storage.portfolio import BUILTIN_USER, load_builtin_portfolio, read_portfolio

    database = open_database(tmp_path / "old.db", seed=False).database
    try:
        older = read_portfolio()
        older.pop("successors")
        with database.session() as s:
            load_builtin_portfolio(s, older)
            nongwei = s.scalars(select(Department).where(Department.name == "省农委")).one()
            s.scalars(select(Project).where(Project.code == "ZD01")).one().lead_department_id = nongwei.id
        with database.session() as s:
            summary = load_builtin_portfolio(s)
            assert summary.added["successions"] == 7
            project = s.scalars(select(Project).where(Project.code == "ZD01")).one()
            assert project.lead_department is not None and project.lead_department.name == "省农业农村厅"
            [audit] = s.scalars(select(AuditEntry).where(AuditEntry.field == "lead_department_id")).all()
            assert (audit.user, audit.old_value, audit.new_value) == (BUILTIN_USER, "省农委", "省农业农村厅")
    finally:
        database.dispose()


def test_gantt_for_a_former_name_says_which_department_it_drew(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db.dispose()
    out = tmp_path / "g.png"
    code = main(["gantt", "--db", str(db.path), "--department", "省文化厅", "--today", "2025-11-20", "--out", str(out)])
    text = capsys.readouterr()
    assert "单位名称：省文化厅 → 省文化和旅游厅" in text.out
    # The two projects of 二(一)5 carry no dates yet: drawn or refused, never another department's projects.
    assert code == 0 or "没有项目" in text.err
