"""The large-portfolio generator makes a consistent database that the app opens."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.storage.db import Database
from app.storage.models import ProgrammeMember, ProgressEntry, Project, Return
from bench.generate_portfolio import generate


def test_small_generated_portfolio_has_history_and_current_returns(tmp_path: Path) -> None:
    path = generate(tmp_path / "g.db", projects=80, months=3, entries=300)
    db = Database(path)
    with db.session() as s:
        assert s.scalar(select(func.count(Project.id))) == 80  # the built-in portfolio and generated projects
        assert s.scalar(select(func.count(ProgrammeMember.id))) == 3000
        entries = s.scalar(select(func.count(ProgressEntry.id)))
        current = s.scalar(select(func.count(ProgressEntry.id)).join(Return).where(Return.superseded_by_id.is_(None)))
    db.dispose()
    assert entries is not None and entries >= 300
    assert current == 80 * 3


def test_generated_decisions_have_departments_and_meetings(tmp_path: Path) -> None:
    from app.storage.models import Decision, DecisionDepartment
    from bench.generate_portfolio import add_decisions

    path = add_decisions(generate(tmp_path / "g.db", projects=20, months=3, entries=100), decisions=40)
    db = Database(path)
    with db.session() as s:
        assert s.scalar(select(func.count(Decision.id))) == 40
        assert s.scalar(select(func.count(Decision.id)).where(Decision.meeting_id.is_(None))) == 0
        assert s.scalar(select(func.count(func.distinct(DecisionDepartment.decision_id)))) == 40
    db.dispose()
