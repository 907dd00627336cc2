"""Values read the way the department meant them: percent scale by column, merged amounts, formulas, hidden columns."""

from __future__ import annotations

from pathlib import Path

from app.returns.parse import parse_return
from app.returns.parsed import Severity
from tests.returns.workbooks import simple_return


def _progress(path: Path) -> dict[str, object]:
    parsed = parse_return(path)
    return {r.values.get("project_name"): r.values.get("progress_pct") for r in parsed.rows["progress"]}


def test_a_progress_column_in_points_reads_a_stray_half_as_half_a_percent_with_a_warning(tmp_path: Path) -> None:
    rows = [["P1", "一", 1, 1, 1, 30, None], ["P2", "二", 1, 1, 1, 60, None], ["P3", "三", 1, 1, 1, 99.5, None],
            ["P4", "四", 1, 1, 1, 0.5, None]]  # fmt: skip
    path = simple_return(tmp_path / "points.xlsx", rows)
    assert _progress(path) == {"一": 30.0, "二": 60.0, "三": 99.5, "四": 0.5}
    parsed = parse_return(path)
    [warning] = [p for p in parsed.problems if "百分点" in p.message]
    assert warning.severity is Severity.WARNING and (warning.row, warning.column) == (5, "F")


def test_a_progress_column_of_fractions_reads_every_value_as_a_fraction(tmp_path: Path) -> None:
    rows = [["P1", "一", 1, 1, 1, 0.3, None], ["P2", "二", 1, 1, 1, 1, None], ["P3", "三", 1, 1, 1, 0.5, None]]
    path = simple_return(tmp_path / "fractions.xlsx", rows)
    assert _progress(path) == {"一": 30.0, "二": 100.0, "三": 50.0}
    assert not [p for p in parse_return(path).problems if "百分点" in p.message]
