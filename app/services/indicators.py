"""Indicators for the view and the report: baselines, targets with their documents, actuals with sources.

Actuals come from departmental returns (read-only here: the return says where the figure came from) or from
a clerk's manual entry (entered, edited and deleted here, each change written to the audit log).
When a period has both, the manual entry is the one used: a clerk enters a figure on purpose, to fill a
gap or correct a return. Actuals of superseded returns are kept in history but not used.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    target_path,
)
from app.domain.periods import Period, parse_period_text
from app.services.projects import current_user
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.models import AuditEntry, Department, Indicator, IndicatorActual, IndicatorTarget, Return

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
        statuses = {t.assessment.status for t in self.targets}
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
    )


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


def check_actual(
    database: Database, indicator_id: int, period_key: str, value_text: str, *, exclude_id: int | None = None
) -> tuple[str, float]:
    """Validate a manual entry; return (canonical period key, value) or raise KnownError in Chinese."""
    with database.session() as session:
        ind = session.get(Indicator, indicator_id)
        if ind is None:
            raise KnownError(f"指标（编号 {indicator_id}）不存在")
        key = validate_period(period_key)
        milestone = bool(ind.targets) and all(t.kind == TargetKind.MILESTONE for t in ind.targets)
        try:
            value = parse_actual_value(value_text, unit=ind.unit, milestone=milestone, name=ind.name)
        except ValueError as exc:
            raise KnownError(str(exc)) from None
        dup = session.scalars(
            select(IndicatorActual.id).where(
                IndicatorActual.indicator_id == indicator_id,
                IndicatorActual.period_key == key,
                IndicatorActual.return_id.is_(None),
            )
        ).first()
        if dup is not None and dup != exclude_id:
            raise KnownError(f"{Period.parse(key).label}已有手工录入的{ind.name}，请修改该条记录")
        return key, value


def check_fields(
    database: Database, indicator_id: int, period_text: str, value_text: str, *, exclude_id: int | None = None
) -> dict[str, str]:
    """Problems with a manual entry, field by field (``period``, ``value``), for showing beside each field."""
    problems: dict[str, str] = {}
    try:
        key = validate_period(period_text)
    except KnownError as exc:
        problems["period"] = exc.message
        key = ""
    with database.session() as session:
        ind = session.get(Indicator, indicator_id)
        if ind is None:
            return {"value": f"指标（编号 {indicator_id}）不存在"}
        milestone = bool(ind.targets) and all(t.kind == TargetKind.MILESTONE for t in ind.targets)
        try:
            parse_actual_value(value_text, unit=ind.unit, milestone=milestone, name=ind.name)
        except ValueError as exc:
            problems["value"] = str(exc)
        if key:
            dup = session.scalars(
                select(IndicatorActual.id).where(
                    IndicatorActual.indicator_id == indicator_id,
                    IndicatorActual.period_key == key,
                    IndicatorActual.return_id.is_(None),
                )
            ).first()
            if dup is not None and dup != exclude_id:
                problems["period"] = f"{Period.parse(key).label}已有手工录入的值，请修改该条记录"
    return problems


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
    session.add(
        AuditEntry(
            at=now,
            user=who,
            entity=AUDIT_ENTITY,
            entity_id=row.id,
            field=field,
            old_value=old,
            new_value=new,
            action=action,
        )
    )


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
                    status=a.status.value if a else "—",
                    needed_growth=_pct(a.needed_growth_pct) if a and t and t.kind is not TargetKind.MILESTONE else "—",
                    achieved_growth=_pct(a.achieved_growth_pct)
                    if a and t and t.kind is not TargetKind.MILESTONE
                    else "—",
                    rule=a.tooltip if a else "文件未对该指标设定目标，只记录实际值。",
                    first_of_indicator=i == 0,
                )
            )
    return rows


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
    return "\n\n".join(parts)


def department_choices(database: Database) -> list[tuple[int, str]]:
    """(id, name) of every department in the office's order, for picking who reports an indicator."""
    with database.session() as session:
        rows = session.execute(select(Department.id, Department.name).order_by(Department.sort_order, Department.id))
        return [(int(i), str(n)) for i, n in rows]


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
        session.add(
            AuditEntry(
                at=datetime.now().replace(microsecond=0),
                user=who,
                entity="indicator",
                entity_id=ind.id,
                field="responsible_department_id",
                old_value=old,
                new_value=new,
                action="update",
            )
        )
