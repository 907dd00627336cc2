"""Chasing returns (催报): who still owes the period's return, as plain data, a notice text and an .xlsx list."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from openpyxl import Workbook

from app.returns.xlsx import (
    BODY_FONT,
    BORDER,
    MAX_ROW_HEIGHT,
    WRAP_TOP,
    fit_row_height,
    print_setup,
    put_text,
    save_workbook,
    set_widths,
    style_header_row,
    text_width,
    write_title,
)


class ChaseReason(StrEnum):
    MISSING = "missing"  # nothing received for the period
    REFUSED = "refused"  # the latest file sent was refused by the importer (errors)
    UNRESOLVED = "unresolved"  # accepted with warnings nobody has resolved yet

    @property
    def label(self) -> str:
        return {"missing": "未报送", "refused": "报表未通过校验", "unresolved": "有待核实的问题"}[self.value]


@dataclass(frozen=True)
class ChaseItem:
    """One department to chase and why."""

    department: str
    reason: ChaseReason
    owes: str  # 重点项目 3 个、指标 2 项
    contact_person: str = ""
    contact_phone: str = ""
    file_name: str = ""  # the current return, for UNRESOLVED
    imported_at: datetime | None = None  # when it was imported (or refused)
    warning_count: int = 0
    first_error: str = ""  # for REFUSED: the importer's first reason

    @property
    def contact(self) -> str:
        """'联系人 张三，电话 0431-…' or '联系人未登记'."""
        parts = []
        if self.contact_person:
            parts.append(f"联系人 {self.contact_person}")
        if self.contact_phone:
            parts.append(f"电话 {self.contact_phone}")
        return "，".join(parts) if parts else "联系人未登记"

    @property
    def detail(self) -> str:
        """What is wrong, in one Chinese sentence part."""
        if self.reason is ChaseReason.MISSING:
            return f"尚未报送（应报{self.owes}）" if self.owes else "尚未报送"
        when = f"{self.imported_at.month}月{self.imported_at.day}日" if self.imported_at else ""
        if self.reason is ChaseReason.REFUSED:
            why = f"，如：{_strip_location(self.first_error)}" if self.first_error else ""
            return f"{when}报送的《{self.file_name}》有错误未能导入，请修改后重新报送{why}"
        return f"{when}报送的《{self.file_name}》有 {self.warning_count} 条警告待核实补正"


@dataclass
class ChaseList:
    """The chasing state of one period."""

    period_key: str
    period_label: str
    as_of: date
    due_date: date | None = None
    expected: int = 0
    received: int = 0
    everyone_expected: bool = False  # no project or indicator names a department yet
    items: list[ChaseItem] = field(default_factory=list)

    def of(self, reason: ChaseReason) -> list[ChaseItem]:
        return [i for i in self.items if i.reason is reason]

    @property
    def overdue_days(self) -> int:
        """Days past the due date (0 when not due yet or no due date)."""
        if self.due_date is None:
            return 0
        return max(0, (self.as_of - self.due_date).days)

    def summary_line(self) -> str:
        """'截至 2025年10月20日，应报 5 个单位，已报 3 个；未报送 2 个，有待核实的问题 1 个。'"""
        return (
            f"截至{self.as_of:%Y年%m月%d日}，应报 {self.expected} 个单位，已报 {self.received} 个；"
            f"{ChaseReason.MISSING.label} {len(self.of(ChaseReason.MISSING))} 个，"
            f"{ChaseReason.REFUSED.label} {len(self.of(ChaseReason.REFUSED))} 个，"
            f"{ChaseReason.UNRESOLVED.label} {len(self.of(ChaseReason.UNRESOLVED))} 个。"
        )


def _strip_location(describe: str) -> str:
    """Drop the severity and file parts of a Problem.describe() line: the notice names the file already."""
    text = describe.split("] ", 1)[-1]
    if text.startswith("文件 "):
        text = text.split("，", 1)[-1] if "，" in text.split("：", 1)[0] else text.split("：", 1)[-1]
    return text


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def chase_notice_text(
    chase: ChaseList, office_name: str, office_contact: str = "", reply_by: date | None = None
) -> str:
    """The 催报通知 as plain text, ready to paste into a message or a document."""
    lines = ["催报通知", "", "各有关单位：", ""]
    if chase.due_date is not None:
        timing = f"应于{_cn_date(chase.due_date)}前报送"
        if chase.overdue_days:
            timing += f"，现已逾期 {chase.overdue_days} 天"
    else:
        timing = "应按要求报送"
    lines.append(
        f"　　根据联席会议工作安排，各单位{chase.period_label}重点项目进展情况报表{timing}。"
        f"截至{_cn_date(chase.as_of)}，以下单位的报表尚未报送或需要核实补正："
    )
    lines.append("")
    sections = [
        (ChaseReason.MISSING, "尚未报送的单位"),
        (ChaseReason.REFUSED, "报表未通过校验、需重新报送的单位"),
        (ChaseReason.UNRESOLVED, "报表有问题待核实补正的单位"),
    ]
    numerals = "一二三四"
    n = 0
    for reason, heading in sections:
        items = chase.of(reason)
        if not items:
            continue
        lines.append(f"{numerals[n]}、{heading}（{len(items)} 个）")
        n += 1
        for i, item in enumerate(items, start=1):
            lines.append(f"　　{i}. {item.department}：{item.detail}。{item.contact}。")
        lines.append("")
    if reply_by is not None:
        ask = f"请上述单位于{_cn_date(reply_by)}前报送（补正）"
    elif chase.due_date is not None and not chase.overdue_days:
        ask = f"请上述单位于{_cn_date(chase.due_date)}前报送（补正）"
    else:
        ask = "请上述单位尽快报送（补正）"
    lines.append(f"　　{ask}。填报模板如有遗失，请与联席会议办公室联系重新获取。")
    if office_contact:
        lines.append(f"　　联系方式：{office_contact}。")
    lines += ["", f"{office_name}", f"{_cn_date(chase.as_of)}"]
    return "\n".join(lines) + "\n"


def write_chase_xlsx(chase: ChaseList, path: Path) -> Path:
    """The chasing list as a printable worksheet."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "催报名单"
    headers = ["序号", "单位", "情况", "应报内容", "联系人", "联系电话", "最近报送文件", "报送时间", "说明"]
    # The status line has a full row to itself, wrapped: beside the period on half a row it was cut off.
    write_title(ws, f"{chase.period_label}报表催报名单", chase.summary_line(), "", len(headers))
    for col, text in enumerate(headers, start=1):
        put_text(ws.cell(row=3, column=col), text)
    style_header_row(ws, 3, len(headers), height=24)
    for n, item in enumerate(chase.items, start=1):
        r = 3 + n
        values = [
            str(n),
            item.department,
            item.reason.label,
            item.owes,
            item.contact_person,
            item.contact_phone,
            item.file_name,
            f"{item.imported_at:%Y-%m-%d %H:%M}" if item.imported_at else "",
            item.detail,
        ]
        for col, value in enumerate(values, start=1):
            cell = put_text(ws.cell(row=r, column=col), value)
            cell.font = BODY_FONT
            cell.border = BORDER
            cell.alignment = WRAP_TOP
        ws.cell(row=r, column=1).value = n
    set_widths(ws, [6, 22, 14, 28, 12, 16, 30, 17, 40])
    ws.cell(row=2, column=1).alignment = WRAP_TOP
    ws.row_dimensions[2].height = min(
        MAX_ROW_HEIGHT, 15 * max(1, math.ceil(text_width(chase.summary_line()) / 175)) + 4
    )
    for r in range(4, 4 + len(chase.items)):
        fit_row_height(ws, r, len(headers))
    ws.freeze_panes = "C4"
    print_setup(ws, 3)
    return save_workbook(wb, path)
