"""The report's numbers follow one convention: — for no figure, thousands separators, no trailing .0."""

from __future__ import annotations

import re

from app.reports.content import Table, layout, money, pct, yi
from app.services.report import build_report
from app.storage.db import Database
from tests.reports.seed_returns import PERIOD, seed_quarter


def test_money_has_separators_and_no_false_decimals() -> None:
    assert [money(v) for v in (None, 0.0, 12.5, 85.0, 12000.0, 1234.56)] == ["—", "0", "12.5", "85", "12,000", "1,235"]


def test_percent_and_yi_drop_trailing_zeros() -> None:
    assert [pct(None), pct(45.0), yi(12500.0), yi(30000.0), yi(0.0)] == ["—", "45%", "1.25亿元", "3亿元", "0亿元"]


def test_task_table_shows_a_dash_for_groups_nobody_reported(db: Database) -> None:
    seed_quarter(db)
    blocks = layout(build_report(db, PERIOD, None))
    table = next(b for b in blocks if isinstance(b, Table) and b.columns[0] == "任务")
    unreported = [row for row in table.rows if row[2] == "0"]
    assert unreported and all(row[3] == "—" and row[4] == "—" for row in unreported)
    cells = [cell for row in table.rows for cell in row[1:]]
    assert not [c for c in cells if re.fullmatch(r"[\d,]+\.0", c)]
