"""Cells → typed values per field kind, row by row, skipping what is not data (blank, 合计, notes rows).

Every cell that cannot be read becomes a Problem naming file, sheet, row and column letter.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import compress, repeat, zip_longest
from operator import contains, is_, is_not, itemgetter, not_
from types import MappingProxyType
from typing import Any

from app.domain.dates import parse_date
from app.domain.indicators import parse_actual_value
from app.domain.money import MoneyUnit, parse_money
from app.domain.outcome import EMPTY_MARKS, Outcome
from app.domain.percent import parse_percent
from app.domain.text import fold_width, normalise_header
from app.returns.columns import SILENT_COLUMNS, ColumnBinding
from app.returns.fields import ValueKind
from app.returns.formulas import evaluate
from app.returns.locate import LocatedSheet
from app.returns.parsed import CellValue, ParsedRow, Problem, RowTexts, Severity
from app.returns.read import SheetGrid, cell_text, column_letter

# The whole cell must be the label (合计, 全省合计, 小计：, 合计（万元）): a project called 总计算中心 is data.
_TOTAL_RE = re.compile(
    r"^(?:全省|全市|全州|本单位|各市|[一二三四五六七八九十]+、)?(?:合计|小计|总计|共计|累计|其中)"
    r"(?:\(.{0,12}\))?(?::.{0,30})?$"
)
# A label and a colon, optionally with a bracket between (填报单位（盖章）：, 注1：): 手机(APP)项目 is data.
_NOTE_RE = re.compile(
    r"^(?:注\d{0,2}|备注|说明|填报说明|填报人|填表人|制表人|制表单位|制表|联系人|联系电话|电话|手机|审核人|审核|负责人|单位负责人|"
    r"分管领导|填报单位|填报日期|填表日期|报送日期|日期|签字|盖章)\s*(?:\([^)]{0,10}\))?\s*:"
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


_NUMBER_TYPES = (float, int)
_NOTE_FIRST_CHARS = frozenset("注备说填制联电手审负单分日签盖")
_EXAMPLE_FIRST_CHARS = frozenset("示例样举")


def _leading_texts(row: list[Any], limit: int = 3) -> list[str | None]:
    """The first ``limit`` non-blank cells of a row: stripped text, or None for a number or date."""
    out: list[str | None] = []
    for v in row:
        if v is None or v == "":
            continue
        if type(v) is str:
            text = v.strip()
            if not text:
                continue
            out.append(text)
        else:
            out.append(None)
        if len(out) == limit:
            break
    return out


def row_kind(row: list[Any]) -> str:
    """data / total / note / example, judged by the first cells of a row (cheap: most rows are data)."""
    if row and type(row[0]) in _NUMBER_TYPES:
        return "data"  # a row that starts with its serial number is a project, never a total or a note
    texts = _leading_texts(row)
    if not texts:
        return "data"
    first = texts[0]
    if first is not None:
        if first[0] in _NOTE_FIRST_CHARS:
            folded = fold_width(first).replace(" ", "")
            if _NOTE_RE.match(folded) or (len(texts) == 1 and len(folded) > 40 and folded.startswith(("注", "说明"))):
                return "note"
        if first[0] in _EXAMPLE_FIRST_CHARS and len(first) <= 4 and _EXAMPLE_RE.match(fold_width(first)):
            return "example"
    for text in texts:
        if text is not None and ("计" in text or "其中" in text) and len(text) <= 50:
            if _TOTAL_RE.match(fold_width(text).replace(" ", "")):
                return "total"
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
    if _is_yes_no(text):
        # 已实现 / 未实现 is how yes-no indicators (5G商用) are reported; validation knows which indicator it is.
        return Outcome(text)
    return Outcome.fail(f"无法识别的数字“{str(value).strip()}”")


def _is_yes_no(text: str) -> bool:
    try:
        parse_actual_value(text, milestone=True)
    except ValueError:
        return False
    return True


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
    """The column's scale, read from the column as a whole: True when every plain number is ≤ 1 (fractions,
    1 = 100%), False when any is above 1 (percentage points: 30, 60, 99.5 — then 0.5 is 0.5%, with a note)."""
    col = binding.index
    cells = [row[col] for row in sheet.grid.rows[rows.start : rows.stop] if col < len(row)]
    # Numbers first, in one pass made for them (most columns hold nothing else); the order of the checks
    # does not matter, as any one cell above 1 decides.
    if any(1 < v <= 100 for v in cells if type(v) is float or (isinstance(v, int) and not isinstance(v, bool))):
        return False
    for v in cells:
        if type(v) is str:
            t = v.strip()
            if t and not t.endswith(("%", "％")) and _NUMBER_TEXT_RE.match(t) and 1 < float(t) <= 100:
                return False
    return True


def compute_uncached_formulas(grid: SheetGrid) -> list[tuple[int, int, float]]:
    """Fill blank cells whose formula has no cached value with the value of the formula, where it is simple.

    Returns (row, col, value) of every cell filled; those left blank stay in ``grid.uncached_formulas``.
    """
    done: list[tuple[int, int, float]] = []
    visiting: set[tuple[int, int]] = set()
    results: dict[tuple[int, int], float | None] = {}

    def value_at(r: int, c: int) -> float | None:
        if (r, c) in grid.formulas and (r, c) in grid.uncached_formulas:
            return formula_value(r, c)
        row = grid.rows[r] if r < len(grid.rows) else []
        v = row[c] if c < len(row) else None
        if v is None or v == "":
            return 0.0  # Excel reads a blank cell as 0 in arithmetic and SUM
        if isinstance(v, int | float) and not isinstance(v, bool):
            return float(v)
        return None

    def formula_value(r: int, c: int) -> float | None:
        if (r, c) in results:
            return results[(r, c)]
        if (r, c) in visiting or len(visiting) > 50:
            return None  # a circular reference or a chain too deep to be a simple total
        visiting.add((r, c))
        value = evaluate(grid.formulas[(r, c)], value_at)
        visiting.discard((r, c))
        results[(r, c)] = value
        return value

    for r, c in sorted(grid.formulas):
        if (r, c) not in grid.uncached_formulas or r >= len(grid.rows):
            continue
        value = formula_value(r, c)
        if value is None:
            continue
        row = grid.rows[r]
        if len(row) <= c:
            row.extend([""] * (c + 1 - len(row)))
        if row[c] in (None, ""):
            row[c] = value
            done.append((r, c, value))
    for r, c, _value in done:
        grid.uncached_formulas.discard((r, c))
    return done


def merged_number_warnings(sheet: LocatedSheet, file_name: str) -> list[Problem]:
    """A money or percent cell merged over several data rows belongs to one of them only: say which."""
    numeric = {
        b.index: b
        for b in sheet.header.columns.bindings.values()
        if b.field.kind in (ValueKind.MONEY, ValueKind.PERCENT, ValueKind.NUMBER) and not b.field.reference
    }
    out: list[Problem] = []
    for r0, c0, r1, c1 in sheet.grid.merged:
        if r1 <= r0 or r0 < sheet.header.data_start:
            continue
        for col in range(c0, c1 + 1):
            binding = numeric.get(col)
            if binding is None:
                continue
            letter = column_letter(col)
            out.append(
                Problem(
                    file_name,
                    f"“{binding.header}”的 {letter}{r0 + 1}:{letter}{r1 + 1} 是跨 {r1 - r0 + 1} 行的合并单元格，"
                    f"数值只计入第 {r0 + 1} 行，其余各行按未填处理；请拆分单元格、为每一行分别填写后重新发送",
                    Severity.WARNING,
                    sheet.grid.name,
                    r0 + 1,
                    letter,
                )
            )
    return out[:MAX_PROBLEMS_PER_SHEET]


def hidden_column_warnings(sheet: LocatedSheet, file_name: str) -> list[Problem]:
    """Columns of the table that are hidden are read all the same; the clerk should know they were."""
    out: list[Problem] = []
    for b in sorted(sheet.header.columns.bindings.values(), key=lambda b: b.index):
        if any(first <= b.index <= last for first, last in sheet.grid.hidden_columns):
            letter = column_letter(b.index)
            out.append(
                Problem(
                    file_name,
                    f"“{b.header}”（{letter} 列）是隐藏列，已照常读取；如其中数据不应上报，请删除后重新发送",
                    Severity.WARNING,
                    sheet.grid.name,
                    sheet.header.last_row + 1,
                    letter,
                )
            )
    return out


def fill_merged_text_down(sheet: LocatedSheet) -> None:
    """Copy the value of a vertically merged cell in a text column to the rows it covers.

    Forms merge 责任单位 or 所在地区 over all the projects of one department; every row needs its value.
    Money and percent columns are left alone: a merged amount belongs once, not to every row.
    """
    text_columns = {b.index for b in sheet.header.columns.bindings.values() if b.field.kind is ValueKind.TEXT}
    rows = sheet.grid.rows
    for r0, c0, r1, _c1 in sheet.grid.merged:
        if r1 <= r0 or r0 < sheet.header.data_start or c0 not in text_columns or r0 >= len(rows):
            continue
        top = rows[r0]
        value = top[c0] if c0 < len(top) else None
        if value is None or value == "":
            continue
        for r in range(r0 + 1, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c0:
                row.extend([""] * (c0 + 1 - len(row)))
            if row[c0] in ("", None):
                row[c0] = value


def _repeats_header(row: list[Any], header_texts: set[str]) -> bool:
    """True for a copy of the header row; cheap for data rows (one lookup of their first cell)."""
    if not row or type(row[0]) is not str:
        return False  # a header copy starts with 序号 or a column name; data often with a number
    texts = [t for t in _leading_texts(row) if t is not None]
    if len(texts) < 2 or normalise_header(texts[0]) not in header_texts:
        return False
    return sum(1 for t in texts[1:] if normalise_header(t) in header_texts) >= 1


_ABSENT: Any = object()  # no text (a blank cell), or no value (blank, an error, or a mark such as 无)
_STR = frozenset({str})
_STR_OR_NONE = frozenset({str, type(None)})
# What clerks type in 万元 and percent columns most often, read here without the general parsers (which give
# the same: tests/returns/test_values_fast_path.py): 12,345.67 and 42%.
_PLAIN_AMOUNT_RE = re.compile(r"\d{1,15}(?:\.\d{1,15})?|\d{1,3}(?:,\d{3}){1,5}(?:\.\d{1,15})?", re.ASCII)
_PLAIN_PERCENT_RE = re.compile(r"(\d{1,3}(?:\.\d{1,15})?)%", re.ASCII)
_FLOAT = frozenset({float})


def _float_text(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


class _FloatTexts:
    """The texts of a column of plain numbers, made only if a row's texts are asked for (RowTexts)."""

    __slots__ = ("numbers",)

    def __init__(self, numbers: list[float]) -> None:
        self.numbers = numbers


def _text_column(column: list[Any] | _FloatTexts) -> list[Any]:
    return _float_texts(column.numbers) if isinstance(column, _FloatTexts) else column


def _float_texts(numbers: Sequence[float]) -> list[str]:
    """_float_text of every number, in bulk: repr in one C pass, then whole amounts without ".0"."""
    texts = list(map(repr, numbers))
    for i in compress(range(len(numbers)), map(float.is_integer, numbers)):
        if abs(numbers[i]) < 1e15:
            texts[i] = str(int(numbers[i]))
    return texts


def _convert_cell(
    value: Any, kind: ValueKind, unit: MoneyUnit | None, one_is_whole: bool, date1904: bool, header: str
) -> tuple[Any, Any, tuple[Severity, str] | None]:
    """One cell of a column: (the text as written or _ABSENT, the value or _ABSENT, a problem or None)."""
    value_type = type(value)
    if value_type is str:
        text = value.strip()
        if not text:
            return _ABSENT, _ABSENT, None
        raw = text
        if kind is ValueKind.TEXT:
            return raw, text, None
        if text[0] == "#" and text in _EXCEL_ERRORS:
            return raw, _ABSENT, (Severity.ERROR, f"“{header}”是 Excel 错误值 {text}，请改正公式或填写数值")
    elif value is None:
        return _ABSENT, _ABSENT, None
    elif value_type is float:
        raw = _float_text(value)
        if kind is ValueKind.MONEY and unit in (None, MoneyUnit.WAN) and math.isfinite(value):
            return raw, value, None
    else:
        raw = cell_text(value)
    outcome: Outcome[Any]
    if kind is ValueKind.TEXT:
        outcome = _convert_text(value)
    elif kind is ValueKind.MONEY:
        outcome = parse_money(value, unit or MoneyUnit.WAN)
    elif kind is ValueKind.PERCENT:
        outcome = parse_percent(value, one_is_whole=one_is_whole, points=not one_is_whole)
    elif kind is ValueKind.DATE:
        outcome = parse_date(value, date1904=date1904)
    elif kind is ValueKind.YEAR:
        outcome = _convert_year(value)
    else:
        outcome = _convert_number(value)
    if not outcome.ok:
        return raw, _ABSENT, (Severity.ERROR, f"“{header}”：{outcome.reason}")
    converted = _ABSENT if outcome.value is None else outcome.value
    if outcome.note:
        return raw, converted, (Severity.WARNING, f"“{header}”：{outcome.note}")
    return raw, converted, None


def _convert_column(
    cells: Sequence[Any], kind: ValueKind, unit: MoneyUnit | None, one_is_whole: bool, date1904: bool, header: str
) -> tuple[list[Any] | _FloatTexts, list[Any], list[tuple[int, Severity, str]], bool]:
    """A whole column at once: texts, values and problems by position, with a loop made for the column's kind;
    last, whether a value is there exactly where a text is (then one presence mask serves both). The texts of
    a column of plain numbers come as _FloatTexts, made when asked for.

    The common cells (text in text columns, plain numbers in 万元 and percent columns) are converted inline;
    every other cell goes through _convert_cell, the one place that knows every rule.
    """
    n = len(cells)
    if kind is ValueKind.TEXT:
        types = set(map(type, cells))
        if types <= _STR:
            texts = [v.strip() or _ABSENT for v in cells]
            return texts, texts, [], True
        if types <= _STR_OR_NONE:
            texts = [_ABSENT if v is None else v.strip() or _ABSENT for v in cells]
            return texts, texts, [], True
    wan = kind is ValueKind.MONEY and unit in (None, MoneyUnit.WAN)
    if wan and set(map(type, cells)) <= _FLOAT and all(map(math.isfinite, cells)):
        numbers = list(cells)
        return _FloatTexts(numbers), numbers, [], True
    raws: list[Any] = [_ABSENT] * n
    values: list[Any] = [_ABSENT] * n
    problems: list[tuple[int, Severity, str]] = []
    fraction_percent = kind is ValueKind.PERCENT and one_is_whole
    same_presence = True
    todo: Iterable[int] = range(n)
    if wan or fraction_percent:
        # The plain numbers of a mixed column (most of its cells) in bulk, as the loop below would read them;
        # the loop then sees only the other cells.
        found = list(compress(range(n), map(is_, map(type, cells), repeat(float))))
        if wan:
            found = [i for i in found if math.isfinite(cells[i])]
        else:
            found = [i for i in found if 0.0 <= cells[i] <= 100.0]
        numbers = [cells[i] for i in found]
        texts = _float_texts(numbers)
        if fraction_percent:  # parse_percent's own rule: a fraction is scaled, 1 is 100%, anything above is points
            numbers = [round(v * 100 if 0.0 < v <= 1.0 else v, 6) for v in numbers]
        for i, text, number in zip(found, texts, numbers, strict=True):
            raws[i] = text
            values[i] = number
        todo = compress(range(n), map(is_, raws, repeat(_ABSENT)))
    for i in todo:
        value = cells[i]
        value_type = type(value)
        if value is None:
            continue
        if value_type is str:  # (the plain numbers of 万元 and percent columns were read in bulk above)
            text = value.strip()
            if not text:
                continue
            if kind is ValueKind.TEXT:
                raws[i] = values[i] = text
                continue
            if wan and _PLAIN_AMOUNT_RE.fullmatch(text):
                raws[i] = text
                values[i] = round(float(text.replace(",", "")), 6)  # parse_money's to_wan(amount, 万元)
                continue
            if fraction_percent and text[-1] == "%":
                plain = _PLAIN_PERCENT_RE.fullmatch(text)
                if plain is not None and float(plain.group(1)) <= 100.0:
                    raws[i] = text
                    values[i] = round(float(plain.group(1)), 6)
                    continue
        raw, converted, problem = _convert_cell(value, kind, unit, one_is_whole, date1904, header)
        raws[i], values[i] = raw, converted
        if (converted is _ABSENT) is not (raw is _ABSENT):
            same_presence = False
        if problem is not None:
            problems.append((i, *problem))
    return raws, values, problems, same_presence


def _present_rows(columns: list[list[Any]], count: int) -> Iterator[tuple[bool, ...]]:
    """Per row, for each column, whether the cell is there (not _ABSENT): selectors for itertools.compress."""
    if not columns:
        return iter(((),) * count)
    return zip(*(list(map(is_not, column, repeat(_ABSENT))) for column in columns), strict=True)


def read_values(sheet: LocatedSheet, file_name: str, money_unit: MoneyUnit | None = None) -> SheetValues:
    """Convert every data row below the header of a located sheet.

    ``money_unit`` is the table-wide unit a title line gave (（单位：亿元）); a money column whose own
    header names a unit keeps that one. Cells are converted column by column (one loop per column, made for
    its kind); rows, problems and their order are those of a row-by-row reading
    (tests/returns/test_values_fast_path.py holds the row-by-row reading and compares the two).
    """
    grid = sheet.grid
    out = SheetValues()
    bindings = sorted(sheet.header.columns.bindings.values(), key=lambda b: b.index)
    data_start = sheet.header.data_start
    data_rows = range(data_start, len(grid.rows))
    # The scale of a percent column is read before formulas are computed into the grid, as it always was.
    one_is_whole = {
        b.field.name: _percent_one_is_whole(sheet, b, data_rows) for b in bindings if b.field.kind is ValueKind.PERCENT
    }
    letters = {b.field.name: column_letter(b.index) for b in bindings}
    required = [b for b in bindings if b.field.required]

    def problem(row: int, column: str, message: str, severity: Severity = Severity.ERROR) -> None:
        if len(out.problems) < MAX_PROBLEMS_PER_SHEET:
            out.problems.append(Problem(file_name, message, severity, grid.name, row, column))
        elif len(out.problems) == MAX_PROBLEMS_PER_SHEET:
            out.problems.append(Problem(file_name, _TOO_MANY, Severity.ERROR, grid.name))

    # Reference fields (last period's figures the template pre-fills) hold their column so that nothing
    # else binds to it, but their values are the app's own and are not read back.
    bindings = [b for b in bindings if not getattr(b.field, "reference", False)]
    row_columns = {b.field.name: letters[b.field.name] for b in bindings}
    computed = compute_uncached_formulas(grid) if grid.formulas else []
    uncached_cells = grid.uncached_formulas
    out.problems.extend(merged_number_warnings(sheet, file_name))
    if grid.hidden_columns:
        out.problems.extend(hidden_column_warnings(sheet, file_name))
    bound_columns = {b.index: b.header for b in bindings}
    for r, c, result in computed[:20]:
        if c in bound_columns and r >= data_start:
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

    kept: list[int] = []  # the data rows, in order: not totals, notes, examples or a repeated header
    for r in data_rows:
        row = grid.rows[r]
        kind = row_kind(row)
        if kind == "total":
            out.skipped_totals += 1
        elif kind != "data":
            out.skipped_notes += 1
        elif not _repeats_header(row, header_texts):
            kept.append(r)

    kept_rows = [grid.rows[r] for r in kept]
    # Short rows read as blank to the right, as a row-by-row read does; most grids are rectangular.
    rectangular = not kept_rows or min(map(len, kept_rows)) > max((b.index for b in bindings), default=-1)
    columns = [] if rectangular else list(zip_longest(*kept_rows))

    def column(index: int) -> Sequence[Any]:
        if rectangular:
            return list(map(itemgetter(index), kept_rows))
        return columns[index] if index < len(columns) else [None] * len(kept)

    names: list[str] = []
    raw_columns: list[list[Any] | _FloatTexts] = []
    value_columns: list[list[Any]] = []
    cell_problems: list[tuple[int, int, Severity, str]] = []  # (position in kept, column order, …)
    uncached: list[tuple[int, int, str, str]] = []
    uncached_columns = {c for _r, c in uncached_cells}
    same_presence = True  # in every column, a value exactly where a text is
    for order, b in enumerate(bindings):
        whole = one_is_whole.get(b.field.name, True)
        cells = column(b.index)
        unit = b.unit or money_unit
        raws, converted, found, same = _convert_column(cells, b.field.kind, unit, whole, grid.date1904, b.header)
        same_presence = same_presence and same
        names.append(b.field.name)
        raw_columns.append(raws)
        value_columns.append(converted)
        cell_problems.extend((i, order, severity, message) for i, severity, message in found)
        if b.index in uncached_columns:
            letter = letters[b.field.name]
            uncached.extend(
                (i, order, letter, b.header)
                for i, r in enumerate(kept)
                if not isinstance(raws, _FloatTexts) and raws[i] is _ABSENT and (r, b.index) in uncached_cells
            )
    cell_problems.sort(key=lambda p: (p[0], p[1]))
    uncached.sort(key=lambda u: (u[0], u[1]))

    # Each row's dicts are made in C, all rows at once: the cells of the row, kept where the cell is not _ABSENT.
    # The rare per-row work (problems, hidden rows) is done after, on the few rows it concerns, in row order.
    # The texts as written are made into dicts only if someone asks for a row's (RowTexts).
    count = len(kept)
    value_rows = zip(*value_columns, strict=True) if value_columns else ((),) * count
    # A number column's texts are there exactly where its numbers are: its presence is read from the numbers.
    presence_columns = [c.numbers if isinstance(c, _FloatTexts) else c for c in raw_columns]
    raw_present = list(_present_rows(presence_columns, count))
    value_present = raw_present if same_presence else _present_rows(value_columns, count)
    value_dicts: list[dict[str, Any]] = list(
        map(dict, map(compress, map(zip, repeat(names), value_rows), value_present))
    )
    written = list(map(any, raw_present))  # False: blank in every known column (a note elsewhere, an empty row)

    def build_texts() -> list[dict[str, str]]:
        columns = list(map(_text_column, raw_columns))
        raw_rows = zip(*columns, strict=True) if columns else ((),) * count
        return list(map(dict, map(compress, map(zip, repeat(names), raw_rows), raw_present)))

    texts = RowTexts(build_texts)
    if required:
        has_all = map(all, zip(*(map(contains, value_dicts, repeat(b.field.name)) for b in required), strict=True))
        lacking = [i for i in compress(range(count), map(not_, has_all)) if written[i]]
    else:
        lacking = []
    # A template row left as written (an indicator not measured this quarter) is not missing its value.
    missing_at = {
        i: [b for b in required if b.field.name not in value_dicts[i]]
        for i in lacking
        if not sheet.spec.untouched(texts.row(i))
    }
    pending = iter(cell_problems)
    waiting = next(pending, None)
    for i in [*missing_at, count]:  # the row's own cell problems come first, then what it lacks
        while waiting is not None and waiting[0] <= i:
            at, order, severity, message = waiting
            problem(kept[at] + 1, letters[names[order]], message, severity)
            waiting = next(pending, None)
        for b in missing_at.get(i, ()):
            problem(kept[i] + 1, letters[b.field.name], f"“{b.header}”为空：这一行有数据但没有填写{b.field.header}")
    hidden = grid.hidden_rows
    hidden_used = [r + 1 for r in compress(kept, written) if r in hidden] if hidden else []
    # Shared by every row and read-only: the letters are the sheet's, not the row's.
    shared_columns = MappingProxyType(row_columns)
    out.rows.extend(
        map(
            ParsedRow,
            repeat(grid.name),
            [r + 1 for r in compress(kept, written)],
            compress(value_dicts, written),
            compress(zip(repeat(texts), range(count)), written),
            repeat(shared_columns),
        )
    )

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
    for i, _order, letter, header in uncached[:20]:
        out.problems.append(
            Problem(file_name, f"“{header}”{_UNCACHED}", Severity.WARNING, grid.name, kept[i] + 1, letter)
        )
    return out
