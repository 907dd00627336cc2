"""Gantt geometry without Qt: date ↔ x per zoom, the two-level Chinese time header, grouped row layout."""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.domain.numerals import chinese_number


class Zoom(StrEnum):
    """The four zoom levels; each has a default scale and its own pair of header bands."""

    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


ZOOM_LABELS: dict[Zoom, str] = {Zoom.WEEK: "周", Zoom.MONTH: "月", Zoom.QUARTER: "季", Zoom.YEAR: "年"}
DEFAULT_PX_PER_DAY: dict[Zoom, float] = {Zoom.WEEK: 14.0, Zoom.MONTH: 3.2, Zoom.QUARTER: 1.1, Zoom.YEAR: 0.3}
MIN_PX_PER_DAY = 0.05
MAX_PX_PER_DAY = 60.0


def zoom_for_scale(px_per_day: float) -> Zoom:
    """The zoom whose header suits a scale: the boundaries are the geometric means of the defaults."""
    if px_per_day >= math.sqrt(DEFAULT_PX_PER_DAY[Zoom.WEEK] * DEFAULT_PX_PER_DAY[Zoom.MONTH]):
        return Zoom.WEEK
    if px_per_day >= math.sqrt(DEFAULT_PX_PER_DAY[Zoom.MONTH] * DEFAULT_PX_PER_DAY[Zoom.QUARTER]):
        return Zoom.MONTH
    if px_per_day >= math.sqrt(DEFAULT_PX_PER_DAY[Zoom.QUARTER] * DEFAULT_PX_PER_DAY[Zoom.YEAR]):
        return Zoom.QUARTER
    return Zoom.YEAR


def five_year_plan(year: int) -> tuple[int, int]:
    """The national five-year plan a year belongs to: (number, first year); 2021 → (14, 2021).

    Plans run in fives from the third (1966-1970); earlier years (before the 1963-65 adjustment) are not needed.
    """
    number = (max(year, 1966) - 1966) // 5 + 3
    return number, 1966 + 5 * (number - 3)


# --- calendar units --------------------------------------------------------------------------------------------


def unit_start(day: date, unit: str) -> date:
    """The first day of the week (Monday), month, quarter, year or five-year plan containing ``day``."""
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if unit == "year":
        return date(day.year, 1, 1)
    if unit == "plan":
        return date(five_year_plan(day.year)[1], 1, 1)
    raise ValueError(unit)


def unit_next(start: date, unit: str) -> date:
    """The first day of the unit after the one starting at ``start``."""
    if unit == "week":
        return start + timedelta(days=7)
    if unit in ("month", "quarter"):
        months = 1 if unit == "month" else 3
        m = start.month - 1 + months
        return date(start.year + m // 12, m % 12 + 1, 1)
    if unit == "year":
        return date(start.year + 1, 1, 1)
    if unit == "plan":
        return date(start.year + 5, 1, 1)
    raise ValueError(unit)


def unit_label(start: date, unit: str) -> tuple[str, str]:
    """(label, short label) for a header cell; the painter falls back to the short one when space is tight."""
    if unit == "week":
        return f"{start.day}日", str(start.day)
    if unit == "month":
        return f"{start.month}月", str(start.month)
    if unit == "quarter":
        q = (start.month - 1) // 3 + 1
        return f"{chinese_number(q)}季度", chinese_number(q)
    if unit == "year":
        return f"{start.year}年", f"{start.year % 100:02d}"
    if unit == "plan":
        number, first = five_year_plan(start.year)
        return f"“{chinese_number(number)}五”时期（{first}—{first + 4}年）", f"“{chinese_number(number)}五”"
    raise ValueError(unit)


def month_label(start: date) -> tuple[str, str]:
    """Top band of the week zoom: 2025年3月."""
    return f"{start.year}年{start.month}月", f"{start.month}月"


# Top band unit, bottom band unit for each zoom.
HEADER_UNITS: dict[Zoom, tuple[str, str]] = {
    Zoom.WEEK: ("month", "week"),
    Zoom.MONTH: ("year", "month"),
    Zoom.QUARTER: ("year", "quarter"),
    Zoom.YEAR: ("plan", "year"),
}


@dataclass(frozen=True)
class HeaderCell:
    """One labelled cell of a header band, from x0 to x1 (timeline pixels), covering [start, end)."""

    x0: float
    x1: float
    label: str
    short: str
    start: date
    end: date


@dataclass(frozen=True)
class Timeline:
    """Maps dates to x (pixels from ``origin``) at a scale; ``end`` is the exclusive end of the range."""

    origin: date
    end: date
    px_per_day: float
    zoom: Zoom

    @classmethod
    def for_range(cls, first: date, last: date, zoom: Zoom, px_per_day: float | None = None) -> Timeline:
        """A timeline covering ``first``…``last`` padded to whole top-band units."""
        top = HEADER_UNITS[zoom][0]
        origin = unit_start(first, top)
        end = unit_next(unit_start(last, top), top)
        return cls(origin, end, px_per_day or DEFAULT_PX_PER_DAY[zoom], zoom)

    @classmethod
    def fitted(cls, first: date, last: date, width: float) -> Timeline:
        """The timeline that shows ``first``…``last`` in ``width`` pixels, with the zoom that suits that scale."""
        days = max(1, (last - first).days + 1)
        zoom = zoom_for_scale(width / days)
        # Padding depends on the zoom, the zoom on the scale: settle in two rounds (then it is stable).
        for _ in range(2):
            tl = cls.for_range(first, last, zoom, 1.0)
            ppd = max(MIN_PX_PER_DAY, min(MAX_PX_PER_DAY, width / max(1, tl.days)))
            zoom = zoom_for_scale(ppd)
        tl = cls.for_range(first, last, zoom, 1.0)
        return cls(tl.origin, tl.end, max(MIN_PX_PER_DAY, min(MAX_PX_PER_DAY, width / max(1, tl.days))), zoom)

    def with_scale(self, px_per_day: float) -> Timeline:
        """The same range at another scale; the header follows the scale."""
        ppd = max(MIN_PX_PER_DAY, min(MAX_PX_PER_DAY, px_per_day))
        zoom = zoom_for_scale(ppd)
        top = HEADER_UNITS[zoom][0]
        origin = unit_start(self.origin, top)
        end = unit_next(unit_start(self.end - timedelta(days=1), top), top)
        return Timeline(origin, end, ppd, zoom)

    @property
    def days(self) -> int:
        return (self.end - self.origin).days

    @property
    def width(self) -> float:
        return self.days * self.px_per_day

    def x_of(self, day: date) -> float:
        """Left edge of ``day``."""
        return (day - self.origin).days * self.px_per_day

    def x_after(self, day: date) -> float:
        """Right edge of ``day`` (a span ending on ``day`` includes it)."""
        return ((day - self.origin).days + 1) * self.px_per_day

    def date_at(self, x: float) -> date:
        """The day under x (the day whose left edge is nearest below)."""
        return self.origin + timedelta(days=math.floor(x / self.px_per_day))

    def nearest_boundary(self, x: float) -> date:
        """The day whose left edge is nearest to x: where a dragged edge lands."""
        return self.origin + timedelta(days=round(x / self.px_per_day))

    def band(self, unit: str, x0: float, x1: float, top: bool = False) -> list[HeaderCell]:
        """Cells of ``unit`` overlapping timeline x0…x1."""
        x0 = max(0.0, x0)
        x1 = min(self.width, x1)
        if x1 <= x0:
            return []
        cells: list[HeaderCell] = []
        start = unit_start(self.date_at(x0), unit)
        while start < self.end:
            nxt = unit_next(start, unit)
            cx0 = self.x_of(start)
            if cx0 >= x1:
                break
            label, short = month_label(start) if (top and unit == "month") else unit_label(start, unit)
            cells.append(HeaderCell(cx0, self.x_of(nxt), label, short, start, nxt))
            start = nxt
        return cells

    def header(self, x0: float, x1: float) -> tuple[list[HeaderCell], list[HeaderCell]]:
        """The two header bands (top, bottom) over timeline x0…x1."""
        top_unit, bottom_unit = HEADER_UNITS[self.zoom]
        return self.band(top_unit, x0, x1, top=True), self.band(bottom_unit, x0, x1)


# --- rows ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A line of the chart: a group heading (``row`` = -1) or one data row (``row`` = its index)."""

    row: int
    group: str = ""  # the group's key as text; "" without grouping
    label: str = ""  # heading text for group lines
    count: int = 0  # rows in the group (group lines)
    collapsed: bool = False

    @property
    def is_group(self) -> bool:
        return self.row < 0


GroupKey = tuple[Hashable, str]  # (sort key, label)


def layout_lines(keys: Sequence[GroupKey | None], collapsed: frozenset[str] | set[str] = frozenset()) -> list[Line]:
    """Lines for rows grouped by ``keys[i]`` (None everywhere = no grouping); rows keep their order in a group.

    Groups come in the order of their sort keys; a collapsed group keeps its heading and hides its rows.
    """
    if not keys or all(k is None for k in keys):
        return [Line(i) for i in range(len(keys))]
    groups: dict[str, tuple[Hashable, list[int]]] = {}
    for i, key in enumerate(keys):
        sort_key, label = key if key is not None else ((1 << 30,), "（未分组）")
        groups.setdefault(label, (sort_key, []))[1].append(i)
    try:
        ordered = sorted(groups.items(), key=lambda kv: (kv[1][0], kv[0]))
    except TypeError:  # sort keys of mixed types: fall back to a stable textual order
        ordered = sorted(groups.items(), key=lambda kv: (repr(kv[1][0]), kv[0]))
    lines: list[Line] = []
    for label, (_sort, rows) in ordered:
        shut = label in collapsed
        lines.append(Line(-1, label, label, len(rows), shut))
        if not shut:
            lines.extend(Line(i, label) for i in rows)
    return lines


@dataclass(frozen=True)
class RowGeometry:
    """Fixed-height lines: y ↔ line index in O(1), so only visible lines are ever touched."""

    count: int
    row_height: float

    @property
    def height(self) -> float:
        return self.count * self.row_height

    def y_of(self, line: int) -> float:
        return line * self.row_height

    def line_at(self, y: float) -> int | None:
        """The line under y, or None outside the lines."""
        if y < 0:
            return None
        i = int(y // self.row_height)
        return i if i < self.count else None

    def visible(self, y0: float, y1: float) -> range:
        """Indices of the lines overlapping y0…y1."""
        first = max(0, int(y0 // self.row_height))
        last = min(self.count, int(math.ceil(y1 / self.row_height)))
        return range(first, max(first, last))


@dataclass(frozen=True)
class PageGrid:
    """How a chart is cut into printed pages: time slices across, row slices down."""

    pages_wide: int
    pages_tall: int
    body_width: float  # timeline pixels per page
    rows_per_page: int

    @property
    def count(self) -> int:
        return self.pages_wide * self.pages_tall

    def page(self, number: int) -> tuple[float, range]:
        """(timeline x at the page's left, line indices) of page ``number`` (1-based; across, then down)."""
        down, across = divmod(number - 1, self.pages_wide)
        return across * self.body_width, range(down * self.rows_per_page, (down + 1) * self.rows_per_page)


def page_grid(timeline_width: float, lines: int, body_width: float, rows_per_page: int) -> PageGrid:
    """Cut a chart of ``timeline_width`` × ``lines`` into pages holding ``body_width`` × ``rows_per_page``."""
    wide = max(1, math.ceil(timeline_width / body_width - 1e-6))
    tall = max(1, math.ceil(lines / max(1, rows_per_page)))
    return PageGrid(wide, tall, body_width, max(1, rows_per_page))
