"""Return templates as a department's clerk opens them: pre-filled rows, checks, locks, hidden meta, print."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from app.returns.fields import (
    INDICATORS,
    INSTRUCTIONS_SHEET,
    MEMBERS,
    META_SHEET,
    MILESTONES,
    PROGRESS,
    TEMPLATE_VERSION,
)
from app.returns.template import FIRST_DATA_ROW, HEADER_ROW, PROGRESS_COLUMNS
from app.returns.xlsx import safe_file_name
from app.services.templates import export_templates
from app.storage.db import Database
from app.storage.errors import KnownError
from tests.returns.outdata import DUE_Q3, INDUSTRY, REFORM, TELECOM, build_scenario, soffice_convert
from tests.supervision_helpers import clear_task_parts

# Exact scenarios on the first twelve projects (see tests/first_portfolio.py).
pytestmark = pytest.mark.usefixtures("first_portfolio")


@pytest.fixture
def industry_template(db: Database, tmp_path: Path) -> openpyxl.Workbook:
    build_scenario(db)
    [written] = export_templates(db, "2025-Q3", tmp_path / "out", department=INDUSTRY)
    return openpyxl.load_workbook(written.path)


def _rows(ws: Worksheet) -> list[dict[str, object]]:
    headers = [c.value for c in ws[HEADER_ROW]]
    return [
        dict(zip(headers, (c.value for c in row), strict=True))
        for row in ws.iter_rows(min_row=FIRST_DATA_ROW)
        if any(c.value is not None for c in row)
    ]


def _header(field: str) -> str:
    return PROGRESS.field(field).header


def test_template_prefills_projects_with_last_period_current_figures(industry_template: openpyxl.Workbook) -> None:
    rows = _rows(industry_template[PROGRESS.title])
    assert [r[_header("project_code")] for r in rows] == ["ZD01", "ZD02", "ZD03"]
    zd01 = rows[0]
    assert zd01[_header("project_name")] == "省数据灾备中心二期工程"
    assert zd01[_header("department")] == INDUSTRY
    assert zd01[_header("planned_investment")] == 50000
    # 1000, not the 900 of the superseded Q2 return.
    assert zd01[_header("previous_cumulative")] == 1000
    assert zd01[_header("previous_progress_pct")] == 20
    assert zd01[_header("investment_cumulative")] is None
    assert rows[2][_header("previous_cumulative")] is None  # ZD03 never reported


def test_template_headers_are_the_importer_vocabulary(industry_template: openpyxl.Workbook) -> None:
    ws = industry_template[PROGRESS.title]
    assert [c.value for c in ws[HEADER_ROW]] == [PROGRESS.field(c.field).header for c in PROGRESS_COLUMNS]
    assert ws["A1"].value == f"{INDUSTRY}重点项目进展情况表（2025年第三季度）"
    assert ws["A2"].value == f"填报单位：{INDUSTRY}"
    assert "报告期：2025年第三季度" in [c.value for c in ws[2]]


def test_template_has_number_percent_date_and_list_checks(industry_template: openpyxl.Workbook) -> None:
    progress = industry_template[PROGRESS.title].data_validations.dataValidation
    money = next(dv for dv in progress if dv.type == "decimal" and dv.operator == "greaterThanOrEqual")
    assert str(money.sqref) == "H4:H6 I4:I6"
    assert money.formula1 == "0"
    percent = next(dv for dv in progress if dv.operator == "between")
    assert (percent.formula1, percent.formula2, str(percent.sqref)) == ("0", "100", "J4:J6")
    dates = industry_template[MILESTONES.title].data_validations.dataValidation
    assert [dv.type for dv in dates] == ["date"]
    members = industry_template[MEMBERS.title].data_validations.dataValidation
    programme_list = next(dv for dv in members if dv.type == "list")
    assert "省级“两化”深度融合试验区" in programme_list.formula1
    assert "中小企业“智慧企业”创建" in programme_list.formula1
    assert str(programme_list.sqref).startswith("A4:A")


def test_template_locks_key_columns_and_leaves_value_cells_editable(industry_template: openpyxl.Workbook) -> None:
    ws = industry_template[PROGRESS.title]
    assert ws.protection.sheet is True
    assert not ws.protection.password
    code, name, planned, cumulative, text = ws["A4"], ws["B4"], ws["E4"], ws["I4"], ws["K4"]
    assert code.protection.locked and name.protection.locked and planned.protection.locked
    assert not cumulative.protection.locked and not text.protection.locked


def test_template_meta_sheet_is_very_hidden_and_names_department_and_period(
    industry_template: openpyxl.Workbook,
) -> None:
    meta = industry_template[META_SHEET]
    assert meta.sheet_state == "veryHidden"
    values = {row[0].value: row[1].value for row in meta.iter_rows()}
    assert industry_template.security.lockStructure  # cannot be unhidden, renamed or deleted by a slip
    assert values["template_version"] == TEMPLATE_VERSION
    assert values["department"] == INDUSTRY
    assert values["period"] == "2025-Q3"


def test_template_is_ready_to_print_with_frozen_header(industry_template: openpyxl.Workbook) -> None:
    ws = industry_template[PROGRESS.title]
    assert ws.freeze_panes == "C4"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 8  # A3: 14 columns on A4 would print at 6 pt
    assert ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$1:$3"
    assert ws.column_dimensions["B"].width >= 20
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"


def test_template_milestones_sheet_lists_project_milestones(industry_template: openpyxl.Workbook) -> None:
    ws = industry_template[MILESTONES.title]
    rows = _rows(ws)
    assert [(r["项目编号"], r["里程碑"]) for r in rows] == [("ZD01", "主体开工"), ("ZD01", "竣工验收")]
    assert rows[0]["计划完成日期"].date().isoformat() == "2025-03-01"
    assert ws["E4"].protection.locked is False and ws["D4"].protection.locked is True


def test_template_instructions_give_units_due_date_and_contacts(industry_template: openpyxl.Workbook) -> None:
    text = "\n".join(str(c.value) for row in industry_template[INSTRUCTIONS_SHEET].iter_rows() for c in row if c.value)
    assert "万元" in text and "0～100" in text and "2025-09-30" in text
    assert f"{DUE_Q3:%Y年%m月%d日}" in text
    assert "张三" in text and "0431-88880001" in text
    assert "2025年第二季度" in text  # where the 上期 figures come from


def test_template_sheets_depend_on_what_the_department_reports(db: Database, tmp_path: Path) -> None:
    build_scenario(db)
    written = export_templates(db, "2025-Q3", tmp_path, department=TELECOM)
    wb = openpyxl.load_workbook(written[0].path)
    assert wb.sheetnames == [INDICATORS.title, INSTRUCTIONS_SHEET, META_SHEET]  # no project: no 项目进展 sheet
    instructions = "".join(str(c.value) for row in wb[INSTRUCTIONS_SHEET].iter_rows() for c in row if c.value)
    assert f"“{PROGRESS.title}”" not in instructions and f"“{INDICATORS.title}”" in instructions
    names = [r["指标名称"] for r in _rows(wb[INDICATORS.title])]
    assert names == ["互联网网民数量", "互联网普及率", "电子商务交易额", "网络零售交易额"]
    assert wb[INDICATORS.title]["D4"].protection.locked is False


def test_batch_exports_every_expected_department_with_safe_names(db: Database, tmp_path: Path) -> None:
    build_scenario(db)
    written = export_templates(db, "2025-Q3", tmp_path / "模板")
    assert [w.department for w in written] == [INDUSTRY, REFORM, TELECOM]
    assert sorted(p.name for p in (tmp_path / "模板").iterdir()) == sorted(
        f"{d}_2025年第三季度.xlsx" for d in (INDUSTRY, REFORM, TELECOM)
    )


def test_batch_refuses_to_overwrite_existing_files_unless_asked(db: Database, tmp_path: Path) -> None:
    build_scenario(db)
    out = tmp_path / "模板"
    out.mkdir()
    filled = out / f"{REFORM}_2025年第三季度.xlsx"
    filled.write_bytes(b"a department's filled-in return")
    with pytest.raises(KnownError, match="已有同名文件：省发展改革委_2025年第三季度.xlsx"):
        export_templates(db, "2025-Q3", out)
    assert filled.read_bytes() == b"a department's filled-in return"
    assert [p.name for p in out.iterdir()] == [filled.name]  # nothing written at all
    export_templates(db, "2025-Q3", out, overwrite=True)
    assert openpyxl.load_workbook(filled)[META_SHEET]["B2"].value == REFORM


def test_department_alias_selects_the_department(db: Database, tmp_path: Path) -> None:
    build_scenario(db)
    [written] = export_templates(db, "2025-Q3", tmp_path, department="吉林省发展和改革委员会")
    assert written.department == REFORM


def test_unknown_department_is_refused_with_close_names(db: Database, tmp_path: Path) -> None:
    with pytest.raises(KnownError, match="相近的单位有：.*省发展改革委"):
        export_templates(db, "2025-Q3", tmp_path, department="省发展委")


def test_batch_without_any_lead_department_is_refused_in_chinese(db: Database, tmp_path: Path) -> None:
    clear_task_parts(db)
    with pytest.raises(KnownError, match="没有需要填报的单位"):
        export_templates(db, "2025-Q3", tmp_path)


def test_bad_period_is_refused_in_chinese(db: Database, tmp_path: Path) -> None:
    with pytest.raises(KnownError, match="报告期格式不正确"):
        export_templates(db, "2025年秋", tmp_path, department=INDUSTRY)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a/b:c*?", "a_b_c__"), ("CON", "_CON"), ("名称. ", "名称"), ('x"<>|y', "x____y")],
)
def test_safe_file_name_is_accepted_by_windows(name: str, expected: str) -> None:
    assert safe_file_name(name) == expected


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_template_keeps_meta_checks_and_locks_after_libreoffice_resave(
    db: Database, tmp_path: Path, artifacts_dir: Path
) -> None:
    build_scenario(db)
    [written] = export_templates(db, "2025-Q3", tmp_path, department=INDUSTRY)
    resaved = openpyxl.load_workbook(soffice_convert(written.path, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo"))
    meta = resaved[META_SHEET]
    assert meta.sheet_state in ("hidden", "veryHidden")
    assert {row[0].value: row[1].value for row in meta.iter_rows()}["period"] == "2025-Q3"
    ws = resaved[PROGRESS.title]
    assert ws.protection.sheet and ws["A4"].protection.locked and not ws["I4"].protection.locked
    assert {dv.type for dv in ws.data_validations.dataValidation} == {"decimal"}
    assert ws["F4"].value == 1000
    # What the department sees when it prints the template.
    pdf = soffice_convert(written.path, "pdf", tmp_path / "pdf")
    out = artifacts_dir / "returns-out"
    out.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out / "template")], check=True)
