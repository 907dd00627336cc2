"""Unified social credit codes, GB 32100-2015."""

from __future__ import annotations

import pytest

from app.domain.credit_code import check_character, check_credit_code, is_valid_credit_code


def test_the_standards_example_code_is_valid() -> None:
    assert is_valid_credit_code("91350100M000100Y43")


def test_a_registered_enterprises_code_is_valid() -> None:
    assert is_valid_credit_code("91110108551385082Q")


def test_check_character_of_the_standards_example() -> None:
    assert check_character("91350100M000100Y4") == "3"


def test_a_wrong_check_character_names_the_expected_one() -> None:
    result = check_credit_code("91350100M000100Y44")
    assert not result.valid
    assert result.expected_check == "3"
    assert "第 18 位应为“3”" in (result.reason or "")


def test_lower_case_full_width_and_spaces_are_tolerated() -> None:
    assert is_valid_credit_code(" ９１350100m000100y43 ")


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("", "为空"),
        ("91350100M000100Y4", "18 位"),
        ("91350100M000100Y433", "18 位"),
        ("91350100M0001O0Y43", "第 14 位“O”"),
        ("Z1350100M000100Y43", "第 1 位"),
        ("9135A100M000100Y43", "行政区划"),
    ],
)
def test_invalid_codes_are_explained(code: str, fragment: str) -> None:
    result = check_credit_code(code)
    assert not result.valid and fragment in (result.reason or "")


def test_every_single_character_typo_is_caught() -> None:
    code = "91350100M000100Y43"
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for position in range(8, 17):  # the organisation-code part, where typos are free to land
        for ch in alphabet:
            if ch == code[position]:
                continue
            typo = code[:position] + ch + code[position + 1 :]
            assert not is_valid_credit_code(typo), typo
