"""The first day on PostgreSQL: adopt a ledger and undo it, and the guide's settings and readiness."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.services import first_run, ledger_import
from app.services.database import open_database
from app.storage.models import Project
from tests.ledger_book import ledger_workbook


def test_ledger_round_trip_and_guide_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    database = open_database(pg_url).database
    try:
        with database.session() as s:
            before = s.scalar(select(func.count()).select_from(Project))
        plan = ledger_import.plan_ledger_import(database, ledger_workbook(tmp_path / "台账.xlsx"))
        done = ledger_import.import_ledger(database, plan, user="clerk")
        assert (done.updated, done.created) == (2, 2)
        ledger_import.undo_ledger_import(database, done.batch_id, user="clerk")
        with database.session() as s:
            assert s.scalar(select(func.count()).select_from(Project)) == before
        first_run.set_organisation(database, "吉林省互联网经济与信息消费联席会议", "联席会议办公室")
        first_run.set_reporting_period(database, "2025-Q3", None)
        missing = [m.step for m in first_run.readiness(database, "2025-Q3").missing]
        assert "organisation" not in missing and "period" in missing
    finally:
        database.dispose()
