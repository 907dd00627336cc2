"""The meeting report as plain data: typed sections built by a service, then laid out as blocks for renderers.

No Qt, no SQL here. ``layout(content)`` turns the typed report into a flat list of blocks (headings,
paragraphs, tables, charts, page breaks) that the PDF and .docx renderers both walk, so the two outputs say
the same thing in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.domain.numerals import chinese_number

ORGANISATION = "吉林省互联网经济与信息消费联席会议"
STATUS_ORDER = ("达标", "可达", "滞后", "无数据")
HIGHLIGHTS_PER_GROUP = 6  # progress lines printed per task group; the rest are in the progress appendix


# ---------------------------------------------------------------------------------------------- blocks
@dataclass
class Heading:
    """A section heading: level 1 一、…, level 2 （一）…."""

    text: str
    level: int = 1  # 0 the title (2号 小标宋) / 1 一、… / 2 （一）… / 3 1. …


@dataclass
class Paragraph:
    """A paragraph of running text."""

    text: str
    style: str = "body"  # body / note (smaller, for sources and rules)


@dataclass
class Table:
    """A table; ``widths`` are relative column widths, ``numeric`` the columns aligned right."""

    columns: list[str]
    rows: list[list[str]]
    widths: list[float]
    numeric: frozenset[int] = frozenset()
    caption: str = ""
    font_scale: float = 1.0  # wide appendix tables print smaller
    landscape: bool = False  # too many columns for portrait: its section prints on landscape pages


@dataclass
class IndicatorChartSpec:
    """Actuals against each target's path for one indicator."""

    code: str
    name: str
    unit: str
    baseline: tuple[int, float] | None
    actuals: list[tuple[str, float]]  # (period key, value)
    targets: list[tuple[int, float, str]]  # (year, value, document short title)
    # The indicators service's record (app.services.indicators.IndicatorData): the chart is drawn from it by
    # app.reports.indicator_charts, the same chart the indicators view shows.
    data: object | None = None


@dataclass
class GanttRow:
    """One project's bar in the Gantt appendix."""

    label: str
    planned_start: date | None
    planned_end: date | None
    progress_pct: float | None
    lagging: bool


@dataclass
class GanttSpec:
    """The Gantt appendix: the key projects' rows, as of a day.

    ``data`` is the Gantt service's record (app.services.gantt.GanttData, milestones and lag included): the
    renderers draw it with the app's own Gantt painter, page by page, as the Gantt view prints.
    """

    rows: list[GanttRow]
    as_of: date
    data: object | None = None


@dataclass
class Chart:
    """A chart block: its spec and its printed size."""

    key: str  # unique within the report: names the image resource
    spec: IndicatorChartSpec | GanttSpec
    width_cm: float
    height_cm: float
    caption: str = ""


@dataclass
class PageBreak:
    """Start a new page."""

    pass


Block = Heading | Paragraph | Table | Chart | PageBreak


# ---------------------------------------------------------------------------------------------- sections
@dataclass
class Cover:
    """What the cover page says."""

    organisation: str
    meeting_line: str  # 第X次会议
    kind_line: str  # 材料
    meeting_title: str
    period_label: str
    date_text: str  # 2025年10月15日
    internal_line: str  # 内部资料 注意保存

    @property
    def period_line(self) -> str:
        """（2025年第三季度） under the title, or "" when the meeting's title already names the period."""
        if self.period_label and self.period_label in self.meeting_title.replace(" ", ""):
            return ""
        return f"（{self.period_label}）"


@dataclass
class Overview:
    """The counts and sums of 一、总体情况."""

    documents: int
    tasks: int
    item_tasks: int
    key_projects: int
    programmes: int
    members: int
    planned_investment: float  # 万元
    completed_investment: float  # 万元, cumulative as last reported
    period_investment: float  # 万元, in the period
    reported_projects: int
    returns_received: int
    returns_expected: int
    lagging_projects: int
    # The completion share's one base: key projects with a planned investment, their planned and completed sums.
    share_projects: int = 0
    share_planned: float = 0.0
    share_completed: float = 0.0


@dataclass
class TargetLine:
    """One document's target for an indicator, with its status and the reason."""

    document: str
    year: int
    kind: str
    wording: str
    status: str  # 达标 / 可达 / 滞后 / 无数据; a forecast's (预计) 达到预计 / 符合预计 / 低于预计
    rule_text: str
    reported: bool = True  # False: the other document's target of a disagreement, listed but not reported against


@dataclass
class IndicatorLine:
    """An indicator: baseline, latest actual and every target."""

    code: str
    name: str
    unit: str
    baseline_text: str
    latest_text: str  # "1234.5（2024年）" or "—"
    latest_source: str
    targets: list[TargetLine]
    departments: str = ""  # who answers for it: its item's departments, or the one set to report it
    note: str = ""  # a disagreement explained, a related indicator


@dataclass
class TaskGroupProgress:
    """Progress of the projects under one part of a document."""

    document: str
    code: str
    title: str
    projects: int
    reported: int
    average_progress: float | None
    completed_investment: float
    lagging: int
    highlights: list[str]  # "项目名：本期进展" lines


@dataclass
class TaskPartLine:
    """One responsible department's progress on one task (a supervised part), as the report prints it."""

    document: str
    code: str
    title: str
    department: str
    state: str  # 按时推进 / 滞后 / 已完成 / 已报送 / 未报送
    progress_text: str = ""
    problems: str = ""
    coordination_needed: str = ""


@dataclass
class LaggingProject:
    """A project behind schedule, the rules' reasons and the department's own words."""

    code: str
    name: str
    department: str
    progress_pct: float | None
    rule_reasons: list[str]  # from the schedule rules
    stated_problems: str  # what the department wrote under 存在问题
    source: str  # file / sheet / row


@dataclass
class IssueLine:
    """One 需协调解决的问题 as printed."""

    text: str
    department: str
    project: str


@dataclass
class IssueGroup:
    """A department's 需协调解决的问题, each text once with every project that raised it."""

    department: str
    items: list[tuple[str, list[str]]]  # (text, projects)


def group_issues(issues: list[IssueLine]) -> list[IssueGroup]:
    """Group by department (in order of first appearance) and merge repeats of the same text (spacing ignored)."""
    groups: dict[str, IssueGroup] = {}
    index: dict[tuple[str, str], int] = {}
    for issue in issues:
        dept = issue.department or "其他"
        group = groups.setdefault(dept, IssueGroup(dept, []))
        key = (dept, "".join(issue.text.split()).rstrip("。；;."))
        if key in index:
            projects = group.items[index[key]][1]
            if issue.project and issue.project not in projects:
                projects.append(issue.project)
            continue
        index[key] = len(group.items)
        group.items.append((issue.text.strip(), [issue.project] if issue.project else []))
    return list(groups.values())


@dataclass
class MissingDepartment:
    """A department whose return for the period has not arrived."""

    name: str
    owes: str  # 重点项目 3 个、指标 2 项
    contact: str


@dataclass
class LedgerRow:
    """One row of the ledger appendix."""

    code: str
    name: str
    kind: str
    task: str
    department: str
    region: str
    planned: str  # 2021.01–2024.12
    planned_investment: float | None
    completed_investment: float | None
    progress_pct: float | None
    status: str


@dataclass
class SourceLine:
    """Where one figure of the report came from."""

    figure: str
    value: str
    file: str
    sheet: str
    row: str


@dataclass
class DecisionLine:
    """One meeting decision (议定事项) and how it stands, as printed."""

    text: str
    departments: str
    due: str  # 2025年11月30日
    standing: str  # 已办结（2025年11月28日） / 正在办理 / 逾期 5 天未办结
    note: str  # the closing note, or the latest progress reported


@dataclass
class DecisionsSection:
    """A meeting's decisions for the report: ``title`` names the meeting (上次会议（2025年7月20日））."""

    title: str
    lines: list[DecisionLine]


@dataclass
class ReportContent:
    """Everything a meeting report says, as data."""

    cover: Cover
    period_key: str
    period_label: str
    as_of: date
    overview: Overview
    indicators: list[IndicatorLine]
    indicator_charts: list[IndicatorChartSpec]
    task_groups: list[TaskGroupProgress]
    lagging: list[LaggingProject]
    issues: list[IssueLine]
    missing: list[MissingDepartment]
    ledger: list[LedgerRow]
    gantt: list[GanttRow]
    sources: list[SourceLine]
    lag_margin_pct: float = 15.0
    attendees: list[str] = field(default_factory=list)
    document_notes: list[str] = field(default_factory=list)  # 2015年指导意见：《…》
    previous_decisions: DecisionsSection | None = None  # the previous meeting's decisions, opening the material
    decisions: DecisionsSection | None = None  # this meeting's own decisions
    task_parts: list[TaskPartLine] = field(default_factory=list)  # every part of both documents' tasks
    gantt_data: object | None = None  # app.services.gantt.GanttData of the key projects, for the Gantt appendix


# ---------------------------------------------------------------------------------------------- formatting
# One convention in every table and sentence: — when there is no figure; a figure with thousands separators
# and only the decimals that say something (12,000 / 12.5 / 0, never 0.0 or 12,000.0).
def money(value: float | None) -> str:
    """万元 with thousands separators and no false precision: 12,000 · 85.5 · 0; — when unknown."""
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 100 else _trim(f"{value:,.1f}")


def pct(value: float | None) -> str:
    """Percent with no decimals, or — when unknown."""
    return "—" if value is None else f"{value:.0f}%"


def yi(value_wan: float) -> str:
    """万元 as 亿元 text for running prose: 1.25亿元 · 3亿元."""
    return f"{_trim(f'{value_wan / 10_000:,.2f}')}亿元"


def _trim(text: str) -> str:
    """12.50 → 12.5, 3.00 → 3 (only a fixed-point text with a decimal point)."""
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---------------------------------------------------------------------------------------------- layout
def layout(content: ReportContent) -> list[Block]:
    """The report as blocks in reading order (the cover is rendered separately from ``content.cover``)."""
    blocks: list[Block] = []
    o = content.overview
    blocks.append(PageBreak())
    blocks.append(Heading(f"{content.period_label}工作推进情况", 0))
    blocks.extend(previous_decision_blocks(content))
    blocks.append(Heading("一、总体情况"))
    if o.share_planned:
        share = (
            f"（按填有计划投资的 {o.share_projects} 个重点项目计，累计完成投资占其计划总投资的 "
            f"{100 * o.share_completed / o.share_planned:.1f}%）"
        )
    else:
        share = ""
    blocks.append(
        Paragraph(
            f"截至{content.period_label}末，台账共列入任务 {o.tasks} 项（其中具体任务 {o.item_tasks} 项），"
            f"重点项目 {o.key_projects} 个，定额计划 {o.programmes} 个（已登记成员 {o.members} 个）。"
            f"重点项目计划总投资 {yi(o.planned_investment)}，累计完成投资 {yi(o.completed_investment)}"
            f"{share}，本期完成投资 {yi(o.period_investment)}。"
        )
    )
    blocks.append(
        Paragraph(
            f"本期应报送单位 {o.returns_expected} 个，已报送 {o.returns_received} 个"
            f"（{o.returns_received}/{o.returns_expected}）；填报进展的项目 {o.reported_projects} 个，"
            f"按进度规则判定滞后的项目 {o.lagging_projects} 个。"
        )
    )
    blocks.append(
        Table(
            ["项目", "数量"],
            [
                ["任务（项）", str(o.tasks)],
                ["重点项目（个）", str(o.key_projects)],
                ["定额计划（个）", str(o.programmes)],
                ["定额计划成员（个）", str(o.members)],
                ["计划总投资（万元）", money(o.planned_investment)],
                ["累计完成投资（万元）", money(o.completed_investment)],
                ["本期完成投资（万元）", money(o.period_investment)],
                ["报表收回（份）", f"{o.returns_received}/{o.returns_expected}"],
                ["滞后项目（个）", str(o.lagging_projects)],
            ],
            [3, 2],
            numeric=frozenset({1}),
        )
    )

    blocks.append(Heading("二、主要指标完成情况"))
    counts = {s: 0 for s in STATUS_ORDER}
    soft: dict[str, int] = {}  # forecasts (预计), judged softly, counted apart
    for ind in content.indicators:
        for t in ind.targets:
            tally = soft if "预计" in t.wording else counts
            tally[t.status] = tally.get(t.status, 0) + 1
    # Only indicators with a target count as "set a target for".
    with_targets = [i for i in content.indicators if i.targets]
    soft_counts = "，".join(f"{s} {n} 项" for s, n in soft.items())
    soft_text = f"；另有预计性目标 {sum(soft.values())} 项（{soft_counts}，只作参考）" if soft else ""
    disagreeing = [i.name for i in content.indicators if any(not t.reported for t in i.targets)]
    blocks.append(
        Paragraph(
            f"两份文件共对 {len(with_targets)} 项指标设定目标 "
            f"{sum(len(i.targets) for i in with_targets) - sum(soft.values())} 项，其中"
            + "，".join(f"{s} {counts[s]} 项" for s in STATUS_ORDER)
            + soft_text
            + "。同一指标在两份文件中目标不同的，分别列出、分别判定"
            + (f"，{'、'.join(disagreeing)}按标“报告口径”的目标报告" if disagreeing else "")
            + "。"
        )
    )
    rows = []
    for ind in content.indicators:
        name = f"{ind.name}（{ind.unit}）" if ind.unit else ind.name
        if ind.departments:
            name += f"\n责任单位：{ind.departments}"
        if not ind.targets:
            rows.append([name, ind.baseline_text, "未设定目标", ind.latest_text, "—", "文件只给出基期值，未设定目标"])
        split = any(not t.reported for t in ind.targets)
        for t in ind.targets:
            target = f"{t.year}年{t.wording}" if t.year else t.wording
            mark = ("〔报告口径〕" if t.reported else "〔仅列示〕") if split else ""
            rows.append(
                [name, ind.baseline_text, f"{target}（{t.document}）{mark}", ind.latest_text, t.status, t.rule_text]
            )
    blocks.append(
        Table(
            ["指标", "基期", "目标（文件）", "最新实际", "状态", "判定依据"],
            rows,
            [2.0, 1.7, 2.7, 1.8, 1.0, 3.3],
            font_scale=1.0,  # 小4, the smallest GB/T table size
        )
    )
    for ind in content.indicators:
        if ind.note:
            blocks.append(Paragraph(f"说明（{ind.name}）：{ind.note}", "note"))
    blocks.append(
        Paragraph(
            "状态说明：达标——最新实际值已达到目标；可达——按已实现增速可如期达到；"
            "滞后——按已实现增速不能如期达到或目标年已过仍未达到；无数据——尚无实际值；"
            "“预计”目标为预测值，只判达到预计、符合预计或低于预计，不判滞后；“力争”目标按原文标注。"
            + ("文件简称：" + "；".join(content.document_notes) + "。" if content.document_notes else ""),
            "note",
        )
    )
    for n, spec in enumerate(content.indicator_charts, start=1):
        blocks.append(Chart(f"indicator-{spec.code}", spec, 7.6, 5.2, f"图{n} {spec.name}"))

    rest = [line for g in content.task_groups for line in g.highlights[HIGHLIGHTS_PER_GROUP:]]
    appendix = _appendix_names(bool(rest))
    blocks.append(Heading("三、重点任务进展"))
    if not content.task_groups:
        blocks.append(Paragraph("本期暂无列入台账的项目进展。"))
    groups_table = []
    for g in content.task_groups:
        groups_table.append(
            [
                f"{g.document} {g.code} {g.title}",
                str(g.projects),
                str(g.reported),
                pct(g.average_progress),
                # The sum over no return is no figure, not zero.
                money(g.completed_investment) if g.reported else "—",
                str(g.lagging),
            ]
        )
    if groups_table:
        blocks.append(
            Table(
                ["任务", "项目数", "已填报", "平均形象进度", "累计完成投资（万元）", "滞后"],
                groups_table,
                [5, 1, 1, 1.4, 1.8, 0.8],
                numeric=frozenset({1, 2, 3, 4, 5}),
            )
        )
    for n, g in enumerate(content.task_groups, start=1):
        # The heading names the part; which document and part number it is opens the paragraph, so that the
        # heading stays one line as GB/T headings do.
        blocks.append(Heading(f"（{chinese_number(n)}）{g.title}", 2))
        where = f"{g.document}{g.code}：".lstrip() if g.document or g.code else ""
        if g.reported:
            progress = f"平均形象进度 {pct(g.average_progress)}，" if g.average_progress is not None else ""
            said = (
                f"{where}列入项目 {g.projects} 个，本期填报 {g.reported} 个，{progress}"
                f"累计完成投资 {money(g.completed_investment)} 万元，滞后 {g.lagging} 个。"
            )
        else:
            said = f"{where}列入项目 {g.projects} 个，本期均未填报，滞后 {g.lagging} 个。"
        blocks.append(Paragraph(said))
        for line in g.highlights[:HIGHLIGHTS_PER_GROUP]:
            blocks.append(Paragraph(line))
        if len(g.highlights) > HIGHLIGHTS_PER_GROUP:
            more = len(g.highlights) - HIGHLIGHTS_PER_GROUP
            blocks.append(Paragraph(f"其余 {more} 个项目的本期进展见{appendix['progress']}。", "note"))
    blocks.extend(task_parts_section(content, len(content.task_groups)))

    blocks.append(Heading("四、滞后项目"))
    if not content.lagging:
        blocks.append(Paragraph("本期无按进度规则判定滞后的项目。"))
    else:
        blocks.append(
            Paragraph(
                f"按进度规则（计划里程碑逾期未完成，或形象进度低于计划工期已过比例超过 "
                f"{content.lag_margin_pct:g} 个百分点），本期滞后项目 {len(content.lagging)} 个，"
                "滞后原因及责任单位所报存在问题如下。"
            )
        )
        blocks.append(
            Table(
                ["项目", "责任单位", "形象进度", "滞后情况", "单位所报原因"],
                [
                    [
                        f"{p.code} {p.name}",
                        p.department,
                        pct(p.progress_pct),
                        "；".join(p.rule_reasons),
                        p.stated_problems or "（未填报原因）",
                    ]
                    for p in content.lagging
                ],
                [2.6, 1.8, 0.9, 3.2, 3.0],
                numeric=frozenset({2}),
            )
        )

    blocks.append(Heading("五、需协调解决的问题"))
    if not content.issues:
        blocks.append(Paragraph("本期各单位未提出需联席会议协调解决的问题。"))
    else:
        groups = group_issues(content.issues)
        count = sum(len(g.items) for g in groups)
        blocks.append(
            Paragraph(f"{len(groups)} 个单位提出需协调解决的问题 {count} 项（同一问题涉及多个项目的合并列出）。")
        )
        for n, group in enumerate(groups, start=1):
            blocks.append(Heading(f"{n}. {group.department}", 3))
            for k, (text, projects) in enumerate(group.items, start=1):
                where = f"（涉及项目：{'、'.join(projects)}）" if projects else ""
                blocks.append(Paragraph(f"（{k}）{text}{where}"))

    blocks.append(Heading("六、未报送单位"))
    if not content.missing:
        blocks.append(Paragraph("本期应报送单位均已报送。"))
    else:
        blocks.append(
            Paragraph(f"截至材料印发，以下 {len(content.missing)} 个单位尚未报送{content.period_label}报表：")
        )
        blocks.append(
            Table(
                ["单位", "应报内容", "联系人及电话"],
                [[m.name, m.owes, m.contact or "—"] for m in content.missing],
                [3, 2.5, 2.5],
            )
        )

    blocks.extend(meeting_decision_blocks(content))

    blocks.append(PageBreak())
    blocks.append(Heading(f"{appendix['ledger']} 项目台账"))
    blocks.append(
        Table(
            [
                "编号",
                "项目名称",
                "类别",
                "所属任务",
                "责任单位",
                "地区",
                "计划工期",
                "计划投资",
                "累计完成",
                "形象进度",
                "状态",
            ],
            [
                [
                    r.code,
                    r.name,
                    r.kind,
                    r.task,
                    r.department,
                    r.region,
                    r.planned,
                    money(r.planned_investment),
                    money(r.completed_investment),
                    pct(r.progress_pct),
                    r.status,
                ]
                for r in content.ledger
            ],
            [1.25, 3.0, 0.8, 1.5, 2.0, 1.1, 1.8, 1.3, 1.3, 0.9, 1.05],
            numeric=frozenset({7, 8, 9}),
            caption="金额单位：万元",
            font_scale=1.0,
            landscape=True,
        )
    )

    if rest:
        blocks.append(PageBreak())
        blocks.append(Heading(f"{appendix['progress']} 其余项目本期进展"))
        rows = []
        for g in content.task_groups:
            for line in g.highlights[HIGHLIGHTS_PER_GROUP:]:
                name, _, said = line.partition("：")
                rows.append([f"{g.document}{g.code}".strip() or "—", name, said])
        blocks.append(Table(["所属任务", "项目", "本期进展"], rows, [1.2, 2.2, 4.6], font_scale=1.0))

    blocks.append(PageBreak())
    blocks.append(Heading(f"{appendix['gantt']} 项目进度甘特图"))
    dated = [r for r in content.gantt if r.planned_start and r.planned_end]
    if dated:
        blocks.append(
            Paragraph(
                f"重点项目 {len(dated)} 个，按计划工期绘制；滞后按进度规则于{content.as_of:%Y年%m月%d日}判定，"
                "图例见每页页脚。",
                "note",
            )
        )
        blocks.append(Chart("gantt", GanttSpec(dated, content.as_of, content.gantt_data), 15.6, 22.0, ""))
    else:
        blocks.append(Paragraph("台账中的项目尚未填写计划工期，无法绘制甘特图。"))

    blocks.append(PageBreak())
    blocks.append(Heading(f"{appendix['sources']} 数据来源"))
    blocks.append(
        Paragraph(
            "本材料各项数字均来自各单位报送的报表（或注明的人工录入），逐项列明文件、工作表和行号，便于核对。"
            "项目行的“投资”为累计完成投资（万元），“进度”为形象进度。",
            "note",
        )
    )
    blocks.append(
        Table(
            ["数字", "取值", "来源文件", "工作表", "行"],
            [[s.figure, s.value, s.file, s.sheet, s.row] for s in content.sources],
            [4.4, 2.4, 3.4, 1.3, 0.6],
            numeric=frozenset({1, 4}),
            font_scale=1.0,
        )
    )
    return blocks


def _decision_table(section: DecisionsSection) -> Table:
    return Table(
        ["序号", "议定事项", "责任单位", "完成时限", "落实情况"],
        [
            [str(n), d.text, d.departments, d.due, d.standing + (f"：{d.note}" if d.note else "")]
            for n, d in enumerate(section.lines, start=1)
        ],
        [0.6, 4.4, 2.2, 1.8, 3.4],
        numeric=frozenset({0}),
    )


def previous_decision_blocks(content: ReportContent) -> list[Block]:
    """上次会议议定事项落实情况: the material opens with how the last meeting's decisions stand."""
    section = content.previous_decisions
    if section is None or not section.lines:
        return []
    done = sum(1 for d in section.lines if d.standing.startswith("已办结"))
    overdue = sum(1 for d in section.lines if d.standing.startswith("逾期"))
    return [
        Heading("上次会议议定事项落实情况"),
        Paragraph(
            f"{section.title}议定事项 {len(section.lines)} 项，已办结 {done} 项，"
            f"正在办理 {len(section.lines) - done - overdue} 项，逾期未办结 {overdue} 项。"
        ),
        _decision_table(section),
    ]


def meeting_decision_blocks(content: ReportContent) -> list[Block]:
    """本次会议议定事项: the meeting's own decisions, once recorded (for the material printed after it)."""
    section = content.decisions
    if section is None or not section.lines:
        return []
    return [
        Heading("本次会议议定事项"),
        Paragraph(
            f"{section.title}议定事项 {len(section.lines)} 项，由责任单位按时限办理，办结后报联席会议办公室销号。"
        ),
        _decision_table(section),
    ]


def task_parts_section(content: ReportContent, numbered: int = 0) -> list[Block]:
    """三、重点任务进展, the tasks' part: per document, each task with every responsible department's progress.

    Departments are named in the document's order, each with its 完成情况 and its own words; a department
    that has not reported is said to have not reported, so no part is left out.
    """
    if not content.task_parts:
        return []
    blocks: list[Block] = []
    by_document: dict[str, list[TaskPartLine]] = {}
    for line in content.task_parts:
        by_document.setdefault(line.document, []).append(line)
    for n, (document, lines) in enumerate(by_document.items(), start=numbered + 1):
        reported = sum(1 for x in lines if x.state != "未报送")
        lagging = sum(1 for x in lines if x.state == "滞后")
        done = sum(1 for x in lines if x.state == "已完成")
        tasks: dict[tuple[str, str], list[TaskPartLine]] = {}
        for x in lines:
            tasks.setdefault((x.code, x.title), []).append(x)
        blocks.append(Heading(f"（{chinese_number(n)}）{document}分工任务推进情况", 2))
        blocks.append(
            Paragraph(
                f"{document}列出的任务中，有 {len(tasks)} 项明确了责任单位，按职责分工共 {len(lines)} 项；"
                f"本期已报送进展 {reported} 项，未报送 {len(lines) - reported} 项，滞后 {lagging} 项，"
                f"已完成 {done} 项。"
            )
        )
        for (code, title), parts in tasks.items():
            said = []
            for x in parts:
                if x.state == "未报送":
                    continue
                text = _said(x.progress_text) or "已报送，未填写进展"
                extra = f"存在问题：{_said(x.problems)}。" if _said(x.problems) not in ("", "无", "暂无") else ""
                state = f"（{x.state}）" if x.state not in ("", "已报送") else ""
                said.append(f"{x.department}{state}：{text}。{extra}")
            missing = [x.department for x in parts if x.state == "未报送"]
            if missing:
                said.append(f"本期未报送：{'、'.join(missing)}。")
            blocks.append(Paragraph(f"{code} {title}。" + "".join(said)))
    return blocks


def _said(text: str) -> str:
    """A department's words as one sentence: whitespace folded, the closing 。 left to the caller."""
    return " ".join((text or "").split()).rstrip("。；;. ")


def sections(blocks: list[Block]) -> list[list[Block]]:
    """The blocks cut at page breaks into sections that each start a new page (empty sections dropped)."""
    out: list[list[Block]] = [[]]
    for block in blocks:
        if isinstance(block, PageBreak):
            out.append([])
        else:
            out[-1].append(block)
    return [section for section in out if section]


def estimate_pages(blocks: list[Block]) -> int:
    """A rough page count (22 lines × 28 characters) both renderers use to decide on a contents page."""
    lines = 0.0
    pages = 0
    for section in sections(blocks):
        for b in section:
            if isinstance(b, Heading):
                lines += 1.5
            elif isinstance(b, Paragraph):
                lines += -(-len(b.text) // 28)
            elif isinstance(b, Table):
                lines += 1 + 0.8 * sum(1 + max(len(c) for c in row) // 12 for row in b.rows) if b.rows else 1
            elif isinstance(b, Chart):
                lines += b.height_cm / 1.0 if not isinstance(b.spec, GanttSpec) else 22 * (1 + len(b.spec.rows) // 30)
        pages += max(1, -(-int(lines) // 22))
        lines = 0
    return pages


def _appendix_names(with_progress: bool) -> dict[str, str]:
    """附录一… for each appendix present, in print order (the progress appendix only when there is one)."""
    keys = ["ledger", *(["progress"] if with_progress else []), "gantt", "sources"]
    return {key: f"附录{chinese_number(n)}" for n, key in enumerate(keys, start=1)}
