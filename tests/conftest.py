"""Shared fixtures: one migrated, seeded template database per run, copied for each test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.services.database import open_database  # noqa: E402
from app.storage.db import Database  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
ARTIFACTS = REPO_ROOT / "artifacts"  # screenshots and rendered pages for a person to look at


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated to head with the built-in portfolio, made once per test session."""
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    result = open_database(path)
    result.database.dispose()
    return path


@pytest.fixture
def db_path(seeded_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the seeded database for one test."""
    path = tmp_path / "taizhang.db"
    shutil.copy(seeded_template, path)
    return path


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """An open Database on a fresh seeded copy."""
    database = Database(db_path)
    yield database
    database.dispose()


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the real per-user data folder."""
    monkeypatch.setenv("TAIZHANG_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def first_portfolio(db_path: Path) -> None:
    """Leave only the first twelve projects and sixteen indicators (see tests/first_portfolio.py)."""
    from tests.first_portfolio import keep_first_portfolio

    keep_first_portfolio(db_path)
