"""Indicators for the view and the report: baselines, targets with their documents, actuals with sources.

Actuals come from departmental returns (read-only here: the return says where the figure came from) or from
a clerk's manual entry (entered, edited and deleted here, each change written to the audit log).
When a period has both, the manual entry is the one used: a clerk enters a figure on purpose, to fill a
gap or correct a return. Actuals of superseded returns are kept in history but not used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from app.domain.indicators import (
    Assessment,
    Point,
    Status,
    Target,
    TargetKind,
    assess,
    parse_actual_value,
    period_position,
    status_label,
    target_hedge,
    target_path,
)
from app.domain.periods import Period, parse_period_text
from app.storage.audit import add_audit, current_user
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.models import (
    Department,
    Document,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    Return,
    Task,
    TaskDepartment,
)

AUDIT_ENTITY = "indicator_actual"
MILESTONE_LABELS = {1.0: "已实现", 0.0: "未实现"}


@dataclass(frozen=True)
class BaselineData:
    """A baseline figure and the sentence it comes from."""

    year: int
    value: float
    growth_pct: float | None
    document: str
    source_text: str


@dataclass(frozen=True)
class TargetData:
    """One document's target for the indicator, with its assessment and target path."""

    id: int
    year: int
    kind: TargetKind
    value: float | None
    wording: str
    document: str  # short title, e.g. 《关于促进互联网经济发展的指导意见》
    document_key: str
    source_text: str
    assessment: Assessment
    path: tuple[Point, ...]
    reported: bool = True  # the target the office reports against (False: the other document's, shown beside)

    @property
    def hedge(self) -> str:
        """'预计' (a forecast), '力争' (an aspiration) or '' — the document's own word, never dropped."""
        return target_hedge(self.wording)

    @property
    def status_label(self) -> str:
        """达标 / 可达 / 滞后 / 无数据, or for a forecast 达到预计 / 符合预计 / 低于预计."""
        return status_label(self.assessment.status, self.wording)

    @property
    def value_text(self) -> str:
        """The target as a clerk reads it: 2100, 年均增长20%, or the milestone wording."""
        if self.kind is TargetKind.MILESTONE or self.value is None:
            return self.wording
        if self.kind is TargetKind.GROWTH:
            return f"年均增长{self.value:g}%"
        return f"{self.value:g}"


@dataclass(frozen=True)
class ActualData:
    """A measured value for a period and where it came from."""

    id: int
    period_key: str
    period_label: str
    t: float
    value: float | None
    source: str  # free text: the clerk's note, or the return's own
    return_id: int | None
    return_file: str
    department: str
    sheet: str
    row: int | None
    entered_by: str
    entered_at: datetime | None
    superseded: bool
    used: bool  # the figure used for its period (manual beats return; superseded returns never used)
    note: str = ""  # why a figure is not used, in Chinese ("" when used)

    @property
    def manual(self) -> bool:
        return self.return_id is None

    @property
    def source_label(self) -> str:
        """Where the figure came from, in one line: file, sheet and row, or who entered it when."""
        if self.return_id is None:
            when = self.entered_at.strftime("%Y-%m-%d %H:%M") if self.entered_at else ""
            note = f"（{self.source}）" if self.source else ""
            return f"手工录入：{self.entered_by} {when}{note}".strip()
        where = f"《{self.return_file}》"
        if self.sheet:
            where += f" {self.sheet}"
        if self.row is not None:
            where += f" 第{self.row}行"
        dept = f"{self.department} " if self.department else ""
        old = "（已被新报表替代）" if self.superseded else ""
        return f"报表：{dept}{where}{old}"


@dataclass(frozen=True)
class IndicatorData:
    """Everything the view and the report show for one indicator."""

    id: int
    code: str
    name: str
    unit: str
    responsible_department: str
    baselines: tuple[BaselineData, ...]
    targets: tuple[TargetData, ...]
    actuals: tuple[ActualData, ...]  # every actual, oldest period first; ``used`` marks the ones counted
    as_of_key: str | None
    responsible_department_id: int | None = None
    # The item whose sentence sets the target (e.g. 2018年实施方案 二(四)1) and its departments, as named there.
    task_label: str = ""
    task_departments: tuple[str, ...] = ()
    note: str = ""  # why two documents disagree, or how it relates to another indicator
    related_id: int | None = None  # an indicator measuring the same users (an actual for one is offered for both)
    related_label: str = ""  # e.g. ZB12 移动宽带用户普及率
    disagreement: bool = False  # two documents set different targets for the same year
    reported_document_key: str = ""  # the document whose target the office reports against

    @property
    def departments(self) -> tuple[str, ...]:
        """Who answers for the indicator: the department set to report it, else its item's departments."""
        if self.responsible_department:
            return (self.responsible_department,)
        return self.task_departments

    @property
    def reported_targets(self) -> tuple[TargetData, ...]:
        """The targets the office reports against (all, unless two documents disagree and one was chosen)."""
        return tuple(t for t in self.targets if t.reported)

    @property
    def is_milestone(self) -> bool:
        """True when every target is a yes/no milestone (actuals are then 已实现 / 未实现)."""
        return bool(self.targets) and all(t.kind is TargetKind.MILESTONE for t in self.targets)

    @property
    def used_actuals(self) -> tuple[ActualData, ...]:
        """One actual per period: the one counted, up to the period viewed."""
        return tuple(a for a in self.actuals if a.used and a.value is not None)

    @property
    def latest(self) -> ActualData | None:
        used = self.used_actuals
        return used[-1] if used else None

    @property
    def worst_status(self) -> Status | None:
        """The least favourable status among the targets (滞后 > 无数据 > 可达 > 达标), or None without targets."""
        order = [Status.BEHIND, Status.NO_DATA, Status.ON_TRACK, Status.MET]
        # A forecast (预计) missed is 低于预计, not 滞后; the other document's target of a disagreement is shown only.
        statuses = {
            Status.ON_TRACK if t.hedge == "预计" and t.assessment.status is Status.BEHIND else t.assessment.status
            for t in self.reported_targets
        }
        return next((s for s in order if s in statuses), None)

    def format_value(self, value: float | None) -> str:
        """A value as shown in tables: milestone 已实现/未实现, else the number without trailing zeros."""
        if value is None:
            return "—"
        if self.is_milestone:
            return MILESTONE_LABELS.get(value, f"{value:g}")
        return f"{value:.2f}".rstrip("0").rstrip(".")


def is_yearly_amount(unit: str) -> bool:
    """True for amounts a year accumulates (亿元, 万元): a quarter's figure is year-to-date, not comparable."""
    return unit.strip() in {"亿元", "万元", "元"}


def as_of_position(period_key: str | None, today: date | None = None) -> float:
    """The cut-off for assessments: the end of the period viewed, or today."""
    if period_key:
        return period_position(period_key)
    day = today or date.today()
    return day.year - 1 + (day.month - 1) / 12 + day.day / 365


def list_indicators(database: Database, *, as_of: str | None = None, today: date | None = None) -> list[IndicatorData]:
    """Every indicator with its baselines, targets (assessed as of the period ``as_of``) and actuals."""
    with database.session() as session:
        indicators = session.scalars(_query().order_by(Indicator.sort_order, Indicator.id)).all()
        return [_build(session, ind, as_of, today) for ind in indicators]


def get_indicator(
    database: Database, indicator_id: int, *, as_of: str | None = None, today: date | None = None
) -> IndicatorData:
    """One indicator, as in ``list_indicators``; KnownError when it does not exist."""
    with database.session() as session:
        ind = session.scalars(_query().where(Indicator.id == indicator_id)).one_or_none()
        if ind is None:
            raise KnownError(f"指标（编号 {indicator_id}）不存在")
        return _build(session, ind, as_of, today)


def _query() -> Select[Indicator]:
    return select(Indicator).options(
        selectinload(Indicator.baselines),
        selectinload(Indicator.targets).selectinload(IndicatorTarget.document),
        selectinload(Indicator.actuals),
        selectinload(Indicator.responsible_department),
        selectinload(Indicator.task).selectinload(Task.departments).selectinload(TaskDepartment.department),
        selectinload(Indicator.task).selectinload(Task.document),
        selectinload(Indicator.related_indicator),
        selectinload(Indicator.reported_document),
    )


def _build(session: Session, ind: Indicator, as_of: str | None, today: date | None) -> IndicatorData:
    cutoff = as_of_position(as_of, today)
    if as_of is None:
        # "As of today" counts every figure entered, even a current year's (a preliminary annual figure).
        cutoff = max([cutoff, *(period_position(a.period_key) for a in ind.actuals)])
    baselines = tuple(
        BaselineData(b.year, b.value, b.growth_pct, _doc_title(b.document.short_title), b.source_text)
        for b in sorted(ind.baselines, key=lambda b: b.year)
    )
    actuals = _actuals(session, ind, cutoff)
    points = [Point(a.t, a.value) for a in actuals if a.used and a.value is not None]
    base_points = [Point(float(b.year), b.value) for b in baselines]
    domain_targets = [Target(TargetKind(t.kind), t.year, t.value, t.document.key) for t in ind.targets]
    targets = []
    for row, spec in zip(ind.targets, domain_targets, strict=True):
        result = assess(spec, points, baselines=base_points, targets=domain_targets, as_of=cutoff)
        targets.append(
            TargetData(
                id=row.id,
                year=row.year,
                kind=spec.kind,
                value=row.value,
                wording=row.wording,
                document=_doc_title(row.document.short_title),
                document_key=row.document.key,
                source_text=row.source_text,
                assessment=result,
                path=result.path or target_path(spec, base_points, domain_targets),
            )
        )
    targets.sort(key=lambda t: (t.year, t.kind is TargetKind.GROWTH, t.document_key))
    disagreement, reported_key = _reported_document(ind)
    if disagreement:
        targets = [replace(t, reported=t.document_key == reported_key) for t in targets]
    task = ind.task
    related = ind.related_indicator
    return IndicatorData(
        id=ind.id,
        code=ind.code,
        name=ind.name,
        unit=ind.unit,
        responsible_department=ind.responsible_department.name if ind.responsible_department else "",
        baselines=baselines,
        targets=tuple(targets),
        actuals=actuals,
        as_of_key=as_of,
        responsible_department_id=ind.responsible_department_id,
        task_label=f"{_doc_title(task.document.short_title)} {task.code}" if task else "",
        task_departments=tuple(td.department.name for td in task.departments) if task else (),
        note=ind.note,
        related_id=related.id if related else None,
        related_label=f"{related.code} {related.name}" if related else "",
        disagreement=disagreement,
        reported_document_key=reported_key,
    )


def document_year(doc: Document) -> int:
    """The year a document was issued: its date, else the first year its note or key names (约2018年 → 2018)."""
    if doc.issued_on is not None:
        return doc.issued_on.year
    digits = re.search(r"(19|20)\d{2}", f"{doc.issued_note} {doc.key}")
    return int(digits.group(0)) if digits else 0


def _reported_document(ind: Indicator) -> tuple[bool, str]:
    """(whether two documents set targets for the same year, the key of the document reported against).

    The later document by default (it is the newer policy); a clerk's choice (``reported_document_id``) wins.
    """
    docs_by_year: dict[int, set[str]] = {}
    documents: dict[str, Document] = {}
    for t in ind.targets:
        docs_by_year.setdefault(t.year, set()).add(t.document.key)
        documents[t.document.key] = t.document
    if not any(len(keys) > 1 for keys in docs_by_year.values()):
        return False, ""
    if ind.reported_document is not None and ind.reported_document.key in documents:
        return True, ind.reported_document.key
    latest = max(documents.values(), key=lambda d: (document_year(d), d.id))
    return True, latest.key


def _doc_title(title: str) -> str:
    return title if title.startswith("《") else f"《{title}》"


def _actuals(session: Session, ind: Indicator, cutoff: float) -> tuple[ActualData, ...]:
    return_ids = {a.return_id for a in ind.actuals if a.return_id is not None}
    returns: dict[int, Return] = {}
    if return_ids:
        stmt = select(Return).where(Return.id.in_(return_ids)).options(selectinload(Return.department))
        returns = {r.id: r for r in session.scalars(stmt)}
    rows = sorted(ind.actuals, key=lambda a: (period_position(a.period_key), a.period_key, a.id))
    # Choose the figure used for each period: a manual entry, else the newest current return.
    chosen: dict[str, int] = {}
    for a in rows:
        ret = returns.get(a.return_id) if a.return_id is not None else None
        if ret is not None and ret.superseded_by_id is not None:
            continue
        current = chosen.get(a.period_key)
        if current is None or _rank(a, returns) > _rank(_by_id(rows, current), returns):
            chosen[a.period_key] = a.id
    flow = is_yearly_amount(ind.unit)
    out = []
    for a in rows:
        ret = returns.get(a.return_id) if a.return_id is not None else None
        t = period_position(a.period_key)
        chosen_here = chosen.get(a.period_key) == a.id
        partial_year = flow and abs(t - round(t)) > 1e-9
        note = ""
        if ret is not None and ret.superseded_by_id is not None:
            note = "该报表已被新报表替代，不再采用"
        elif not chosen_here:
            note = "同一报告期另有手工录入值（优先采用）或更新的报表值"
        elif partial_year:
            note = "年内累计数：金额类指标按全年数评估，不采用季度、月度数"
        elif t > cutoff + 1e-9:
            note = "报告期晚于评估截止期"
        out.append(
            ActualData(
                id=a.id,
                period_key=a.period_key,
                period_label=Period.parse(a.period_key).label,
                t=t,
                value=a.value,
                source=a.source,
                return_id=a.return_id,
                return_file=ret.file_name if ret else "",
                department=ret.department.name if ret else "",
                sheet=a.source_sheet,
                row=a.source_row,
                entered_by=a.entered_by,
                entered_at=a.entered_at,
                superseded=bool(ret and ret.superseded_by_id is not None),
                used=not note,
                note=note,
            )
        )
    return tuple(out)


def _by_id(rows: list[IndicatorActual], actual_id: int) -> IndicatorActual:
    return next(a for a in rows if a.id == actual_id)


def _rank(a: IndicatorActual, returns: dict[int, Return]) -> tuple[int, datetime]:
    if a.return_id is None:
        return (1, a.entered_at or datetime.min)
    ret = returns.get(a.return_id)
    return (0, ret.imported_at if ret else datetime.min)


# --- manual entry ---------------------------------------------------------------------------------------------


def _entry_problems(
    name: str,
    unit: str,
    milestone: bool,
    manual_periods: dict[str, int],
    period_text: str,
    value_text: str,
    exclude_id: int | None,
) -> tuple[dict[str, str], str, float | None]:
    """The one rule for a manual entry: (problems by field, canonical period key, value)."""
    problems: dict[str, str] = {}
    key = ""
    value: float | None = None
    try:
        key = validate_period(period_text)
    except KnownError as exc:
        problems["period"] = exc.message
    try:
        value = parse_actual_value(value_text, unit=unit, milestone=milestone, name=name)
    except ValueError as exc:
        problems["value"] = str(exc)
    if key and manual_periods.get(key, exclude_id) != exclude_id:
        problems["period"] = f"{Period.parse(key).label}已有手工录入的{name}，请修改该条记录"
    return problems, key, value


def _entry_facts(session: Session, indicator_id: int) -> tuple[str, str, bool, dict[str, int]]:
    ind = session.get(Indicator, indicator_id)
    if ind is None:
        raise KnownError(f"指标（编号 {indicator_id}）不存在")
    milestone = bool(ind.targets) and all(t.kind == TargetKind.MILESTONE for t in ind.targets)
    manual = {
        key: actual_id
        for actual_id, key in session.execute(
            select(IndicatorActual.id, IndicatorActual.period_key).where(
                IndicatorActual.indicator_id == indicator_id, IndicatorActual.return_id.is_(None)
            )
        )
    }
    return ind.name, ind.unit, milestone, manual


def check_actual(
    database: Database, indicator_id: int, period_key: str, value_text: str, *, exclude_id: int | None = None
) -> tuple[str, float]:
    """Validate a manual entry; return (canonical period key, value) or raise KnownError in Chinese."""
    with database.session() as session:
        facts = _entry_facts(session, indicator_id)
    problems, key, value = _entry_problems(*facts, period_key, value_text, exclude_id)
    if problems or value is None:
        raise KnownError(problems.get("period") or problems.get("value") or "请填写实际值")
    return key, value


def check_fields(
    database: Database, indicator_id: int, period_text: str, value_text: str, *, exclude_id: int | None = None
) -> dict[str, str]:
    """Problems with a manual entry, field by field (``period``, ``value``), for showing beside each field."""
    with database.session() as session:
        try:
            facts = _entry_facts(session, indicator_id)
        except KnownError as exc:
            return {"value": exc.message}
    return _entry_problems(*facts, period_text, value_text, exclude_id)[0]


def entry_problems(
    indicator: IndicatorData, period_text: str, value_text: str, *, exclude_id: int | None = None
) -> dict[str, str]:
    """Problems with a manual entry for an indicator already loaded, by field; no database needed."""
    manual = {a.period_key: a.id for a in indicator.actuals if a.manual}
    return _entry_problems(
        indicator.name, indicator.unit, indicator.is_milestone, manual, period_text, value_text, exclude_id
    )[0]


def validate_period(period_key: str, today: date | None = None) -> str:
    """The canonical key of a period that has started (2016-Q3 or 2016年第三季度); KnownError otherwise."""
    try:
        period = Period.parse(period_key)
    except ValueError as exc:
        # Clerks also type the Chinese label: 2016年, 2016年第三季度, 2016年9月.
        loose = parse_period_text(period_key.strip()) if len(period_key.strip()) <= 12 else None
        if loose is None:
            text = period_key.strip()
            raise KnownError(f"报告期格式不正确：“{text}”，应如 2025年、2025年第三季度、2025年9月") from exc
        period = loose
    if period.year < 2000:
        raise KnownError("报告期年份不能早于2000年")
    if period.start > (today or date.today()):
        raise KnownError(f"{period.label}尚未开始，不能录入实际值")
    return period.key


def record_actual(
    database: Database,
    indicator_id: int,
    period_key: str,
    value: float | str,
    source: str = "",
    user: str | None = None,
) -> int:
    """Enter a figure by hand (validated; one manual figure per indicator and period); return its id."""
    key, number = check_actual(database, indicator_id, period_key, _as_text(value))
    who = user or current_user()
    now = datetime.now().replace(microsecond=0)
    with database.session() as session:
        row = IndicatorActual(
            indicator_id=indicator_id,
            period_key=key,
            value=number,
            source=source.strip(),
            entered_by=who,
            entered_at=now,
        )
        session.add(row)
        session.flush()
        _audit(session, row, who, now, "create", "value", "", f"{key}：{_text(number)}")
        return row.id


def update_actual(
    database: Database,
    actual_id: int,
    *,
    period_key: str,
    value: float | str,
    source: str = "",
    user: str | None = None,
) -> None:
    """Change a manual figure (period, value, note); figures from returns are refused."""
    who = user or current_user()
    with database.session() as session:
        row = _manual_row(session, actual_id)
        indicator_id = row.indicator_id
    key, number = check_actual(
        database,
        indicator_id,
        period_key,
        _as_text(value),
        exclude_id=actual_id,
    )
    now = datetime.now().replace(microsecond=0)
    with database.session() as session:
        row = _manual_row(session, actual_id)
        for field, old, new in (
            ("period_key", row.period_key, key),
            ("value", _text(row.value), _text(number)),
            ("source", row.source, source.strip()),
        ):
            if old != new:
                _audit(session, row, who, now, "update", field, old, new)
        row.period_key, row.value, row.source = key, number, source.strip()
        row.entered_by, row.entered_at = who, now


def delete_actual(database: Database, actual_id: int, user: str | None = None) -> ManualActual:
    """Delete a manual figure; return what it was (so an undo can enter it again)."""
    who = user or current_user()
    with database.session() as session:
        row = _manual_row(session, actual_id)
        kept = ManualActual(row.indicator_id, row.period_key, row.value, row.source)
        old = f"{row.period_key}：{_text(row.value)}"
        _audit(session, row, who, datetime.now().replace(microsecond=0), "delete", "value", old, "")
        session.delete(row)
        return kept


@dataclass(frozen=True)
class ManualActual:
    """A manual figure's content, detached from the database (for undo)."""

    indicator_id: int
    period_key: str
    value: float | None
    source: str


def _manual_row(session: Session, actual_id: int) -> IndicatorActual:
    row = session.get(IndicatorActual, actual_id)
    if row is None:
        raise KnownError("该实际值已被删除，请刷新后重试")
    if row.return_id is not None:
        raise KnownError("该实际值来自报表，不能在此修改或删除；请导入更正后的报表")
    return row


def _as_text(value: float | str) -> str:
    return value if isinstance(value, str) else repr(float(value))


def _text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _audit(
    session: Session, row: IndicatorActual, who: str, now: datetime, action: str, field: str, old: str, new: str
) -> None:
    add_audit(session, user=who, entity=AUDIT_ENTITY, entity_id=row.id, field=field, old=old, new=new,
              action=action, at=now)  # fmt: skip


# --- the indicator table (view, export, report) ---------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRow:
    """One line of the indicator table: an indicator with one of its targets (or none)."""

    indicator_id: int
    target_id: int | None
    code: str
    name: str
    unit: str
    baseline: str
    target: str  # 2100 / 年均增长20% / wording of a milestone
    target_wording: str
    document: str
    year: str
    latest: str
    status: str
    needed_growth: str
    achieved_growth: str
    rule: str  # the rule and how it applied, for a tooltip
    first_of_indicator: bool
    departments: str = ""  # who answers for the indicator (its item's departments, or the one set to report it)
    reported: bool = True  # False: the other document's target of a disagreement, shown beside, not reported
    note: str = ""  # the indicator's note (a disagreement explained, a related indicator)

    @property
    def target_text(self) -> str:
        """The document's own words (力争 / 预计 / 以上 / 超过 / 突破 kept), marked when not reported against."""
        text = self.target_wording or self.target
        return text if self.reported else f"{text}（仅列示，不作报告口径）"


HEADERS = (
    "指标",
    "单位",
    "基期值",
    "目标",
    "目标文件",
    "目标年",
    "最新实际值",
    "状态",
    "尚需年均增速",
    "已实现年均增速",
    "责任单位",
)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def indicator_rows(indicators: list[IndicatorData]) -> list[IndicatorRow]:
    """Flatten indicators into table rows, one per target, so two documents' targets sit side by side."""
    rows: list[IndicatorRow] = []
    for data in indicators:
        baseline = "；".join(f"{data.format_value(b.value)}（{b.year}年）" for b in data.baselines) or "—"
        latest = data.latest
        latest_text = f"{data.format_value(latest.value)}（{latest.period_label}）" if latest else "—"
        targets: list[TargetData | None] = list(data.targets) or [None]
        for i, t in enumerate(targets):
            a = t.assessment if t else None
            rows.append(
                IndicatorRow(
                    indicator_id=data.id,
                    target_id=t.id if t else None,
                    code=data.code,
                    name=data.name,
                    unit=data.unit,
                    baseline=baseline,
                    target=t.value_text if t else "（文件未设目标）",
                    target_wording=t.wording if t else "",
                    document=t.document if t else "",
                    year=f"{t.year}年" if t else "",
                    latest=latest_text,
                    status=t.status_label if t else "—",
                    needed_growth=_pct(a.needed_growth_pct) if a and t and t.kind is not TargetKind.MILESTONE else "—",
                    achieved_growth=_pct(a.achieved_growth_pct)
                    if a and t and t.kind is not TargetKind.MILESTONE
                    else "—",
                    rule=_rule(data, t) if t and a else "文件未对该指标设定目标，只记录实际值。",
                    first_of_indicator=i == 0,
                    departments="、".join(data.departments),
                    reported=t.reported if t else True,
                    note=data.note,
                )
            )
    return rows


def _rule(data: IndicatorData, t: TargetData) -> str:
    """The assessment's tooltip, with what the hedge and a disagreement mean for it."""
    text = t.assessment.tooltip
    if t.hedge == "预计":
        text = f"{t.status_label}（预计性目标，仅作参考，不判为滞后）\n" + text
    elif t.hedge == "力争":
        text = "力争目标（文件原文为“力争”）\n" + text
    if not t.reported:
        text = "两份文件对同一年目标不同，本目标仅列示，不作报告口径\n" + text
    return text


def export_indicator_table(database: Database, path: str | Path, *, as_of: str | None = None) -> int:
    """Write the indicator table (one row per target) and every actual with its source to .xlsx; return rows."""
    from app.reports.indicators_xlsx import write_indicator_table

    indicators = list_indicators(database, as_of=as_of)
    label = Period.parse(as_of).label if as_of else date.today().strftime("%Y年%m月%d日")
    return write_indicator_table(indicators, label, Path(path))


def indicator_id_by_code(database: Database, code_or_name: str) -> int:
    """The id of the indicator with this code (ZB05) or exact name (互联网产业规模); KnownError if none."""
    text = code_or_name.strip()
    with database.session() as session:
        found = session.scalars(
            select(Indicator.id).where((Indicator.code == text.upper()) | (Indicator.name == text))
        ).first()
    if found is None:
        raise KnownError(f"没有编号或名称为“{text}”的指标（运行 taizhang indicators list 查看全部）")
    return found


def rules_text() -> str:
    """Every status rule, one paragraph per kind of target, for a help box or a report footnote."""
    from app.domain.indicators import RULES

    parts = [f"【{kind.label}】{text}" for kind, text in RULES.items()]
    parts.append(
        "实际值：同一报告期既有报表值又有手工录入值时采用手工录入值；已被替代的报表不再采用；"
        "金额类指标（亿元、万元）只采用全年数。评估截至所选报告期末，其后的实际值不计入。"
    )
    parts.append(
        "文件原话：写“预计”的目标是预测值，只判达到预计、符合预计或低于预计，不判滞后；写“力争”的目标按原文标注，"
        "判断方法不变。两份文件对同一年目标不同时，两个目标都列出、分别判定，办公室按选定的一个报告"
        "（默认较晚的文件），另一个标为仅列示。"
    )
    return "\n\n".join(parts)


def department_choices(database: Database) -> list[tuple[int, str]]:
    """(id, name) of every current department in the office's order, for picking who reports an indicator."""
    from app.storage.successions import retired_department_ids

    with database.session() as session:
        retired = retired_department_ids(session)
        rows = session.execute(select(Department.id, Department.name).order_by(Department.sort_order, Department.id))
        return [(int(i), str(n)) for i, n in rows if i not in retired]


def set_responsible_department(
    database: Database, indicator_id: int, department_id: int | None, user: str | None = None
) -> None:
    """Name the department that reports an indicator (it then owes a return and gets the 指标数据 sheet); audited."""
    who = user or current_user()
    with database.session() as session:
        ind = session.get(Indicator, indicator_id)
        if ind is None:
            raise KnownError("该指标已被删除，请刷新后重试")
        if department_id is not None and session.get(Department, department_id) is None:
            raise KnownError("该单位已被删除，请刷新后重试")
        old = ind.responsible_department.name if ind.responsible_department else ""
        if ind.responsible_department_id == department_id:
            return
        ind.responsible_department_id = department_id
        session.flush()
        session.refresh(ind)
        new = ind.responsible_department.name if ind.responsible_department else ""
        add_audit(
            session,
            user=who,
            entity="indicator",
            entity_id=ind.id,
            field="responsible_department_id",
            old=old,
            new=new,
        )


def set_reported_document(
    database: Database, indicator_id: int, document_key: str | None, user: str | None = None
) -> str:
    """Choose whose target the office reports against when two documents disagree (None: the later one); audited.

    Returns the short title of the document now reported against.
    """
    who = user or current_user()
    with database.session() as session:
        ind = session.scalars(_query().where(Indicator.id == indicator_id)).one_or_none()
        if ind is None:
            raise KnownError("该指标已被删除，请刷新后重试")
        disagreement, before = _reported_document(ind)
        if not disagreement:
            raise KnownError(f"{ind.name}只有一份文件设定的目标，无需选择报告口径")
        keys = {t.document.key: t.document for t in ind.targets}
        if document_key is not None and document_key not in keys:
            raise KnownError(f"{ind.name}没有该文件设定的目标")
        ind.reported_document = keys[document_key] if document_key is not None else None
        session.flush()
        _, after = _reported_document(ind)
        if after != before or document_key is None:
            add_audit(
                session,
                user=who,
                entity="indicator",
                entity_id=ind.id,
                field="reported_document_id",
                old=keys[before].short_title,
                new=keys[after].short_title + ("（默认：较晚的文件）" if document_key is None else ""),
            )
        return keys[after].short_title


def document_key_for(database: Database, indicator_id: int, text: str) -> str | None:
    """A document key from what a clerk types: the key, 2015 / 2018, a title fragment, or 默认 / later (None)."""
    wanted = text.strip()
    if wanted in {"", "默认", "later", "default", "较晚"}:
        return None
    with database.session() as session:
        ind = session.get(Indicator, indicator_id)
        if ind is None:
            raise KnownError("该指标已被删除")
        docs = {t.document.key: t.document for t in ind.targets}
    for key, doc in docs.items():
        if wanted in (key, str(document_year(doc))) or wanted in doc.short_title or wanted in doc.title:
            return key
    names = "、".join(f"{document_year(d)}（{d.short_title}）" for d in docs.values())
    raise KnownError(f"找不到文件“{wanted}”。该指标的目标来自：{names}")


@dataclass(frozen=True)
class RelatedOffer:
    """An indicator measuring the same thing as the one just recorded: offer the same figure for it."""

    indicator_id: int
    code: str
    name: str
    unit: str
    already_entered: bool  # it has a manual figure for that period already (then nothing is offered)

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


def related_offer(database: Database, indicator_id: int, period_key: str = "") -> RelatedOffer | None:
    """The related indicator of ``indicator_id`` (None when it has none), and whether it has this period's figure."""
    with database.session() as session:
        ind = session.get(Indicator, indicator_id)
        if ind is None or ind.related_indicator is None:
            return None
        other = ind.related_indicator
        entered = False
        if period_key:
            try:
                key = Period.parse(period_key).key
            except ValueError:
                key = ""
            entered = key != "" and session.scalars(
                select(IndicatorActual.id).where(
                    IndicatorActual.indicator_id == other.id,
                    IndicatorActual.period_key == key,
                    IndicatorActual.return_id.is_(None),
                )
            ).first() is not None
        return RelatedOffer(other.id, other.code, other.name, other.unit, entered)
