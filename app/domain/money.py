"""Money as departments write it ("1,200", "1200万元", "0.35亿元", "12亿", "3,500,000元"), always in 万元."""

from __future__ import annotations

import math
import re
from enum import StrEnum

from app.domain.outcome import EMPTY_MARKS, Outcome
from app.domain.text import fold_width


class MoneyUnit(StrEnum):
    YUAN = "元"
    WAN = "万元"
    YI = "亿元"


_TO_WAN = {MoneyUnit.YUAN: 0.0001, MoneyUnit.WAN: 1.0, MoneyUnit.YI: 10_000.0}

_UNIT_SUFFIXES = (
    ("亿元", MoneyUnit.YI),
    ("亿", MoneyUnit.YI),
    ("万元", MoneyUnit.WAN),
    ("万", MoneyUnit.WAN),
    ("元", MoneyUnit.YUAN),
)
_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$", re.IGNORECASE)
# Thousands separators as typed: half- and full-width commas (NFKC folds ，to ,), apostrophes, thin spaces.
_SEPARATORS_RE = re.compile(r"[,'\s\u2009\u202f]")


def unit_in_text(text: str) -> MoneyUnit | None:
    """The money unit a header names, e.g. 计划总投资（亿元） → 亿元; None when it names none."""
    folded = fold_width(text)
    for suffix, unit in _UNIT_SUFFIXES:
        if suffix in folded:
            return unit
    return None


def to_wan(amount: float, unit: MoneyUnit) -> float:
    """Convert an amount in ``unit`` to 万元, rounded to hide binary noise (0.35亿 → 3500.0, not 3499.9999)."""
    return round(amount * _TO_WAN[unit], 6)


def parse_money(value: object, unit: MoneyUnit = MoneyUnit.WAN) -> Outcome[float]:
    """Read an amount; bare numbers are in ``unit`` (the column's unit), text may name its own unit.

    Returns the amount in 万元, Outcome(None) for a blank cell, or a reason.
    """
    if value is None or isinstance(value, bool):
        return Outcome(None) if value is None else Outcome.fail("金额不能是是/否值")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return Outcome.fail("金额不是有效数字")
        return Outcome(to_wan(float(value), unit))
    if not isinstance(value, str):
        return Outcome.fail(f"金额应为数字，而单元格是{type(value).__name__}")
    text = fold_width(value).strip()
    if not text or text.casefold() in EMPTY_MARKS:
        return Outcome(None)
    text = _SEPARATORS_RE.sub("", text)
    text = text.removeprefix("¥").removeprefix("￥").removeprefix("RMB").removeprefix("rmb")
    own_unit = unit
    for suffix, suffix_unit in _UNIT_SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            own_unit = suffix_unit
            break
    text = text.removesuffix("人民币")
    if not _NUMBER_RE.match(text):
        return Outcome.fail(f"无法识别的金额“{value.strip()}”，请填写数字（单位万元），如 1200 或 0.35亿元")
    amount = float(text)
    if not math.isfinite(amount):
        return Outcome.fail(f"无法识别的金额“{value.strip()}”")
    return Outcome(to_wan(amount, own_unit))
