"""The vocabulary shared by templates (written) and the importer (read): sheets, fields, headers, synonyms.

A field's first header is the one the template writes; the synonyms are what departments turn it into
when they edit the sheet. Matching is done on normalised text (see app.domain.text.normalise_header).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

TEMPLATE_VERSION = "1"
META_SHEET = "_taizhang"  # hidden sheet: template_version, department, period
# The meta sheet holds one key a row: the key in column A, its value in column B (text).
META_TEMPLATE_VERSION = "template_version"
META_DEPARTMENT = "department"
META_PERIOD = "period"  # canonical key, e.g. 2025-Q3


class ValueKind(StrEnum):
    TEXT = "text"
    MONEY = "money"  # 万元; text such as "0.35亿元" is converted
    PERCENT = "percent"  # 0-100; 0.6 and "60%" both mean 60
    DATE = "date"
    YEAR = "year"
    NUMBER = "number"


@dataclass(frozen=True)
class Field:
    name: str
    headers: tuple[str, ...]  # first = the template's header
    kind: ValueKind = ValueKind.TEXT
    required: bool = False
    help: str = ""
    # Pre-filled by the template for the department's reference (last period's figures); importers ignore it.
    reference: bool = False
    # Pre-filled by the template to say which record a row is about (code, name, unit …). A row holding nothing
    # else is one the department left untouched: it reports nothing and is skipped, not read as blanks.
    prefilled: bool = False

    @property
    def header(self) -> str:
        return self.headers[0]


@dataclass(frozen=True)
class SheetSpec:
    key: str
    title: str  # the template's sheet name
    title_synonyms: tuple[str, ...]
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field:
        return self._by_name[name]

    def untouched(self, filled: Iterable[str]) -> bool:
        """True when a row's filled fields are only those the template pre-fills: it reports nothing."""
        quiet = self._prefilled
        return all(name in quiet for name in filled)

    # Looked up once per row of a return (50,000 rows × 15 columns): a dict and a set, not a scan of the fields.
    @cached_property
    def _by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    @cached_property
    def _prefilled(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields if f.prefilled or f.reference)


PROGRESS = SheetSpec(
    key="progress",
    title="项目进展",
    title_synonyms=("项目进展", "进展情况", "重点项目", "项目台账", "进度表", "Sheet1"),
    fields=(
        Field("project_code", ("项目编号", "编号", "项目代码", "代码", "序号编码", "项目编码"), prefilled=True),
        Field(
            "project_name",
            ("项目名称", "名称", "项目", "重点项目名称", "建设项目", "项目名"),
            required=True,
            prefilled=True,
        ),
        Field("department", ("责任单位", "牵头单位", "填报单位", "主管部门", "责任部门", "牵头部门"), prefilled=True),
        Field(
            "region", ("所在地区", "市（州）", "市州", "地区", "建设地点", "所在市（州）", "项目所在地"), prefilled=True
        ),
        Field(
            "planned_investment",
            ("计划总投资（万元）", "总投资", "计划总投资", "计划投资"),
            ValueKind.MONEY,
            prefilled=True,
        ),
        Field(
            "investment_period",
            (
                "本期完成投资（万元）",
                "本期完成",
                "本年完成",
                "本季度完成",
                "本月完成",
                "本期完成投资",
                "本年度完成投资",
            ),
            ValueKind.MONEY,
        ),
        Field(
            "investment_cumulative",
            ("累计完成投资（万元）", "累计完成", "累计完成投资", "开工累计完成投资", "累计已完成投资", "累计投资"),
            ValueKind.MONEY,
        ),
        Field(
            "progress_pct",
            ("形象进度（%）", "形象进度", "完成进度", "进度", "工程进度", "项目进度", "完成比例", "完成率"),
            ValueKind.PERCENT,
        ),
        Field("progress_text", ("本期进展情况", "进展情况", "工作进展", "项目进展情况", "进展", "建设进展")),
        Field("problems", ("存在问题", "存在的问题", "主要问题", "问题", "存在困难", "困难和问题")),
        Field("coordination_needed", ("需协调解决的问题", "需协调事项", "需要协调解决的问题", "协调事项")),
        Field("next_steps", ("下步工作计划", "下步计划", "下一步工作计划", "下一步计划")),
        Field(
            "previous_cumulative",
            ("上期累计完成投资（万元）", "上期累计完成投资", "上期累计完成"),
            ValueKind.MONEY,
            reference=True,
        ),
        Field(
            "previous_progress_pct",
            ("上期形象进度（%）", "上期形象进度", "上期进度"),
            ValueKind.PERCENT,
            reference=True,
        ),
    ),
)

MILESTONES = SheetSpec(
    key="milestones",
    title="里程碑",
    title_synonyms=("里程碑", "节点", "关键节点"),
    fields=(
        Field("project_code", ("项目编号", "编号", "项目代码", "项目编码")),
        Field("project_name", ("项目名称", "名称", "项目", "项目名"), required=True),
        Field("milestone_name", ("里程碑", "节点名称", "关键节点", "里程碑名称"), required=True),
        Field("planned_date", ("计划完成日期", "计划日期", "计划完成时间", "完成时限", "计划时间"), ValueKind.DATE),
        Field("actual_date", ("实际完成日期", "实际日期", "实际完成时间", "完成日期"), ValueKind.DATE),
    ),
)

MEMBERS = SheetSpec(
    key="members",
    title="新增计划成员",
    title_synonyms=("新增计划成员", "计划成员", "示范企业", "试验区", "企业名单", "成员名单"),
    fields=(
        Field("programme", ("所属计划", "计划名称", "所属项目", "项目名称", "计划"), required=True),
        Field("member_name", ("企业（试验区）名称", "企业名称", "单位名称", "试验区名称", "名称"), required=True),
        Field("credit_code", ("统一社会信用代码", "信用代码", "社会信用代码", "统一信用代码")),
        Field("region", ("所在地区", "市（州）", "市州", "地区")),
        Field("year_counted", ("计入年度", "年度", "认定年度"), ValueKind.YEAR),
        Field("notes", ("备注", "说明")),
    ),
)

INDICATORS = SheetSpec(
    key="indicators",
    title="指标数据",
    title_synonyms=("指标数据", "指标", "主要指标", "指标完成情况"),
    fields=(
        Field("indicator_code", ("指标编号", "编号", "指标代码"), prefilled=True),
        Field("indicator_name", ("指标名称", "指标", "名称"), required=True, prefilled=True),
        Field("unit", ("单位", "计量单位"), prefilled=True),
        Field("value", ("本期数值", "数值", "完成值", "本期完成", "实际值"), ValueKind.NUMBER, required=True),
        Field("source", ("数据来源", "来源", "备注")),
    ),
)

# A department's progress on its parts of the documents' tasks (督办: app.services.supervision). Checked and
# written by app.returns.task_rows; the reading stages treat it like any other sheet.
TASKS = SheetSpec(
    key="tasks",
    title="重点任务进展",
    title_synonyms=("重点任务进展", "重点任务推进", "任务进展", "重点任务", "任务推进情况", "重点工作推进", "督办事项"),
    fields=(
        Field("task_code", ("任务编号", "编号", "任务代码", "条目编号", "序号编码"), prefilled=True),
        Field(
            "task_title",
            ("重点任务", "任务名称", "任务内容", "工作任务", "主要任务", "重点工作", "任务事项", "工作内容", "任务"),
            required=True,
            prefilled=True,
        ),
        Field("department", ("责任单位", "牵头单位", "责任部门", "主管部门"), prefilled=True),
        Field("year_target", ("年度任务目标", "年度目标", "年度工作目标", "目标任务", "年度任务"), prefilled=True),
        # The office keeps the part's people (2018 四(一)); the template shows them, the importer leaves them.
        Field("people", ("工作责任人及联系人", "工作责任人", "责任人", "联系人", "联系人及电话"), reference=True),
        Field(
            "progress_text",
            ("本期进展情况", "进展情况", "工作进展", "推进情况", "落实情况", "工作开展情况", "进展", "工作推进情况"),
        ),
        Field("problems", ("存在问题", "存在的问题", "主要问题", "问题", "存在困难", "困难和问题")),
        Field("coordination_needed", ("需协调解决的问题", "需协调事项", "需要协调解决的问题", "协调事项", "需协调")),
        Field("next_steps", ("下步工作计划", "下步计划", "下一步工作计划", "下一步计划", "下步打算", "下一步打算")),
        Field("completion", ("完成情况", "完成状态", "推进状态", "进度状态", "状态", "是否滞后")),
    ),
)

# A department's progress on its open meeting decisions (议定事项). Checked and written by
# app.returns.decision_rows; the office still closes (销号) a decision itself.
DECISIONS = SheetSpec(
    key="decisions",
    title="议定事项",
    title_synonyms=("议定事项", "议定事项落实情况", "会议议定事项", "议定事项进展", "议定事项办理情况"),
    fields=(
        Field("decision_id", ("编号", "事项编号", "议定事项编号"), prefilled=True),
        Field("decision_text", ("议定事项", "议定事项内容", "事项内容"), required=True, prefilled=True),
        Field("due", ("完成时限", "办结时限", "时限要求", "完成时间"), ValueKind.DATE, prefilled=True),
        Field("progress_text", ("进展情况", "办理情况", "落实情况", "工作进展", "办理进展", "进展")),
        Field("reported_done", ("是否办结", "办结情况", "是否完成", "完成情况")),
    ),
)

SHEETS: tuple[SheetSpec, ...] = (PROGRESS, MILESTONES, MEMBERS, INDICATORS, TASKS, DECISIONS)
INSTRUCTIONS_SHEET = "填报说明"
