"""Dates in every form departments write them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.dates import from_excel_serial, parse_date


@pytest.mark.parametrize(
    "value",
    [
        "2025-09-30",
        "2025/9/30",
        "2025.9.30",
        "2025年9月30日",
        "2025 年 9 月 30 日",
        "20250930",
        "2025-09-30 00:00:00",
        "２０２５－０９－３０",
        "9/30/2025",
        datetime(2025, 9, 30, 0, 0),
        date(2025, 9, 30),
        45930,
        45930.0,
        "45930",
    ],
)
def test_the_same_day_in_every_form(value: object) -> None:
    outcome = parse_date(value)
    assert outcome.ok and outcome.value == date(2025, 9, 30)


@pytest.mark.parametrize("value", ["2025年9月", "2025.9", "2025-09", "2025/9", 2025.9, "2025年9月底"])
def test_month_only_means_the_last_day_of_the_month_with_a_note(value: object) -> None:
    outcome = parse_date(value)
    assert outcome.value == date(2025, 9, 30)
    assert outcome.note and "最后一天" in outcome.note


def test_number_2025_point_1_is_january_with_a_warning_about_october() -> None:
    outcome = parse_date(2025.1)
    assert outcome.value == date(2025, 1, 31)
    assert outcome.note and "10 月" in outcome.note


def test_text_2025_point_10_is_october() -> None:
    assert parse_date("2025.10").value == date(2025, 10, 31)


def test_1904_date_system_serials() -> None:
    assert parse_date(44468, date1904=True).value == date(2025, 9, 30)


def test_excel_serial_60_era_is_refused() -> None:
    assert from_excel_serial(60) is None


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("2025-02-30", "不是存在的日期"),
        ("2025-13", "月份"),
        (2025, "只有年份"),
        ("下个月", "无法识别"),
        (5, "不是合理的日期"),
        ("1800-01-01", "年份"),
        (True, "是/否"),
    ],
)
def test_impossible_dates_are_refused_with_a_reason(value: object, fragment: str) -> None:
    outcome = parse_date(value)
    assert not outcome.ok and fragment in (outcome.reason or "")


@pytest.mark.parametrize("value", [None, "", "—", "无"])
def test_blank_dates_read_as_no_value(value: object) -> None:
    outcome = parse_date(value)
    assert outcome.ok and outcome.value is None


def test_a_form_reads_dates_by_the_same_rule_as_returns() -> None:
    from app.services.projects import parse_date as form_date

    for text in ("2025-03-31", "2025/3/31", "2025.3.31", "2025年3月31日", "２０２５－０３－３１", "20250331"):
        assert form_date(text) == date(2025, 3, 31), text
        assert parse_date(text).value == date(2025, 3, 31), text
    assert form_date("  ") is None


@pytest.mark.parametrize(
    ("text", "message"), [("2025-02-30", "不是存在的日期"), ("2025年3月", "请写到日"), ("45000", "格式")]
)
def test_a_form_refuses_what_is_not_a_whole_date(text: str, message: str) -> None:
    from app.services.projects import parse_date as form_date

    with pytest.raises(ValueError, match=message):
        form_date(text)
