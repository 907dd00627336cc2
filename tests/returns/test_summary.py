"""The consolidated ledger the office prints: grouping, subtotals, programmes, print setup, text safety."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from app.returns.summary import HEADER_ROW, LEDGER_SHEET, NOT_REPORTED, PROGRAMMES_SHEET
from app.services.ledger import load_rows
from app.services.summary import export_summary
from app.storage.db import Database
from tests.returns.outdata import INDUSTRY, INJECTIONS, REFORM, build_scenario, soffice_convert

# Exact scenarios on the first twelve projects (see tests/first_portfolio.py).
pytestmark = pytest.mark.usefixtures("first_portfolio")


@pytest.fixture
def summary_path(db: Database, tmp_path: Path) -> Path:
    build_scenario(db)
    path = tmp_path / "汇总.xlsx"
    export_summary(db, "2025-Q3", path)
    return path


def _ledger_rows(ws: Worksheet) -> list[list[object]]:
    return [[c.value for c in row] for row in ws.iter_rows(min_row=4)]


def _row(ws: Worksheet, name: str) -> list[object]:
    return next(r for r in _ledger_rows(ws) if r[2] == name)


def test_projects_are_grouped_by_task_with_their_period_figures(summary_path: Path) -> None:
    ws = openpyxl.load_workbook(summary_path)[LEDGER_SHEET]
    rows = _ledger_rows(ws)
    assert str(rows[0][0]).startswith("一、三(四)2 推动云计算产业重点项目建设")
    assert [r[1] for r in rows[1:9]] == [f"ZD0{i}" for i in range(1, 9)]
    zd01 = rows[1]
    assert zd01[2:8] == ["省数据灾备中心二期工程", INDUSTRY, 50000, 300, 1300, 35]
    assert zd01[11:14] == list(INJECTIONS[:3])
    assert _row(ws, "吉林市江南数据中心")[11] == NOT_REPORTED
    assert _row(ws, "中国北方云基地白城云计算中心")[3] == REFORM


def test_status_and_lag_columns_say_what_the_ledger_says_for_the_period(summary_path: Path, db: Database) -> None:
    ws = openpyxl.load_workbook(summary_path)[LEDGER_SHEET]
    assert [ws.cell(HEADER_ROW, c).value for c in (9, 10, 11)] == ["状态", "是否\n滞后", "滞后原因"]
    with db.session() as s:
        ledger = {r.code: r for r in load_rows(s, "2025-Q3")}
    rows = {r[1]: r for r in _ledger_rows(ws) if r[1] in ledger}
    assert len(rows) == 8
    for code, row in rows.items():
        expected = ledger[code]
        assert row[8] == expected.status, code
        assert row[9:11] == (["是", "；".join(expected.lag_reasons)] if expected.behind else ["否", None]), code
    assert {r[9] for r in rows.values()} == {"是", "否"}  # the scenario has both, so the check bites
    assert {r[8] for r in rows.values()} >= {"在建", "未填报"}


def test_lagging_project_is_marked_red_in_the_summary(summary_path: Path) -> None:
    ws = openpyxl.load_workbook(summary_path)[LEDGER_SHEET]
    behind = next(r for r in ws.iter_rows(min_row=HEADER_ROW + 1) if r[9].value == "是")
    assert behind[9].font.color.rgb.endswith("C00000")
    assert behind[10].font.color.rgb.endswith("C00000")


def test_subtotal_and_grand_total_add_up_the_figures(summary_path: Path) -> None:
    ws = openpyxl.load_workbook(summary_path)[LEDGER_SHEET]
    subtotal = next(r for r in _ledger_rows(ws) if str(r[2]).startswith("小计"))
    total = next(r for r in _ledger_rows(ws) if str(r[2]).startswith("合计"))
    assert subtotal[2] == "小计（8 个项目）"
    assert subtotal[4:7] == [50000 + 30000 + 20000 + 12345.5, 300 + 120.5, 1300 + 620.5]
    assert total[2] == "合计（8 个项目）"
    assert total[4:7] == subtotal[4:7]


def test_department_text_is_written_as_text_never_a_formula(summary_path: Path) -> None:
    wb = openpyxl.load_workbook(summary_path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value in INJECTIONS]
    assert sorted({c.value for c in cells}) == sorted(INJECTIONS)
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    member = next(c for row in wb.worksheets[2].iter_rows() for c in row if c.value == "=吉林市试验区")
    assert member.data_type == "s"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_formula_like_text_survives_a_libreoffice_recalculation(summary_path: Path, tmp_path: Path) -> None:
    resaved = soffice_convert(summary_path, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    formulas = openpyxl.load_workbook(resaved)
    values = openpyxl.load_workbook(resaved, data_only=True)
    ws_f, ws_v = formulas[LEDGER_SHEET], values[LEDGER_SHEET]
    texts = {c.value for row in ws_v.iter_rows() for c in row}
    assert set(INJECTIONS) <= texts  # =1+1 is still "=1+1", not 2; the HYPERLINK is not a link
    assert not [c.coordinate for row in ws_f.iter_rows() for c in row if c.data_type == "f"]
    assert ws_v["F5"].value == 300  # numbers stay numbers


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_summary_prints_landscape_with_page_numbers(summary_path: Path, tmp_path: Path, artifacts_dir: Path) -> None:
    pdf = soffice_convert(summary_path, "pdf", tmp_path / "pdf")
    text = unicodedata.normalize(
        "NFKC",
        subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout,
    )
    assert "重点项目推进情况汇总表(2025年第三季度)" in text
    assert "第1页共" in text.replace(" ", "")
    assert "=HYPERLINK" in text
    out = artifacts_dir / "returns-out"
    out.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(pdf), str(out / "summary")], check=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = (float(x) for x in info.split("Page size:")[1].split("pts")[0].split("x"))
    assert width > height  # landscape
    assert abs(width - 1191) < 2  # A3: 14 columns fitted to A4 would print below 8 pt


def test_ledger_sheet_is_set_up_for_printing(summary_path: Path) -> None:
    ws = openpyxl.load_workbook(summary_path)[LEDGER_SHEET]
    assert ws.freeze_panes == "D4"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 8  # A3: at A4 width the 10-pt text would print at 6.6 pt
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$3"
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert ws["L5"].alignment.wrap_text
    assert ws.column_dimensions["L"].width >= 30


def test_programme_sheets_list_members_and_count_against_quota(summary_path: Path) -> None:
    wb = openpyxl.load_workbook(summary_path)
    overview = {r[0]: r for r in ([c.value for c in row] for row in wb[PROGRAMMES_SHEET].iter_rows(min_row=4))}
    # JH01: total quota 10; the member from a superseded return and the 2026 one do not count.
    assert overview["JH01"][3:6] == ["合计 10 个", 2, 20]
    # JH03: 500 a year; only 2025's three count for 2025-Q3.
    assert overview["JH03"][3:6] == ["每年 500 家", 3, 0.6]
    jh03 = next(ws for ws in wb.worksheets if ws.title.startswith("JH03"))
    names = [row[1].value for row in jh03.iter_rows(min_row=4) if isinstance(row[0].value, int)]
    assert len(names) == 5
    texts = [str(c.value) for row in jh03.iter_rows() for c in row if c.value]
    assert "分年度：2024年 2 家；2025年 3 家" in texts
    assert "2025年已登记 3 家，定额每年 500 家，完成 0.6%" in jh03["A2"].value
    assert jh03.print_title_rows == "$1:$3"


def test_summary_for_period_without_returns_still_lists_every_project(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "空.xlsx"
    data = export_summary(db, "2024-Q1", path)
    assert data.project_count == 8
    ws = openpyxl.load_workbook(path)[LEDGER_SHEET]
    assert sum(1 for r in _ledger_rows(ws) if r[11] == NOT_REPORTED) == 8


def test_project_without_task_is_listed_last_under_its_own_heading(db: Database, tmp_path: Path) -> None:
    from app.storage.models import Project

    with db.session() as s:
        s.query(Project).filter_by(code="ZD08").one().task_id = None
    path = tmp_path / "s.xlsx"
    data = export_summary(db, "2025-Q3", path)
    assert [len(g.projects) for g in data.groups] == [7, 1]
    rows = _ledger_rows(openpyxl.load_workbook(path)[LEDGER_SHEET])
    heading = next(i for i, r in enumerate(rows) if str(r[0]).startswith("二、"))
    assert rows[heading][0] == "二、未归类项目"
    assert rows[heading + 1][1] == "ZD08"
    assert rows[-1][2] == "合计（8 个项目）"


def test_same_enterprise_registered_twice_is_flagged_and_counted_once(summary_path: Path) -> None:
    wb = openpyxl.load_workbook(summary_path)
    jh01 = next(ws for ws in wb.worksheets if ws.title.startswith("JH01"))
    rows = [[c.value for c in row] for row in jh01.iter_rows(min_row=4)]
    members = [r for r in rows if isinstance(r[0], int)]
    assert [r[1] for r in members] == ["长春新区试验区", "=吉林市试验区", "长春新区 试验区"]
    assert members[2][6] == "与序号 1 为同一企业，不重复计数"
    assert members[0][6] is None
    assert next(r[1] for r in rows if str(r[1]).startswith("合计")) == "合计 2 个（登记 3 条，其中重复 1 条）"
    assert "累计已登记 2 个" in jh01["A2"].value
