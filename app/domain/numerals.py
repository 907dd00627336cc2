"""Chinese numerals as documents write them: 一, 十二, 二十五 (section numbers, ordinals, plan names)."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 13 → 十三, 20 → 二十, 25 → 二十五 (1–99; other numbers stay digits)."""
    if 0 < n < 10:
        return _DIGITS[n]
    if 10 <= n < 100:
        tens, ones = divmod(n, 10)
        head = "" if tens == 1 else _DIGITS[tens]
        return head + "十" + (_DIGITS[ones] if ones else "")
    return str(n)
