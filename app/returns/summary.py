"""Write the consolidated ledger the office prints (.xlsx): projects grouped by task with subtotals, programmes.

Every text that came from a department goes through put_text, so "=1+1" or "@SUM(A1)" stays text.
Totals are written as values, not formulas: the file reads the same in any program, and nothing recalculates.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from app.domain.numerals import chinese_number
from app.returns.task_summary import TASKS_SHEET, SummaryTask, task_sheet
from app.returns.xlsx import (
    BODY_FONT,
    BOLD_BODY_FONT,
    BORDER,
    GROUP_FILL,
    MONEY_FORMAT,
    PERCENT_FORMAT,
    SUBTOTAL_FILL,
    TOTAL_FILL,
    WRAP_CENTER,
    WRAP_TOP,
    CellStyler,
    fit_row_height,
    print_setup,
    put_number,
    put_text,
    safe_sheet_title,
    save_workbook,
    set_widths,
    style_header_row,
    text_width,
    write_title,
)

LEDGER_SHEET = "项目台账"
PROGRAMMES_SHEET = "定额计划汇总"
HEADER_ROW = 3
NOT_REPORTED = "（本期未填报）"

LEDGER_HEADERS = (
    ("序号", 6),
    ("项目编号", 9),
    ("项目名称", 24),
    ("责任单位", 18),
    ("计划总投资（万元）", 13),
    ("本期完成投资（万元）", 13),
    ("累计完成投资（万元）", 13),
    ("形象进度（%）", 10),
    ("状态", 7),
    ("是否滞后", 6),
    ("滞后原因", 22),
    ("本期进展情况", 34),
    ("存在问题", 20),
    ("需协调解决的问题", 20),
)
MONEY_COLUMNS = (5, 6, 7)
COL_PROGRESS = 8
COL_STATUS = 9
COL_BEHIND = 10
COL_LAG_REASONS = 11
COL_PROGRESS_TEXT = 12
COL_PROBLEMS = 13
COL_COORDINATION = 14
LAG_FONT = Font(name=BODY_FONT.name, size=10, color="C00000")


@dataclass(frozen=True)
class SummaryProject:
    code: str
    name: str
    department: str
    planned_investment: float | None
    investment_period: float | None = None
    investment_cumulative: float | None = None
    progress_pct: float | None = None
    progress_text: str = ""
    problems: str = ""
    coordination_needed: str = ""
    reported: bool = False
    status: str = ""  # app.domain.project_status, as the ledger shows it for the period
    lag_reasons: tuple[str, ...] = ()  # app.domain.schedule, as the ledger judges it for the period

    @property
    def behind(self) -> bool:
        return bool(self.lag_reasons)


def _sum(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


@dataclass
class SummaryGroup:
    """The projects of one task."""

    title: str
    projects: list[SummaryProject] = field(default_factory=list)

    def totals(self) -> tuple[float | None, float | None, float | None]:
        """Sums of planned, period and cumulative investment (None when no project has a figure)."""
        return (
            _sum([p.planned_investment for p in self.projects]),
            _sum([p.investment_period for p in self.projects]),
            _sum([p.investment_cumulative for p in self.projects]),
        )


@dataclass(frozen=True)
class SummaryMember:
    name: str
    credit_code: str
    region: str
    year_counted: int | None
    source: str
    notes: str = ""  # the department's own 备注 for the member

    @property
    def identity(self) -> str:
        """The same enterprise: its credit code when given, else its name without spaces."""
        code = self.credit_code.strip().upper()
        return code if code else "".join(unicodedata.normalize("NFKC", self.name).split())


@dataclass
class SummaryProgramme:
    code: str
    name: str
    department: str
    quota_count: int | None
    quota_period: str  # total / yearly
    quota_unit: str
    members: list[SummaryMember] = field(default_factory=list)

    @property
    def yearly(self) -> bool:
        return self.quota_period == "yearly"

    def counted(self, year: int) -> int:
        """Enterprises counted against the quota, each once: that year's for a yearly quota, all for a total one."""
        members = [m for m in self.members if m.year_counted == year] if self.yearly else self.members
        return len({m.identity for m in members})

    def by_year(self) -> list[tuple[int, int]]:
        """(year, distinct enterprises counted that year), oldest first."""
        per_year: dict[int, set[str]] = {}
        for m in self.members:
            if m.year_counted is not None:
                per_year.setdefault(m.year_counted, set()).add(m.identity)
        return sorted((y, len(ids)) for y, ids in per_year.items())

    def repeats(self) -> dict[int, int]:
        """Index of a member → index of the earlier member that is the same enterprise (same code, else name)."""
        first: dict[str, int] = {}
        found: dict[int, int] = {}
        for i, m in enumerate(self.members):
            if m.identity in first:
                found[i] = first[m.identity]
            else:
                first[m.identity] = i
        return found

    def quota_text(self) -> str:
        if self.quota_count is None:
            return "未设定额"
        return f"{'每年' if self.yearly else '合计'} {self.quota_count} {self.quota_unit}"

    def progress_text(self, year: int) -> str:
        """'2025年已登记 120 家，定额每年 500 家，完成 24.0%'."""
        n = self.counted(year)
        scope = f"{year}年已登记" if self.yearly else "累计已登记"
        text = f"{scope} {n} {self.quota_unit}，定额{self.quota_text()}"
        if self.quota_count:
            text += f"，完成 {100 * n / self.quota_count:.1f}%"
        return text


@dataclass
class SummaryData:
    """Everything the summary shows, as plain values (the service gathers it)."""

    period_key: str
    period_label: str
    period_year: int
    office_name: str
    groups: list[SummaryGroup] = field(default_factory=list)
    programmes: list[SummaryProgramme] = field(default_factory=list)
    generated_on: date = field(default_factory=date.today)
    tasks: list[SummaryTask] = field(default_factory=list)  # supervised task parts (app.returns.task_summary)

    @property
    def project_count(self) -> int:
        return sum(len(g.projects) for g in self.groups)

    def grand_totals(self) -> tuple[float | None, float | None, float | None]:
        all_projects = SummaryGroup("", [p for g in self.groups for p in g.projects])
        return all_projects.totals()


def write_summary(data: SummaryData, path: Path) -> Path:
    """Write the summary workbook to ``path`` (replacing it) and return the path."""
    return save_workbook(build_summary(data), path)


def build_summary(data: SummaryData) -> Workbook:
    """The summary workbook in memory."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = LEDGER_SHEET
    taken = {LEDGER_SHEET}
    _ledger_sheet(ws, data)
    if data.programmes:
        taken.add(PROGRAMMES_SHEET)
        _programme_overview(wb.create_sheet(PROGRAMMES_SHEET), data)
        for programme in data.programmes:
            title = safe_sheet_title(f"{programme.code}{programme.name}", taken)
            _programme_sheet(wb.create_sheet(title), data, programme)
    if data.tasks:
        generated = f"{data.generated_on:%Y年%m月%d日}"
        task_sheet(wb.create_sheet(TASKS_SHEET), data.period_label, data.office_name, generated, data.tasks)
    return wb


def _row_cells(ws: Worksheet, row: int, count: int, *, font: Font = BODY_FONT, fill: PatternFill | None = None) -> None:
    for col in range(1, count + 1):
        _STYLER.apply(ws.cell(row=row, column=col), font=font, fill=fill, border=BORDER, alignment=WRAP_TOP)


_STYLER = CellStyler()


def _put_money_row(ws: Worksheet, row: int, totals: tuple[float | None, float | None, float | None]) -> None:
    for col, value in zip(MONEY_COLUMNS, totals, strict=True):
        put_number(ws.cell(row=row, column=col), value, MONEY_FORMAT)


def _ledger_sheet(ws: Worksheet, data: SummaryData) -> None:
    width = len(LEDGER_HEADERS)
    write_title(
        ws,
        f"重点项目推进情况汇总表（{data.period_label}）",
        f"汇总单位：{data.office_name}　　汇总日期：{data.generated_on:%Y年%m月%d日}",
        "金额单位：万元",
        width,
    )
    for col, (header, _w) in enumerate(LEDGER_HEADERS, start=1):
        # Break before the unit so narrow number columns wrap cleanly: 计划总投资 / （万元）.
        text = header.replace("（", "\n（") if col >= 5 else header
        put_text(ws.cell(row=HEADER_ROW, column=col), "是否\n滞后" if col == COL_BEHIND else text)
    style_header_row(ws, HEADER_ROW, width)
    row = HEADER_ROW
    project_rows: list[int] = []
    for g_number, group in enumerate(data.groups, start=1):
        row += 1
        put_text(ws.cell(row=row, column=1), f"{chinese_number(g_number)}、{group.title}")
        _row_cells(ws, row, width, font=BOLD_BODY_FONT, fill=GROUP_FILL)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        for n, p in enumerate(group.projects, start=1):
            row += 1
            ws.cell(row=row, column=1, value=n)
            put_text(ws.cell(row=row, column=2), p.code)
            put_text(ws.cell(row=row, column=3), p.name)
            put_text(ws.cell(row=row, column=4), p.department)
            _put_money_row(ws, row, (p.planned_investment, p.investment_period, p.investment_cumulative))
            put_number(ws.cell(row=row, column=COL_PROGRESS), p.progress_pct, PERCENT_FORMAT)
            put_text(ws.cell(row=row, column=COL_STATUS), p.status)
            put_text(ws.cell(row=row, column=COL_BEHIND), "是" if p.behind else "否")
            put_text(ws.cell(row=row, column=COL_LAG_REASONS), "；".join(p.lag_reasons))
            put_text(ws.cell(row=row, column=COL_PROGRESS_TEXT), p.progress_text if p.reported else NOT_REPORTED)
            put_text(ws.cell(row=row, column=COL_PROBLEMS), p.problems)
            put_text(ws.cell(row=row, column=COL_COORDINATION), p.coordination_needed)
            _row_cells(ws, row, width)
            project_rows.append(row)
            for col in (1, COL_STATUS, COL_BEHIND):
                ws.cell(row=row, column=col).alignment = WRAP_CENTER
            if p.behind:
                ws.cell(row=row, column=COL_BEHIND).font = LAG_FONT
                ws.cell(row=row, column=COL_LAG_REASONS).font = LAG_FONT
            if not p.reported:
                ws.cell(row=row, column=COL_PROGRESS_TEXT).font = Font(
                    name=BODY_FONT.name, size=10, italic=True, color="C00000"
                )
        row += 1
        put_text(ws.cell(row=row, column=3), f"小计（{len(group.projects)} 个项目）")
        _put_money_row(ws, row, group.totals())
        _row_cells(ws, row, width, font=BOLD_BODY_FONT, fill=SUBTOTAL_FILL)
    row += 1
    put_text(ws.cell(row=row, column=3), f"合计（{data.project_count} 个项目）")
    _put_money_row(ws, row, data.grand_totals())
    _row_cells(ws, row, width, font=BOLD_BODY_FONT, fill=TOTAL_FILL)
    set_widths(ws, [w for _h, w in LEDGER_HEADERS])
    for r in project_rows:
        fit_row_height(ws, r, width)
    ws.freeze_panes = f"D{HEADER_ROW + 1}"
    print_setup(ws, HEADER_ROW)


def _programme_overview(ws: Worksheet, data: SummaryData) -> None:
    headers = [("计划编号", 10), ("计划名称", 34), ("牵头单位", 18), ("定额", 16), ("已登记", 10), ("完成率（%）", 12)]
    write_title(
        ws,
        f"定额计划完成情况（截至{data.period_label}）",
        f"汇总单位：{data.office_name}",
        f"每年定额按{data.period_year}年计",
        len(headers),
    )
    for col, (h, _w) in enumerate(headers, start=1):
        put_text(ws.cell(row=HEADER_ROW, column=col), h)
    style_header_row(ws, HEADER_ROW, len(headers), height=24)
    for n, p in enumerate(data.programmes, start=1):
        r = HEADER_ROW + n
        put_text(ws.cell(row=r, column=1), p.code)
        put_text(ws.cell(row=r, column=2), p.name)
        put_text(ws.cell(row=r, column=3), p.department)
        put_text(ws.cell(row=r, column=4), p.quota_text())
        counted = p.counted(data.period_year)
        ws.cell(row=r, column=5, value=counted)
        rate = 100 * counted / p.quota_count if p.quota_count else None
        put_number(ws.cell(row=r, column=6), rate, PERCENT_FORMAT)
        _row_cells(ws, r, len(headers))
    set_widths(ws, [w for _h, w in headers])
    for r in range(HEADER_ROW + 1, HEADER_ROW + len(data.programmes) + 1):
        fit_row_height(ws, r, len(headers))
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    print_setup(ws, HEADER_ROW)


def _programme_sheet(ws: Worksheet, data: SummaryData, programme: SummaryProgramme) -> None:
    headers = [("序号", 6), ("企业（试验区）名称", 36), ("统一社会信用代码", 22), ("所在地区", 12), ("计入年度", 10)]
    headers += [("来源", 30), ("备注", 24)]
    write_title(
        ws,
        f"{programme.code} {programme.name}成员名单（截至{data.period_label}）",
        f"牵头单位：{programme.department or '未指定'}　　{programme.progress_text(data.period_year)}",
        "",
        len(headers),
    )
    for col, (h, _w) in enumerate(headers, start=1):
        put_text(ws.cell(row=HEADER_ROW, column=col), h)
    style_header_row(ws, HEADER_ROW, len(headers), height=24)
    repeats = programme.repeats()
    for n, m in enumerate(programme.members, start=1):
        r = HEADER_ROW + n
        ws.cell(row=r, column=1, value=n)
        put_text(ws.cell(row=r, column=2), m.name)
        put_text(ws.cell(row=r, column=3), m.credit_code)
        put_text(ws.cell(row=r, column=4), m.region)
        ws.cell(row=r, column=5, value=m.year_counted)
        put_text(ws.cell(row=r, column=6), m.source)
        remarks = [m.notes] if m.notes else []
        if n - 1 in repeats:
            remarks.append(f"与序号 {repeats[n - 1] + 1} 为同一企业，不重复计数")
        put_text(ws.cell(row=r, column=7), "；".join(remarks))
        _row_cells(ws, r, len(headers))
        if n - 1 in repeats:
            ws.cell(row=r, column=7).font = Font(name=BODY_FONT.name, size=10, color="C00000")
    r = HEADER_ROW + len(programme.members) + 1
    distinct = len({m.identity for m in programme.members})
    total = f"合计 {distinct} {programme.quota_unit}"
    if distinct != len(programme.members):
        total += f"（登记 {len(programme.members)} 条，其中重复 {len(programme.members) - distinct} 条）"
    put_text(ws.cell(row=r, column=2), total)
    _row_cells(ws, r, len(headers), font=BOLD_BODY_FONT, fill=TOTAL_FILL)
    years = "；".join(f"{y}年 {c} {programme.quota_unit}" for y, c in programme.by_year())
    if years:
        # Yearly quotas are judged year by year; total ones still show when members were counted.
        put_text(ws.cell(row=r + 1, column=1), f"分年度：{years}").font = BODY_FONT
        ws.cell(row=r + 1, column=1).alignment = WRAP_TOP
        ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=len(headers))
        ws.row_dimensions[r + 1].height = 13.5 * max(1, math.ceil(text_width(years) / 110)) + 4
    set_widths(ws, [w for _h, w in headers])
    for r in range(HEADER_ROW + 1, HEADER_ROW + len(programme.members) + 1):
        fit_row_height(ws, r, len(headers))
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    print_setup(ws, HEADER_ROW)
