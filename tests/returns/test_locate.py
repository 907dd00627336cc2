"""Finding sheets, header rows, title cells and the meta sheet."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from app.returns.fields import MILESTONES, PROGRESS
from app.returns.locate import find_header, locate_sheet, read_meta, read_title_cells
from app.returns.read import SheetGrid, read_workbook
from tests.returns.workbooks import titled_return


def grid_of(path: Path, index: int = 0) -> SheetGrid:
    workbook = read_workbook(path).workbook
    assert workbook is not None
    return workbook.sheets[index]


def test_header_is_found_under_title_rows(tmp_path: Path) -> None:
    path = titled_return(tmp_path / "t.xlsx", [["P1", "数据中心", 100, 10, 20, 0.5, None]], blank_rows_above=3)
    header = find_header(grid_of(path), PROGRESS)
    assert header is not None and (header.first_row, header.last_row) == (5, 5)


def test_header_in_row_20_is_found_but_row_21_is_not(tmp_path: Path) -> None:
    for blank, found in ((17, True), (18, False)):  # title + 填报单位 rows push the header down by 2 more
        rows = [["P1", "数据中心", 1, 1, 1, 1, None]]
        path = titled_return(tmp_path / f"t{blank}.xlsx", rows, blank_rows_above=blank)
        assert (find_header(grid_of(path), PROGRESS) is not None) is found


def two_row_header_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "2025年第三季度重点项目进展情况表"
    ws.merge_cells("A1:F1")
    ws["A3"], ws["B3"], ws["C3"], ws["F3"] = "序号", "项目名称", "投资情况（亿元）", "形象进度"
    ws.merge_cells("C3:E3")
    for col in "ABF":
        ws.merge_cells(f"{col}3:{col}4")
    ws["C4"], ws["D4"], ws["E4"] = "总投资", "本年完成", "累计完成"
    ws.append([1, "数据中心", 1.2, 0.1, 0.35, "60%"])
    wb.save(path)
    return path


def test_two_row_merged_header_is_combined(tmp_path: Path) -> None:
    grid = grid_of(two_row_header_workbook(tmp_path / "two.xlsx"))
    header = find_header(grid, PROGRESS)
    assert header is not None and (header.first_row, header.last_row) == (2, 3)
    bindings = header.columns.bindings
    assert {n: b.index for n, b in bindings.items()} == {
        "project_name": 1,
        "planned_investment": 2,
        "investment_period": 3,
        "investment_cumulative": 4,
        "progress_pct": 5,
    }
    assert bindings["investment_cumulative"].unit is not None and bindings["investment_cumulative"].unit.value == "亿元"


def test_sheet_is_recognised_by_name(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "里程碑"
    ws.append(["项目名称", "里程碑", "计划完成日期", "实际完成日期"])
    wb.save(tmp_path / "m.xlsx")
    located = locate_sheet(grid_of(tmp_path / "m.xlsx"))
    assert located is not None and located.spec is MILESTONES and located.by_name


def test_sheet_with_an_unknown_name_is_recognised_by_its_header(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "长春市"
    ws.append(["项目名称", "节点名称", "计划日期", "完成日期"])
    wb.save(tmp_path / "m.xlsx")
    located = locate_sheet(grid_of(tmp_path / "m.xlsx"))
    assert located is not None and located.spec is MILESTONES and not located.by_name


def test_title_cells_give_department_without_the_stamp_and_period(tmp_path: Path) -> None:
    path = titled_return(tmp_path / "t.xlsx", [["P1", "数据中心", 1, 1, 1, 1, None]])
    grid = grid_of(path)
    info = read_title_cells(grid, find_header(grid, PROGRESS))
    assert info.department == "省工业和信息化厅"
    assert info.period_text == "2025年第三季度"


def test_title_label_and_value_in_separate_cells(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["填报单位（盖章）：", "省发展改革委", None, "报告期：", "2025年9月"])
    ws.append(["项目名称", "形象进度"])
    ws.append(["数据中心", "60%"])
    wb.save(tmp_path / "t.xlsx")
    grid = grid_of(tmp_path / "t.xlsx")
    info = read_title_cells(grid, find_header(grid, PROGRESS))
    assert (info.department, info.period_text) == ("省发展改革委", "2025年9月")


def test_department_and_period_in_one_cell_with_full_width_colons(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["填报单位：省通信管理局（盖章）      报告期：2025年第三季度"])
    ws.append(["项目名称", "形象进度"])
    wb.save(tmp_path / "t.xlsx")
    grid = grid_of(tmp_path / "t.xlsx")
    info = read_title_cells(grid, find_header(grid, PROGRESS))
    assert (info.department, info.period_text) == ("省通信管理局", "2025年第三季度")


def test_period_from_the_title_line_when_no_label(tmp_path: Path) -> None:
    path = two_row_header_workbook(tmp_path / "two.xlsx")
    grid = grid_of(path)
    info = read_title_cells(grid, find_header(grid, PROGRESS))
    assert info.period_text == "2025年第三季度重点项目进展情况表"


def test_meta_sheet_key_value_pairs(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "_taizhang"
    ws.append(["template_version", "1"])
    ws.append(["department", "省工业和信息化厅"])
    ws.append(["period", "2025-Q3"])
    wb.save(tmp_path / "meta.xlsx")
    assert read_meta(grid_of(tmp_path / "meta.xlsx")) == {
        "template_version": "1",
        "department": "省工业和信息化厅",
        "period": "2025-Q3",
    }


@pytest.mark.parametrize(
    ("title", "department"),
    [
        ("省工业和信息化厅重点项目进展情况表（2025年第三季度）", "省工业和信息化厅"),
        ("长春市工业和信息化局2025年第三季度项目进展", "长春市工业和信息化局"),
        ("省发展改革委关于重点项目进展情况的报告", "省发展改革委"),
        ("吉林省2025年重点项目进展情况表", None),
        ("重点项目进展情况表", None),
    ],
)
def test_department_from_the_title_line(tmp_path: Path, title: str, department: str | None) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(["项目名称", "形象进度"])
    wb.save(tmp_path / "t.xlsx")
    grid = grid_of(tmp_path / "t.xlsx")
    assert read_title_cells(grid, find_header(grid, PROGRESS)).department == department
