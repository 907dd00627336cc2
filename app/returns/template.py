"""Write a department's return template (.xlsx): pre-filled projects, milestones, members, indicators, help.

The sheets, headers and hidden meta sheet come from app.returns.fields so the importer reads the file back.
Grey cells are pre-filled and locked; yellow cells are for the department. The sheets are protected without
a password (审阅 → 撤销工作表保护 unlocks them), which guards against slips, not against intent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from app.returns.fields import (
    DECISIONS,
    INDICATORS,
    INSTRUCTIONS_SHEET,
    MEMBERS,
    META_DEPARTMENT,
    META_PERIOD,
    META_SHEET,
    META_TEMPLATE_VERSION,
    MILESTONES,
    PROGRESS,
    TASKS,
    TEMPLATE_VERSION,
    SheetSpec,
    ValueKind,
)
from app.returns.xlsx import (
    BODY_FONT,
    BORDER,
    EDITABLE_FILL,
    LOCKED_FILL,
    MONEY_FORMAT,
    PERCENT_FORMAT,
    WRAP_TOP,
    CellStyler,
    fit_row_height,
    print_setup,
    put_date,
    put_number,
    put_text,
    safe_file_name,
    save_workbook,
    set_widths,
    style_header_row,
    write_title,
)

HEADER_ROW = 3
FIRST_DATA_ROW = HEADER_ROW + 1
BLANK_MEMBER_ROWS = 200  # empty rows offered for new programme members
# Excel date serials for 2000-01-01 and 2099-12-31: plain numbers validate the same in Excel, WPS and LibreOffice.
DATE_MIN_SERIAL = 36526
DATE_MAX_SERIAL = 73415


@dataclass(frozen=True)
class TemplateProject:
    code: str
    name: str
    department: str
    region: str
    planned_investment: float | None
    previous_cumulative: float | None = None
    previous_progress_pct: float | None = None


@dataclass(frozen=True)
class TemplateMilestone:
    project_code: str
    project_name: str
    name: str
    planned_date: date | None
    actual_date: date | None


@dataclass(frozen=True)
class TemplateProgramme:
    code: str
    name: str
    quota_text: str  # 合计 10 个 / 每年 500 家


@dataclass(frozen=True)
class TemplateIndicator:
    code: str
    name: str
    unit: str


@dataclass(frozen=True)
class TemplateTask:
    """One part the department owes progress on: its task and the year's target."""

    code: str
    title: str
    department: str
    year_target: str
    people: str = ""  # 责任人：…；联系人：… 电话


@dataclass(frozen=True)
class TemplateDecision:
    """An open meeting decision the department reports progress on (议定事项 sheet)."""

    id: int
    text: str
    due: date


@dataclass
class TemplateData:
    """Everything a template shows, as plain values (the service gathers it from the database)."""

    department: str
    period_key: str
    period_label: str
    due_date: date | None = None
    previous_period_label: str = ""  # where the 上期 figures come from (may differ per project; the latest)
    department_contact: str = ""  # 联系人：… 电话：…
    office_name: str = ""
    office_contact: str = ""
    projects: list[TemplateProject] = field(default_factory=list)
    milestones: list[TemplateMilestone] = field(default_factory=list)
    programmes: list[TemplateProgramme] = field(default_factory=list)
    indicators: list[TemplateIndicator] = field(default_factory=list)
    tasks: list[TemplateTask] = field(default_factory=list)
    decisions: list[TemplateDecision] = field(default_factory=list)
    generated_on: date = field(default_factory=date.today)


@dataclass(frozen=True)
class _Column:
    field: str
    width: float
    editable: bool = False


# Column order of each sheet (field names from app.returns.fields); editable columns are unlocked.
PROGRESS_COLUMNS = (
    _Column("project_code", 10),
    _Column("project_name", 28),
    _Column("department", 18),
    _Column("region", 10),
    _Column("planned_investment", 14),
    _Column("previous_cumulative", 14),
    _Column("previous_progress_pct", 12),
    _Column("investment_period", 14, True),
    _Column("investment_cumulative", 14, True),
    _Column("progress_pct", 11, True),
    _Column("progress_text", 32, True),
    _Column("problems", 22, True),
    _Column("coordination_needed", 22, True),
    _Column("next_steps", 22, True),
)
MILESTONE_COLUMNS = (
    _Column("project_code", 10),
    _Column("project_name", 28),
    _Column("milestone_name", 20),
    _Column("planned_date", 14),
    _Column("actual_date", 14, True),
)
MEMBER_COLUMNS = (
    _Column("programme", 30, True),
    _Column("member_name", 34, True),
    _Column("credit_code", 22, True),
    _Column("region", 12, True),
    _Column("year_counted", 10, True),
    _Column("notes", 24, True),
)
INDICATOR_COLUMNS = (
    _Column("indicator_code", 10),
    _Column("indicator_name", 28),
    _Column("unit", 10),
    _Column("value", 14, True),
    _Column("source", 30, True),
)


TASK_COLUMNS = (
    _Column("task_code", 9),
    _Column("task_title", 26),
    _Column("department", 16),
    _Column("year_target", 26),
    _Column("people", 16),
    _Column("progress_text", 34, True),
    _Column("problems", 22, True),
    _Column("coordination_needed", 22, True),
    _Column("next_steps", 24, True),
    _Column("completion", 11, True),
)
COMPLETION_LIST = ("按时推进", "滞后", "已完成")
TASK_NOTE = "“重点任务进展”表按本单位的职责分工逐项填写，“完成情况”从下拉列表选择按时推进、滞后或已完成。"


def template_file_name(department: str, period_label: str) -> str:
    """`<部门>_<期间标签>.xlsx`, safe for Windows."""
    return safe_file_name(f"{department}_{period_label}") + ".xlsx"


def write_template(data: TemplateData, path: Path) -> Path:
    """Write the template workbook to ``path`` (replacing it) and return the path."""
    wb = build_template(data)
    return save_workbook(wb, path)


def build_template(data: TemplateData) -> Workbook:
    """The template workbook in memory."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    wb.remove(ws)
    # A department that only reports indicators (or only plan members) gets no empty 项目进展 sheet.
    if _has_projects(data):
        _progress_sheet(wb, data)
    if data.milestones:
        _milestone_sheet(wb, data)
    if data.programmes:
        _member_sheet(wb, data)
    if data.indicators:
        _indicator_sheet(wb, data)
    if data.tasks:
        _task_sheet(wb, data)
    if data.decisions:
        _decision_sheet(wb, data)
    _instructions_sheet(wb, data)
    _meta_sheet(wb, data)
    wb.active = 0
    # Structure lock (no password): sheets cannot be renamed, deleted or unhidden by a slip, so the importer
    # still finds them and the hidden meta sheet.
    wb.security = WorkbookProtection(lockStructure=True)
    return wb


def _sheet(wb: Workbook, spec: SheetSpec, data: TemplateData, title: str, columns: Sequence[_Column]) -> Worksheet:
    ws = wb.create_sheet(spec.title)
    write_title(ws, title, f"填报单位：{data.department}", f"报告期：{data.period_label}", len(columns))
    for i, col in enumerate(columns, start=1):
        put_text(ws.cell(row=HEADER_ROW, column=i), spec.field(col.field).header)
    style_header_row(ws, HEADER_ROW, len(columns))
    set_widths(ws, [c.width for c in columns])
    ws.freeze_panes = f"{'C' if spec is PROGRESS else 'A'}{FIRST_DATA_ROW}"
    print_setup(ws, HEADER_ROW)
    # No password: the protection stops slips (typing over a code), and 填报说明 says how to lift it.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.formatCells = False
    return ws


def _fill_rows(
    ws: Worksheet,
    spec: SheetSpec,
    columns: Sequence[_Column],
    rows: Sequence[Mapping[str, object]],
) -> int:
    """Write rows (field → value) under the header; return the last data row (HEADER_ROW when none)."""
    row = HEADER_ROW
    for values in rows:
        row += 1
        for i, col in enumerate(columns, start=1):
            cell = ws.cell(row=row, column=i)
            _put(cell, spec.field(col.field).kind, values.get(col.field))
            _style_cell(cell, col.editable)
    return row


def _put(cell: Cell, kind: ValueKind, value: object) -> None:
    if kind is ValueKind.MONEY:
        put_number(cell, value if isinstance(value, int | float) else None, MONEY_FORMAT)
    elif kind is ValueKind.PERCENT:
        put_number(cell, value if isinstance(value, int | float) else None, PERCENT_FORMAT)
    elif kind in (ValueKind.NUMBER, ValueKind.YEAR):
        put_number(cell, value if isinstance(value, int | float) else None, "General")
    elif kind is ValueKind.DATE:
        put_date(cell, value if isinstance(value, date) else None)
    else:
        put_text(cell, None if value is None else str(value))
        # Codes must stay text even when they look like numbers (0012).
        cell.number_format = "@"


_STYLER = CellStyler()
_LOCKED = Protection(locked=True)
_UNLOCKED = Protection(locked=False)


def _style_cell(cell: Cell, editable: bool) -> None:
    _STYLER.apply(
        cell,
        font=BODY_FONT,
        border=BORDER,
        alignment=WRAP_TOP,
        fill=EDITABLE_FILL if editable else LOCKED_FILL,
        protection=_UNLOCKED if editable else _LOCKED,
    )


def _column_range(columns: Sequence[_Column], name: str, first: int, last: int) -> str:
    idx = next(i for i, c in enumerate(columns, start=1) if c.field == name)
    letter = get_column_letter(idx)
    return f"{letter}{first}:{letter}{last}"


def _validation(
    ws: Worksheet, kind: str, ranges: list[str], prompt: str, error: str, **kwargs: str | None
) -> DataValidation:
    dv = DataValidation(
        type=kind,
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="输入有误",
        error=error,
        promptTitle="填写提示",
        prompt=prompt,
        **kwargs,
    )
    for r in ranges:
        dv.add(r)
    ws.add_data_validation(dv)
    return dv


def _money_validation(ws: Worksheet, ranges: list[str]) -> None:
    _validation(
        ws,
        "decimal",
        ranges,
        "单位：万元，只填数字（如 1200.5），不要带“万元”字样",
        "请输入不小于 0 的数字，单位万元（1 亿元 = 10000 万元）",
        operator="greaterThanOrEqual",
        formula1="0",
    )


def _percent_validation(ws: Worksheet, ranges: list[str]) -> None:
    _validation(
        ws,
        "decimal",
        ranges,
        "填 0～100 的数字，如 60 表示 60%",
        "形象进度应为 0～100 之间的数字（60 表示 60%）",
        operator="between",
        formula1="0",
        formula2="100",
    )


def _date_validation(ws: Worksheet, ranges: list[str]) -> None:
    _validation(
        ws,
        "date",
        ranges,
        "日期格式：2025-09-30",
        "请输入日期，如 2025-09-30",
        operator="between",
        formula1=str(DATE_MIN_SERIAL),
        formula2=str(DATE_MAX_SERIAL),
    )


def _progress_sheet(wb: Workbook, data: TemplateData) -> None:
    title = f"{data.department}重点项目进展情况表（{data.period_label}）"
    ws = _sheet(wb, PROGRESS, data, title, PROGRESS_COLUMNS)
    rows = [
        {
            "project_code": p.code,
            "project_name": p.name,
            "department": p.department,
            "region": p.region,
            "planned_investment": p.planned_investment,
            "previous_cumulative": p.previous_cumulative,
            "previous_progress_pct": p.previous_progress_pct,
        }
        for p in data.projects
    ]
    last = _fill_rows(ws, PROGRESS, PROGRESS_COLUMNS, rows)
    if last >= FIRST_DATA_ROW:
        _money_validation(
            ws,
            [
                _column_range(PROGRESS_COLUMNS, f, FIRST_DATA_ROW, last)
                for f in ("investment_period", "investment_cumulative")
            ],
        )
        _percent_validation(ws, [_column_range(PROGRESS_COLUMNS, "progress_pct", FIRST_DATA_ROW, last)])
    for r in range(FIRST_DATA_ROW, last + 1):
        fit_row_height(ws, r, len(PROGRESS_COLUMNS), min_lines=3)  # room to write the period's progress


def _milestone_sheet(wb: Workbook, data: TemplateData) -> None:
    title = f"{data.department}重点项目里程碑进展情况表（{data.period_label}）"
    ws = _sheet(wb, MILESTONES, data, title, MILESTONE_COLUMNS)
    rows = [
        {
            "project_code": m.project_code,
            "project_name": m.project_name,
            "milestone_name": m.name,
            "planned_date": m.planned_date,
            "actual_date": m.actual_date,
        }
        for m in data.milestones
    ]
    last = _fill_rows(ws, MILESTONES, MILESTONE_COLUMNS, rows)
    for r in range(FIRST_DATA_ROW, last + 1):
        fit_row_height(ws, r, len(MILESTONE_COLUMNS))
    if last >= FIRST_DATA_ROW:
        _date_validation(ws, [_column_range(MILESTONE_COLUMNS, "actual_date", FIRST_DATA_ROW, last)])


def _programme_list_formula(data: TemplateData) -> str:
    """The list validation source: inline when it fits Excel's 255 characters, else the 填报说明 range."""
    names = [p.name for p in data.programmes]
    inline = ",".join(names)
    if all("," not in n and '"' not in n for n in names) and len(inline) <= 250:
        return f'"{inline}"'
    first = programme_list_row(data)
    return f"'{INSTRUCTIONS_SHEET}'!$B${first}:$B${first + len(names) - 1}"


def programme_list_row(data: TemplateData) -> int:
    """First row of the programme list on the 填报说明 sheet (column B holds the names)."""
    return 3 + len(instruction_lines(data)) + 2


def _member_sheet(wb: Workbook, data: TemplateData) -> None:
    title = f"{data.department}定额计划新增成员情况表（{data.period_label}）"
    ws = _sheet(wb, MEMBERS, data, title, MEMBER_COLUMNS)
    last = _fill_rows(ws, MEMBERS, MEMBER_COLUMNS, [{} for _ in range(BLANK_MEMBER_ROWS)])
    # More members than blank rows: inserting rows inside the table keeps its format and drop-downs.
    ws.protection.insertRows = False
    for r in range(FIRST_DATA_ROW, last + 1):
        # Credit codes are 18 characters that may start with digits: keep them as text.
        ws.cell(row=r, column=3).number_format = "@"
    _validation(
        ws,
        "list",
        [_column_range(MEMBER_COLUMNS, "programme", FIRST_DATA_ROW, last)],
        "从下拉列表选择所属计划",
        "请从下拉列表中选择本单位牵头的计划",
        formula1=_programme_list_formula(data),
    )
    _validation(
        ws,
        "textLength",
        [_column_range(MEMBER_COLUMNS, "credit_code", FIRST_DATA_ROW, last)],
        "18 位统一社会信用代码（试验区可不填）",
        "统一社会信用代码应为 18 位",
        operator="equal",
        formula1="18",
    )
    _validation(
        ws,
        "whole",
        [_column_range(MEMBER_COLUMNS, "year_counted", FIRST_DATA_ROW, last)],
        "四位年份，如 2025",
        "请填写四位年份，如 2025",
        operator="between",
        formula1="2000",
        formula2="2100",
    )


def _indicator_sheet(wb: Workbook, data: TemplateData) -> None:
    title = f"{data.department}主要指标完成情况表（{data.period_label}）"
    ws = _sheet(wb, INDICATORS, data, title, INDICATOR_COLUMNS)
    rows = [{"indicator_code": i.code, "indicator_name": i.name, "unit": i.unit} for i in data.indicators]
    last = _fill_rows(ws, INDICATORS, INDICATOR_COLUMNS, rows)
    for r in range(FIRST_DATA_ROW, last + 1):
        fit_row_height(ws, r, len(INDICATOR_COLUMNS))
    # Indicators without a unit are yes-no milestones (5G商用): they take 已实现 / 未实现, not a number.
    value_cells = [_column_range(INDICATOR_COLUMNS, "value", r, r) for r in range(FIRST_DATA_ROW, last + 1)]
    numbers = [cell for cell, i in zip(value_cells, data.indicators, strict=True) if i.unit]
    yes_no = [cell for cell, i in zip(value_cells, data.indicators, strict=True) if not i.unit]
    if numbers:
        _validation(
            ws,
            "decimal",
            numbers,
            "按“单位”列的单位填数字；百分比填 60 表示 60%",
            "请输入数字",
            operator="greaterThanOrEqual",
            formula1="-1000000000",
        )
    if yes_no:
        _validation(
            ws,
            "list",
            yes_no,
            "从下拉列表选择：已实现 / 未实现",
            "请选择“已实现”或“未实现”",
            formula1='"已实现,未实现"',
        )


def _task_sheet(wb: Workbook, data: TemplateData) -> None:
    title = f"{data.department}重点任务进展情况表（{data.period_label}）"
    ws = _sheet(wb, TASKS, data, title, TASK_COLUMNS)
    rows = [
        {
            "task_code": t.code,
            "task_title": t.title,
            "department": t.department,
            "year_target": t.year_target,
            "people": t.people,
        }
        for t in data.tasks
    ]
    last = _fill_rows(ws, TASKS, TASK_COLUMNS, rows)
    for r in range(FIRST_DATA_ROW, last + 1):
        fit_row_height(ws, r, len(TASK_COLUMNS), min_lines=4)  # room for the period's progress
    if last >= FIRST_DATA_ROW:
        _validation(
            ws,
            "list",
            [_column_range(TASK_COLUMNS, "completion", FIRST_DATA_ROW, last)],
            "从下拉列表选择：" + " / ".join(COMPLETION_LIST),
            "请选择" + "、".join(f"“{c}”" for c in COMPLETION_LIST),
            formula1='"' + ",".join(COMPLETION_LIST) + '"',
        )


DECISION_COLUMNS = (
    _Column("decision_id", 7),
    _Column("decision_text", 40),
    _Column("due", 13),
    _Column("progress_text", 44, True),
    _Column("reported_done", 10, True),
)
DONE_LIST = ("否", "是")


def _decision_sheet(wb: Workbook, data: TemplateData) -> None:
    title = f"{data.department}联席会议议定事项落实情况表（{data.period_label}）"
    ws = _sheet(wb, DECISIONS, data, title, DECISION_COLUMNS)
    rows = [{"decision_id": d.id, "decision_text": d.text, "due": d.due} for d in data.decisions]
    last = _fill_rows(ws, DECISIONS, DECISION_COLUMNS, rows)
    for r in range(FIRST_DATA_ROW, last + 1):
        fit_row_height(ws, r, len(DECISION_COLUMNS), min_lines=3)
    if last >= FIRST_DATA_ROW:
        _validation(
            ws,
            "list",
            [_column_range(DECISION_COLUMNS, "reported_done", FIRST_DATA_ROW, last)],
            "办结的选“是”，仍在办理的选“否”；办结情况由联席会议办公室审核销号",
            "请选择“是”或“否”",
            formula1='"' + ",".join(DONE_LIST) + '"',
        )


def _has_projects(data: TemplateData) -> bool:
    """True when the 项目进展 sheet has rows to fill (kept too when the template would have no sheet at all)."""
    return bool(data.projects) or not (data.milestones or data.programmes or data.indicators or data.tasks)


def instruction_lines(data: TemplateData) -> list[str]:
    """The 填报说明 text, one paragraph a line."""
    sheets = [f"“{PROGRESS.title}”（重点项目 {len(data.projects)} 个）"] if _has_projects(data) else []
    if data.milestones:
        sheets.append(f"“{MILESTONES.title}”（里程碑 {len(data.milestones)} 个）")
    if data.programmes:
        sheets.append(f"“{MEMBERS.title}”（本单位牵头的计划 {len(data.programmes)} 个）")
    if data.indicators:
        sheets.append(f"“{INDICATORS.title}”（指标 {len(data.indicators)} 项）")
    if data.tasks:
        sheets.append(f"“{TASKS.title}”（本单位负责的重点任务 {len(data.tasks)} 项）")
    if data.decisions:
        sheets.append(f"“{DECISIONS.title}”（本单位正在办理的联席会议议定事项 {len(data.decisions)} 项）")
    due = f"请于{data.due_date:%Y年%m月%d日}前报送。" if data.due_date else "请按通知要求按时报送。"
    prev = f"“上期”两列为{data.previous_period_label}已报数据，仅供参考。" if data.previous_period_label else ""
    lines = [
        f"填报单位：{data.department}",
        f"报告期：{data.period_label}　{due}",
        "一、本表包括以下工作表：" + "、".join(sheets) + "。",
        "二、灰色单元格为预填内容（项目编号、名称、计划总投资、上期数据等），已锁定，请勿修改；"
        "浅黄色单元格请据实填写。" + prev,
        "三、金额单位为万元，只填数字（如 1200 或 1200.5），不要带“万元”字样；以亿元计的请换算（1 亿元 = 10000 万元）。"
        "“累计完成投资”指项目开工以来累计完成的投资，“本期完成投资”指本报告期内完成的投资。",
        "四、形象进度填 0～100 之间的数字，60 表示完成 60%。",
        "五、日期请按 2025-09-30 的格式填写；里程碑尚未完成的，“实际完成日期”留空。",
        "六、新增计划成员：每个企业（试验区）一行，从下拉列表选择所属计划；统一社会信用代码为 18 位；"
        "计入年度填四位年份（如 2025）。同一企业不要重复填报。空行不够时，可在表格中间插入行。",
        "七、“本期进展情况”“存在问题”“需协调解决的问题”请用文字简要说明；没有的可留空或填“无”。"
        + (
            "“重点任务进展”表按本单位的职责分工填写，“完成情况”从下拉列表选择按时推进、滞后或已完成。"
            if data.tasks
            else ""
        ),
        "八、请勿增删行列、修改表头或工作表名称，不要删除隐藏的工作表（系统据此自动识别填报单位和报告期）。"
        "工作表已设保护，未设密码；确需调整的，可在“审阅 → 撤销工作表保护”后修改，并在报送时说明。",
        "九、表格可用 Excel 或 WPS 填写，保存为 .xlsx 格式后报送，文件名请保持不变。",
    ]
    contacts = []
    if data.department_contact:
        contacts.append(f"本单位联系人：{data.department_contact}")
    if data.office_contact:
        contacts.append(f"{data.office_name or '联席会议办公室'}联系人：{data.office_contact}")
    if contacts:
        lines.append("十、联系方式：" + "；".join(contacts) + "。")
    return lines


def _instructions_sheet(wb: Workbook, data: TemplateData) -> None:
    ws = wb.create_sheet(INSTRUCTIONS_SHEET)
    put_text(ws.cell(row=1, column=1), f"{data.department}{data.period_label}进展情况表填报说明")
    ws.cell(row=1, column=1).font = Font(name=BODY_FONT.name, size=16, bold=True)
    ws.merge_cells("A1:B1")
    for n, line in enumerate(instruction_lines(data), start=3):
        cell = put_text(ws.cell(row=n, column=1), line)
        cell.font = Font(name=BODY_FONT.name, size=11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=n, start_column=1, end_row=n, end_column=2)
        ws.row_dimensions[n].height = 15 * max(1, -(-len(line) // 48))
    if data.programmes:
        first = programme_list_row(data)
        heading = put_text(ws.cell(row=first - 1, column=1), "本单位牵头的定额计划（“新增计划成员”表下拉选择）：")
        heading.font = Font(name=BODY_FONT.name, size=11, bold=True)
        for i, p in enumerate(data.programmes):
            put_text(ws.cell(row=first + i, column=1), p.code)
            put_text(ws.cell(row=first + i, column=2), p.name)
            put_text(ws.cell(row=first + i, column=3), p.quota_text)
    set_widths(ws, [60, 40, 16])
    print_setup(ws, 1, landscape=False)
    ws.protection.sheet = True


def _meta_sheet(wb: Workbook, data: TemplateData) -> None:
    ws = wb.create_sheet(META_SHEET)
    rows: list[tuple[str, str]] = [
        (META_TEMPLATE_VERSION, TEMPLATE_VERSION),
        (META_DEPARTMENT, data.department),
        (META_PERIOD, data.period_key),
        ("period_label", data.period_label),
        ("generated_at", datetime.now().replace(microsecond=0).isoformat(sep=" ")),
    ]
    for r, (key, value) in enumerate(rows, start=1):
        put_text(ws.cell(row=r, column=1), key)
        put_text(ws.cell(row=r, column=2), value)
        ws.cell(row=r, column=2).number_format = "@"
    # veryHidden: not listed under Excel's 取消隐藏, so departments do not stumble on it.
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
