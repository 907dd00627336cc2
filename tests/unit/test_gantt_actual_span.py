"""The actual span of a Gantt row: the one-pass rule gives what the list-based rule gave, for every combination."""

from __future__ import annotations

import itertools
from datetime import date

from app.services.gantt import GanttMilestone, GanttRow, ProgressSummary, _fill_actual

D = [date(2025, 1, 10), date(2025, 3, 1), date(2025, 6, 30), date(2025, 9, 1)]


def _reference(row: GanttRow, summary: ProgressSummary | None, today: date) -> None:
    """The rule as written before stop 12 (lists, min() and max()), kept as the oracle."""
    first, last, done, row.progress_pct = summary if summary is not None else (None, None, None, None)
    milestones = row.milestones
    actuals = [m.actual for m in milestones if m.actual] if milestones else []
    starts = actuals + [first] if first else actuals
    if not starts:
        return
    start = row.actual_start = min(starts)
    if milestones and len(actuals) == len(milestones):
        row.actual_finished, row.actual_end = True, max(actuals)
        return
    if not milestones and done:
        row.actual_finished, row.actual_end = True, done
        return
    ends = actuals + [last] if last else actuals
    row.actual_end = max(start, min(max(ends), today))


def _row(actuals: tuple[date | None, ...]) -> GanttRow:
    milestones = [GanttMilestone(k, f"节点{k}", None, actual, 1) for k, actual in enumerate(actuals)]
    return GanttRow(1, "ZD01", "项目", "key_project", 1, date(2025, 1, 1), date(2025, 12, 31), milestones=milestones)


def test_actual_span_matches_the_list_based_rule_in_every_case() -> None:
    # Milestone actual dates (none, some, all; equal, in and out of order) × progress (none; reported spans
    # before, inside and after them; done or not) × today before, inside and after everything.
    milestone_sets = [()] + [
        combo for n in (1, 2, 3) for combo in itertools.product([None, D[0], D[2], D[3]], repeat=n)
    ]
    summaries: list[ProgressSummary | None] = [None, ProgressSummary(None, None, None, 0.0)]
    for first, last in ((D[0], D[1]), (D[1], D[3]), (D[3], D[3]), (date(2024, 12, 1), date(2025, 12, 31))):
        for done in (None, last):
            summaries.append(ProgressSummary(first, last, done, 55.0))
    compared = 0
    for actuals, summary, today in itertools.product(
        milestone_sets, summaries, (date(2024, 6, 1), date(2025, 5, 1), date(2026, 1, 1))
    ):
        expected, found = _row(actuals), _row(actuals)
        _reference(expected, summary, today)
        _fill_actual(found, summary, today)
        got = (found.actual_start, found.actual_end, found.actual_finished, found.progress_pct)
        assert got == (expected.actual_start, expected.actual_end, expected.actual_finished, expected.progress_pct), (
            actuals,
            summary,
            today,
        )
        compared += 1
    assert compared > 2000
