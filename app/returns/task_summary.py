"""The summary workbook's 重点任务推进台账 sheet: one row per task and responsible department (a part).

The columns are the ledger such offices keep (序号 · 任务来源 · 任务内容 · 责任单位 · 年度目标 · 责任人/联系人 ·
本期进展 · 存在问题 · 需协调事项 · 下步计划 · 完成情况); a part not reported this period says so in red.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from app.returns.xlsx import (
    BODY_FONT,
    BOLD_BODY_FONT,
    BORDER,
    GROUP_FILL,
    WRAP_CENTER,
    WRAP_TOP,
    CellStyler,
    fit_row_height,
    print_setup,
    put_text,
    set_widths,
    style_header_row,
    write_title,
)

TASKS_SHEET = "重点任务推进台账"
HEADER_ROW = 3
NOT_REPORTED = "（本期未报送）"
TASK_HEADERS = (
    ("序号", 5),
    ("任务编号", 9),
    ("任务内容", 22),
    ("责任单位", 14),
    ("年度任务目标", 20),
    ("责任人/联系人", 14),
    ("本期进展情况", 32),
    ("存在问题", 18),
    ("需协调解决的问题", 18),
    ("下步工作计划", 20),
    ("完成情况", 8),
)
_STYLER = CellStyler()
_RED = Font(name=BODY_FONT.name, size=10, color="C00000")
_MISSING = Font(name=BODY_FONT.name, size=10, italic=True, color="C00000")


@dataclass(frozen=True)
class SummaryTask:
    """One part's line in the summary."""

    document: str  # the document's short title: rows are grouped by it
    code: str
    title: str
    department: str
    year_target: str
    people: str
    progress_text: str
    problems: str
    coordination_needed: str
    next_steps: str
    state: str  # 按时推进 / 滞后 / 已完成 / 已报送 / 未报送
    reported: bool


def task_sheet(ws: Worksheet, period_label: str, office_name: str, generated: str, tasks: list[SummaryTask]) -> None:
    """Fill ``ws`` with the task ledger: grouped by document, each task's departments one after another."""
    width = len(TASK_HEADERS)
    reported = sum(1 for t in tasks if t.reported)
    write_title(
        ws,
        f"重点任务推进情况汇总表（{period_label}）",
        f"汇总单位：{office_name}　　汇总日期：{generated}",
        f"分工任务 {len(tasks)} 项，已报 {reported} 项",
        width,
    )
    for col, (header, _w) in enumerate(TASK_HEADERS, start=1):
        put_text(ws.cell(row=HEADER_ROW, column=col), header)
    style_header_row(ws, HEADER_ROW, width)
    row = HEADER_ROW
    document = None
    previous_task: tuple[str, str] | None = None
    first_of_task = row
    n = 0
    data_rows: list[int] = []

    def merge_task(last: int) -> None:
        if previous_task is not None and last > first_of_task:
            for col in (2, 3):
                ws.merge_cells(start_row=first_of_task, start_column=col, end_row=last, end_column=col)

    for t in tasks:
        if t.document != document:
            merge_task(row)
            previous_task = None
            document = t.document
            row += 1
            put_text(ws.cell(row=row, column=1), t.document)
            for col in range(1, width + 1):
                _STYLER.apply(ws.cell(row=row, column=col), font=BOLD_BODY_FONT, fill=GROUP_FILL, border=BORDER)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1
        n += 1
        if (t.document, t.code) != previous_task:
            merge_task(row - 1)
            previous_task = (t.document, t.code)
            first_of_task = row
            put_text(ws.cell(row=row, column=2), t.code)
            put_text(ws.cell(row=row, column=3), t.title)
        ws.cell(row=row, column=1, value=n)
        put_text(ws.cell(row=row, column=4), t.department)
        put_text(ws.cell(row=row, column=5), t.year_target)
        put_text(ws.cell(row=row, column=6), t.people)
        put_text(ws.cell(row=row, column=7), t.progress_text if t.reported else NOT_REPORTED)
        put_text(ws.cell(row=row, column=8), t.problems)
        put_text(ws.cell(row=row, column=9), t.coordination_needed)
        put_text(ws.cell(row=row, column=10), t.next_steps)
        put_text(ws.cell(row=row, column=11), t.state)
        for col in range(1, width + 1):
            _STYLER.apply(ws.cell(row=row, column=col), font=BODY_FONT, border=BORDER, alignment=WRAP_TOP)
        for col in (1, 11):
            ws.cell(row=row, column=col).alignment = WRAP_CENTER
        if not t.reported:
            ws.cell(row=row, column=7).font = _MISSING
        if t.state in ("滞后", "未报送"):
            ws.cell(row=row, column=11).font = _RED
        data_rows.append(row)
    merge_task(row)
    set_widths(ws, [w for _h, w in TASK_HEADERS])
    for r in data_rows:
        fit_row_height(ws, r, width)
    ws.freeze_panes = f"D{HEADER_ROW + 1}"
    print_setup(ws, HEADER_ROW)
