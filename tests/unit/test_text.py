"""Header and name normalisation."""

from __future__ import annotations

import pytest

from app.domain.text import is_blank, normalise_header, normalise_name, split_parenthesised


@pytest.mark.parametrize(
    "variant",
    [
        "形象进度(%)",
        "形象进度（%）",
        "形象进度（％）",
        "形象进度\n（%）",
        " 形象 进度 (%) ",
        "形象进度\u3000(%)",
        "*形象进度(%)",
    ],
)
def test_header_variants_normalise_to_the_same_text(variant: str) -> None:
    assert normalise_header(variant) == "形象进度(%)"


def test_full_width_letters_and_digits_become_half_width_lower_case() -> None:
    assert normalise_name("ＡＢＣ１２３数据中心") == "abc123数据中心"


def test_line_breaks_and_zero_width_spaces_inside_names_are_removed() -> None:
    assert normalise_name("长春\r\n数据\u200b中心") == "长春数据中心"


def test_chinese_brackets_fold_to_ascii() -> None:
    assert normalise_name("【一期】工程〔2025〕") == "[一期]工程(2025)"


def test_header_trailing_colon_is_dropped() -> None:
    assert normalise_header("填报单位：") == "填报单位"


def test_none_normalises_to_empty() -> None:
    assert normalise_name(None) == ""


def test_split_parenthesised_separates_units() -> None:
    assert split_parenthesised("计划总投资(亿元)") == ("计划总投资", ["亿元"])


@pytest.mark.parametrize(("value", "blank"), [(None, True), ("", True), ("  \n", True), ("x", False), (0, False)])
def test_is_blank(value: object, blank: bool) -> None:
    assert is_blank(value) is blank
