"""The complete Gantt picture on PostgreSQL is the one recorded on SQLite, field by field."""

from __future__ import annotations

from app.services.database import open_database
from tests.gantt_picture import build_varied_portfolio, expected_pictures, pictures


def test_every_scenario_draws_the_recorded_picture_on_postgresql(pg_url: str) -> None:
    db = open_database(pg_url).database
    try:
        found, expected = pictures(db, build_varied_portfolio(db)), expected_pictures()
    finally:
        db.dispose()
    assert list(found) == list(expected)
    for name, lines in expected.items():
        assert found[name] == lines, name
