"""Fixtures for the decisions and circular tests: the seeded quarter of tests/reports."""

from __future__ import annotations

import pytest

from app.storage.db import Database
from tests.reports.seed_returns import Seeded, seed_quarter


@pytest.fixture
def quarter(db: Database) -> Seeded:
    """The quarter's returns seeded into the test's database."""
    return seed_quarter(db)
