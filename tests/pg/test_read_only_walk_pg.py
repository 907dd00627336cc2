"""Every view of the window on a PostgreSQL login with read access only: each loads from the server, none writes."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import inspect, make_url, text

from app.services.database import open_database
from app.storage.db import Database
from app.ui import ops
from tests.pg.test_gui_on_postgresql import _quiet, pg_db  # noqa: F401  (the server database fixture)
from tests.ui.test_read_only_walk import sandbox_exports, seed_every_kind, walk_every_view


def _snapshot(db: Database) -> dict[str, int]:
    """Rows per table: a walk that wrote anything (an audit row at least) changes a count."""
    with db.engine.connect() as conn:
        tables = inspect(conn).get_table_names()
        return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}


@pytest.mark.qt_log_ignore("This plugin does not support raise", "This plugin does not support grabbing")
def test_every_view_loads_from_a_read_only_server_login_and_offers_no_write(
    qtbot: QtBot,
    pg_url: str,
    pg_db: Database,  # noqa: F811  (the imported fixture)
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    seed_every_kind(pg_db)
    reader = "walker_" + uuid.uuid4().hex[:8]
    with pg_db.engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{reader}" LOGIN')
        conn.exec_driver_sql(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{reader}"')
    before = _snapshot(pg_db)
    sandbox_exports(monkeypatch, tmp_path)
    database = open_database(make_url(pg_url).set(username=reader).render_as_string(hide_password=False)).database
    try:
        assert "只有读取权限" in database.read_only_reason
        walker = walk_every_view(qtbot, monkeypatch, database, timeout=60_000)
        assert walker.problems == []
    finally:
        _quiet()
        database.dispose()
        ops.set_read_only("")
    assert _snapshot(pg_db) == before
