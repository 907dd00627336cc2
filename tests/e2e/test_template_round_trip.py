"""Every template the app writes imports cleanly once filled with valid data, also after LibreOffice saved it."""

from __future__ import annotations

import contextlib
import io
import shutil
from datetime import date
from itertools import cycle
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.cli import main
from app.services import indicators as indicator_service
from app.services import projects as project_service
from app.services.database import open_database
from app.services.returns import Verdict, preview
from app.storage.db import Database
from app.storage.models import Department, Indicator, Project
from app.storage.successions import retired_department_ids
from tests.e2e.people import column_of, header_row, valid_credit_code
from tests.returns.outdata import soffice_convert_all

PERIOD = "2025-Q3"
# The shapes these tests look for (an indicator-only department, two departments covering every sheet) are laid
# out on the first twelve projects (see tests/first_portfolio.py).
pytestmark = pytest.mark.usefixtures("first_portfolio")


def assign_everything(db_path: Path) -> None:
    """Spread every project and indicator over every department, with plans and a milestone each."""
    database = Database(db_path)
    try:
        with database.session() as s:
            projects = [(p.id, p.version, p.kind) for p in s.scalars(select(Project).order_by(Project.id))]
            # Departments as they exist today (the 2018 reform renamed or merged 7 of the documents' 20 into 5).
            retired = retired_department_ids(s)
            depts = [d.id for d in s.scalars(select(Department).order_by(Department.id)) if d.id not in retired]
            indicators = [i.id for i in s.scalars(select(Indicator).order_by(Indicator.id))]
        owners = cycle(depts)
        for pid, version, kind in projects:
            changes: dict[str, object] = {"lead_department_id": next(owners)}
            if kind == "key_project":
                changes |= {"planned_start": date(2024, 1, 1), "planned_end": date(2026, 12, 31)}
                changes["planned_investment"] = 10000.0
            project_service.update_project(database, pid, version, changes)
            if kind == "key_project":
                project_service.add_milestone(database, pid, "开工", planned_date=date(2025, 3, 31))
        for iid in indicators:
            indicator_service.set_responsible_department(database, iid, next(owners))
    finally:
        database.dispose()


def fill_validly(path: Path, serial: cycle[int]) -> None:
    """Write plausible valid values into every cell a department is meant to fill."""
    wb = openpyxl.load_workbook(path)
    if "项目进展" in wb.sheetnames:
        ws = wb["项目进展"]
        head = header_row(ws, "项目编号")
        for row in range(head + 1, ws.max_row + 1):
            if not ws.cell(row, 1).value:
                continue
            for header, value in (
                ("本期完成投资（万元）", 500),
                ("累计完成投资（万元）", 2500),
                ("形象进度（%）", 40),
                ("本期进展情况", "按计划推进"),
                ("存在问题", "无"),
                ("需协调解决的问题", "无"),
                ("下步工作计划", "继续施工"),
            ):
                ws.cell(row, column_of(ws, header, head), value)
    if "里程碑" in wb.sheetnames:
        ws = wb["里程碑"]
        head = header_row(ws, "项目编号")
        for row in range(head + 1, ws.max_row + 1):
            if ws.cell(row, 1).value:
                ws.cell(row, column_of(ws, "实际完成日期", head), date(2025, 4, 10))
    if "新增计划成员" in wb.sheetnames:
        ws = wb["新增计划成员"]
        head = header_row(ws, "所属计划")
        allowed = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list").formula1
        for n, programme in enumerate(allowed.strip('"').split(","), start=1):
            ws.cell(head + n, 1, programme)
            ws.cell(head + n, 2, f"吉林省示范{next(serial)}号有限公司")
            ws.cell(head + n, 3, valid_credit_code(f"9122010{next(serial):03d}MA0Y3K7"[:17]))
            ws.cell(head + n, 4, "长春市")
            ws.cell(head + n, 5, 2025)
    if "指标数据" in wb.sheetnames:
        ws = wb["指标数据"]
        head = header_row(ws, "指标编号")
        for row in range(head + 1, ws.max_row + 1):
            if ws.cell(row, 1).value:
                unit = ws.cell(row, column_of(ws, "单位", head)).value
                ws.cell(row, column_of(ws, "本期数值", head), 50 if unit else "已实现")
                ws.cell(row, column_of(ws, "数据来源", head), "统计快报")
    wb.save(path)


@pytest.fixture
def filled(db_path: Path, tmp_path: Path) -> Path:
    """Every department's template for the period, filled with valid data."""
    assign_everything(db_path)
    out = tmp_path / "templates"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["template", "--db", str(db_path), "--period", PERIOD, "--out", str(out)]) == 0
    serial = cycle(range(100, 999))
    for path in sorted(out.glob("*.xlsx")):
        fill_validly(path, serial)
    return out


def _previews(db_path: Path, folder: Path) -> list:
    database = open_database(db_path, seed=False).database
    try:
        return preview(database, [folder])
    finally:
        database.dispose()


def test_every_filled_template_imports_without_a_single_problem(db_path: Path, filled: Path) -> None:
    previews = _previews(db_path, filled)
    assert len(previews) == 18  # every department owes a return once everything is assigned
    for item in previews:
        assert [p.describe() for p in item.problems] == []
        assert item.verdict is Verdict.WILL_IMPORT


def test_indicator_only_template_has_no_project_sheet_and_imports(db_path: Path, filled: Path) -> None:
    indicator_only = [p for p in sorted(filled.glob("*.xlsx")) if openpyxl.load_workbook(p).sheetnames[0] == "指标数据"]
    assert indicator_only
    previews = _previews(db_path, indicator_only[0].parent)
    chosen = [item for item in previews if Path(item.path).name in {p.name for p in indicator_only}]
    assert len(chosen) == len(indicator_only)
    assert all(item.verdict is Verdict.WILL_IMPORT and not item.problems for item in chosen)


def test_import_of_every_filled_template_exits_zero(db_path: Path, filled: Path) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["import", "--db", str(db_path), str(filled)])
    assert code == 0, out.getvalue()
    assert "导入 18 个" in out.getvalue() and "警告" not in out.getvalue()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_templates_saved_by_libreoffice_import_alike(db_path: Path, filled: Path, tmp_path: Path) -> None:
    # Two departments cover every sheet: projects, milestones and indicators; projects and programme members.
    sheets = {p: openpyxl.load_workbook(p).sheetnames for p in sorted(filled.glob("*.xlsx"))}
    chosen = [next(p for p, names in sheets.items() if sheet in names) for sheet in ("里程碑", "新增计划成员")]
    results = {}
    for fmt in ("xls", "xlsx"):
        folder = tmp_path / fmt
        soffice_convert_all(chosen, fmt, folder)  # this process's LibreOffice profile: made once, not per test
        results[fmt] = _previews(db_path, folder)
    original = _previews(db_path, filled)
    wanted = {p.file_name: p.validated for p in original if Path(p.file_name).stem in {c.stem for c in chosen}}
    for fmt, previews in results.items():
        assert len(previews) == 2, fmt
        for item in previews:
            assert [p.describe() for p in item.problems] == [], fmt
            assert item.verdict is Verdict.WILL_IMPORT, fmt
            base = wanted[Path(item.file_name).stem + ".xlsx"]
            assert item.department_name == base.department.name
            assert item.contents() == next(o for o in original if o.validated is base).contents()
