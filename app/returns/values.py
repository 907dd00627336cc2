"""Cells → typed values per field kind, row by row, skipping what is not data (blank, 合计, notes rows).

Every cell that cannot be read becomes a Problem naming file, sheet, row and column letter.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.domain.dates import parse_date
from app.domain.money import MoneyUnit, parse_money
from app.domain.outcome import EMPTY_MARKS, Outcome
from app.domain.percent import parse_percent
from app.domain.text import fold_width
from app.returns.columns import ColumnBinding
from app.returns.fields import ValueKind
from app.returns.locate import LocatedSheet
from app.returns.parsed import CellValue, ParsedRow, Problem, Severity
from app.returns.read import cell_text, column_letter

_TOTAL_RE = re.compile(r"^(?:全省|全市|总|合|小|共)?\s*[合小总]\s*计|^合\s*计|^总\s*计|^小\s*计|^其中[:：]?$")
_NOTE_RE = re.compile(
    r"^(?:注|备注|说明|填报说明|填报人|填表人|制表人|联系人|联系电话|电话|手机|审核人|审核|负责人|单位负责人|"
    r"分管领导|填报日期|填表日期|报送日期|日期|签字|盖章)\s*[:：(（]"
)
_EXAMPLE_RE = re.compile(r"^(?:示例|例|样例|举例)\s*[:：)）\d]?")
_EXCEL_ERRORS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!"})
_NUMBER_TEXT_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$", re.IGNORECASE)
_TOO_MANY = "问题过多，其余不再逐条列出；请核对是否发错了文件或改动了表格结构"
_UNCACHED = "是公式但没有计算结果（文件未经 Excel/WPS 保存），按空白处理；请在 Excel 或 WPS 中打开、保存后重新发送"
MAX_PROBLEMS_PER_SHEET = 200  # beyond this a file is plainly the wrong one; more lines only bury the first


@dataclass
class SheetValues:
    """The rows read from one sheet, and what was wrong or worth a warning."""

    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped_totals: int = 0
    skipped_notes: int = 0


def _blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _row_kind(texts: list[str]) -> str:
    """data / total / note / example for the non-blank texts of a row."""
    first = texts[0]
    folded = fold_width(first).strip()
    if _NOTE_RE.match(folded) or (len(texts) == 1 and len(folded) > 40 and folded.startswith(("注", "说明"))):
        return "note"
    for text in texts[:3]:
        if _TOTAL_RE.match(fold_width(text).strip().replace(" ", "")):
            return "total"
    if _EXAMPLE_RE.match(folded) and len(folded) <= 4:
        return "example"
    return "data"


def _convert_text(value: object) -> Outcome[CellValue]:
    if isinstance(value, str):
        text = value.strip()
        return Outcome(text if text else None)
    return Outcome(cell_text(value).strip() or None)


def _convert_number(value: object) -> Outcome[CellValue]:
    if isinstance(value, bool):
        return Outcome.fail("应为数字，而单元格是是/否值")
    if isinstance(value, int | float):
        return Outcome(float(value)) if math.isfinite(value) else Outcome.fail("不是有效数字")
    text = fold_width(str(value)).strip().replace(",", "").replace(" ", "")
    if text.casefold() in EMPTY_MARKS or not text:
        return Outcome(None)
    text = text.removesuffix("%")
    if _NUMBER_TEXT_RE.match(text):
        return Outcome(float(text))
    return Outcome.fail(f"无法识别的数字“{str(value).strip()}”")


def _convert_year(value: object) -> Outcome[CellValue]:
    if isinstance(value, datetime | date):
        return Outcome(value.year)
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = fold_width(str(value)).strip().removesuffix("年度").removesuffix("年").strip()
        if not text or text.casefold() in EMPTY_MARKS:
            return Outcome(None)
        try:
            number = float(text)
        except ValueError:
            return Outcome.fail(f"无法识别的年度“{str(value).strip()}”，请填写如 2025")
    if number.is_integer() and 1950 <= number <= 2099:
        return Outcome(int(number))
    return Outcome.fail(f"年度“{cell_text(value)}”不合理，请填写如 2025")


def _percent_one_is_whole(sheet: LocatedSheet, binding: ColumnBinding, rows: range) -> bool:
    """1 means 100% unless the column also holds numbers above 1 (then it is written in percent points)."""
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


def read_values(sheet: LocatedSheet, file_name: str) -> SheetValues:
    """Convert every data row below the header of a located sheet."""
    grid = sheet.grid
    out = SheetValues()
    bindings = sorted(sheet.header.columns.bindings.values(), key=lambda b: b.index)
    data_rows = range(sheet.header.data_start, len(grid.rows))
    one_is_whole = {
        b.field.name: _percent_one_is_whole(sheet, b, data_rows) for b in bindings if b.field.kind is ValueKind.PERCENT
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

    for r in data_rows:
        row = grid.rows[r]
        width = len(row)
        cells = [(b, row[b.index] if b.index < width else None) for b in bindings]
        if all(_blank(v) for _b, v in cells):
            # A row blank in every known column may still be a note written in an unmapped column.
            continue
        texts = [cell_text(v).strip() for v in row if not _blank(v)]
        kind = _row_kind(texts)
        if kind == "total":
            out.skipped_totals += 1
            continue
        if kind in ("note", "example"):
            out.skipped_notes += 1
            continue
        excel_row = r + 1
        if r in grid.hidden_rows:
            hidden_used.append(excel_row)
        values: dict[str, CellValue] = {}
        raw: dict[str, str] = {}
        columns: dict[str, str] = {}
        for b, value in cells:
            name = b.field.name
            columns[name] = letters[name]
            if _blank(value):
                if (r, b.index) in grid.uncached_formulas:
                    uncached.append((excel_row, letters[name], b.header))
                continue
            raw[name] = cell_text(value)
            if isinstance(value, str) and value.strip() in _EXCEL_ERRORS:
                problem(excel_row, letters[name], f"“{b.header}”是 Excel 错误值 {value.strip()}，请改正公式或填写数值")
                continue
            kind_ = b.field.kind
            outcome: Outcome[Any]
            if kind_ is ValueKind.TEXT:
                if isinstance(value, str):
                    text = value.strip()
                    if text:
                        values[name] = text
                    continue
                outcome = _convert_text(value)
            elif kind_ is ValueKind.MONEY:
                if isinstance(value, float) and b.unit in (None, MoneyUnit.WAN) and math.isfinite(value):
                    values[name] = value  # the common case, kept off the slower general path
                    continue
                outcome = parse_money(value, b.unit or MoneyUnit.WAN)
            elif kind_ is ValueKind.PERCENT:
                outcome = parse_percent(value, one_is_whole=one_is_whole[name])
            elif kind_ is ValueKind.DATE:
                outcome = parse_date(value, date1904=grid.date1904)
            elif kind_ is ValueKind.YEAR:
                outcome = _convert_year(value)
            else:
                outcome = _convert_number(value)
            if not outcome.ok:
                problem(excel_row, letters[name], f"“{b.header}”：{outcome.reason}")
                continue
            if outcome.value is not None:
                values[name] = outcome.value
            if outcome.note:
                problem(excel_row, letters[name], f"“{b.header}”：{outcome.note}", Severity.WARNING)
        if not values:
            continue
        for b in required:
            if b.field.name not in values:
                problem(excel_row, letters[b.field.name], f"“{b.header}”为空：这一行有数据但没有填写{b.field.header}")
        out.rows.append(ParsedRow(grid.name, excel_row, values, raw, columns))

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
