"""Test helpers for the supervised task parts (app.services.supervision)."""

from __future__ import annotations

from sqlalchemy import delete

from app.storage.db import Database
from app.storage.models import TaskDepartment


def clear_task_parts(db: Database) -> None:
    """Take every responsible department off every task: a portfolio where only projects and indicators make a
    department owe a return. Tests of the project rules use it; the seeded portfolio makes the 20 departments
    the 2018 plan names owe a task return (tests/e2e/test_supervision_quarter.py covers that)."""
    with db.session() as s:
        s.execute(delete(TaskDepartment))
