"""Fixtures for the importer: a ledger whose projects have departments."""

from __future__ import annotations

import pytest

from app.storage.db import Database
from tests.returns.helpers import assign_departments


@pytest.fixture
def ledger(db: Database) -> Database:
    """The seeded database with departments assigned to projects and one indicator."""
    assign_departments(db)
    return db
