"""Percentages: "60%", 0.6 and 60 all mean 60."""

from __future__ import annotations

import pytest

from app.domain.percent import parse_percent


@pytest.mark.parametrize("value", ["60%", "60％", 0.6, 60, 60.0, "60", "0.6", " 60 % "])
def test_the_same_progress_in_every_form_reads_as_60(value: object) -> None:
    outcome = parse_percent(value)
    assert outcome.ok and outcome.value == pytest.approx(60.0)


def test_one_is_whole_by_default() -> None:
    assert parse_percent(1).value == 100.0


def test_one_is_one_percent_when_the_column_is_in_percent_points() -> None:
    assert parse_percent(1, one_is_whole=False).value == 1.0


def test_explicit_percent_sign_is_never_scaled() -> None:
    assert parse_percent("0.5%").value == 0.5


def test_zero_and_hundred() -> None:
    assert parse_percent(0).value == 0.0
    assert parse_percent("100%").value == 100.0


@pytest.mark.parametrize("word", ["已完工", "竣工", "完成"])
def test_finished_words_mean_100_with_a_note(word: str) -> None:
    outcome = parse_percent(word)
    assert outcome.value == 100.0 and outcome.note


@pytest.mark.parametrize("value", [None, "", "-", "/"])
def test_blank_reads_as_no_value(value: object) -> None:
    outcome = parse_percent(value)
    assert outcome.ok and outcome.value is None


@pytest.mark.parametrize(
    ("value", "fragment"),
    [(150, "超过 100%"), ("-5%", "负数"), ("六成", "无法识别"), (True, "是/否")],
)
def test_impossible_percentages_are_refused_with_a_reason(value: object, fragment: str) -> None:
    outcome = parse_percent(value)
    assert not outcome.ok and fragment in (outcome.reason or "")
