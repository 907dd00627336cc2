"""openpyxl helpers shared by the writers: text that never turns into a formula, styles, print setup, saving."""

from __future__ import annotations

import math
import re
import unicodedata
import weakref
from copy import copy
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.storage.files import atomic_write

# A cell whose text starts with one of these is read as a formula by Excel/LibreOffice when typed, and by
# openpyxl when assigned: text from departments must stay text.
FORMULA_PREFIXES = ("=", "+", "-", "@")

FONT_NAME = "宋体"
TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True)
SUBTITLE_FONT = Font(name=FONT_NAME, size=11)
HEADER_FONT = Font(name=FONT_NAME, size=10, bold=True)
BODY_FONT = Font(name=FONT_NAME, size=10)
BOLD_BODY_FONT = Font(name=FONT_NAME, size=10, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
EDITABLE_FILL = PatternFill("solid", fgColor="FFFBE6")
GROUP_FILL = PatternFill("solid", fgColor="E2EFDA")
SUBTOTAL_FILL = PatternFill("solid", fgColor="FFF2CC")
TOTAL_FILL = PatternFill("solid", fgColor="FCE4D6")
_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
WRAP_CENTER = Alignment(wrap_text=True, horizontal="center", vertical="center")
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0"
DATE_FORMAT = "yyyy-mm-dd"

PAGE_FOOTER = "第 &P 页 共 &N 页"
MAX_ROW_HEIGHT = 409.0  # points, Excel's limit
MAX_CELL_TEXT = 32767  # characters, Excel's limit
TRUNCATED_NOTE = "……（内容过长，已截断）"

_WINDOWS_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def put_text(cell: Cell, text: str | None) -> Cell:
    """Write text that stays text: never a formula, with a quote prefix so re-editing in Excel keeps it so."""
    value = ILLEGAL_CHARACTERS_RE.sub("", text or "")
    if len(value) > MAX_CELL_TEXT:  # Excel would refuse to open the file
        value = value[: MAX_CELL_TEXT - len(TRUNCATED_NOTE)] + TRUNCATED_NOTE
    cell.value = value if value else None
    if value and value.startswith(FORMULA_PREFIXES):
        # openpyxl marks "=…" as a formula on assignment; force a plain string and Excel's text marker.
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def put_number(cell: Cell, value: float | int | None, number_format: str = MONEY_FORMAT) -> Cell:
    """Write a number (or leave the cell empty) with a display format."""
    cell.value = value
    cell.number_format = number_format
    return cell


def put_date(cell: Cell, value: date | None) -> Cell:
    """Write a date as an Excel date shown 2025-09-30."""
    cell.value = value
    cell.number_format = DATE_FORMAT
    return cell


class CellStyler:
    """Apply font, fill, border, alignment and protection quickly to many cells.

    openpyxl hashes every style object on each assignment (most of the time of a large sheet), so the first
    cell given a combination is styled normally and later cells with the same starting style copy its ids.
    """

    def __init__(self) -> None:
        # Style ids index one workbook's style tables, so each workbook has its own cache.
        self._caches: weakref.WeakKeyDictionary[Workbook, dict[tuple[object, ...], tuple[object, tuple[object, ...]]]]
        self._caches = weakref.WeakKeyDictionary()

    def apply(
        self,
        cell: Cell,
        *,
        font: Font | None = None,
        fill: PatternFill | None = None,
        border: Border | None = None,
        alignment: Alignment | None = None,
        protection: Protection | None = None,
    ) -> None:
        """Style ``cell``; None leaves that part as it is."""
        parts = (font, fill, border, alignment, protection)
        key = (tuple(cell._style) if cell._style else (), *(id(p) for p in parts))
        cache = self._caches.setdefault(cell.parent.parent, {})
        hit = cache.get(key)
        if hit is not None:
            cell._style = copy(hit[0])
            return
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if border is not None:
            cell.border = border
        if alignment is not None:
            cell.alignment = alignment
        if protection is not None:
            cell.protection = protection
        # Keep the parts referenced so their ids stay unique while cached.
        cache[key] = (copy(cell._style), parts)


def style_header_row(ws: Worksheet, row: int, count: int, height: float = 36) -> None:
    """Bold, shaded, bordered, wrapped header cells."""
    for col in range(1, count + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = WRAP_CENTER
    ws.row_dimensions[row].height = height


def write_title(ws: Worksheet, title: str, left: str, right: str, width: int) -> None:
    """Row 1: the merged title; row 2: 填报单位 on the left, 报告期 on the right."""
    put_text(ws.cell(row=1, column=1), title)
    ws.cell(row=1, column=1).font = TITLE_FONT
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    if width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 30
    half = max(1, width // 2)
    put_text(ws.cell(row=2, column=1), left).font = SUBTITLE_FONT
    if not right and width > 1:
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    elif width > 2:
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=half)
        right_col = half + 1
        put_text(ws.cell(row=2, column=right_col), right).font = SUBTITLE_FONT
        ws.cell(row=2, column=right_col).alignment = Alignment(horizontal="right")
        ws.merge_cells(start_row=2, start_column=right_col, end_row=2, end_column=width)
    else:
        put_text(ws.cell(row=2, column=width + 1), right).font = SUBTITLE_FONT


def set_widths(ws: Worksheet, widths: list[float]) -> None:
    """Column widths in Excel character units, from column A."""
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


# Printable widths (mm) with the 0.4" side margins below, and the smallest fit-to-width scale that keeps the
# 10-pt body text at 8 pt or more.
_PRINTABLE_MM = {("A4", False): 210 - 20.3, ("A4", True): 297 - 20.3, ("A3", True): 420 - 20.3}
MIN_PRINT_SCALE = 0.8


def sheet_width_mm(ws: Worksheet) -> float:
    """The printed width of the used columns at 100 %, in mm (Excel: a width of w characters is 7w + 5 px)."""
    total = 0.0
    for col in range(1, (ws.max_column or 1) + 1):
        width = ws.column_dimensions[get_column_letter(col)].width or 8.43
        total += (width * 7 + 5) / 96 * 25.4
    return total


def choose_paper(width_mm: float, landscape: bool = True) -> tuple[str, bool, bool]:
    """(paper, landscape, fit to width) for a sheet ``width_mm`` wide at 100 %.

    The first of A4 as asked, A4 landscape, A3 landscape on which fitting the width keeps text at 8 pt or
    more; when none does, A3 landscape at 80 % running across pages (the first columns repeat on each).
    """
    candidates = [("A4", landscape)] + ([("A4", True)] if not landscape else []) + [("A3", True)]
    for paper, turned in candidates:
        if _PRINTABLE_MM[(paper, turned)] / width_mm >= MIN_PRINT_SCALE:
            return paper, turned, True
    return "A3", True, False


def print_setup(ws: Worksheet, header_last_row: int, *, landscape: bool = True, title_columns: str = "A:B") -> None:
    """Paper and orientation so nothing prints below 8 pt, fit to width, header rows repeated, page numbers.

    Call after the column widths are set: they decide between A4 and A3 (see ``choose_paper``). A sheet too
    wide even for A3 prints at 80 % across pages, repeating ``title_columns`` so every page names its rows.
    """
    paper, turned, fit = choose_paper(sheet_width_mm(ws), landscape)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4 if paper == "A4" else ws.PAPERSIZE_A3
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if turned else ws.ORIENTATION_PORTRAIT
    if fit:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_setup.scale = int(MIN_PRINT_SCALE * 100)
        ws.print_title_cols = title_columns
    ws.print_title_rows = f"1:{header_last_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = PAGE_FOOTER
    ws.oddFooter.center.size = 10  # scaled with the sheet: 10 pt keeps it at 8 pt or more
    ws.evenFooter.center.text = PAGE_FOOTER
    ws.evenFooter.center.size = 10


def text_width(text: str) -> float:
    """Approximate width of 10-pt text in Excel character units (CJK about 1.6, Latin about 1)."""
    return sum(1.6 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in text)


def fit_row_height(ws: Worksheet, row: int, columns: int, *, line_height: float = 13.5, min_lines: int = 1) -> None:
    """Set the row tall enough for its wrapped text: Excel and LibreOffice do not re-fit rows on opening."""
    lines = min_lines
    for col in range(1, columns + 1):
        value = ws.cell(row=row, column=col).value
        if not isinstance(value, str) or not value:
            continue
        width = ws.column_dimensions[get_column_letter(col)].width or 8.43
        usable = max(1.0, width - 1.0)
        needed = sum(max(1, math.ceil(text_width(part) / usable)) for part in value.split("\n"))
        lines = max(lines, needed)
    # Excel refuses rows taller than 409 points; longer text stays in the cell and scrolls.
    ws.row_dimensions[row].height = min(MAX_ROW_HEIGHT, line_height * lines + 3)


def safe_file_name(name: str, max_length: int = 120) -> str:
    """A file name Windows accepts: no reserved characters or device names, no trailing dot or space."""
    cleaned = _WINDOWS_BAD.sub("_", name).strip().rstrip(". ")
    if not cleaned:
        cleaned = "未命名"
    if cleaned.split(".")[0].upper() in _WINDOWS_RESERVED:
        cleaned = "_" + cleaned
    return cleaned[:max_length]


def safe_sheet_title(name: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts (≤ 31 characters, no []:*?/\\), unique among ``taken``."""
    base = _SHEET_BAD.sub("_", name).strip("'").strip() or "Sheet"
    title = base[:31]
    n = 2
    while title.lower() in {t.lower() for t in taken}:
        suffix = f"({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title)
    return title


def save_workbook(wb: Workbook, path: Path) -> Path:
    """Save through a temporary file then replace, so a failure never leaves half a workbook behind."""
    path = Path(path)
    with atomic_write(path) as tmp:
        wb.save(tmp)
    return path
