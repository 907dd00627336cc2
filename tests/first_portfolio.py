"""Scenarios written for the 2015 guidance's first twelve projects and sixteen indicators.

The built-in portfolio has since grown (the platforms both documents name, the 2018 plan's projects with its
items' departments, the targets set inside items). Tests of chasing, templates, the summary and the report set up
exact scenarios — which departments owe what — on the first projects; ``keep_first_portfolio`` leaves the rest
out so those scenarios stay exact. Tests of the portfolio itself (tests/storage/test_portfolio_*) use it whole.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete

from app.storage.db import Database
from app.storage.models import Indicator, Project

FIRST_PROJECTS = tuple(f"ZD{n:02d}" for n in range(1, 9)) + tuple(f"JH{n:02d}" for n in range(1, 5))
FIRST_INDICATORS = tuple(f"ZB{n:02d}" for n in range(1, 17))


def keep_first_portfolio(db: Database | Path | str) -> None:
    """Delete the projects and indicators added to the built-in portfolio after the first twelve and sixteen."""
    database = db if isinstance(db, Database) else Database(Path(db))
    try:
        with database.session() as s:
            for project in s.query(Project).filter(Project.code.not_in(FIRST_PROJECTS)).all():
                s.delete(project)  # cascades to milestones and members
            s.execute(delete(Indicator).where(Indicator.code.not_in(FIRST_INDICATORS)))
    finally:
        if database is not db:
            database.dispose()
