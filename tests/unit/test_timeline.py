"""Gantt geometry: date ↔ x, the two-level Chinese header per zoom, grouped lines, page cutting."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.timeline import (
    DEFAULT_PX_PER_DAY,
    RowGeometry,
    Timeline,
    Zoom,
    chinese_number,
    five_year_plan,
    layout_lines,
    page_grid,
    zoom_for_scale,
)


def test_x_of_counts_days_from_the_origin_at_the_scale() -> None:
    tl = Timeline(date(2025, 1, 1), date(2026, 1, 1), 3.0, Zoom.MONTH)
    assert tl.x_of(date(2025, 1, 1)) == 0
    assert tl.x_of(date(2025, 2, 1)) == 93.0
    assert tl.x_after(date(2025, 1, 1)) == 3.0
    assert tl.width == 365 * 3.0


def test_date_at_inverts_x_of_for_every_day_of_a_year() -> None:
    tl = Timeline(date(2024, 1, 1), date(2025, 1, 1), 2.7, Zoom.MONTH)
    for n in range(366):
        day = date.fromordinal(date(2024, 1, 1).toordinal() + n)
        assert tl.date_at(tl.x_of(day) + 0.1) == day
        assert tl.nearest_boundary(tl.x_of(day) + 1.0) == day


def test_for_range_pads_to_whole_top_band_units() -> None:
    tl = Timeline.for_range(date(2024, 5, 3), date(2026, 2, 1), Zoom.MONTH)
    assert (tl.origin, tl.end) == (date(2024, 1, 1), date(2027, 1, 1))
    week = Timeline.for_range(date(2024, 5, 3), date(2024, 6, 10), Zoom.WEEK)
    assert (week.origin, week.end) == (date(2024, 5, 1), date(2024, 7, 1))


def test_week_zoom_header_is_month_over_week_start_days() -> None:
    tl = Timeline.for_range(date(2025, 3, 1), date(2025, 3, 31), Zoom.WEEK)
    top, bottom = tl.header(0, tl.width)
    assert [c.label for c in top] == ["2025年3月"]
    assert [c.label for c in bottom] == ["24日", "3日", "10日", "17日", "24日", "31日"]
    assert bottom[1].start == date(2025, 3, 3) and bottom[1].start.weekday() == 0


def test_month_zoom_header_is_year_over_months() -> None:
    tl = Timeline.for_range(date(2025, 2, 1), date(2025, 11, 1), Zoom.MONTH)
    top, bottom = tl.header(0, tl.width)
    assert [c.label for c in top] == ["2025年"]
    assert [c.label for c in bottom] == [f"{m}月" for m in range(1, 13)]


def test_quarter_zoom_header_is_year_over_chinese_quarters() -> None:
    tl = Timeline.for_range(date(2025, 2, 1), date(2026, 1, 5), Zoom.QUARTER)
    top, bottom = tl.header(0, tl.width)
    assert [c.label for c in top] == ["2025年", "2026年"]
    assert [c.label for c in bottom] == ["一季度", "二季度", "三季度", "四季度"] * 2
    assert bottom[2].x0 == tl.x_of(date(2025, 7, 1))


def test_year_zoom_header_is_five_year_plan_over_years() -> None:
    tl = Timeline.for_range(date(2019, 6, 1), date(2025, 6, 1), Zoom.YEAR)
    top, bottom = tl.header(0, tl.width)
    assert [c.label for c in top] == ["“十三五”时期（2016—2020年）", "“十四五”时期（2021—2025年）"]
    assert [c.label for c in bottom] == [f"{y}年" for y in range(2016, 2026)]


def test_header_only_covers_the_visible_range() -> None:
    tl = Timeline.for_range(date(2020, 1, 1), date(2029, 12, 31), Zoom.MONTH)
    x0 = tl.x_of(date(2025, 3, 10))
    top, bottom = tl.header(x0, x0 + 200)
    assert [c.label for c in top] == ["2025年"]
    assert bottom[0].label == "3月" and len(bottom) <= 4


def test_five_year_plans_and_chinese_numbers() -> None:
    assert five_year_plan(2021) == (14, 2021)
    assert five_year_plan(2020) == (13, 2016)
    assert five_year_plan(2026) == (15, 2026)
    assert [chinese_number(n) for n in (3, 10, 13, 20, 25)] == ["三", "十", "十三", "二十", "二十五"]


@pytest.mark.parametrize("zoom", list(Zoom))
def test_each_default_scale_selects_its_own_zoom(zoom: Zoom) -> None:
    assert zoom_for_scale(DEFAULT_PX_PER_DAY[zoom]) is zoom


def test_fitted_timeline_fits_the_width_and_picks_a_coarse_zoom_for_long_ranges() -> None:
    tl = Timeline.fitted(date(2016, 1, 1), date(2027, 12, 31), 1000)
    assert tl.width <= 1000 + 1e-6
    assert tl.zoom is Zoom.YEAR
    short = Timeline.fitted(date(2025, 3, 1), date(2025, 4, 15), 1000)
    assert short.zoom is Zoom.WEEK and short.width <= 1000 + 1e-6


def test_ungrouped_lines_are_the_rows_in_order() -> None:
    lines = layout_lines([None, None, None])
    assert [ln.row for ln in lines] == [0, 1, 2] and not any(ln.is_group for ln in lines)


def test_grouped_lines_sort_groups_and_keep_row_order_inside() -> None:
    keys = [((2,), "乙"), ((1,), "甲"), ((2,), "乙"), ((1,), "甲")]
    lines = layout_lines(keys)
    assert [(ln.label if ln.is_group else ln.row) for ln in lines] == ["甲", 1, 3, "乙", 0, 2]
    assert lines[0].count == 2


def test_collapsed_group_keeps_its_heading_only() -> None:
    keys = [((1,), "甲"), ((2,), "乙"), ((1,), "甲")]
    lines = layout_lines(keys, {"甲"})
    assert [(ln.label if ln.is_group else ln.row) for ln in lines] == ["甲", "乙", 1]
    assert lines[0].collapsed and lines[0].count == 2


def test_row_geometry_maps_y_to_lines_and_culls_to_the_visible_range() -> None:
    geo = RowGeometry(5000, 26)
    assert geo.line_at(0) == 0 and geo.line_at(51.9) == 1 and geo.line_at(-1) is None
    assert geo.line_at(geo.height) is None
    assert geo.visible(260, 520) == range(10, 20)
    assert len(geo.visible(0, 600)) == 24


def test_page_grid_runs_across_then_down() -> None:
    grid = page_grid(timeline_width=2500, lines=45, body_width=1000, rows_per_page=20)
    assert (grid.pages_wide, grid.pages_tall, grid.count) == (3, 3, 9)
    assert grid.page(1) == (0, range(0, 20))
    assert grid.page(2) == (1000, range(0, 20))
    assert grid.page(4) == (0, range(20, 40))


def test_one_chinese_numeral_rule_for_plans_sections_and_ordinals() -> None:
    from app.domain.numerals import chinese_number as one_rule

    for n in (1, 9, 10, 13, 20, 25, 99):
        assert chinese_number(n) == one_rule(n)
    assert [one_rule(n) for n in (1, 10, 12, 21)] == ["一", "十", "十二", "二十一"]
