"""Migrations: empty → head, down to base and up again; a newer schema is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from app.services.database import open_database
from app.storage.db import Base, make_engine
from app.storage.errors import KnownError
from app.storage.migrate import current_revision, downgrade, head_revision, upgrade_to_head


def test_empty_database_upgrades_to_head_with_every_model_table(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "m.db")
    upgrade_to_head(engine)
    tables = set(inspect(engine).get_table_names())
    assert current_revision(engine) == head_revision()
    assert set(Base.metadata.tables) <= tables
    engine.dispose()


def test_downgrade_to_base_and_upgrade_again(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "m.db")
    upgrade_to_head(engine)
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_models_match_the_migrations(tmp_path: Path) -> None:
    """A model change without its Alembic revision fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(tmp_path / "m.db")
    upgrade_to_head(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_database_from_a_newer_app_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    open_database(path).database.dispose()
    engine = make_engine(path)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffffnewer'"))
    engine.dispose()
    with pytest.raises(KnownError, match="比本程序新"):
        open_database(path)
