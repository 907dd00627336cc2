"""Pinyin search keys and GB 32100 credit codes."""

from __future__ import annotations

from app.domain import credit_code, pinyin


def test_initials_find_chinese_name() -> None:
    assert pinyin.matches("sjzx", "吉林市江南数据中心")


def test_full_pinyin_finds_chinese_name() -> None:
    assert pinyin.matches("shuju", "中石油吉林数据中心")


def test_unrelated_initials_do_not_match() -> None:
    assert not pinyin.matches("yzx", "吉林市江南数据中心")


def test_code_matches_case_insensitively() -> None:
    assert pinyin.matches("zd0", "ZD03")


def test_known_credit_code_is_valid() -> None:
    assert credit_code.is_valid_credit_code("91350100M000100Y43")


def test_changed_credit_code_is_invalid() -> None:
    assert not credit_code.is_valid_credit_code("91350100M000100Y44")


def test_problem_explains_wrong_length() -> None:
    assert "18 位" in (credit_code.problem("9135") or "")
