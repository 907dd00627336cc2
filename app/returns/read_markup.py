"""Spreadsheets that are really markup: HTML tables saved as .xls (web-system exports that Excel and WPS
keep in HTML when a clerk saves them) and Excel 2003 XML Spreadsheet (SpreadsheetML) files.

Both become the same SheetGrid as the binary readers produce, with merged ranges from colspan/rowspan
(HTML) or MergeAcross/MergeDown (SpreadsheetML). Cell values stay text; the value stage reads numbers,
percentages and dates from text anyway. XML goes through defusedxml (no entity expansion, no DTD).
"""

from __future__ import annotations

from html.parser import HTMLParser
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET

from app.returns.read import SheetGrid


class TooLarge(ValueError):
    """The markup describes more cells than a return can have."""


_SS = "urn:schemas-microsoft-com:office:spreadsheet"


class _TableParser(HTMLParser):
    """Collects every <table> as rows of (text, colspan, rowspan, hidden-row) cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[tuple[bool, list[tuple[str, int, int]]]]] = []
        self._stack: list[list[tuple[bool, list[tuple[str, int, int]]]]] = []
        self._row: list[tuple[str, int, int]] | None = None
        self._row_hidden = False
        self._cell: list[str] | None = None
        self._span = (1, 1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k.lower(): (v or "") for k, v in attrs}
        if tag == "table":
            table: list[tuple[bool, list[tuple[str, int, int]]]] = []
            self._stack.append(table)
            self.tables.append(table)
        elif tag == "tr" and self._stack:
            self._close_row()
            self._row = []
            style = attr.get("style", "").replace(" ", "").lower()
            self._row_hidden = "display:none" in style or "visibility:hidden" in style
        elif tag in ("td", "th") and self._stack:
            if self._row is None:
                self._row, self._row_hidden = [], False
            self._close_cell()
            self._cell = []
            self._span = (_span(attr.get("colspan")), _span(attr.get("rowspan")))
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._close_cell()
        elif tag == "tr":
            self._close_row()
        elif tag == "table" and self._stack:
            self._close_row()
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _close_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            text = " ".join("".join(self._cell).replace("\xa0", " ").split(" ")).strip()
            self._row.append((text, *self._span))
        self._cell = None

    def _close_row(self) -> None:
        self._close_cell()
        if self._row is not None and self._stack:
            self._stack[-1].append((self._row_hidden, self._row))
        self._row = None


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))  # a hostile colspan=10^9 must not allocate a billion cells
    except ValueError:
        return 1


def _layout(rows: list[tuple[bool, list[tuple[str, int, int]]]], name: str, max_cells: int) -> SheetGrid:
    """Place cells on a grid, honouring row and column spans the way a browser does."""
    budget = max_cells
    grid: list[list[str]] = []
    occupied: set[tuple[int, int]] = set()
    merged: list[tuple[int, int, int, int]] = []
    hidden: set[int] = set()
    for r, (is_hidden, cells) in enumerate(rows):
        if is_hidden:
            hidden.add(r)
        while len(grid) <= r:
            grid.append([])
        c = 0
        for text, colspan, rowspan in cells:
            budget -= colspan * rowspan
            if budget < 0:
                raise TooLarge(name)
            while (r, c) in occupied:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    occupied.add((r + dr, c + dc))
            row = grid[r]
            if len(row) <= c:
                row.extend([""] * (c + 1 - len(row)))
            row[c] = text
            if colspan > 1 or rowspan > 1:
                merged.append((r, c, r + rowspan - 1, c + colspan - 1))
            c += colspan
    return SheetGrid(name, grid, merged=merged, hidden_rows=hidden)


def read_html_tables(text: str, stem: str, max_cells: int) -> list[SheetGrid]:
    """Every non-empty table of an HTML document as a sheet (named after the file when there is one)."""
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    tables = [t for t in parser.tables if any(cells for _hidden, cells in t)]
    names = [stem] if len(tables) == 1 else [f"表{i + 1}" for i in range(len(tables))]
    return [_layout(table, name, max_cells) for table, name in zip(tables, names, strict=True)]


def read_spreadsheetml(data: bytes, max_cells: int) -> list[SheetGrid]:
    """Sheets of an Excel 2003 XML Spreadsheet; raises ValueError when the XML is not one."""
    root = SafeET.fromstring(data)
    if root.tag != f"{{{_SS}}}Workbook":
        raise ValueError("not a SpreadsheetML workbook")
    sheets: list[SheetGrid] = []
    for ws in root.findall(f"{{{_SS}}}Worksheet"):
        name = ws.get(f"{{{_SS}}}Name") or f"Sheet{len(sheets) + 1}"
        table = ws.find(f"{{{_SS}}}Table")
        grid: list[list[str]] = []
        merged: list[tuple[int, int, int, int]] = []
        hidden: set[int] = set()
        if table is not None:
            r = -1
            for row in table.findall(f"{{{_SS}}}Row"):
                r = _index(row, r)
                if row.get(f"{{{_SS}}}Hidden") == "1":
                    hidden.add(r)
                while len(grid) <= r:
                    grid.append([])
                c = -1
                for cell in row.findall(f"{{{_SS}}}Cell"):
                    c = _index(cell, c)
                    if (r + 1) * (c + 1) > max_cells:
                        raise TooLarge(name)
                    data_el = cell.find(f"{{{_SS}}}Data")
                    text = "".join(data_el.itertext()).strip() if data_el is not None else ""
                    out = grid[r]
                    if len(out) <= c:
                        out.extend([""] * (c + 1 - len(out)))
                    out[c] = text
                    across = _span_attr(cell, "MergeAcross")
                    down = _span_attr(cell, "MergeDown")
                    if across or down:
                        merged.append((r, c, r + down, c + across))
                    c += across
        sheets.append(SheetGrid(name, grid, merged=merged, hidden_rows=hidden))
    return sheets


def _index(element: Element, previous: int) -> int:
    """0-based position from ss:Index (1-based, optional: the next position when absent)."""
    value = element.get(f"{{{_SS}}}Index")
    if value and value.isdigit():
        return min(int(value), 1_048_576) - 1
    return previous + 1


def _span_attr(cell: Element, attr: str) -> int:
    value = cell.get(f"{{{_SS}}}{attr}")
    return min(int(value), 1000) if value and value.isdigit() else 0
