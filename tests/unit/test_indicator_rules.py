"""Growth arithmetic and the status rules of indicator targets."""

from __future__ import annotations

import pytest

from app.domain.indicators import (
    Point,
    Status,
    Target,
    TargetKind,
    achieved_growth,
    assess,
    level_path,
    parse_actual_value,
    path_start,
    path_value,
    period_position,
    required_growth,
    target_path,
    year_label,
)

FLOOR_2100 = Target(TargetKind.FLOOR, 2020, 2100.0, "guidance")
FLOOR_800 = Target(TargetKind.FLOOR, 2015, 800.0, "guidance")
GROWTH_20 = Target(TargetKind.GROWTH, 2020, 20.0, "guidance")
INDUSTRY_TARGETS = (FLOOR_800, FLOOR_2100, GROWTH_20)


def test_internet_industry_800_to_2100_over_2015_2020_needs_21_3_percent() -> None:
    assert round(required_growth(800, 2015, 2100, 2020), 1) == 21.3


def test_required_growth_refuses_a_target_year_not_after_the_latest() -> None:
    with pytest.raises(ValueError):
        required_growth(800, 2020, 2100, 2020)


def test_achieved_growth_is_the_cagr_from_first_to_last_point() -> None:
    assert achieved_growth([Point(2015, 100), Point(2016, 110), Point(2017, 121)]) == pytest.approx(10.0)


def test_achieved_growth_of_a_single_point_is_none() -> None:
    assert achieved_growth([Point(2015, 100)]) is None


def test_period_position_puts_quarters_inside_the_year() -> None:
    assert period_position("2016") == 2016.0
    assert period_position("2016-Q4") == 2016.0
    assert period_position("2016-Q3") == pytest.approx(2015.75)
    assert year_label(2015.75) == "2016年9月"


def test_level_path_is_geometric_from_start_to_target() -> None:
    path = level_path(Point(2015, 800), Point(2020, 2100))
    assert [p.t for p in path] == [2015, 2016, 2017, 2018, 2019, 2020]
    assert path[1].value == pytest.approx(800 * 1.2129, rel=1e-3)
    assert path[-1].value == pytest.approx(2100)


def test_growth_path_compounds_the_rate_from_the_previous_level_target() -> None:
    path = target_path(GROWTH_20, (), INDUSTRY_TARGETS)
    assert path[0] == Point(2015, 800)
    assert path[-1].value == pytest.approx(800 * 1.2**5)


def test_path_starts_at_the_latest_of_baseline_and_earlier_target() -> None:
    earlier = [Target(TargetKind.FLOOR, 2015, 2200.0, "g")]
    start = path_start(Target(TargetKind.FLOOR, 2020, 8100.0, "g"), [Point(2013, 1300.8)], earlier)
    assert start == Point(2015, 2200)


def test_path_ignores_an_earlier_target_of_another_document() -> None:
    start = path_start(Target(TargetKind.FLOOR, 2020, 55.0, "info"), [], [Target(TargetKind.FLOOR, 2015, 40.0, "g")])
    assert start is None


def test_floor_met_when_latest_actual_reaches_the_value() -> None:
    result = assess(FLOOR_2100, [Point(2016, 1200), Point(2018, 2150)], targets=INDUSTRY_TARGETS, as_of=2019)
    assert result.status is Status.MET


def test_floor_met_exactly_at_the_value_counts_as_met() -> None:
    assert assess(FLOOR_2100, [Point(2018, 2100)], targets=INDUSTRY_TARGETS, as_of=2019).status is Status.MET


def test_floor_on_track_when_needed_growth_is_below_achieved() -> None:
    # 800 → 1300 over 2015-2018 is 17.6 % a year; 1300 → 2100 in two years needs 27 %: behind.
    # 800 → 1500 over 2015-2018 is 23.3 %; 1500 → 2100 in two years needs 18.3 %: on track.
    actuals = [Point(2015, 800), Point(2018, 1500)]
    result = assess(FLOOR_2100, actuals, targets=INDUSTRY_TARGETS, as_of=2018)
    assert result.status is Status.ON_TRACK
    assert result.needed_growth_pct == pytest.approx(18.3, abs=0.05)
    assert result.achieved_growth_pct == pytest.approx(23.3, abs=0.05)


def test_floor_behind_when_needed_growth_exceeds_achieved() -> None:
    actuals = [Point(2015, 800), Point(2018, 1000)]
    result = assess(FLOOR_2100, actuals, targets=INDUSTRY_TARGETS, as_of=2018)
    assert result.status is Status.BEHIND
    assert "尚需年均增长" in result.reason


def test_floor_on_track_when_on_the_target_path_with_a_single_actual() -> None:
    # Only one actual, but the path 800 (2015) → 2100 (2020) passes 1428 in 2018.
    result = assess(FLOOR_2100, [Point(2018, 1450)], targets=INDUSTRY_TARGETS, as_of=2018)
    assert result.status is Status.ON_TRACK


def test_floor_behind_when_below_the_path_with_a_single_actual() -> None:
    result = assess(FLOOR_2100, [Point(2018, 1000)], targets=INDUSTRY_TARGETS, as_of=2018)
    assert result.status is Status.BEHIND


def test_floor_behind_once_the_target_year_passed_unmet() -> None:
    result = assess(FLOOR_2100, [Point(2015, 800), Point(2020, 2000)], targets=INDUSTRY_TARGETS, as_of=2025)
    assert result.status is Status.BEHIND
    assert "已过" in result.reason


def test_floor_past_target_met_late_is_met_and_says_so() -> None:
    result = assess(FLOOR_2100, [Point(2020, 2000), Point(2021, 2200)], targets=INDUSTRY_TARGETS, as_of=2025)
    assert result.status is Status.MET
    assert "晚于目标年" in result.reason


def test_past_target_year_with_only_older_actuals_is_behind() -> None:
    result = assess(FLOOR_2100, [Point(2015, 800), Point(2017, 1200)], targets=INDUSTRY_TARGETS, as_of=2025)
    assert result.status is Status.BEHIND


def test_no_data_when_nothing_since_the_baseline() -> None:
    target = Target(TargetKind.FLOOR, 2020, 8100.0, "g")
    result = assess(target, [Point(2013, 1300.8)], baselines=[Point(2013, 1300.8)], as_of=2018)
    assert result.status is Status.NO_DATA


def test_no_data_without_any_actual() -> None:
    assert assess(FLOOR_2100, [], targets=INDUSTRY_TARGETS).status is Status.NO_DATA


def test_as_of_hides_later_actuals() -> None:
    actuals = [Point(2015, 800), Point(2018, 1000), Point(2019, 2200)]
    assert assess(FLOOR_2100, actuals, targets=INDUSTRY_TARGETS, as_of=2018).status is Status.BEHIND
    assert assess(FLOOR_2100, actuals, targets=INDUSTRY_TARGETS, as_of=2019).status is Status.MET


def test_achieved_growth_counts_from_the_baseline() -> None:
    target = Target(TargetKind.FLOOR, 2020, 8100.0, "g")
    result = assess(target, [Point(2014, 1626)], baselines=[Point(2013, 1300.8)], as_of=2014)
    assert result.achieved_growth_pct == pytest.approx(25.0, abs=0.01)


def test_growth_target_met_when_achieved_rate_reaches_it() -> None:
    actuals = [Point(2015, 800), Point(2017, 800 * 1.21**2)]
    result = assess(GROWTH_20, actuals, targets=INDUSTRY_TARGETS, as_of=2017)
    assert result.status is Status.MET


def test_growth_target_behind_when_achieved_rate_falls_short() -> None:
    actuals = [Point(2015, 800), Point(2017, 800 * 1.15**2)]
    result = assess(GROWTH_20, actuals, targets=INDUSTRY_TARGETS, as_of=2017)
    assert result.status is Status.BEHIND
    assert result.needed_growth_pct is not None and result.needed_growth_pct > 20


def test_growth_target_uses_the_planned_start_value_without_a_start_actual() -> None:
    result = assess(GROWTH_20, [Point(2016, 970)], targets=INDUSTRY_TARGETS, as_of=2016)
    assert result.achieved_growth_pct == pytest.approx(21.25)
    assert result.status is Status.MET


def test_growth_target_past_is_judged_at_the_target_year() -> None:
    actuals = [Point(2015, 800), Point(2020, 800 * 1.1**5), Point(2022, 5000)]
    result = assess(GROWTH_20, actuals, targets=INDUSTRY_TARGETS, as_of=2025)
    assert result.status is Status.BEHIND
    assert result.achieved_growth_pct == pytest.approx(10.0)


def test_exact_target_met_within_tolerance() -> None:
    target = Target(TargetKind.EXACT, 2020, 100.0, "g")
    assert assess(target, [Point(2019, 100.4)], as_of=2019).status is Status.MET


def test_exact_target_overshot_is_behind() -> None:
    target = Target(TargetKind.EXACT, 2020, 100.0, "g")
    assert assess(target, [Point(2019, 120.0)], as_of=2019).status is Status.BEHIND


def test_milestone_met_when_done() -> None:
    target = Target(TargetKind.MILESTONE, 2020, None, "info")
    assert assess(target, [Point(2019, 0), Point(2020, 1)], as_of=2025).status is Status.MET


def test_milestone_on_track_while_time_remains() -> None:
    target = Target(TargetKind.MILESTONE, 2020, None, "info")
    assert assess(target, [Point(2018, 0)], as_of=2018).status is Status.ON_TRACK


def test_milestone_behind_after_its_year() -> None:
    target = Target(TargetKind.MILESTONE, 2020, None, "info")
    assert assess(target, [Point(2018, 0)], as_of=2021).status is Status.BEHIND


def test_milestone_without_actual_is_no_data() -> None:
    assert assess(Target(TargetKind.MILESTONE, 2020, None, "info"), []).status is Status.NO_DATA


def test_two_broadband_targets_are_assessed_each_on_its_own() -> None:
    guidance = Target(TargetKind.FLOOR, 2020, 75.0, "guidance-2015")
    info = Target(TargetKind.FLOOR, 2020, 55.0, "infoconsumption-2018")
    actuals = [Point(2018, 50.0), Point(2020, 60.0)]
    both = (guidance, info)
    assert assess(guidance, actuals, targets=both, as_of=2021).status is Status.BEHIND
    assert assess(info, actuals, targets=both, as_of=2021).status is Status.MET


def test_rule_text_is_shown_with_each_assessment() -> None:
    result = assess(FLOOR_2100, [Point(2018, 1000)], targets=INDUSTRY_TARGETS, as_of=2018)
    assert "达标" in result.rule_text and "滞后" in result.rule_text
    assert result.reason in result.tooltip


def test_path_value_interpolates_geometrically() -> None:
    path = level_path(Point(2015, 100), Point(2017, 144))
    assert path_value(path, 2016) == pytest.approx(120)
    assert path_value(path, 2014) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("１,２３４.５", 1234.5), ("75%", 75.0), ("75％", 75.0), (" 800亿元", 800.0)],
)
def test_parse_actual_value_accepts_what_clerks_type(text: str, expected: float) -> None:
    assert parse_actual_value(text, unit="%" if "%" in text or "％" in text else "亿元") == expected


@pytest.mark.parametrize("text", ["", "abc", "-1", "120"])
def test_parse_actual_value_refuses_bad_percentages(text: str) -> None:
    with pytest.raises(ValueError):
        parse_actual_value(text, unit="%", name="固定宽带家庭普及率")


def test_parse_actual_value_reads_yes_no_for_milestones() -> None:
    assert parse_actual_value("已实现", milestone=True) == 1.0
    assert parse_actual_value("否", milestone=True) == 0.0


def test_no_growth_is_needed_once_the_target_is_met() -> None:
    result = assess(FLOOR_2100, [Point(2018, 2200)], targets=INDUSTRY_TARGETS, as_of=2018)
    assert result.needed_growth_pct is None


def test_met_reason_names_the_first_actual_that_met_the_target() -> None:
    result = assess(FLOOR_800, [Point(2015, 850), Point(2018, 1500)], as_of=2019)
    assert result.reason == "2015年实际值850，已达到目标值800"


def test_past_target_without_its_year_actual_says_the_figure_is_missing() -> None:
    result = assess(FLOOR_2100, [Point(2018, 1500)], targets=INDUSTRY_TARGETS, as_of=2025)
    assert "目标年实际值未录入" in result.reason
