"""Read the office's own Excel ledger (台账) with the returns pipeline's stages, for adopting it on the first day.

The stages are the returns' own: ``read.read_workbook`` (safe reading and bounds), ``locate.find_header`` (title
rows, two-level headers, merged cells), ``columns`` synonyms through a ledger sheet spec, ``values.read_values``
(亿元/万元, percents, dates, 合计 and note rows). What is new here is only what a ledger has and a return has not:
build years ("2016-2019", "2015—2027年"), section rows ("一、信息基础设施"), the as-of date of the title
("截至2025年6月底"), a money column whose unit nobody stated, and telling a return apart from a ledger.
Never raises for a bad file: every reason is a Problem.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.domain.money import MoneyUnit
from app.domain.periods import Period, PeriodKind, parse_period_text
from app.domain.text import fold_width, is_blank
from app.returns.fields import PROGRESS, Field, SheetSpec, ValueKind
from app.returns.locate import Header, LocatedSheet, find_header, is_meta_sheet, read_title_cells
from app.returns.parsed import Problem, Severity
from app.returns.read import DEFAULT_LIMITS, Limits, SheetGrid, cell_text, column_letter, read_workbook
from app.returns.values import read_values


def _progress_field(name: str) -> Field:
    return PROGRESS.field(name)


# The ledger's columns: the return's progress fields (same synonyms, so 累计完成 under 投资完成情况（亿元）
# reads the same way) plus what only a ledger holds: build years, planned dates, the task, notes.
LEDGER = SheetSpec(
    key="ledger",
    title="项目台账",
    title_synonyms=("项目台账", "重点项目台账", "台账"),
    fields=(
        _progress_field("project_code"),
        Field("project_name", ("项目名称", "名称", "项目", "重点项目名称", "建设项目", "重点项目"), required=True),
        Field("department", ("责任单位", "牵头单位", "主管部门", "责任部门", "牵头部门", "推进单位", "负责单位")),
        _progress_field("region"),
        Field("task", ("所属任务", "对应任务", "任务编号", "任务", "所属领域")),
        Field("years", ("建设年限", "建设起止年限", "起止年限", "建设周期", "建设期限", "建设年度", "实施年限")),
        Field("planned_start", ("计划开工时间", "开工时间", "开工日期", "计划开工", "开工年月"), ValueKind.DATE),
        Field(
            "planned_end", ("计划竣工时间", "竣工时间", "完工时间", "计划完工", "计划竣工", "竣工日期"), ValueKind.DATE
        ),
        Field("planned_investment", ("计划总投资", "总投资", "项目总投资", "计划投资"), ValueKind.MONEY),
        Field(
            "investment_period",
            ("本年完成投资", "本年完成", "本年度完成投资", "本期完成投资", "本期完成"),
            ValueKind.MONEY,
        ),
        _progress_field("investment_cumulative"),
        _progress_field("progress_pct"),
        Field("progress_text", ("进展情况", "工作进展", "项目进展情况", "建设进展", "推进情况", "进展")),
        _progress_field("problems"),
        _progress_field("next_steps"),
        Field("notes", ("备注", "说明")),
    ),
)

MONEY_FIELDS = ("planned_investment", "investment_period", "investment_cumulative")

_YEARS_RE = re.compile(
    r"^(\d{4})\s*(?:年)?\s*(?:[.\-/]?\s*(\d{1,2})\s*月?)?\s*(?:[-~至到]+)\s*(\d{4})\s*(?:年)?\s*(?:[.\-/]?\s*(\d{1,2})\s*月?)?\s*(?:年)?$"
)
_ONE_YEAR_RE = re.compile(r"^(\d{4})\s*年?(?:度)?$")
# 截至2025年6月底 / 截止到2025年6月30日 / 截至2025年6月末 / 截至 2025.6.30
_AS_OF_RE = re.compile(
    r"截\s*[至止]\s*(?:到|于)?\s*(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*(?:月)?\s*(?:(\d{1,2})\s*[日号]?)?\s*(底|末)?"
)
# The line a department writes on a return it sends back.
_RETURN_LABEL_RE = re.compile(r"(填报单位|报送单位|填表单位)\s*(?:\(\s*(?:盖章|签章|公章)\s*\))?\s*[:：]")
_SECTION_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十]+\)|第[一二三四五六七八九十]+[部类])"
)
_RETURN_MESSAGE = "这是一份部门报表{why}，不是办公室自己的台账；请用 报表 → 导入报表（命令行 taizhang import）导入"


def parse_years(value: object) -> tuple[date, date] | None:
    """A build period as ledgers write it ("2016-2019", "2015—2027年", "2018.3-2020.6", 2018) → first and last day."""
    if isinstance(value, datetime | date):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1950 <= value <= 2099:
            year = int(value)
            return date(year, 1, 1), date(year, 12, 31)
        return None
    text = fold_width(str(value or "")).strip().replace(" ", "")
    text = text.replace("—", "-").replace("–", "-").replace("－", "-").replace("～", "~").replace("年度", "年")
    if not text:
        return None
    one = _ONE_YEAR_RE.match(text)
    if one:
        year = int(one.group(1))
        return (date(year, 1, 1), date(year, 12, 31)) if 1950 <= year <= 2099 else None
    m = _YEARS_RE.match(text)
    if not m:
        return None
    y0, m0, y1, m1 = int(m.group(1)), int(m.group(2) or 1), int(m.group(3)), int(m.group(4) or 12)
    if not (1950 <= y0 <= y1 <= 2099 and 1 <= m0 <= 12 and 1 <= m1 <= 12) or (y0, m0) > (y1, m1):
        return None
    return date(y0, m0, 1), date(y1, m1, calendar.monthrange(y1, m1)[1])


def parse_as_of(text: str) -> date | None:
    """The day a title says the figures stand at: 截至2025年6月底 → 2025-06-30; None when it says none."""
    m = _AS_OF_RE.search(fold_width(text))
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    day = int(m.group(3)) if m.group(3) else last
    return date(year, month, min(max(day, 1), last))


def period_for_as_of(day: date) -> Period:
    """The reporting period progress as of ``day`` belongs to: the quarter it ends, else its month."""
    last = calendar.monthrange(day.year, day.month)[1]
    if day.month % 3 == 0 and day.day == last:
        return Period(day.year, PeriodKind.QUARTER, day.month // 3)
    return Period(day.year, PeriodKind.MONTH, day.month)


@dataclass
class LedgerRow:
    """One project row of the office's ledger, values typed (money in 万元, percent 0-100)."""

    sheet: str
    row: int  # 1-based Excel row
    values: dict[str, Any]
    raw: dict[str, str] = field(default_factory=dict)
    columns: Mapping[str, str] = field(default_factory=dict)
    section: str = ""  # the section heading row above it (一、信息基础设施), if any

    @property
    def name(self) -> str:
        return str(self.values.get("project_name") or "")

    def text(self, name: str) -> str:
        value = self.values.get(name)
        return "" if value is None else str(value).strip()


@dataclass
class UnstatedUnit:
    """A money column whose header, parent header and title lines name no unit."""

    sheet: str
    column: str  # Excel letter
    header: str

    def describe(self) -> str:
        return f"工作表“{self.sheet}” {self.column} 列“{self.header}”"


@dataclass
class LedgerRead:
    """What one ledger workbook holds: its rows, the date its figures stand at, and what is wrong with it."""

    path: Path
    rows: list[LedgerRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    title: str = ""
    as_of: date | None = None
    as_of_source: str = ""  # the text the date came from
    unit: MoneyUnit | None = None  # a table-wide unit stated in a title line
    unstated_units: list[UnstatedUnit] = field(default_factory=list)
    return_reason: str = ""  # set when the file is really a departmental return

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def is_return(self) -> bool:
        return bool(self.return_reason)


def read_ledger(path: Path | str, *, unit: MoneyUnit | None = None, limits: Limits = DEFAULT_LIMITS) -> LedgerRead:
    """Read the office's ledger workbook; ``unit`` is the clerk's answer for money columns that state none."""
    path = Path(path)
    result = LedgerRead(path)
    read = read_workbook(path, limits)
    result.problems.extend(read.problems)
    if read.workbook is None:
        return result
    try:
        _read_sheets(read.workbook.sheets, result, unit)
    except Exception as exc:  # noqa: BLE001 — odd input must still give the clerk an answer, not a crash
        result.problems.append(
            Problem(path.name, f"读取时出现内部错误（{type(exc).__name__}: {exc}），请把该文件发给维护人员")
        )
    return result


def _title_lines(grid: SheetGrid, header: Header) -> list[str]:
    lines = []
    for row in grid.rows[: header.first_row]:
        texts = [fold_width(cell_text(v)).strip() for v in row if not is_blank(v)]
        if texts:
            lines.append(" ".join(dict.fromkeys(texts)))
    return lines


def _return_reason(grids: list[SheetGrid], located: list[tuple[SheetGrid, Header, list[str]]]) -> str:
    """Why this workbook is a departmental return rather than a ledger ("" when it is a ledger)."""
    if any(is_meta_sheet(g) for g in grids):
        return _RETURN_MESSAGE.format(why="（由本程序的填报模板生成）")
    for _grid, header, lines in located:
        labelled = any(_RETURN_LABEL_RE.search(line) for line in lines)
        period_column = any(
            b.field.name == "investment_period" and "本期" in b.header for b in header.columns.bindings.values()
        )
        if labelled and period_column:
            return _RETURN_MESSAGE.format(why="（写有“填报单位”，并有“本期完成”等报表栏目）")
    return ""


def _blank_sections(grid: SheetGrid, header: Header) -> dict[int, str]:
    """Section rows (一、信息基础设施, a merged heading across the table) → their text; blanked for reading."""
    wide = {r0 for r0, c0, _r1, c1 in grid.merged if c1 > c0 + 1}
    sections: dict[int, str] = {}
    for r in range(header.data_start, len(grid.rows)):
        row = grid.rows[r]
        filled = [v for v in row if not is_blank(v)]
        if len(filled) != 1 or not isinstance(filled[0], str):
            continue
        text = fold_width(filled[0]).strip()
        if r in wide or _SECTION_RE.match(text):
            sections[r] = text
            grid.rows[r] = [""] * len(row)
    return sections


def _read_sheets(grids: list[SheetGrid], result: LedgerRead, unit: MoneyUnit | None) -> None:
    name = result.path.name
    located: list[tuple[SheetGrid, Header, list[str]]] = []
    for grid in grids:
        if grid.hidden or not grid.rows or is_meta_sheet(grid):
            continue
        header = find_header(grid, LEDGER)
        if header is None or header.columns.missing_required:
            continue
        located.append((grid, header, _title_lines(grid, header)))
    reason = _return_reason(grids, located)
    if reason:
        result.return_reason = reason
        result.problems.append(Problem(name, reason))
        return
    if not located:
        result.problems.append(
            Problem(name, "文件中没有找到台账表：前 20 行内没有含“项目名称”等栏目的表头；请确认选的是项目台账")
        )
        return
    for grid, header, lines in located:
        title = read_title_cells(grid, header)
        if result.unit is None and title.money_unit is not None:
            result.unit = title.money_unit
        for line in lines:
            if not result.title:
                result.title = line
            day = parse_as_of(line)
            if day is not None and result.as_of is None:
                result.as_of, result.as_of_source = day, line
        if result.as_of is None:
            period = next((p for p in (parse_period_text(line) for line in lines) if p is not None), None)
            if period is not None:
                result.as_of, result.as_of_source = period.end, next(x for x in lines if parse_period_text(x))
        table_unit = title.money_unit
        for b in header.columns.bindings.values():
            if b.field.kind is ValueKind.MONEY and b.unit is None and table_unit is None:
                result.unstated_units.append(UnstatedUnit(grid.name, column_letter(b.index), b.header))
        sections = _blank_sections(grid, header)
        sheet = LocatedSheet(grid, LEDGER, header, False)
        values = read_values(sheet, name, table_unit or unit)
        result.problems.extend(values.problems)
        result.sheets.append(grid.name)
        for parsed in values.rows:
            section = next((sections[r] for r in sorted(sections, reverse=True) if r < parsed.row - 1), "")
            row = LedgerRow(parsed.sheet, parsed.row, dict(parsed.values), parsed.raw, parsed.columns, section)
            _read_years(row, result)
            result.rows.append(row)
    if result.as_of is None:
        day = parse_as_of(result.path.stem)
        if day is not None:
            result.as_of, result.as_of_source = day, result.path.name
    if not result.rows and not result.errors:
        result.problems.append(Problem(name, "台账表中没有项目行", Severity.ERROR, result.sheets[0]))


def _read_years(row: LedgerRow, result: LedgerRead) -> None:
    """Turn a 建设年限 cell into planned start and end (explicit date columns win)."""
    raw = row.values.pop("years", None)
    if raw in (None, ""):
        return
    span = parse_years(raw)
    if span is None:
        result.problems.append(
            Problem(
                result.file_name,
                f"“建设年限”无法识别：“{raw}”（应为 2016-2019 或 2015—2027年），该项已留空",
                Severity.WARNING,
                row.sheet,
                row.row,
                row.columns.get("years", ""),
            )
        )
        return
    row.values.setdefault("planned_start", span[0])
    row.values.setdefault("planned_end", span[1])
