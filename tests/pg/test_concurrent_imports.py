"""The same races as tests/returns/test_concurrent_imports.py, on PostgreSQL (period row lock, insert-or-get)."""

from __future__ import annotations

from pathlib import Path

from app.services.database import open_database
from tests.returns.helpers import assign_departments
from tests.returns.test_concurrent_imports import race_imports


def test_staggered_concurrent_imports_on_postgresql_leave_one_current_return(pg_url: str, tmp_path: Path) -> None:
    db = open_database(pg_url).database
    try:
        assign_departments(db)
        race_imports(db, pg_url, tmp_path)
    finally:
        db.dispose()
