"""Find what a sheet is and where its header is: under merged title rows, one or two header rows deep.

Also reads the title cells a department fills in (填报单位：…（盖章）, 报告期：2025年第三季度) and the
hidden meta sheet the app's templates carry (template_version, department, period).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.money import MoneyUnit
from app.domain.text import fold_width, is_blank, normalise_header
from app.returns.columns import MEANING, ColumnMap, map_columns
from app.returns.fields import INSTRUCTIONS_SHEET, META_SHEET, SHEETS, TASKS, SheetSpec
from app.returns.read import SheetGrid, cell_text

HEADER_SEARCH_ROWS = 20  # the header must start within the first 20 rows
MIN_FIELDS = 2  # a header row names at least two known fields


@dataclass
class Header:
    """Where a sheet's header is (0-based rows, inclusive) and how its columns map to fields."""

    first_row: int
    last_row: int
    columns: ColumnMap

    @property
    def data_start(self) -> int:
        return self.last_row + 1


@dataclass
class LocatedSheet:
    """A sheet recognised as one of the return's tables."""

    grid: SheetGrid
    spec: SheetSpec
    header: Header
    by_name: bool  # recognised by its sheet name (else by its header)


@dataclass
class TitleInfo:
    """What the title and footer cells say, each with the text it came from."""

    department: str | None = None
    period_text: str | None = None
    money_unit: MoneyUnit | None = None  # a table-wide unit, for money columns whose header names none


def _top_grid(grid: SheetGrid, limit: int) -> list[list[str]]:
    """The first ``limit`` rows as text, with every merged range filled with its top-left value."""
    rows = [[cell_text(v).strip() for v in row] for row in grid.rows[:limit]]
    for r0, c0, r1, c1 in grid.merged:
        if r0 >= limit or r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, limit - 1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value
    return rows


def _wide_merge_rows(grid: SheetGrid) -> set[int]:
    """Rows that start a merged range spanning several columns: a title, or the parent of a two-row header."""
    return {r0 for r0, c0, _r1, c1 in grid.merged if c1 > c0}


def _can_be_parent_header(row: list[str]) -> bool:
    """A parent header row has several different labels and no "label：value" title text."""
    distinct = {v for v in row if v}
    return len(distinct) >= 2 and not any(":" in fold_width(v) for v in distinct)


def find_header(grid: SheetGrid, spec: SheetSpec) -> Header | None:
    """The best header for ``spec`` in the first rows of ``grid``, or None when no row names enough fields."""
    top = _top_grid(grid, HEADER_SEARCH_ROWS + 1)
    wide = _wide_merge_rows(grid)
    best: tuple[tuple[int, int, int], Header] | None = None
    for h in range(min(HEADER_SEARCH_ROWS, len(top))):
        row = top[h]
        if len({v for v in row if v}) < MIN_FIELDS:
            continue  # a merged title filled across the row is one text, however many cells it covers
        tries = [(h, [[v] for v in row])]
        if h in wide and h + 1 < len(top) and _can_be_parent_header(row):
            child = top[h + 1]
            width = max(len(row), len(child))
            pair = []
            for c in range(width):
                parent = row[c] if c < len(row) else ""
                sub = child[c] if c < len(child) else ""
                if sub and sub != parent:
                    pair.append([sub, parent + sub, parent])
                else:
                    pair.append([parent])
            tries.append((h + 1, pair))
        for last, candidates in tries:
            columns = map_columns(candidates, spec)
            if len({b.header for b in columns.bindings.values() if b.score > MEANING}) < MIN_FIELDS:
                continue
            # Best score wins; on a tie prefer the two-row reading (it keeps the parent's unit).
            key = (columns.score, last - h, -h)
            if best is None or key > best[0]:
                best = (key, Header(h, last, columns))
    return best[1] if best else None


def spec_for_name(name: str) -> SheetSpec | None:
    """The sheet spec whose title or synonyms match a sheet name (normalised); None for unknown names."""
    norm = normalise_header(name)
    for spec in SHEETS:
        if norm in {normalise_header(t) for t in (spec.title, *spec.title_synonyms)}:
            return spec
    # The longest name inside wins: 重点任务进展情况 is a task sheet although it also holds 进展情况.
    best: tuple[int, SheetSpec] | None = None
    for spec in SHEETS:
        for s in (spec.title, *spec.title_synonyms):
            key = normalise_header(s)
            if len(s) >= 2 and key in norm and (best is None or len(key) > best[0]):
                best = (len(key), spec)
    return best[1] if best else None


def is_meta_sheet(grid: SheetGrid) -> bool:
    """True for the app's hidden meta sheet."""
    return normalise_header(grid.name) == normalise_header(META_SHEET)


def is_instructions_sheet(grid: SheetGrid) -> bool:
    """True for the 填报说明 sheet of the app's templates."""
    return normalise_header(grid.name) == normalise_header(INSTRUCTIONS_SHEET)


def locate_sheet(grid: SheetGrid) -> LocatedSheet | None:
    """Recognise a sheet by its name, else by the spec whose header it matches best; None when none fits."""
    named = spec_for_name(grid.name)
    if named is not None:
        header = find_header(grid, named)
        if header is not None and not header.columns.missing_required:
            # A task sheet under a project sheet's name (Sheet1, 进展情况): its task column decides.
            tasks = find_header(grid, TASKS) if named is not TASKS else None
            if tasks is not None and not tasks.columns.missing_required and tasks.columns.score > header.columns.score:
                return LocatedSheet(grid, TASKS, tasks, False)
            return LocatedSheet(grid, named, header, True)
    best: tuple[tuple[int, int], LocatedSheet] | None = None
    for spec in SHEETS:
        header = find_header(grid, spec)
        if header is None:
            continue
        complete = 0 if header.columns.missing_required else 1
        key = (complete, header.columns.score)
        if best is None or key > best[0]:
            best = (key, LocatedSheet(grid, spec, header, spec is named))
    return best[1] if best else None


META_KEYS = {
    "template_version": "template_version",
    "模板版本": "template_version",
    "版本": "template_version",
    "department": "department",
    "填报单位": "department",
    "单位": "department",
    "period": "period",
    "报告期": "period",
}


def read_meta(grid: SheetGrid) -> dict[str, str]:
    """Key → value pairs of the meta sheet: a key in one cell, its value in the next non-blank cell."""
    found: dict[str, str] = {}
    for row in grid.rows[:50]:
        texts = [cell_text(v).strip() for v in row]
        for i, text in enumerate(texts):
            key = META_KEYS.get(normalise_header(text))
            if key is None or key in found:
                continue
            value = next((t for t in texts[i + 1 :] if t), "")
            if value:
                found[key] = value
    return found


# A label at the start of a cell or after a space. 填报时间/填报日期 are left out on purpose: they are when
# the form was filled in (2025年10月8日), not the period it reports.
_LABEL_RE = re.compile(
    r"(?:^|(?<=\s))(填报单位|报送单位|填表单位|单位名称|报告期|报告期间|统计期|统计时段|所属期|填报期间)"
    r"\s*(?:\(\s*(?:盖章|签章|公章)\s*\))?\s*[:：]"
)
# A department at the start of a title line, before what the table is about.
_TITLE_DEPT_RE = re.compile(
    r"^(.{1,24}?(?:厅|委|局|办|行|院|中心|政府|管委会|办公室))\s*(?:关于|\d{4}|重点|项目|进展|年度|第|\(|定额|指标)"
)
# The money unit of the whole table, as title lines say it: （单位：亿元）, 金额单位：万元.
_UNIT_RE = re.compile(r"(?:金额|计量|货币|投资)?单位\s*(?:为|是)?\s*[:：]?\s*(亿元|万元|元)")
_STAMP_RE = re.compile(r"\(\s*(?:盖章|签章|公章|章)\s*\)|盖章|（\s*(?:盖章|签章|公章)\s*）")
_DEPT_LABELS = frozenset({"填报单位", "报送单位", "填表单位", "单位名称"})


def read_title_cells(grid: SheetGrid, header: Header | None) -> TitleInfo:
    """Department and period from the cells above the header (and the last rows: footers also carry them)."""
    info = TitleInfo()
    limit = header.first_row if header is not None else min(len(grid.rows), HEADER_SEARCH_ROWS)
    footer_start = max(limit + 1, len(grid.rows) - 10)
    rows = [(True, row) for row in grid.rows[:limit]] + [(False, row) for row in grid.rows[footer_start:]]
    titles: list[str] = []
    for above, row in rows:
        texts = [fold_width(cell_text(v)).strip() for v in row if not is_blank(v)]
        for i, text in enumerate(texts):
            unit = _UNIT_RE.search(text)
            if unit and info.money_unit is None and (above or text.startswith(("注", "说明", "备注"))):
                info.money_unit = MoneyUnit(unit.group(1))
            matches = list(_LABEL_RE.finditer(text))
            if not matches:
                if above and i == 0 and len(texts) == 1:
                    titles.append(text)  # a title line alone in its row may name the period
                continue
            for j, m in enumerate(matches):
                end = matches[j + 1].start() if j + 1 < len(matches) else len(text)
                value = text[m.end() : end].strip()
                if not value and j + 1 == len(matches) and i + 1 < len(texts):
                    value = texts[i + 1]  # 填报单位（盖章）： | 省工业和信息化厅
                value = _STAMP_RE.sub("", value).strip(" :：,，;；")
                value = re.split(r"\s{2,}", value)[0].strip() if value else value
                if not value:
                    continue
                if m.group(1) in _DEPT_LABELS:
                    info.department = info.department or value
                else:
                    info.period_text = info.period_text or value
    if info.department is None:
        # Or the department: 省工业和信息化厅重点项目进展情况表（2025年第三季度）.
        for text in titles:
            found = _TITLE_DEPT_RE.match(text)
            if found:
                info.department = found.group(1)
                break
    if info.period_text is None:
        # The title itself often names the period: 2025年第三季度重点项目进展情况表.
        from app.domain.periods import parse_period_text

        for text in titles:
            if parse_period_text(text) is not None:
                info.period_text = text
                break
    return info
