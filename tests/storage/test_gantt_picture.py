"""The complete Gantt picture stays exactly what the clerk saw before the load was made faster, field by field."""

from __future__ import annotations

from datetime import date

import pytest

from app.services import gantt as service
from app.services.gantt import Selection
from app.storage.db import Base, Database
from tests.gantt_picture import (
    build_varied_portfolio,
    expected_pictures,
    pictures,
    render,
    render_head,
    render_rows,
)
from tests.gantt_sample import TODAY


@pytest.fixture
def varied(db: Database) -> tuple[Database, int]:
    return db, build_varied_portfolio(db)


def test_every_scenario_draws_the_recorded_picture(varied: tuple[Database, int]) -> None:
    db, baseline = varied
    found, expected = pictures(db, baseline), expected_pictures()
    assert list(found) == list(expected)
    for name, lines in expected.items():
        assert found[name] == lines, name


def _number_periods_in_date_order(db: Database) -> None:
    """Give the reporting periods new ids in date order, in every table that names one."""
    referring = [
        (table.name, fk.parent.name)
        for table in Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "reporting_periods"
    ]
    assert len(referring) >= 4
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        order = conn.exec_driver_sql('SELECT id FROM reporting_periods ORDER BY start, "end", id').all()
        renumber = "CASE {} " + " ".join(f"WHEN {old} THEN {10_000 + k}" for k, (old,) in enumerate(order)) + " END"
        for table, column in referring:
            conn.exec_driver_sql(f"UPDATE {table} SET {column} = {renumber.format(column)} WHERE {column} IS NOT NULL")
        conn.exec_driver_sql(f"UPDATE reporting_periods SET id = {renumber.format('id')}")
        conn.commit()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")


def test_periods_numbered_in_date_order_draw_the_same_picture_through_index_seeks(
    varied: tuple[Database, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The varied portfolio's periods were created out of date order, so SQLite folds progress with the GROUP BY;
    # numbered in date order it takes the per-project index seeks instead, and must draw exactly the same.
    db, baseline = varied
    later = {"today": date(2030, 1, 2), "baseline_id": baseline}  # every period counts: no period filter
    before = render(service.load_gantt(db, **later))  # type: ignore[arg-type]
    _number_periods_in_date_order(db)
    seeks: list[list[int] | None] = []
    real = service._sqlite_progress_sql
    monkeypatch.setattr(service, "_sqlite_progress_sql", lambda ids: seeks.append(ids) or real(ids))
    assert render(service.load_gantt(db, **later)) == before  # type: ignore[arg-type]
    assert seeks == [None]
    found, expected = pictures(db, baseline), expected_pictures()
    assert list(found) == list(expected)
    for name, lines in expected.items():
        assert found[name] == lines, name
    # The later load, then the four scenarios that read progress (not "plans and milestones first"), filtered.
    assert len(seeks) == 5 and all(seeks[1:])


def test_plans_first_then_progress_gives_the_complete_picture(varied: tuple[Database, int]) -> None:
    db, baseline = varied
    for kwargs in ({"baseline_id": baseline}, {"period_key": "2025-Q2"}, {"selection": Selection("region", "长春市")}):
        data = service.load_gantt(db, today=TODAY, with_progress=False, **kwargs)  # type: ignore[arg-type]
        service.apply_progress(data, service.load_progress(db, data))
        assert render(data) == render(service.load_gantt(db, today=TODAY, **kwargs)), kwargs  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("selection", "codes"),
    [
        (
            Selection("department", "省通信管理局"),
            ["ZD06", "ZD07", "ZD08", "JH05", *(f"ZD{n}" for n in range(20, 30)), "XX03"],
        ),
        (Selection("region", "吉林市"), ["ZD02", "ZD03"]),
        (Selection("project", "ZD06"), ["ZD06"]),
        (Selection("task", "三(五)3"), ["JH05", "ZD26", "XX03"]),
    ],
)
def test_a_selection_shows_its_rows_as_the_whole_portfolio_shows_them(
    varied: tuple[Database, int], selection: Selection, codes: list[str]
) -> None:
    db, _baseline = varied
    whole = render_rows(service.load_gantt(db, today=TODAY, period_key="2025-Q3"))
    part = service.load_gantt(db, selection, today=TODAY, period_key="2025-Q3")
    rows = render_rows(part)
    assert list(rows) == codes
    assert rows == {code: whole[code] for code in codes}
    assert render_head(part)[1].startswith(f"selection {selection.kind}:{selection.value}")
