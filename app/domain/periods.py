"""Reporting periods: keys such as 2025-09, 2025-Q3, 2025-H1 and 2025, their dates and Chinese labels."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

_QUARTER_CN = {1: "一", 2: "二", 3: "三", 4: "四"}


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


_KEY_RE = re.compile(r"^(\d{4})(?:-(?:(\d{2})|Q([1-4])|H([12])))?$")


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period; ``key`` is the canonical, sortable identifier."""

    year: int
    kind: PeriodKind
    index: int  # month 1-12, quarter 1-4, half 1-2, or 1 for a year

    @classmethod
    def parse(cls, key: str) -> Period:
        """Parse a canonical key (``2025-09``, ``2025-Q3``, ``2025-H1``, ``2025``); raise ValueError."""
        m = _KEY_RE.match(key.strip().upper())
        if not m:
            raise ValueError(f"报告期格式不正确：{key!r}（应为 2025-09、2025-Q3、2025-H1 或 2025）")
        year = int(m.group(1))
        if m.group(2):
            month = int(m.group(2))
            if not 1 <= month <= 12:
                raise ValueError(f"月份不正确：{key!r}")
            return cls(year, PeriodKind.MONTH, month)
        if m.group(3):
            return cls(year, PeriodKind.QUARTER, int(m.group(3)))
        if m.group(4):
            return cls(year, PeriodKind.HALF, int(m.group(4)))
        return cls(year, PeriodKind.YEAR, 1)

    @property
    def key(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}-{self.index:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}-Q{self.index}"
        if self.kind is PeriodKind.HALF:
            return f"{self.year}-H{self.index}"
        return str(self.year)

    @property
    def label(self) -> str:
        """Chinese label, e.g. 2025年第三季度."""
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}年{self.index}月"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}年第{_QUARTER_CN[self.index]}季度"
        if self.kind is PeriodKind.HALF:
            return f"{self.year}年{'上' if self.index == 1 else '下'}半年"
        return f"{self.year}年"

    @property
    def start(self) -> date:
        first_month = {
            PeriodKind.MONTH: self.index,
            PeriodKind.QUARTER: 3 * self.index - 2,
            PeriodKind.HALF: 6 * self.index - 5,
            PeriodKind.YEAR: 1,
        }[self.kind]
        return date(self.year, first_month, 1)

    @property
    def end(self) -> date:
        last_month = {
            PeriodKind.MONTH: self.index,
            PeriodKind.QUARTER: 3 * self.index,
            PeriodKind.HALF: 6 * self.index,
            PeriodKind.YEAR: 12,
        }[self.kind]
        return date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind is PeriodKind.YEAR:
            return Period(self.year - 1, self.kind, 1)
        count = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF: 2}[self.kind]
        if self.index == 1:
            return Period(self.year - 1, self.kind, count)
        return Period(self.year, self.kind, self.index - 1)

    def next(self) -> Period:
        """The period of the same kind just after this one."""
        if self.kind is PeriodKind.YEAR:
            return Period(self.year + 1, self.kind, 1)
        count = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF: 2}[self.kind]
        if self.index == count:
            return Period(self.year + 1, self.kind, 1)
        return Period(self.year, self.kind, self.index + 1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.key


def current_quarter(today: date) -> Period:
    """The quarter that ``today`` falls in."""
    return Period(today.year, PeriodKind.QUARTER, (today.month - 1) // 3 + 1)


_CN_QUARTER_RE = re.compile(r"(\d{4})\s*年\s*第?\s*([一二三四1-4])\s*季度?")
_CN_HALF_RE = re.compile(r"(\d{4})\s*年\s*([上下])\s*半年")
_CN_MONTH_RE = re.compile(r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*月?")
_CN_YEAR_RE = re.compile(r"(\d{4})\s*年(?:度)?")
_Q_RE = re.compile(r"(\d{4})\s*[-_ ]?\s*[Qq]([1-4])")
_H_RE = re.compile(r"(\d{4})\s*[-_ ]?\s*[Hh]([12])")


def parse_period_text(text: str) -> Period | None:
    """Find a reporting period in free text (title cells, file names); None when there is none.

    Quarters and halves are tried before months because "2025年第三季度" also contains "2025年".
    """
    t = text.replace("（", "(").replace("）", ")")
    for rx, kind in ((_Q_RE, PeriodKind.QUARTER), (_H_RE, PeriodKind.HALF)):
        m = rx.search(t)
        if m:
            return Period(int(m.group(1)), kind, int(m.group(2)))
    m = _CN_QUARTER_RE.search(t)
    if m:
        q = m.group(2)
        idx = int(q) if q.isdigit() else "一二三四".index(q) + 1
        return Period(int(m.group(1)), PeriodKind.QUARTER, idx)
    m = _CN_HALF_RE.search(t)
    if m:
        return Period(int(m.group(1)), PeriodKind.HALF, 1 if m.group(2) == "上" else 2)
    m = _CN_MONTH_RE.search(t)
    if m and 1 <= int(m.group(2)) <= 12:
        return Period(int(m.group(1)), PeriodKind.MONTH, int(m.group(2)))
    m = _CN_YEAR_RE.search(t)
    if m:
        return Period(int(m.group(1)), PeriodKind.YEAR, 1)
    return None


def latest_closed_quarter(today: date) -> Period:
    """The most recent quarter that has ended: the period clerks are collecting returns for."""
    return current_quarter(today).previous()
