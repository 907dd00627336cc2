"""open_database and the migrations against PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, inspect, select

from app.services.database import open_database
from app.storage.db import make_engine
from app.storage.migrate import current_revision, downgrade, head_revision, upgrade_to_head
from app.storage.models import Department, Indicator, Project


def _counts(url: str) -> tuple[int, int, int]:
    result = open_database(url)
    try:
        with result.database.session() as s:
            return (
                s.scalar(select(func.count()).select_from(Project)) or 0,
                s.scalar(select(func.count()).select_from(Department)) or 0,
                s.scalar(select(func.count()).select_from(Indicator)) or 0,
            )
    finally:
        result.database.dispose()


def test_open_database_migrates_to_head_with_the_gantt_index(pg_url: str) -> None:
    result = open_database(pg_url)
    engine = result.database.engine
    try:
        assert current_revision(engine) == head_revision()
        names = {ix["name"] for ix in inspect(engine).get_indexes("progress_entries")}
        assert "ix_progress_entries_gantt" in names
    finally:
        result.database.dispose()


def test_opening_twice_loads_the_portfolio_once(pg_url: str) -> None:
    first = _counts(pg_url)
    assert min(first) > 0
    assert _counts(pg_url) == first


def test_downgrade_to_base_and_upgrade_again(pg_url: str) -> None:
    open_database(pg_url, seed=False).database.dispose()
    engine = make_engine(pg_url)
    try:
        downgrade(engine, "base")
        assert current_revision(engine) is None
        assert "projects" not in inspect(engine).get_table_names()
        upgrade_to_head(engine)
        assert current_revision(engine) == head_revision()
        assert "projects" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
