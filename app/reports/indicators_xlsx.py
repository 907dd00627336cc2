"""The indicator table as a printable workbook: one row per target, every actual with its source.

Numbers are numbers (values with a thousands format, growth rates as percentages) so a clerk can sum and
sort them; the sheets share the other writers' look, print setup and atomic save (``app.returns.xlsx``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from app.domain.indicators import TargetKind
from app.returns.xlsx import (
    BODY_FONT,
    BORDER,
    WRAP_TOP,
    fit_row_height,
    print_setup,
    put_number,
    put_text,
    save_workbook,
    set_widths,
    style_header_row,
    write_title,
)

if TYPE_CHECKING:
    from app.services.indicators import IndicatorData, TargetData

VALUE_FORMAT = "#,##0.##;-#,##0.##;0"
GROWTH_FORMAT = "0.0%"
HEADER_ROW = 3
TABLE_COLUMNS = (
    ("指标", 20),
    ("单位", 7),
    ("基期值", 10),
    ("基期年", 7),
    ("目标", 22),
    ("目标值", 10),
    ("目标文件", 22),
    ("目标年", 7),
    ("最新实际值", 11),
    ("实际期", 13),
    ("状态", 7),
    ("尚需年均增速", 9),
    ("已实现年均增速", 9),
    ("责任单位", 18),
    ("判断依据", 40),
)
ACTUAL_COLUMNS = (("指标", 22), ("报告期", 16), ("实际值", 12), ("是否采用", 8), ("来源", 60))
NUMBER_TOP = Alignment(horizontal="right", vertical="top")
STATUS_FILLS = {"达标": "C6EFCE", "可达": "DDEBF7", "滞后": "FFC7CE", "无数据": "EDEDED", "低于预计": "FFEB9C"}


def _number_or_text(ws: Worksheet, row: int, column: int, data: IndicatorData, value: float | None) -> None:
    """A level as a number; a milestone's 已实现 / 未实现 as its words."""
    cell = ws.cell(row=row, column=column)
    if data.is_milestone or value is None:
        put_text(cell, data.format_value(value) if value is not None else "—")
        cell.alignment = Alignment(horizontal="right", vertical="top")
    else:
        put_number(cell, value, VALUE_FORMAT)


def _growth(ws: Worksheet, row: int, column: int, pct: float | None) -> None:
    cell = ws.cell(row=row, column=column)
    if pct is None:
        put_text(cell, "—")
        cell.alignment = Alignment(horizontal="right", vertical="top")
    else:
        put_number(cell, pct / 100, GROWTH_FORMAT)


def build_indicator_workbook(indicators: list[IndicatorData], label: str) -> tuple[Workbook, int]:
    """The workbook and the number of target rows written."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "指标"
    width = len(TABLE_COLUMNS)
    write_title(ws, f"主要指标完成情况（截至{label}）", "数值单位见“单位”列；增速为年均增速", "", width)
    for col, (header, _w) in enumerate(TABLE_COLUMNS, start=1):
        put_text(ws.cell(row=HEADER_ROW, column=col), header)
    style_header_row(ws, HEADER_ROW, width)
    row = HEADER_ROW
    for data in indicators:
        baseline = data.baselines[0] if data.baselines else None
        latest = data.latest
        targets: list[TargetData | None] = list(data.targets) or [None]
        for target in targets:
            row += 1
            a = target.assessment if target else None
            put_text(ws.cell(row=row, column=1), data.name)
            put_text(ws.cell(row=row, column=2), data.unit)
            _number_or_text(ws, row, 3, data, baseline.value if baseline else None)
            put_number(ws.cell(row=row, column=4), baseline.year if baseline else None, "0")
            put_text(ws.cell(row=row, column=5), (target.wording if target else "") or "（文件未设目标）")
            level = target is not None and target.kind is not TargetKind.GROWTH
            _number_or_text(ws, row, 6, data, target.value if target and level else None)
            put_text(ws.cell(row=row, column=7), target.document if target else "")
            put_number(ws.cell(row=row, column=8), target.year if target else None, "0")
            _number_or_text(ws, row, 9, data, latest.value if latest else None)
            put_text(ws.cell(row=row, column=10), latest.period_label if latest else "")
            status = a.status.value if a else "—"
            put_text(ws.cell(row=row, column=11), status)
            milestone = target is None or target.kind is TargetKind.MILESTONE
            _growth(ws, row, 12, None if milestone or a is None else a.needed_growth_pct)
            _growth(ws, row, 13, None if milestone or a is None else a.achieved_growth_pct)
            rule = a.tooltip.split("\n")[0] if a else "文件未对该指标设定目标，只记录实际值。"
            put_text(ws.cell(row=row, column=14), "、".join(data.departments))
            put_text(ws.cell(row=row, column=15), rule)
            for col in range(1, width + 1):
                cell = ws.cell(row=row, column=col)
                cell.font = BODY_FONT
                cell.border = BORDER
                if col in (3, 4, 6, 8, 9, 12, 13):
                    cell.alignment = NUMBER_TOP  # level with the wrapped text beside it
                else:
                    cell.alignment = WRAP_TOP
            colour = STATUS_FILLS.get(status)
            if colour:
                ws.cell(row=row, column=11).fill = PatternFill("solid", fgColor=colour)
    set_widths(ws, [w for _h, w in TABLE_COLUMNS])
    for r in range(HEADER_ROW + 1, row + 1):
        fit_row_height(ws, r, width)
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    print_setup(ws, HEADER_ROW, title_columns="A:A")
    count = row - HEADER_ROW

    sheet = wb.create_sheet("实际值")
    note = "“是否采用”：同一报告期只采用一个数"
    write_title(sheet, f"指标实际值及来源（截至{label}）", note, "", len(ACTUAL_COLUMNS))
    for col, (header, _w) in enumerate(ACTUAL_COLUMNS, start=1):
        put_text(sheet.cell(row=HEADER_ROW, column=col), header)
    style_header_row(sheet, HEADER_ROW, len(ACTUAL_COLUMNS), height=24)
    r = HEADER_ROW
    for data in indicators:
        for actual in data.actuals:
            r += 1
            put_text(sheet.cell(row=r, column=1), data.name)
            put_text(sheet.cell(row=r, column=2), actual.period_label)
            _number_or_text(sheet, r, 3, data, actual.value)
            put_text(sheet.cell(row=r, column=4), "是" if actual.used else "否")
            put_text(sheet.cell(row=r, column=5), actual.source_label)
            for col in range(1, len(ACTUAL_COLUMNS) + 1):
                cell = sheet.cell(row=r, column=col)
                cell.font = BODY_FONT
                cell.border = BORDER
                cell.alignment = NUMBER_TOP if col == 3 else WRAP_TOP
    set_widths(sheet, [w for _h, w in ACTUAL_COLUMNS])
    for rr in range(HEADER_ROW + 1, r + 1):
        fit_row_height(sheet, rr, len(ACTUAL_COLUMNS))
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    print_setup(sheet, HEADER_ROW, title_columns="A:A")
    return wb, count


def write_indicator_table(indicators: list[IndicatorData], label: str, path: Path) -> int:
    """Write the indicator workbook to ``path`` through the atomic writer; return the target rows written."""
    wb, count = build_indicator_workbook(indicators, label)
    save_workbook(wb, Path(path))
    return count
