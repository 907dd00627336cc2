"""How departments fill the app's templates: the edits real people make, done with openpyxl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from app.domain.credit_code import check_character

# Column headers of the template sheets, as the app writes them (app.returns.fields).
PROGRESS_SHEET = "项目进展"
MEMBERS_SHEET = "新增计划成员"
INDICATORS_SHEET = "指标数据"
MILESTONES_SHEET = "里程碑"


def valid_credit_code(body: str = "91220101MA0Y3K7B8") -> str:
    """A GB 32100 code with its correct check character (body: 17 characters)."""
    return body + check_character(body)


def wrong_credit_code(body: str = "91220101MA0Y3K7B8") -> str:
    """The same code with its check character changed: a typing slip the importer must catch."""
    good = check_character(body)
    return body + ("0" if good != "0" else "1")


def header_row(ws: Worksheet, first_header: str) -> int:
    """The row whose column A holds ``first_header`` (templates put the header under title rows)."""
    for row in range(1, 30):
        if ws.cell(row, 1).value == first_header:
            return row
    raise AssertionError(f"no header {first_header!r} in {ws.title}")


def column_of(ws: Worksheet, header: str, row: int) -> int:
    """The 1-based column whose header cell (in ``row``) is ``header``."""
    for col in range(1, ws.max_column + 1):
        if ws.cell(row, col).value == header:
            return col
    raise AssertionError(f"no column {header!r} in {ws.title}")


def rows_by_code(ws: Worksheet, header: int) -> dict[str, int]:
    """Code in column A → row, for the data rows under the header."""
    found: dict[str, int] = {}
    for row in range(header + 1, ws.max_row + 1):
        value = ws.cell(row, 1).value
        if isinstance(value, str) and value.strip():
            found[value.strip()] = row
    return found


def insert_row_like_excel(ws: Worksheet, at: int) -> None:
    """Insert a row the way Excel does: merged ranges below move down with their cells."""
    moved = [r for r in ws.merged_cells.ranges if r.min_row >= at]
    for r in moved:
        ws.unmerge_cells(str(r))
    ws.insert_rows(at)
    for r in moved:
        ws.merge_cells(start_row=r.min_row + 1, start_column=r.min_col, end_row=r.max_row + 1, end_column=r.max_col)


def fill_progress(ws: Worksheet, figures: dict[str, dict[str, Any]]) -> None:
    """Write each project's figures (header → value) into its row, found by project code."""
    head = header_row(ws, "项目编号")
    rows = rows_by_code(ws, head)
    for code, values in figures.items():
        for header, value in values.items():
            ws.cell(rows[code], column_of(ws, header, head), value)


def add_members(ws: Worksheet, members: list[dict[str, Any]]) -> None:
    """Append programme members under the header (header → value)."""
    head = header_row(ws, "所属计划")
    row = head + 1
    while ws.cell(row, 2).value not in (None, ""):
        row += 1
    for member in members:
        for header, value in member.items():
            ws.cell(row, column_of(ws, header, head), value)
        row += 1


def open_template(path: Path) -> openpyxl.Workbook:
    """Open a template for filling (as Excel would: every sheet, formulas kept)."""
    return openpyxl.load_workbook(path)
