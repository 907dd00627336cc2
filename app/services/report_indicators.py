"""The report's indicator section: each target's status with its rule, chart data and sources.

A thin adapter: when ``app.domain.indicators`` (the indicators engineer's status rules) is present its
``assess`` decides the status; otherwise a small fallback with the same four statuses does, so the report
never waits on that module.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.periods import Period
from app.reports.content import IndicatorChartSpec, IndicatorLine, SourceLine, TargetLine
from app.storage.models import Document, Indicator, IndicatorActual, Return

KIND_LABEL = {"floor": "不低于", "exact": "等于", "growth": "年均增长", "milestone": "节点任务"}


def _fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:,.1f}".rstrip("0").rstrip(".") if abs(value) < 10_000 else f"{value:,.0f}"
    return f"{text}{unit}"


def document_label(doc: Document) -> str:
    """A short name that tells the documents apart in tables and legends: 2015年指导意见."""
    title = doc.short_title.strip("《》")
    year = doc.issued_on.year if doc.issued_on else None
    if year is None:
        digits = re.search(r"(19|20)\d{2}", doc.issued_note or doc.key)
        year = int(digits.group(0)) if digits else None
    return f"{year}年{title[-4:]}" if year else title


def document_notes(s: Session) -> list[str]:
    """“2015年指导意见：《关于…》” lines explaining the short names."""
    return [f"{document_label(d)}：{d.short_title}" for d in s.scalars(select(Document).order_by(Document.id))]


def _period_end(key: str) -> date | None:
    try:
        return Period.parse(key).end
    except ValueError:
        return None


def _position(key: str) -> float:
    end = Period.parse(key).end
    return end.year - 1 + end.month / 12


def indicator_section(
    s: Session, as_of: date
) -> tuple[list[IndicatorLine], list[IndicatorChartSpec], list[SourceLine]]:
    """Lines for the table, chart specs and source lines for every indicator, as of ``as_of``."""
    docs = {d.id: document_label(d) for d in s.scalars(select(Document))}
    indicators = s.scalars(
        select(Indicator)
        .options(selectinload(Indicator.baselines), selectinload(Indicator.targets), selectinload(Indicator.actuals))
        .order_by(Indicator.sort_order, Indicator.id)
    ).all()
    return_ids = {a.return_id for i in indicators for a in i.actuals if a.return_id}
    files = (
        dict(s.execute(select(Return.id, Return.file_name).where(Return.id.in_(return_ids))).all())
        if return_ids
        else {}
    )
    assess = _external_assess()
    lines: list[IndicatorLine] = []
    charts: list[IndicatorChartSpec] = []
    sources: list[SourceLine] = []
    for ind in indicators:
        actuals = [
            a
            for a in ind.actuals
            if a.value is not None and (end := _period_end(a.period_key)) is not None and end <= as_of
        ]
        actuals.sort(key=lambda a: (_position(a.period_key), a.id))
        latest = actuals[-1] if actuals else None
        base = ind.baselines[0] if ind.baselines else None
        baseline_text = f"{_fmt(base.value)}\n（{base.year}年）" if base else "—"
        targets = []
        for t in ind.targets:
            status, rule = (assess or _fallback_assess)(ind, t, actuals, as_of)
            targets.append(TargetLine(docs.get(t.document_id, ""), t.year, t.kind, t.wording, status, rule))
        latest_source = ""
        if latest is not None:
            if latest.return_id:
                latest_source = files.get(latest.return_id, "报表")
                sources.append(
                    SourceLine(
                        f"{ind.name} {Period.parse(latest.period_key).label}",
                        _fmt(latest.value, ind.unit),
                        latest_source,
                        latest.source_sheet or "—",
                        str(latest.source_row) if latest.source_row else "—",
                    )
                )
            else:
                latest_source = latest.source or "人工录入"
                sources.append(
                    SourceLine(
                        f"{ind.name} {Period.parse(latest.period_key).label}",
                        _fmt(latest.value, ind.unit),
                        f"人工录入：{latest_source}" if latest.source else "人工录入",
                        "—",
                        "—",
                    )
                )
        lines.append(
            IndicatorLine(
                ind.code,
                ind.name,
                ind.unit,
                baseline_text,
                f"{_fmt(latest.value)}\n（{Period.parse(latest.period_key).label}）" if latest else "—",
                latest_source,
                targets,
            )
        )
        level_targets = [
            (t.year, t.value, docs.get(t.document_id, ""))
            for t in ind.targets
            if t.kind in ("floor", "exact") and t.value is not None
        ]
        if actuals:  # a chart with no actual says nothing the table does not
            charts.append(
                IndicatorChartSpec(
                    ind.code,
                    ind.name,
                    ind.unit,
                    (base.year, base.value) if base else None,
                    [(a.period_key, float(a.value or 0.0)) for a in actuals],
                    level_targets,
                )
            )
    return lines, charts, sources


def indicator_section_from_service(
    db: Any, period_key: str, docs_by_key: dict[str, str]
) -> tuple[list[IndicatorLine], list[IndicatorChartSpec], list[SourceLine]] | None:
    """The same section from ``app.services.indicators`` (their status rules and charts); None when absent."""
    try:
        service = importlib.import_module("app.services.indicators")
    except ImportError:
        return None
    lines: list[IndicatorLine] = []
    charts: list[IndicatorChartSpec] = []
    sources: list[SourceLine] = []
    for data in service.list_indicators(db, as_of=period_key):
        latest = data.latest
        base = data.baselines[0] if data.baselines else None
        targets = [
            TargetLine(
                docs_by_key.get(t.document_key, t.document.strip("《》")),
                t.year,
                str(t.kind.value),
                t.wording,
                str(t.assessment.status.value),
                t.assessment.reason,
            )
            for t in data.targets
        ]
        if latest is not None:
            sources.append(
                SourceLine(
                    f"{data.name} {latest.period_label}",
                    f"{data.format_value(latest.value)}{data.unit if not data.is_milestone else ''}",
                    latest.return_file or latest.source_label,
                    latest.sheet or "—",
                    str(latest.row) if latest.row is not None else "—",
                )
            )
        lines.append(
            IndicatorLine(
                data.code,
                data.name,
                data.unit,
                f"{_fmt(base.value)}\n（{base.year}年）" if base else "—",
                f"{data.format_value(latest.value)}\n（{latest.period_label}）" if latest else "—",
                latest.source_label if latest else "",
                targets,
            )
        )
        if data.used_actuals:
            charts.append(
                IndicatorChartSpec(
                    data.code,
                    data.name,
                    data.unit,
                    (base.year, base.value) if base else None,
                    [(a.period_key, float(a.value)) for a in data.used_actuals],
                    [
                        (t.year, t.value, docs_by_key.get(t.document_key, ""))
                        for t in data.targets
                        if t.value is not None
                    ],
                    data,
                )
            )
    return lines, charts, sources


AssessFn = Callable[[Indicator, Any, list[IndicatorActual], date], tuple[str, str]]


def _external_assess() -> AssessFn | None:
    """Wrap the indicators engineer's ``assess`` when it is installed and takes the expected arguments."""
    try:
        domain = importlib.import_module("app.domain.indicators")
        assess = domain.assess
        point_cls = domain.Point
        target_cls = domain.Target
        kind_cls = domain.TargetKind
        position = domain.period_position
    except (ImportError, AttributeError):
        return None

    def run(ind: Indicator, t: Any, actuals: list[IndicatorActual], as_of: date) -> tuple[str, str]:
        now = as_of.year - 1 + as_of.month / 12
        try:
            baseline = [point_cls(float(b.year), b.value) for b in ind.baselines]
            points = [point_cls(position(a.period_key), float(a.value or 0.0)) for a in actuals]
            target = target_cls(kind_cls(t.kind), t.year, t.value)
            others = [
                target_cls(kind_cls(o.kind), o.year, o.value)
                for o in ind.targets
                if o.document_id == t.document_id and o is not t
            ]
            result = assess(target, baselines=baseline, actuals=points, now=now, other_targets=others)
            return str(result.status.value), f"{result.reason}（规则：{result.rule_text}）"
        except TypeError:
            return _fallback_assess(ind, t, actuals, as_of)

    return run


def _fallback_assess(ind: Indicator, t: Any, actuals: list[IndicatorActual], as_of: date) -> tuple[str, str]:
    """达标 / 可达 / 滞后 / 无数据 with the rule applied, in words."""
    unit = ind.unit
    if t.kind == "milestone":
        if not actuals:
            return "无数据", "尚未录入实际情况。"
        done = (actuals[-1].value or 0) >= 1
        if done:
            return "达标", "已录入为已实现。"
        return ("滞后", f"{t.year}年已过仍未实现。") if as_of.year > t.year else ("可达", "尚未实现，目标年未过。")
    if not actuals:
        return "无数据", "基期以来没有实际值。"
    latest = actuals[-1]
    value = float(latest.value or 0.0)
    at = _position(latest.period_key)
    if t.kind == "growth":
        base = ind.baselines[0] if ind.baselines else None
        if base is None or base.value <= 0 or at <= base.year:
            return "无数据", "缺少基期值，无法计算年均增速。"
        achieved = 100 * ((value / base.value) ** (1 / (at - base.year)) - 1)
        ok = achieved >= (t.value or 0)
        rule = f"{base.year}年以来年均增长{achieved:.1f}%，目标{_fmt(t.value)}%以上。"
        return ("达标" if ok else "滞后"), rule
    target = float(t.value or 0.0)
    if value >= target:
        return "达标", f"最新实际值{_fmt(value, unit)}已达到目标{_fmt(target, unit)}。"
    if at >= t.year:
        return "滞后", f"目标年{t.year}年已到，最新实际值{_fmt(value, unit)}低于目标{_fmt(target, unit)}。"
    years_left = t.year - at
    needed = 100 * ((target / value) ** (1 / years_left) - 1) if value > 0 else float("inf")
    if len(actuals) < 2:
        return "滞后", f"尚需年均增长{needed:.1f}%，仅有一个实际值，无法判断增速。"
    prev = actuals[0]
    span = at - _position(prev.period_key)
    if span <= 0 or (prev.value or 0) <= 0:
        return "滞后", f"尚需年均增长{needed:.1f}%。"
    achieved = 100 * ((value / float(prev.value or 1)) ** (1 / span) - 1)
    status = "可达" if achieved >= needed else "滞后"
    return status, f"尚需年均增长{needed:.1f}%，已实现年均增长{achieved:.1f}%。"
