"""Dates as departments write them: Excel serials and dates, 2025-09-30, 2025/9/30, 2025.9, 2025年9月 …"""

from __future__ import annotations

import calendar
import math
import re
from datetime import date, datetime, timedelta

from app.domain.outcome import EMPTY_MARKS, Outcome
from app.domain.text import fold_width

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 once Excel's phantom 1900-02-29 is allowed for
_EXCEL_EPOCH_1904 = date(1904, 1, 1)
# Serials a return can plausibly hold: 1950-01-01 … 2099-12-31. Anything else is not a date someone meant.
_SERIAL_MIN, _SERIAL_MAX = 18264, 73050
_YEAR_MIN, _YEAR_MAX = 1950, 2099

_FULL_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"  # a time of day after the date is ignored
)
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:月份?|月底|月末)?$")
_US_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def from_excel_serial(serial: float, *, date1904: bool = False) -> date | None:
    """The calendar date of an Excel serial number; None outside 1950–2099."""
    if date1904:
        serial += 1462
    if not math.isfinite(serial) or not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        return None
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _make(year: int, month: int, day: int, original: str) -> Outcome[date]:
    if not _YEAR_MIN <= year <= _YEAR_MAX:
        return Outcome.fail(f"年份 {year} 不在合理范围（{_YEAR_MIN}–{_YEAR_MAX}）")
    try:
        return Outcome(date(year, month, day))
    except ValueError:
        return Outcome.fail(f"“{original}”不是存在的日期")


def _month(year: int, month: int, original: str) -> Outcome[date]:
    if not 1 <= month <= 12:
        return Outcome.fail(f"“{original}”中的月份不正确")
    if not _YEAR_MIN <= year <= _YEAR_MAX:
        return Outcome.fail(f"年份 {year} 不在合理范围（{_YEAR_MIN}–{_YEAR_MAX}）")
    last = _month_end(year, month)
    return Outcome(last, note=f"“{original}”只写到月份，按当月最后一天（{last}）理解")


def parse_date(value: object, *, date1904: bool = False) -> Outcome[date]:
    """Read a date from a cell; month-only forms mean the month's last day (with a note saying so)."""
    if value is None:
        return Outcome(None)
    if isinstance(value, datetime):
        return _make(value.year, value.month, value.day, str(value))
    if isinstance(value, date):
        return _make(value.year, value.month, value.day, str(value))
    if isinstance(value, bool):
        return Outcome.fail("日期不能是是/否值")
    if isinstance(value, int | float):
        return _from_number(float(value), date1904)
    if not isinstance(value, str):
        return Outcome.fail("无法识别的日期")
    original = value.strip()
    text = fold_width(original).strip()
    if not text or text.casefold() in EMPTY_MARKS:
        return Outcome(None)
    m = _FULL_RE.match(text)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), original)
    m = _COMPACT_RE.match(text)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), original)
    m = _MONTH_RE.match(text)
    if m:
        return _month(int(m.group(1)), int(m.group(2)), original)
    m = _US_RE.match(text)
    if m:
        # Excel in an English locale shows 9/30/2025; a day above 12 settles which part is the month.
        first, second, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        month, day = (first, second) if first <= 12 else (second, first)
        return _make(year, month, day, original)
    try:
        number = float(text)
    except ValueError:
        return Outcome.fail(f"无法识别的日期“{original}”，请写成 2025-09-30、2025/9/30 或 2025年9月")
    return _from_number(number, date1904)


def _from_number(number: float, date1904: bool) -> Outcome[date]:
    if _YEAR_MIN <= number < _YEAR_MAX + 1:
        if number == int(number):
            return Outcome.fail(f"“{int(number)}”只有年份，请写到月份，如 {int(number)}年9月")
        # 2025.9 typed as a number: year.month. 2025.1 may be 2025.10 with its zero dropped.
        text = f"{number:.2f}".rstrip("0")
        year_part, month_part = text.split(".")
        month = int(month_part)
        outcome = _month(int(year_part), month, f"{number:g}")
        if outcome.ok and month_part == "1":
            note = f"数字 {number:g} 按 {year_part}年1月理解；如指 10 月，请写成文本“{year_part}.10”或日期"
            return Outcome(outcome.value, note=note)
        return outcome
    day = from_excel_serial(number, date1904=date1904)
    if day is None:
        return Outcome.fail(f"数字 {number:g} 不是合理的日期")
    return Outcome(day)
