"""Adopting the office's ledger: the dry run lists every change, the import is one step, and so is its undo."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.domain.money import MoneyUnit
from app.services import ledger_import as svc
from app.services.ledger import load_rows
from app.storage.backup import list_backups
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.models import AuditEntry, Department, ProgressEntry, Project, ReportingPeriod
from tests.ledger_book import ledger_workbook


def _counts(db: Database) -> tuple[int, int, int, int]:
    with db.session() as s:
        return (
            s.scalar(select(func.count()).select_from(Project)) or 0,
            s.scalar(select(func.count()).select_from(Department)) or 0,
            s.scalar(select(func.count()).select_from(ProgressEntry)) or 0,
            s.scalar(select(func.count()).select_from(ReportingPeriod)) or 0,
        )


def test_bracketed_phase_matches_the_built_in_project_with_its_score() -> None:
    assert svc.match_score("省数据灾备中心（二期）", "省数据灾备中心二期工程") >= svc.AUTO_MATCH
    assert svc.match_score("中国联通东北数据中心", "中国联通东北数据中心") == 1.0
    assert svc.match_score("长春新区智能网联汽车测试场", "省数据灾备中心二期工程") < svc.CONSIDER


def test_dry_run_lists_matches_new_projects_and_departments_and_writes_nothing(db: Database, tmp_path: Path) -> None:
    before = _counts(db)
    plan = svc.plan_ledger_import(db, ledger_workbook(tmp_path / "台账.xlsx"))
    assert _counts(db) == before
    assert plan.period_key == "2025-Q2"
    actions = {r.row.name: (r.action, r.project_label) for r in plan.rows}
    assert actions["省数据灾备中心（二期）"] == (svc.Action.UPDATE, "ZD01 省数据灾备中心二期工程")
    assert actions["长春新区智能网联汽车测试场"][0] == svc.Action.CREATE
    assert plan.new_departments == ["长春新区管委会", "省农业信息中心"]
    text = "\n".join(plan.listing())
    assert "ZD01 省数据灾备中心二期工程（相似度 0.97）" in text
    assert "计划投资（万元）：（空） → 32,000" in text
    assert "新建单位：长春新区管委会" in text


def test_import_then_undo_round_trip(db: Database, tmp_path: Path) -> None:
    before = _counts(db)
    plan = svc.plan_ledger_import(db, ledger_workbook(tmp_path / "台账.xlsx"), task="三(四)2")
    done = svc.import_ledger(db, plan, user="clerk")
    assert (done.updated, done.created, done.departments, done.progress) == (2, 2, 2, 4)
    assert list_backups(db.path)  # a backup first
    with db.session() as s:
        zd01 = s.scalar(select(Project).where(Project.code == "ZD01"))
        assert zd01 is not None
        assert zd01.planned_start == date(2016, 1, 1) and zd01.planned_investment == 32000.0
        new = s.scalar(select(Project).where(Project.name == "长春新区智能网联汽车测试场"))
        assert new is not None and new.task is not None and new.task.code == "三(四)2"
        assert new.lead_department is not None and new.lead_department.name == "长春新区管委会"
        audit = s.scalars(select(AuditEntry).where(AuditEntry.project_id == zd01.id)).all()
        assert {a.field for a in audit} >= {"planned_start", "planned_investment", "progress"}
    # The figures are the projects' progress as of the ledger's date, seen by the ledger view.
    with db.session() as s:
        rows = {r.code: r for r in load_rows(s, "2025-Q2", today=date(2025, 8, 1))}
    assert rows["ZD01"].progress_pct == 85.0 and rows["ZD01"].completed_investment == 28000.0

    message = svc.undo_ledger_import(db, done.batch_id, user="clerk")
    assert "已撤销" in message
    assert _counts(db) == before
    with db.session() as s:
        zd01 = s.scalar(select(Project).where(Project.code == "ZD01"))
        assert zd01 is not None and zd01.planned_start is None and zd01.planned_investment is None
        assert zd01.lead_department_id is None
    assert svc.list_ledger_imports(db)[0].undone
    with pytest.raises(KnownError, match="已经撤销"):
        svc.undo_ledger_import(db, done.batch_id)


def test_undo_refuses_when_an_imported_value_was_edited_since(db: Database, tmp_path: Path) -> None:
    done = svc.import_ledger(db, svc.plan_ledger_import(db, ledger_workbook(tmp_path / "台账.xlsx")))
    with db.session() as s:
        zd01 = s.scalar(select(Project).where(Project.code == "ZD01"))
        assert zd01 is not None
        zd01.planned_investment = 40000.0
    with pytest.raises(KnownError, match="计划投资"):
        svc.undo_ledger_import(db, done.batch_id)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Project).where(Project.code.like("TZ%"))) == 2


def test_row_matching_two_projects_equally_is_shown_not_guessed(db: Database, tmp_path: Path) -> None:
    rows: list[list[object]] = [[1, "数据中心", "省通信管理局", "长春市", "2016-2019", 1, 0.1, 0.5, "50%", "", ""]]
    plan = svc.plan_ledger_import(db, ledger_workbook(tmp_path / "台账.xlsx", rows=rows))
    (row,) = plan.rows
    assert row.action == svc.Action.AMBIGUOUS and row.project_id is None
    assert row.candidates[0].score - row.candidates[1].score <= svc.TIE
    assert "同样接近多个项目" in "\n".join(plan.listing())
    picked = svc.plan_ledger_import(
        db, ledger_workbook(tmp_path / "台账.xlsx", rows=rows), picks={5: row.candidates[1].project_id}
    )
    assert picked.rows[0].action == svc.Action.UPDATE and picked.rows[0].project_id == row.candidates[1].project_id


def test_unstated_units_stop_the_import_until_answered(db: Database, tmp_path: Path) -> None:
    path = ledger_workbook(tmp_path / "台账.xlsx", unit_line=None)
    plan = svc.plan_ledger_import(db, path)
    assert plan.units_unanswered and not plan.importable
    with pytest.raises(KnownError, match="F 列“总投资”.*没有写明金额单位"):
        svc.import_ledger(db, plan)
    answered = svc.plan_ledger_import(db, path, unit=MoneyUnit.YI)
    assert answered.importable and answered.rows[0].changes[-1].new_value == 32000.0


def test_declined_departments_are_not_created(db: Database, tmp_path: Path) -> None:
    plan = svc.plan_ledger_import(db, ledger_workbook(tmp_path / "台账.xlsx"), skip_departments={"省农业信息中心"})
    assert plan.new_departments == ["长春新区管委会"]
    svc.import_ledger(db, plan)
    with db.session() as s:
        assert s.scalar(select(Department).where(Department.name == "省农业信息中心")) is None


def test_ledger_without_a_date_asks_for_one(db: Database, tmp_path: Path) -> None:
    path = ledger_workbook(tmp_path / "台账.xlsx", title="重点项目台账")
    plan = svc.plan_ledger_import(db, path)
    assert plan.errors and "--as-of" in plan.errors[0].message
    assert svc.plan_ledger_import(db, path, as_of=date(2025, 9, 30)).period_key == "2025-Q3"


def test_cli_dry_run_import_list_and_undo(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(ledger_workbook(tmp_path / "台账.xlsx"))
    assert main(["import-ledger", "--db", str(db_path), path, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "试运行" in out and "ZD01 省数据灾备中心二期工程" in out
    assert main(["import-ledger", "--db", str(db_path), path]) == 0
    out = capsys.readouterr().out
    assert "导入批次" in out
    batch = int(out.split("--undo ")[1].split()[0])
    assert main(["import-ledger", "--db", str(db_path), "--list"]) == 0
    assert f"批次 {batch}" in capsys.readouterr().out
    assert main(["import-ledger", "--db", str(db_path), "--undo", str(batch)]) == 0
    assert "已撤销" in capsys.readouterr().out


def test_cli_refuses_unstated_units_naming_the_column(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(ledger_workbook(tmp_path / "台账.xlsx", unit_line=None))
    assert main(["import-ledger", "--db", str(db_path), path]) == 1
    err = capsys.readouterr().err
    assert "F 列“总投资” 没有写明金额单位" in err and "--units" in err
    assert main(["import-ledger", "--db", str(db_path), path, "--units", "亿元"]) == 0


def test_cli_says_a_return_is_a_return(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["填报单位：省工业和信息化厅"])
    ws.append(["项目名称", "本期完成投资（万元）", "形象进度（%）"])
    ws.append(["省数据灾备中心二期工程", 100, "60%"])
    path = tmp_path / "return.xlsx"
    wb.save(path)
    assert main(["import-ledger", "--db", str(db_path), str(path)]) == 1
    assert "部门报表" in capsys.readouterr().err
