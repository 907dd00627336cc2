"""总览 on PostgreSQL: its table-column reads configure no mapper and agree with the ORM-loaded services."""

from __future__ import annotations

from app.services.database import open_database
from tests.storage.test_dashboard_without_orm_setup import (
    assert_agrees_with_the_orm_loaded_services,
    assert_shows_the_quarter,
    load_in_a_fresh_process,
    quarter_with_data,
)


def test_the_dashboard_reads_postgresql_without_configuring_the_orm(pg_url: str) -> None:
    db = open_database(pg_url).database
    try:
        scenario = quarter_with_data(db)
        assert_agrees_with_the_orm_loaded_services(db, scenario)
    finally:
        db.dispose()
    answer = load_in_a_fresh_process(pg_url)
    assert answer["configured"] == []
    assert_shows_the_quarter(answer, scenario)
