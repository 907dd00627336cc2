"""Percentages as departments write them: "60%", 0.6 (a cell formatted as %) and 60 all mean 60."""

from __future__ import annotations

import math
import re

from app.domain.outcome import EMPTY_MARKS, Outcome
from app.domain.text import fold_width

_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
# Words that say "finished" where a number was expected.
_DONE_WORDS = frozenset({"完工", "已完工", "竣工", "已竣工", "完成", "已完成", "全部完成"})
_NONE_WORDS = frozenset({"未开工", "尚未开工", "未启动", "尚未启动"})


def parse_percent(value: object, *, one_is_whole: bool = True, points: bool = False) -> Outcome[float]:
    """Read a percentage as a number 0–100.

    A number below 1 is a fraction (Excel stores 60% as 0.6); exactly 1 is 100% unless
    ``one_is_whole`` is False (the caller saw other values above 1 in the same column, so 1 means 1%).
    ``points``: the caller read the whole column and found it written in percentage points (30, 60, 99.5),
    so no number is scaled; one between 0 and 1 there fits neither reading and comes with a note.
    """
    if points:
        return _parse_points(value)
    if type(value) is float and 0.0 <= value <= 100.0:  # the common case, kept off the general path
        scaled = value * 100 if (0.0 < value < 1.0 or (value == 1.0 and one_is_whole)) else value
        return Outcome(round(scaled, 6))
    if value is None:
        return Outcome(None)
    if isinstance(value, bool):
        return Outcome.fail("进度应为百分数，而单元格是是/否值")
    explicit = False
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = fold_width(value).strip().replace(" ", "")
        if not text or text.casefold() in EMPTY_MARKS:
            return Outcome(None)
        if text in _DONE_WORDS:
            return Outcome(100.0, note=f"“{value.strip()}”按 100% 理解")
        if text in _NONE_WORDS:
            return Outcome(0.0, note=f"“{value.strip()}”按 0% 理解")
        if text.endswith("%"):
            explicit = True
            text = text[:-1]
        elif text.startswith("百分之"):
            return Outcome.fail(f"请把“{value.strip()}”写成数字，如 60%")
        if not _NUMBER_RE.match(text):
            return Outcome.fail(f"无法识别的百分数“{value.strip()}”，请填写如 60% 或 60")
        number = float(text)
    else:
        return Outcome.fail("进度应为百分数")
    if not math.isfinite(number):
        return Outcome.fail("进度不是有效数字")
    if not explicit and (0 < number < 1 or (number == 1 and one_is_whole)):
        number *= 100
    number = round(number, 6)
    if number < 0:
        return Outcome.fail(f"百分数不能为负数（{_show(value)}）")
    if number > 100:
        return Outcome.fail(f"百分数超过 100%（{_show(value)}）")
    return Outcome(number)


def _parse_points(value: object) -> Outcome[float]:
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        text = fold_width(value).strip().replace(" ", "")
        if _NUMBER_RE.match(text):
            number = float(text)
    if number is None or not math.isfinite(number) or not 0 < number < 1:
        return parse_percent(value, one_is_whole=False)
    return Outcome(
        round(number, 6),
        note=f"填的是 {_show(value)}，而本列其他数值按百分点填写（如 30、60），按 {_show(value)}% 读取；"
        f"如应为 {number * 100:g}%，请改为 {number * 100:g}",
    )


def _show(value: object) -> str:
    return value.strip() if isinstance(value, str) else f"{value:g}" if isinstance(value, float) else str(value)
