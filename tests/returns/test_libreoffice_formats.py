"""Returns saved by LibreOffice/WPS-era tools: old .xls (Excel 97-2003) and LibreOffice's own .xlsx.

One LibreOffice run per test session converts every source workbook at once (~2 s), in a private profile.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from app.returns.parse import parse_return
from app.returns.parsed import ParsedReturn, Severity
from app.returns.read import read_workbook
from tests.returns.workbooks import convert_with_libreoffice, titled_return

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by scripts/setup.sh"),
]

ROWS = [
    ["P1", "长春数据中心", "1,200", 100, "0.35亿元", "60%", None],
    ["P2", "吉林云平台", 800, 50, 300, 0.45, "用地手续"],
    [None] * 7,
    ["合计", None, "=C4+C5", "=D4+D5", None, None, None],
    ["填报人：张三", None, "联系电话：0431-88888888"],
]


def _two_row(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目进展"
    ws["A1"] = "2025年第三季度重点项目进展情况表"
    ws.merge_cells("A1:F1")
    ws["A2"], ws["B2"], ws["C2"], ws["F2"] = "序号", "项目名称", "投资情况（亿元）", "形象进度"
    ws.merge_cells("C2:E2")
    for col in "ABF":
        ws.merge_cells(f"{col}2:{col}3")
    ws["C3"], ws["D3"], ws["E3"] = "总投资", "本年完成", "累计完成"
    ws.append([1, "数据中心", 1.2, 0.1, 0.35, "60%"])
    ws.append([2, "云平台", 2, 0.2, 0.5, 0.3])
    ws.row_dimensions[5].hidden = True
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    src = tmp_path_factory.mktemp("lo-src")
    out_xls = tmp_path_factory.mktemp("lo-xls")
    out_xlsx = tmp_path_factory.mktemp("lo-xlsx")
    titled = titled_return(src / "省工信厅_2025年三季度.xlsx", ROWS)
    two_row = _two_row(src / "省发改委_2025年三季度.xlsx")
    files = {"titled": titled, "two_row": two_row}
    files["titled.xls"], files["two_row.xls"] = convert_with_libreoffice([titled, two_row], out_xls, "xls")
    files["titled.lo.xlsx"], files["two_row.lo.xlsx"] = convert_with_libreoffice([titled, two_row], out_xlsx, "xlsx")
    return files


def summary(parsed: ParsedReturn) -> tuple[object, ...]:
    rows = tuple((r.row, tuple(sorted(r.values.items()))) for r in parsed.rows.get("progress", []))
    errors = tuple(p.message for p in parsed.problems if p.severity is Severity.ERROR)
    return parsed.department, parsed.period_key, rows, errors


def test_xls_saved_by_libreoffice_parses_like_the_xlsx(converted: dict[str, Path]) -> None:
    assert read_workbook(converted["titled.xls"]).workbook.format == "xls"  # type: ignore[union-attr]
    assert summary(parse_return(converted["titled.xls"])) == summary(parse_return(converted["titled"]))


def test_xls_two_row_merged_header_and_units(converted: dict[str, Path]) -> None:
    parsed = parse_return(converted["two_row.xls"])
    assert [r.values["investment_cumulative"] for r in parsed.rows["progress"]] == [3500.0, 5000.0]
    assert [r.values["progress_pct"] for r in parsed.rows["progress"]] == [60.0, 30.0]


def test_xls_hidden_rows_are_found_through_xlrd(converted: dict[str, Path]) -> None:
    parsed = parse_return(converted["two_row.xls"])
    assert [p.row for p in parsed.problems if "隐藏行" in p.message] == [5]


def test_xlsx_resaved_by_libreoffice_parses_the_same(converted: dict[str, Path]) -> None:
    for key in ("titled", "two_row"):
        assert summary(parse_return(converted[f"{key}.lo.xlsx"])) == summary(parse_return(converted[key]))


def test_formulas_recalculated_by_libreoffice_have_cached_values(converted: dict[str, Path]) -> None:
    workbook = read_workbook(converted["titled.lo.xlsx"]).workbook
    assert workbook is not None and workbook.sheets[0].uncached_formulas == set()
    assert workbook.sheets[0].rows[6][2] == 2000.0  # =C4+C5 of "1,200" (text) and 800 is computed by LibreOffice
