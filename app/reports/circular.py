"""The circular (情况通报) as plain data, laid out as the report's blocks for the .docx and PDF renderers.

Short and plain, in the office's voice: 一、总体情况 二、各单位报送情况 三、存在的主要问题 四、下步工作要求.
It names departments, not people. No Qt, no SQL here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.domain.numerals import chinese_number
from app.reports.content import Block, Heading, Paragraph, Table

ON_TIME = "按时报送"
LATE = "逾期报送"
MISSING = "未报送"
RETURN_STATES = (ON_TIME, LATE, MISSING)


@dataclass(frozen=True)
class OverdueDecision:
    """An open decision past its due date, as the circular names it."""

    id: int
    text: str
    due: date
    days_overdue: int
    meeting: str  # "2025-10-20 第三季度联席会议" or ""


@dataclass
class DepartmentStanding:
    """How one department stands this period."""

    name: str
    return_state: str  # ON_TIME / LATE / MISSING
    returned_on: date | None
    lagging: list[str] = field(default_factory=list)  # lagging parts and projects, named
    overdue: list[OverdueDecision] = field(default_factory=list)
    open_decisions: int = 0


@dataclass
class CircularContent:
    """Everything one period's circular says."""

    organisation: str
    period_key: str
    period_label: str
    issued_on: date
    due_date: date
    due_rule: str  # how the due date was set ("报告期结束后 10 日内" or the stored date)
    departments: list[DepartmentStanding]
    supervised_items: int  # parts (task × department) and projects the departments report on
    lagging_items: int
    decisions_total: int
    decisions_open: int
    decisions_closed: int
    decisions_overdue: int
    decisions_closed_in_period: int
    internal_line: str = ""

    def of(self, state: str) -> list[DepartmentStanding]:
        """Departments whose return is in ``state``."""
        return [d for d in self.departments if d.return_state == state]

    @property
    def title(self) -> str:
        return f"关于{self.period_label}重点任务推进情况的通报"

    @property
    def title_lines(self) -> list[str]:
        """The title broken where a printed circular breaks it: after the period."""
        return [f"关于{self.period_label}", "重点任务推进情况的通报"]

    @property
    def date_text(self) -> str:
        return f"{self.issued_on.year}年{self.issued_on.month}月{self.issued_on.day}日"


def _names(rows: list[DepartmentStanding]) -> str:
    return "、".join(d.name for d in rows) if rows else "无"


def circular_blocks(c: CircularContent) -> list[Block]:
    """The circular's body in reading order (the title and the issuing line are rendered around it)."""
    on_time, late, missing = c.of(ON_TIME), c.of(LATE), c.of(MISSING)
    expected = len(c.departments)
    blocks: list[Block] = [
        Paragraph("各成员单位："),
        Paragraph(
            f"根据联席会议工作安排，现将{c.period_label}重点任务推进、报表报送和联席会议议定事项落实情况通报如下。"
        ),
        Heading("一、总体情况"),
        Paragraph(
            f"本期应报送单位 {expected} 个，按时报送 {len(on_time)} 个，逾期报送 {len(late)} 个，"
            f"未报送 {len(missing)} 个。纳入督办的任务和项目 {c.supervised_items} 项，"
            f"其中滞后 {c.lagging_items} 项。"
        ),
        Paragraph(
            f"联席会议议定事项共 {c.decisions_total} 项，已办结 {c.decisions_closed} 项"
            f"（本期办结 {c.decisions_closed_in_period} 项），正在办理 {c.decisions_open} 项，"
            f"其中逾期未办结 {c.decisions_overdue} 项。"
        ),
        Heading("二、各单位报送情况"),
        Paragraph(f"报送时限：{c.due_rule}。"),
        Paragraph(f"按时报送的单位（{len(on_time)} 个）：{_names(on_time)}。"),
        Paragraph(f"逾期报送的单位（{len(late)} 个）：{_names(late)}。"),
        Paragraph(f"未报送的单位（{len(missing)} 个）：{_names(missing)}。"),
        Table(
            ["序号", "单位", "报送情况", "滞后事项", "逾期议定事项"],
            [
                [
                    str(n),
                    d.name,
                    d.return_state + (f"（{d.returned_on:%m月%d日}）" if d.returned_on else ""),
                    str(len(d.lagging)),
                    str(len(d.overdue)),
                ]
                for n, d in enumerate(c.departments, start=1)
            ],
            [0.6, 3.2, 2.0, 1.2, 1.4],
            numeric=frozenset({0, 3, 4}),
        ),
        Heading("三、存在的主要问题"),
    ]
    problems = [d for d in c.departments if d.lagging or d.overdue]
    if not problems and not missing and not late:
        blocks.append(Paragraph("本期各单位均按时报送，未发现滞后任务和逾期未办结的议定事项。"))
    n = 0
    if missing or late:
        n += 1
        said = []
        if missing:
            said.append(f"{_names(missing)}未报送{c.period_label}报表")
        if late:
            said.append(f"{_names(late)}未按时报送")
        blocks.append(Paragraph(f"（{chinese_number(n)}）报表报送不及时。" + "；".join(said) + "。"))
    lagging = [d for d in c.departments if d.lagging]
    if lagging:
        n += 1
        blocks.append(Paragraph(f"（{chinese_number(n)}）部分任务推进滞后。"))
        for d in lagging:
            shown = "；".join(d.lagging[:8]) + (f"等 {len(d.lagging)} 项" if len(d.lagging) > 8 else "")
            blocks.append(Paragraph(f"{d.name}：{shown}。"))
    overdue = [d for d in c.departments if d.overdue]
    if overdue:
        n += 1
        blocks.append(Paragraph(f"（{chinese_number(n)}）部分议定事项逾期未办结。"))
        for d in overdue:
            items = "；".join(
                f"{o.text}（{o.meeting + '议定，' if o.meeting else ''}"
                f"时限{o.due:%Y年%m月%d日}，已逾期 {o.days_overdue} 天）"
                for o in d.overdue
            )
            blocks.append(Paragraph(f"{d.name}：{items}。"))
    blocks.append(Heading("四、下步工作要求"))
    blocks.append(
        Paragraph(
            "（一）请未报送和逾期报送的单位高度重视报表报送工作，严格按照时限报送，确保数据真实、准确、完整。"
            if missing or late
            else "（一）请各单位继续按时报送报表，确保数据真实、准确、完整。"
        )
    )
    blocks.append(
        Paragraph(
            "（二）请任务推进滞后的单位认真分析原因，制定整改措施，加快推进，并在下期报表中说明进展。"
            if lagging
            else "（二）请各单位对照年度任务目标，持续推进各项重点任务。"
        )
    )
    blocks.append(
        Paragraph(
            "（三）请相关单位抓紧办理逾期未办结的议定事项，办结后及时报送办结情况及佐证材料，由联席会议办公室审核销号。"
            if overdue
            else "（三）请各单位按照时限办理联席会议议定事项，办结后及时报送办结情况及佐证材料。"
        )
    )
    return blocks
