"""Bounds counted from the XML stream itself, before any reader allocates a cell.

A reader sizes a sheet by the positions its cells land on: the ``r`` attribute of a cell, else the row's
``r``, else a running count. A hostile sheet can claim row 1,048,576 with one tag, or write a million rows
without any ``r`` at all, and a reader that trusts those positions allocates gigabytes. So every sheet part
and the shared strings are streamed here in 1 MB pieces (never held whole) and counted with byte searches
(C speed): rows, cells, the furthest position a cell can land on, and the bytes of text. The same pass
finds hidden rows and formulas without a cached value. Nothing here raises for bad input; a refusal is
a Chinese reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

CHUNK = 1 << 20
# Excel's own limit on one cell is 32,767 characters (~96 KB of UTF-8); a text run with no tag in 1 MB
# is not a cell a department typed.
MAX_TEXT_RUN = CHUNK


@dataclass
class SheetScan:
    """What the stream of one sheet part showed: extent, cell count, hidden rows, uncached formulas."""

    height: int = 0  # the furthest 1-based row any cell can land on
    width: int = 0  # the furthest 1-based column any cell can land on
    cells: int = 0  # cell elements counted
    bytes: int = 0
    inline_text_bytes: int = 0
    hidden_rows: set[int] = field(default_factory=set)  # 0-based
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 0-based → formula text
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)  # (first, last) 0-based, inclusive

    @property
    def extent(self) -> int:
        """Cells a dense reader allocates for this sheet."""
        return self.height * self.width


class Refused(Exception):
    """A part is beyond what a return can be; ``args[0]`` is the Chinese reason."""


# Excel, WPS, LibreOffice and openpyxl write unprefixed elements with r first (<row r="5" …>, <c r="B5" …>);
# a prefixed sheet (<x:row …>) gets general patterns. All repetitions are bounded so hostile XML costs
# linear time.
_FAST = {
    "row_r": re.compile(rb'<row r="(\d{1,9})"'),
    # Only cells that can widen a sheet past Z or lengthen it past row 99,999 are captured: few or none.
    "far": re.compile(rb'<c r="(?:([A-Z]{2,3})(\d{1,9})|[A-Z](\d{6,9}))"[^>]{0,400}(?<!/)>'),
    "hidden": re.compile(rb'<row r="(\d+)"[^>]{0,400}?\bhidden="(?:1|true)"'),
    "uncached": re.compile(
        rb'<c r="([A-Z]{1,3})(\d+)"[^>]{0,400}>\s{0,40}<f\b(?:[^>]{0,400}/>|[^>]{0,400}>([^<]*)</f>)\s{0,40}'
        rb"(?:<v\s{0,40}/>|<v>\s{0,40}</v>)?\s{0,40}</c>"  # openpyxl writes an empty <v></v>
    ),
}
_P = rb"<(?:\w{1,20}:)?"
_GENERAL = {
    "row_r": re.compile(_P + rb'row\b[^>]{0,400}?\br="(\d{1,9})"'),
    "far": re.compile(_P + rb'c\b[^>]{0,400}?\br="(?:([A-Z]{2,3})(\d{1,9})|[A-Z](\d{6,9}))"[^>]{0,400}(?<!/)>'),
    "hidden": re.compile(_P + rb'row\b[^>]{0,400}?\br="(\d+)"[^>]{0,400}?\bhidden="(?:1|true)"'),
    "uncached": re.compile(
        _P + rb'c\b[^>]{0,400}?\br="([A-Z]{1,3})(\d+)"[^>]{0,400}>\s{0,40}'
        rb"<(?:\w{1,20}:)?f\b(?:[^>]{0,400}/>|[^>]{0,400}>([^<]*)</(?:\w{1,20}:)?f>)\s{0,40}"
        rb"(?:<(?:\w{1,20}:)?v\s{0,40}/>|<(?:\w{1,20}:)?v>\s{0,40}</(?:\w{1,20}:)?v>)?\s{0,40}</(?:\w{1,20}:)?c>"
    ),
}
_CONTENT_ROW = re.compile(_P + rb'c\b[^>]{0,400}?\br="[A-Z]{1,3}(\d{1,9})"[^>]{0,400}(?<!/)>')
_GENERAL_CELL = re.compile(_P + rb"c[\s>/]")
_GENERAL_CELL_R = re.compile(_P + rb'c\s[^>]{0,400}?\br="')
_GENERAL_ROW = re.compile(_P + rb"row[\s>/]")
_ROW_SPLIT = re.compile(_P + rb"row[\s>/]")
_COL_HIDDEN = re.compile(rb"<(?:\w{1,20}:)?col\b([^>]{0,400})>")
_ATTR = re.compile(rb'\b(min|max|hidden)="([^"]{0,20})"')


def column_index(letters: bytes | str) -> int:
    """0-based index of an Excel column name: A → 0, Z → 25, AA → 26."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def iter_pieces(stream: IO[bytes], boundary: bytes = b"</row>") -> Iterator[bytes]:
    """1 MB pieces of a stream, each cut after the last ``boundary`` (else the last ``>``) it holds.

    Cutting at row ends keeps a row, and every pattern inside it, in one piece; the carry is bounded, so a
    hostile stream with no boundary at all still costs 1 MB at a time.
    """
    carry = b""
    while True:
        block = stream.read(CHUNK)
        if not block:
            if carry:
                yield carry
            return
        data = carry + block if carry else block
        cut = data.rfind(boundary)
        end = cut + len(boundary) if cut >= 0 else data.rfind(b">") + 1
        if end <= 0 or len(data) - end > 4 * CHUNK:
            end = len(data)
        yield data[:end]
        carry = data[end:]


def scan_sheet(stream: IO[bytes], max_cells: int, max_bytes: int) -> SheetScan:
    """Stream one worksheet part and count what a reader would allocate for it; Refused when beyond bounds."""
    scan = SheetScan()
    patterns: dict[str, re.Pattern[bytes]] | None = None
    row_max = 0  # the largest explicit row number seen
    rowless = 0  # rows without r: each may land one past the previous
    rows_before = False  # whether an earlier piece held a row element
    for piece in iter_pieces(stream):
        scan.bytes += len(piece)
        if scan.bytes > max_bytes:
            raise Refused(f"工作表内容过大（解压后超过 {max_bytes // 1048576} MB），不像是一份报表，已拒绝")
        if patterns is None:
            fast = b"<sheetData" in piece or b"<row " in piece or b"<c " in piece
            patterns = _FAST if fast and b":sheetData" not in piece else _GENERAL
        if patterns is _FAST:
            with_r = piece.count(b'<c r="')
            # Every cell tag starts with "<c"; when no other tag does (<col, <color …), each is a cell with r.
            cells = with_r if piece.count(b"<c") == with_r else piece.count(b"<c ") + piece.count(b"<c>")
            rows = -1  # counted below, only where cells without r need the count: one pass less over 1 MB
        else:
            cells = len(_GENERAL_CELL.findall(piece))
            with_r = len(_GENERAL_CELL_R.findall(piece))
            rows = len(_GENERAL_ROW.findall(piece))
        scan.cells += cells
        if scan.cells > max_cells:
            raise Refused(f"表格单元格过多（超过 {max_cells:,} 个），不像是一份报表，已拒绝")
        for letters, digits, long_digits in patterns["far"].findall(piece):
            if letters:
                scan.width = max(scan.width, column_index(letters) + 1)
            row_max = max(row_max, int(digits or long_digits))
        if cells > with_r:
            # Cells without r land on the row's r (or one past the previous row) and one after another:
            # the row numbers and the widest row bound where they can land.
            if rows < 0:
                rows = piece.count(b"<row")
            row_numbers = patterns["row_r"].findall(piece)
            if row_numbers:
                row_max = max(row_max, max(map(int, row_numbers)))
            rowless += rows - len(row_numbers)
            scan.width = max(scan.width, max(len(_GENERAL_CELL.findall(r)) for r in _ROW_SPLIT.split(piece)))
        else:
            # Every cell has its position: a reader sizes the sheet by the cells with content, which come in
            # row order, so the last one in the piece is the furthest (styled empty rows cost nothing).
            tail = _CONTENT_ROW.findall(piece, max(len(piece) - 65536, 0)) or _CONTENT_ROW.findall(piece)
            if tail:
                row_max = max(row_max, max(map(int, tail)))
        if (row_max + rowless) * max(scan.width, 26) > max_cells:
            extent = (row_max + rowless) * max(scan.width, 26)
            raise Refused(f"表格范围过大（至少 {extent:,} 个单元格，上限 {max_cells:,}），不像是一份报表，已拒绝")
        if len(piece) > MAX_TEXT_RUN and piece.find(b"<", 0, MAX_TEXT_RUN + 1) < 0:
            raise Refused("单元格中的文字长度超出 Excel 的上限，疑似恶意文件，已拒绝")
        if b"<is>" in piece or b":is>" in piece:
            scan.inline_text_bytes += len(piece)
        if b'hidden="' in piece:
            scan.hidden_rows.update(int(r) - 1 for r in patterns["hidden"].findall(piece))
            if not rows_before:  # <cols> comes before the first row
                scan.hidden_columns.extend(_hidden_columns(piece))
        if b"f>" in piece:  # every formula group has a closing </f> or </x:f> (shared children don't)
            for c, r, text in patterns["uncached"].findall(piece):
                scan.uncached[(int(r) - 1, column_index(c))] = text.decode("utf-8", "replace")[:500]
        rows_before = rows_before or (rows > 0 if rows >= 0 else b"<row" in piece)
    scan.height = row_max + rowless
    scan.width = max(scan.width, 26 if scan.cells else 0)
    return scan


def _hidden_columns(piece: bytes) -> list[tuple[int, int]]:
    head = piece.split(b"sheetData", 1)[0]
    found = []
    for attrs in _COL_HIDDEN.findall(head):
        values = dict(_ATTR.findall(attrs))
        if values.get(b"hidden") in (b"1", b"true"):
            try:
                found.append((int(values[b"min"]) - 1, int(values[b"max"]) - 1))
            except (KeyError, ValueError):
                continue
    return found


def scan_text_part(stream: IO[bytes], max_bytes: int) -> int:
    """Stream a shared-strings (or any XML) part: its bytes, refusing a part or one text beyond bounds."""
    total = 0
    for piece in iter_pieces(stream, b"</si>"):
        total += len(piece)
        if total > max_bytes:
            raise Refused(f"工作簿中的文字总量过大（超过 {max_bytes // 1048576} MB），不像是一份报表，已拒绝")
        if len(piece) > MAX_TEXT_RUN and piece.find(b"<", 0, MAX_TEXT_RUN + 1) < 0:
            raise Refused("单元格中的文字长度超出 Excel 的上限，疑似恶意文件，已拒绝")
    return total


_ODS_ROW = re.compile(rb"<table:table-row\b")
_ODS_ROWS_REPEATED = re.compile(rb'^[^>]{0,400}?table:number-rows-repeated="(\d{1,9})"')
# A cell with content (not self-closing) and how many columns it repeats across.
_ODS_FULL_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]{0,2000})(?<!/)>")
_ODS_COLS_REPEATED = re.compile(rb'table:number-columns-repeated="(\d{1,9})"')


def scan_ods_content(stream: IO[bytes], max_cells: int, max_bytes: int) -> int:
    """Cells with content an OpenDocument sheet expands to (repeats included); Refused beyond bounds.

    Empty repeated cells and rows (LibreOffice writes a million of them after the data) cost nothing to a
    reader; a repeated cell with content is as many cells as it repeats, in as many rows as its row repeats.
    """
    total = 0
    read = 0
    for piece in iter_pieces(stream, b"</table:table-row>"):
        read += len(piece)
        if read > max_bytes:
            raise Refused(f"表格内容过大（解压后超过 {max_bytes // 1048576} MB），不像是一份报表，已拒绝")
        if len(piece) > MAX_TEXT_RUN and piece.find(b"<", 0, MAX_TEXT_RUN + 1) < 0:
            raise Refused("单元格中的文字长度超出 Excel 的上限，疑似恶意文件，已拒绝")
        for row in _ODS_ROW.split(piece):
            repeated = _ODS_ROWS_REPEATED.match(row)
            rows = int(repeated.group(1)) if repeated else 1
            cells = 0
            for attrs in _ODS_FULL_CELL.findall(row):
                cols = _ODS_COLS_REPEATED.search(attrs)
                cells += int(cols.group(1)) if cols else 1
            total += rows * cells
            if total > max_cells:
                raise Refused(f"表格单元格过多（超过 {max_cells:,} 个），不像是一份报表，已拒绝")
    return total
