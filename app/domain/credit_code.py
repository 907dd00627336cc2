"""Unified social credit codes (统一社会信用代码, GB 32100-2015): check character, validation, explanation."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.text import fold_width

# The 31 characters the standard allows: digits and capitals without I, O, S, V, Z.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Position weights are 3^(i) mod 31 for the first 17 characters (GB 32100-2015, 附录 B).
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Registration authorities (first character) named by the standard; Y = 其他.
_AUTHORITIES = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}


def check_character(first17: str) -> str:
    """The 18th character the standard computes from the first 17 (which must be in the alphabet)."""
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


@dataclass(frozen=True)
class CreditCodeCheck:
    """The verdict on one code: ``normalised`` is what was checked, ``reason`` is None when valid."""

    normalised: str
    reason: str | None = None
    expected_check: str | None = None

    @property
    def valid(self) -> bool:
        return self.reason is None


def normalise_credit_code(text: str) -> str:
    """Fold width, drop spaces and hyphens, upper-case: how clerks' copies differ from the register."""
    folded = fold_width(text).upper()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "-_")


def check_credit_code(text: str) -> CreditCodeCheck:
    """Validate a code and explain in plain Chinese what is wrong with it."""
    code = normalise_credit_code(text)
    if not code:
        return CreditCodeCheck(code, "统一社会信用代码为空")
    if len(code) != 18:
        return CreditCodeCheck(code, f"统一社会信用代码应为 18 位，实际为 {len(code)} 位")
    bad = [(i + 1, ch) for i, ch in enumerate(code) if ch not in _VALUE]
    if bad:
        pos, ch = bad[0]
        hint = "（代码中不使用字母 I、O、S、V、Z，请核对是否把数字 1、0、5 等错写成字母）"
        return CreditCodeCheck(code, f"第 {pos} 位“{ch}”不是统一社会信用代码允许的字符{hint}")
    if code[0] not in _AUTHORITIES:
        return CreditCodeCheck(code, f"第 1 位登记管理部门代码“{code[0]}”不存在")
    if not code[2:8].isdigit():
        return CreditCodeCheck(code, "第 3–8 位应为行政区划代码（6 位数字）")
    expected = check_character(code[:17])
    if code[17] != expected:
        return CreditCodeCheck(
            code,
            f"校验位不符：按 GB 32100-2015 第 18 位应为“{expected}”，实际为“{code[17]}”，请核对是否有错字或抄漏",
            expected,
        )
    return CreditCodeCheck(code, None, expected)


def is_valid_credit_code(text: str) -> bool:
    """True when the code passes every check of check_credit_code."""
    return check_credit_code(text).valid


def problem(text: str) -> str | None:
    """The Chinese reason ``text`` is not a valid code, or None when it is (for form validation)."""
    return check_credit_code(text).reason
