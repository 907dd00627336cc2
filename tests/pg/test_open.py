"""open_database and migrations against PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from app.services.database import open_database
from app.storage.migrate import current_revision, head_revision
from app.storage.models import Project


def test_open_database_migrates_to_head_and_loads_portfolio(pg_url: str) -> None:
    result = open_database(pg_url)
    db = result.database
    try:
        assert current_revision(db.engine) == head_revision()
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Project)) > 0
    finally:
        db.dispose()
