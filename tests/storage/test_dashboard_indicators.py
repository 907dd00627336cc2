"""总览's indicator charts read in two queries show what one query per indicator showed, ties included."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.domain.periods import Period
from app.services.dashboard import TargetLine, _document_tag, load_dashboard
from app.storage.db import Database
from app.storage.models import (
    Department,
    Document,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    Return,
)
from app.storage.periods import ensure_reporting_period

PERIOD = "2025-Q3"


def _one_indicator_at_a_time(db: Database, period_key: str) -> list[tuple[int, tuple[TargetLine, ...], object, str]]:
    """The dashboard's former reading, kept here as the specification: two queries for each indicator."""
    out = []
    with db.session() as s:
        tags = {i: _document_tag(t) for i, t in s.execute(select(Document.id, Document.short_title))}
        for ind in s.scalars(select(Indicator).order_by(Indicator.sort_order, Indicator.id)):
            latest: dict[int, IndicatorTarget] = {}
            for t in s.scalars(
                select(IndicatorTarget).where(
                    IndicatorTarget.indicator_id == ind.id,
                    IndicatorTarget.value.is_not(None),
                    IndicatorTarget.kind.in_(("floor", "exact")),
                )
            ):
                if t.document_id not in latest or t.year > latest[t.document_id].year:
                    latest[t.document_id] = t
            targets = tuple(
                TargetLine(t.year, float(t.value or 0.0), t.kind, t.wording, tags.get(t.document_id, ""))
                for _d, t in sorted(latest.items())
            )
            actual = s.execute(
                select(IndicatorActual.value, IndicatorActual.period_key)
                .where(IndicatorActual.indicator_id == ind.id, IndicatorActual.value.is_not(None))
                .where(IndicatorActual.period_key <= period_key)
                .order_by(IndicatorActual.period_key.desc())
                .limit(1)
            ).first()
            out.append((ind.id, targets, actual[0] if actual else None, actual[1] if actual else ""))
    return out


def test_batched_indicator_reading_matches_one_query_per_indicator(db: Database) -> None:
    with db.session() as s:
        docs = list(s.scalars(select(Document).order_by(Document.id)))
        dept = s.scalars(select(Department)).first()
        assert len(docs) >= 2 and dept is not None
        period = ensure_reporting_period(s, Period.parse(PERIOD))
        returns = []
        for n in range(2):
            r = Return(
                department_id=dept.id,
                period_id=period.id,
                file_name=f"r{n}.xlsx",
                sha256=f"{n}" * 64,
                imported_at=datetime(2025, 10, 1 + n),
            )
            s.add(r)
            returns.append(r)
        s.flush()
        a, b = (Indicator(code=f"T-IND-{k}", name=f"测试指标{k}", unit="个", sort_order=-1) for k in "AB")
        s.add_all([a, b])
        s.flush()
        for ind in (a, b):
            # Two documents, two years each, and two targets of one year (the first stored is kept).
            for doc, year, value in ((docs[0], 2025, 10.0), (docs[0], 2027, 30.0), (docs[0], 2027, 31.0)):
                s.add(
                    IndicatorTarget(
                        indicator_id=ind.id,
                        document_id=doc.id,
                        year=year,
                        kind="floor",
                        value=value,
                        wording=f"到{year}年达到{value}",
                    )
                )
            s.add(
                IndicatorTarget(
                    indicator_id=ind.id, document_id=docs[1].id, year=2026, kind="exact", value=20.0, wording="达到20"
                )
            )
            s.add(
                IndicatorTarget(
                    indicator_id=ind.id,
                    document_id=docs[1].id,
                    year=2030,
                    kind="growth",
                    value=5.0,
                    wording="年均增长5%",
                )
            )
        # Indicator A: two returns and a clerk's own value for one period, a later period beyond the view,
        # an earlier period, and an empty value.
        s.add_all(
            [
                IndicatorActual(indicator_id=a.id, period_key="2025-Q2", value=1.0),
                IndicatorActual(indicator_id=a.id, period_key=PERIOD, value=7.0, return_id=returns[1].id),
                IndicatorActual(indicator_id=a.id, period_key=PERIOD, value=5.0, return_id=returns[0].id),
                IndicatorActual(indicator_id=a.id, period_key=PERIOD, value=6.0),
                IndicatorActual(indicator_id=a.id, period_key="2025-Q4", value=9.0),
                IndicatorActual(indicator_id=b.id, period_key="2025-Q2", value=None),
            ]
        )
    expected = _one_indicator_at_a_time(db, PERIOD)
    shown = [(i.id, i.targets, i.actual_value, i.actual_period) for i in load_dashboard(db, PERIOD).indicators]
    assert shown == expected
    by_id = {row[0]: row for row in shown}
    assert by_id[a.id][2:] == (7.0, PERIOD)  # the later return's value for the period
    assert [t.value for t in by_id[a.id][1]] == [30.0, 20.0]
    assert by_id[b.id][2:] == (None, "")
