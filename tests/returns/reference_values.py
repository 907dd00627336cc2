"""The row-by-row read_values as it was before the column-wise fast path: the reference the fast path must equal.

Kept verbatim (renamed) so tests/returns/test_values_fast_path.py can compare both on varied sheets.
"""

from __future__ import annotations

import math
from typing import Any

from app.domain.dates import parse_date
from app.domain.money import MoneyUnit, parse_money
from app.domain.outcome import Outcome
from app.domain.percent import parse_percent
from app.domain.text import normalise_header
from app.returns.columns import SILENT_COLUMNS
from app.returns.fields import ValueKind
from app.returns.locate import LocatedSheet
from app.returns.parsed import CellValue, ParsedRow, Problem, Severity
from app.returns.read import cell_text, column_letter
from app.returns.values import (
    _EXCEL_ERRORS,
    _NUMBER_TEXT_RE,
    _TOO_MANY,
    _UNCACHED,
    MAX_PROBLEMS_PER_SHEET,
    SheetValues,
    _convert_number,
    _convert_text,
    _convert_year,
    _repeats_header,
    compute_uncached_formulas,
    fill_merged_text_down,
    hidden_column_warnings,
    merged_number_warnings,
    row_kind,
)


def _percent_one_is_whole_by_row(sheet: LocatedSheet, binding: Any, rows: range) -> bool:
    """The percent column's scale as it was read, cell by cell (app.returns.values reads it column-wise)."""
    col = binding.index
    for r in rows:
        row = sheet.grid.rows[r]
        if col < len(row):
            v = row[col]
            if isinstance(v, int | float) and not isinstance(v, bool) and 1 < v <= 100:
                return False
            if isinstance(v, str):
                t = v.strip()
                if t and not t.endswith(("%", "％")) and _NUMBER_TEXT_RE.match(t) and 1 < float(t) <= 100:
                    return False
    return True


def reference_read_values(sheet: LocatedSheet, file_name: str, money_unit: MoneyUnit | None = None) -> SheetValues:
    """Convert every data row below the header of a located sheet.

    ``money_unit`` is the table-wide unit a title line gave (（单位：亿元）); a money column whose own
    header names a unit keeps that one.
    """
    grid = sheet.grid
    out = SheetValues()
    bindings = sorted(sheet.header.columns.bindings.values(), key=lambda b: b.index)
    data_rows = range(sheet.header.data_start, len(grid.rows))
    one_is_whole = {
        b.field.name: _percent_one_is_whole_by_row(sheet, b, data_rows)
        for b in bindings
        if b.field.kind is ValueKind.PERCENT
    }
    letters = {b.field.name: column_letter(b.index) for b in bindings}
    required = [b for b in bindings if b.field.required]
    hidden_used: list[int] = []
    uncached: list[tuple[int, str, str]] = []

    def problem(row: int, column: str, message: str, severity: Severity = Severity.ERROR) -> None:
        if len(out.problems) < MAX_PROBLEMS_PER_SHEET:
            out.problems.append(Problem(file_name, message, severity, grid.name, row, column))
        elif len(out.problems) == MAX_PROBLEMS_PER_SHEET:
            out.problems.append(Problem(file_name, _TOO_MANY, Severity.ERROR, grid.name))

    # Reference fields (last period's figures the template pre-fills) hold their column so that nothing
    # else binds to it, but their values are the app's own and are not read back.
    bindings = [b for b in bindings if not getattr(b.field, "reference", False)]
    plan = [(b, b.field.name, b.index, b.field.kind, b.unit or money_unit, letters[b.field.name]) for b in bindings]
    row_columns = {b.field.name: letters[b.field.name] for b in bindings}
    computed = compute_uncached_formulas(grid) if grid.formulas else []
    uncached_cells = grid.uncached_formulas
    wan_units = (None, MoneyUnit.WAN)
    out.problems.extend(merged_number_warnings(sheet, file_name))
    if grid.hidden_columns:
        out.problems.extend(hidden_column_warnings(sheet, file_name))
    bound_columns = {b.index: b.header for b in bindings}
    for r, c, result in computed[:20]:
        if c in bound_columns and r >= sheet.header.data_start:
            out.problems.append(
                Problem(
                    file_name,
                    f"“{bound_columns[c]}”是公式但没有计算结果（文件未经 Excel/WPS 保存），"
                    f"已按公式算出 {result:g}；请核对",
                    Severity.WARNING,
                    grid.name,
                    r + 1,
                    column_letter(c),
                )
            )
    fill_merged_text_down(sheet)
    header_texts = {normalise_header(b.header.rsplit("/", 1)[-1]) for b in bindings} | SILENT_COLUMNS

    for r in data_rows:
        row = grid.rows[r]
        kind = row_kind(row)
        if kind == "total":
            out.skipped_totals += 1
            continue
        if kind != "data":
            out.skipped_notes += 1
            continue
        if _repeats_header(row, header_texts):
            continue  # the header printed again on each page of a form exported for printing
        width = len(row)
        excel_row = r + 1
        values: dict[str, CellValue] = {}
        raw: dict[str, str] = {}
        for b, name, index, kind_, unit, letter in plan:
            value: Any = row[index] if index < width else None
            value_type = type(value)
            # Fast paths first: text in text columns and plain numbers in 万元 columns are most cells.
            if value_type is str:
                text = value.strip()
                if not text:
                    if uncached_cells and (r, index) in uncached_cells:
                        uncached.append((excel_row, letter, b.header))
                    continue
                raw[name] = text
                if kind_ is ValueKind.TEXT:
                    values[name] = text
                    continue
                if text[0] == "#" and text in _EXCEL_ERRORS:
                    problem(excel_row, letter, f"“{b.header}”是 Excel 错误值 {text}，请改正公式或填写数值")
                    continue
            elif value is None:
                if uncached_cells and (r, index) in uncached_cells:
                    uncached.append((excel_row, letter, b.header))
                continue
            elif value_type is float:
                raw[name] = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
                if kind_ is ValueKind.MONEY and unit in wan_units and math.isfinite(value):
                    values[name] = value
                    continue
            else:
                raw[name] = cell_text(value)
            outcome: Outcome[Any]
            if kind_ is ValueKind.TEXT:
                outcome = _convert_text(value)
            elif kind_ is ValueKind.MONEY:
                outcome = parse_money(value, unit or MoneyUnit.WAN)
            elif kind_ is ValueKind.PERCENT:
                outcome = parse_percent(value, one_is_whole=one_is_whole[name], points=not one_is_whole[name])
            elif kind_ is ValueKind.DATE:
                outcome = parse_date(value, date1904=grid.date1904)
            elif kind_ is ValueKind.YEAR:
                outcome = _convert_year(value)
            else:
                outcome = _convert_number(value)
            if not outcome.ok:
                problem(excel_row, letter, f"“{b.header}”：{outcome.reason}")
                continue
            if outcome.value is not None:
                values[name] = outcome.value
            if outcome.note:
                problem(excel_row, letter, f"“{b.header}”：{outcome.note}", Severity.WARNING)
        if not values and not raw:
            continue  # blank in every known column (a note in an unmapped column, or an empty row)
        if r in grid.hidden_rows:
            hidden_used.append(excel_row)
        # A template row left as written (an indicator not measured this quarter) is not missing its value.
        for b in () if sheet.spec.untouched(raw) else required:
            if b.field.name not in values:
                problem(excel_row, letters[b.field.name], f"“{b.header}”为空：这一行有数据但没有填写{b.field.header}")
        out.rows.append(ParsedRow(grid.name, excel_row, values, raw, dict(row_columns)))

    if hidden_used:
        shown = "、".join(str(n) for n in hidden_used[:10]) + ("等" if len(hidden_used) > 10 else "")
        out.problems.append(
            Problem(
                file_name,
                f"第 {shown} 行是隐藏行，已照常读取；如这些行不应上报，请删除后重新发送",
                Severity.WARNING,
                grid.name,
                hidden_used[0],
            )
        )
    for excel_row, letter, header in uncached[:20]:
        out.problems.append(
            Problem(
                file_name,
                f"“{header}”{_UNCACHED}",
                Severity.WARNING,
                grid.name,
                excel_row,
                letter,
            )
        )
    return out
