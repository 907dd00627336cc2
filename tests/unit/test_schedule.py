"""Behind-schedule rules: overdue milestones and progress trailing elapsed time."""

from __future__ import annotations

from datetime import date

from app.domain.schedule import MilestoneFacts, ScheduleFacts, lag_reasons, time_elapsed_pct

TODAY = date(2025, 7, 1)


def test_overdue_planned_milestone_without_actual_is_behind() -> None:
    facts = ScheduleFacts(None, None, None, (MilestoneFacts("主体完工", date(2025, 6, 1), None),))
    reasons = lag_reasons(facts, TODAY)
    assert len(reasons) == 1 and "主体完工" in reasons[0] and "逾期 30 天" in reasons[0]


def test_done_milestone_is_not_behind() -> None:
    facts = ScheduleFacts(None, None, None, (MilestoneFacts("主体完工", date(2025, 6, 1), date(2025, 6, 20)),))
    assert lag_reasons(facts, TODAY) == []


def test_progress_trailing_elapsed_time_beyond_margin_is_behind() -> None:
    facts = ScheduleFacts(date(2025, 1, 1), date(2025, 12, 31), 20.0)
    assert time_elapsed_pct(date(2025, 1, 1), date(2025, 12, 31), TODAY) > 49
    assert lag_reasons(facts, TODAY, margin_pct=15) != []
    assert lag_reasons(facts, TODAY, margin_pct=40) == []


def test_no_dates_no_judgement() -> None:
    assert lag_reasons(ScheduleFacts(None, None, 0.0), TODAY) == []
