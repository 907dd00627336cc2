"""The report's indicator section from ``app.services.indicators``: each target's status and reason, charts, sources.

The indicators service owns the status rules (达标 / 可达 / 滞后 / 无数据) and the chart; this module only
turns its records into the report's plain rows.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.reports.content import IndicatorChartSpec, IndicatorLine, SourceLine, TargetLine
from app.services.indicators import list_indicators
from app.storage.db import Database
from app.storage.models import Document


def _fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


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


def indicator_section(
    db: Database, period_key: str, docs_by_key: dict[str, str]
) -> tuple[list[IndicatorLine], list[IndicatorChartSpec], list[SourceLine]]:
    """Table lines (one per target), chart specs (indicators with actuals) and source lines, as of the period."""
    lines: list[IndicatorLine] = []
    charts: list[IndicatorChartSpec] = []
    sources: list[SourceLine] = []
    for data in list_indicators(db, as_of=period_key):
        latest = data.latest
        base = data.baselines[0] if data.baselines else None
        targets = [
            TargetLine(
                docs_by_key.get(t.document_key, t.document.strip("《》")),
                t.year,
                str(t.kind.value),
                t.wording,
                t.status_label,
                t.assessment.reason,
                t.reported,
            )
            for t in data.targets
        ]
        if latest is not None:
            sources.append(
                SourceLine(
                    f"{data.name} {latest.period_label}",
                    f"{data.format_value(latest.value)}{'' if data.is_milestone else data.unit}",
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
                "、".join(data.departments),
                data.note,
            )
        )
        if data.used_actuals:
            charts.append(
                IndicatorChartSpec(
                    data.code,
                    data.name,
                    data.unit,
                    (base.year, base.value) if base else None,
                    [(a.period_key, float(a.value or 0.0)) for a in data.used_actuals],
                    [
                        (t.year, t.value, docs_by_key.get(t.document_key, ""))
                        for t in data.targets
                        if t.value is not None
                    ],
                    data,
                )
            )
    return lines, charts, sources
