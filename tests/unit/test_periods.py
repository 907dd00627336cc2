"""Reporting periods: keys, Chinese labels, dates, neighbours, and periods found in free text."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.periods import Period, parse_period_text


@pytest.mark.parametrize(
    ("key", "label", "start", "end"),
    [
        ("2025-09", "2025年9月", date(2025, 9, 1), date(2025, 9, 30)),
        ("2025-Q3", "2025年第三季度", date(2025, 7, 1), date(2025, 9, 30)),
        ("2025-H1", "2025年上半年", date(2025, 1, 1), date(2025, 6, 30)),
        ("2024", "2024年", date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_period_key_label_and_dates(key: str, label: str, start: date, end: date) -> None:
    p = Period.parse(key)
    assert (p.key, p.label, p.start, p.end) == (key, label, start, end)


def test_quarter_neighbours_cross_the_year() -> None:
    assert Period.parse("2025-Q1").previous().key == "2024-Q4"
    assert Period.parse("2025-Q4").next().key == "2026-Q1"


def test_bad_key_is_refused_in_chinese() -> None:
    with pytest.raises(ValueError, match="报告期格式不正确"):
        Period.parse("2025-Q5")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("报告期：2025年第三季度", "2025-Q3"),
        ("2025年三季度", "2025-Q3"),
        ("省商务厅_2025Q3.xlsx", "2025-Q3"),
        ("2025年上半年", "2025-H1"),
        ("2025年9月", "2025-09"),
        ("2025年度", "2025"),
    ],
)
def test_period_found_in_text(text: str, key: str) -> None:
    found = parse_period_text(text)
    assert found is not None and found.key == key


def test_text_without_a_period_gives_none() -> None:
    assert parse_period_text("省工业和信息化厅") is None
