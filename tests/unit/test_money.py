"""Money in the forms departments write it, always returned in 万元."""

from __future__ import annotations

import pytest

from app.domain.money import MoneyUnit, parse_money, unit_in_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,200", 1200.0),
        ("1，200", 1200.0),
        ("1200万元", 1200.0),
        ("1200万", 1200.0),
        ("0.35亿元", 3500.0),
        ("12亿", 120000.0),
        ("3,500,000元", 350.0),
        ("１２００", 1200.0),
        (" 800 ", 800.0),
        ("-50", -50.0),
        ("¥1200", 1200.0),
        ("1.5e3", 1500.0),
    ],
)
def test_text_amounts_are_read_in_wan(text: str, expected: float) -> None:
    outcome = parse_money(text)
    assert outcome.ok and outcome.value == pytest.approx(expected)


def test_numbers_are_taken_in_the_column_unit() -> None:
    assert parse_money(1.2, MoneyUnit.YI).value == 12000.0
    assert parse_money(1200, MoneyUnit.WAN).value == 1200.0
    assert parse_money(5_000_000, MoneyUnit.YUAN).value == 500.0


def test_text_with_its_own_unit_overrides_the_column_unit() -> None:
    assert parse_money("3500万元", MoneyUnit.YI).value == 3500.0


def test_yi_conversion_has_no_binary_noise() -> None:
    assert parse_money("0.35亿元").value == 3500.0


@pytest.mark.parametrize("blank", [None, "", "  ", "-", "—", "/", "无"])
def test_blank_marks_read_as_no_value(blank: object) -> None:
    outcome = parse_money(blank)
    assert outcome.ok and outcome.value is None


@pytest.mark.parametrize("text", ["约1200", "一千万", "12亿多", "1.2.3", "abc"])
def test_unreadable_amounts_give_a_chinese_reason(text: str) -> None:
    outcome = parse_money(text)
    assert not outcome.ok and outcome.reason is not None and "金额" in outcome.reason


def test_booleans_are_not_money() -> None:
    assert not parse_money(True).ok


def test_nan_is_not_money() -> None:
    assert not parse_money(float("nan")).ok


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("计划总投资（亿元）", MoneyUnit.YI),
        ("投资情况(万元)", MoneyUnit.WAN),
        ("金额（元）", MoneyUnit.YUAN),
        ("总投资", None),
    ],
)
def test_unit_named_in_a_header(header: str, unit: MoneyUnit | None) -> None:
    assert unit_in_text(header) is unit
