"""Unified social credit codes (统一社会信用代码, GB 32100-2015): 18 characters, the last a check character."""

from __future__ import annotations

CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # I, O, Z, S, V are not used
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(code17: str) -> str:
    """The check character for the first 17 characters of a code; ValueError on a character not allowed."""
    body = code17.upper()
    if len(body) != 17:
        raise ValueError("需要前17位")
    total = 0
    for ch, weight in zip(body, WEIGHTS, strict=True):
        index = CODE_CHARS.find(ch)
        if index < 0:
            raise ValueError(f"字符 {ch!r} 不能出现在统一社会信用代码中")
        total += index * weight
    return CODE_CHARS[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    """Whether ``code`` is a well-formed 18-character code with a correct check character."""
    text = code.strip().upper()
    if len(text) != 18:
        return False
    try:
        return check_character(text[:17]) == text[17]
    except ValueError:
        return False


def problem(code: str) -> str | None:
    """A Chinese explanation of what is wrong with ``code``, or None when it is valid."""
    text = code.strip().upper()
    if len(text) != 18:
        return f"统一社会信用代码应为18位，现为{len(text)}位"
    bad = [ch for ch in text if ch not in CODE_CHARS]
    if bad:
        return f"统一社会信用代码含有不允许的字符：{''.join(dict.fromkeys(bad))}"
    expected = check_character(text[:17])
    if expected != text[17]:
        return f"统一社会信用代码校验位不符（应为 {expected}），请核对"
    return None
