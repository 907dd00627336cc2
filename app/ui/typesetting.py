"""GB/T 9704-2012 page styling with Qt, reusable by every printed document (meeting material, circulars).

Font chains and sizes come from ``app.reports.typography`` (the one font list). Here they become installed Qt
families, a QTextDocument style sheet, the GB/T line pitch, the "— 1 —" page number at the outer corner and
PDF bookmarks. A second document type builds its HTML with the same tags (h1 一、 黑体, h2 （一） 楷体, h3/h4
仿宋 bold, p 仿宋 with a two-character indent) and calls ``new_document``, ``apply_line_pitch``,
``paint_page_number`` and ``add_pdf_outline``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QPaintDevice,
    QPainter,
    QPen,
    QTextDocument,
)

from app.reports import typography as ty


@dataclass(frozen=True)
class Families:
    """The installed family for each GB/T role on this machine (a Linux fallback where Windows fonts are absent)."""

    title: str
    body: str
    heading1: str
    heading2: str
    song: str
    sans: str

    def stack(self, family: str) -> list[str]:
        """``family`` then the fallbacks, for QFont.setFamilies (per-glyph fallback keeps text extractable)."""
        return ty.chain([family])


def families() -> Families:
    """Pick the installed family of each chain (cached by Qt's font database, cheap to call)."""
    installed = QFontDatabase.families()

    def pick(chain: tuple[str, ...]) -> str:
        return ty.first_installed(chain, installed, "sans-serif")

    return Families(
        title=pick(ty.TITLE),
        body=pick(ty.BODY),
        heading1=pick(ty.HEADING_1),
        heading2=pick(ty.HEADING_2),
        song=pick(ty.SONG),
        sans=pick(ty.SANS),
    )


def font(family: str, size_pt: float, bold: bool = False) -> QFont:
    """A QFont of ``family`` with the Linux fallbacks behind it."""
    f = QFont()
    f.setFamilies(ty.chain([family]))
    f.setPointSizeF(size_pt)
    f.setBold(bold)
    return f


def _css_family(family: str) -> str:
    return ", ".join(f"'{name}'" for name in ty.chain([family]))


def style_sheet(fam: Families, table_pt: float = ty.TABLE_PT, pitch: bool = True) -> str:
    """CSS for a QTextDocument: GB/T 9704 headings and body; ``pitch`` fixes the line height (22 lines a page).

    Qt reads ``line-height`` in px as a fixed height, in CSS px (1/96 inch) whatever the device: set in the
    style sheet, it costs nothing, where setting block formats afterwards re-lays the document per block.
    """
    body, h = ty.BODY_PT, ty.HEADING_PT
    line = f" line-height: {ty.LINE_PITCH_PT / 72 * 96:.2f}px;" if pitch else ""
    return (
        f"body {{ font-family: {_css_family(fam.body)}; font-size: {body}pt; }}"
        f"p {{ margin-top: 0px; margin-bottom: 0px;{line} }}"
        f"h1 {{ font-family: {_css_family(fam.heading1)}; font-size: {h}pt; font-weight: normal;"
        f" margin-top: 0px; margin-bottom: 0px;{line} }}"
        f"h2 {{ font-family: {_css_family(fam.heading2)}; font-size: {h}pt; font-weight: normal;"
        f" margin-top: 0px; margin-bottom: 0px;{line} }}"
        f"h3, h4 {{ font-family: {_css_family(fam.body)}; font-size: {h}pt; font-weight: bold;"
        f" margin-top: 0px; margin-bottom: 0px;{line} }}"
        f"td, th {{ font-size: {table_pt}pt; }}"
        f"th {{ font-family: {_css_family(fam.heading1)}; font-weight: normal; background-color: #e8e8e8; }}"
    )


def indent_px(dpi: float) -> float:
    """The two-character first-line indent for a document laid out at ``dpi``.

    Qt's HTML reader takes text-indent in px only, and in the layout device's pixels (unlike line-height).
    """
    return 2 * ty.BODY_PT / 72 * dpi


def heading_html(fam: Families, level: int, text_html: str, dpi: float) -> str:
    """A heading as a styled paragraph: level 1 一、 黑体; level 2 （一） 楷体; level 3/4 仿宋 bold; all 3号.

    Not <h1>…: Qt scales its heading tags beyond any CSS size. Find them again after layout with
    ``find_headings`` (for bookmarks, contents and keep-with-next).
    """
    family = {1: fam.heading1, 2: fam.heading2}.get(level, fam.body)
    weight = "bold" if level >= 3 else "normal"
    style = (
        f"font-family: {_css_family(family)}; font-size: {ty.HEADING_PT}pt; font-weight: {weight};"
        f" text-indent: {indent_px(dpi):.1f}px"
    )
    return f'<p style="{style}">{text_html}</p>'


def find_headings(document: QTextDocument, expected: list[tuple[int, str]]) -> dict[int, int]:
    """Block number → heading level, matching the expected (level, text) headings in order."""
    found: dict[int, int] = {}
    k = 0
    block = document.begin()
    while block.isValid() and k < len(expected):
        if block.text() == expected[k][1]:
            found[block.blockNumber()] = expected[k][0]
            k += 1
        block = block.next()
    return found


def new_document(
    device: QPaintDevice, fam: Families, width_px: float, height_px: float, pitch: bool = True
) -> QTextDocument:
    """An empty QTextDocument laid out for ``device`` on a GB/T text block of the given size."""
    document = QTextDocument()
    document.documentLayout().setPaintDevice(device)
    document.setDocumentMargin(0)
    document.setDefaultFont(font(fam.body, ty.BODY_PT))
    document.setPageSize(QSizeF(width_px, height_px))
    document.setDefaultStyleSheet(style_sheet(fam, pitch=pitch))
    return document


def page_number_rect(page_w: float, page_h: float, mm: float, number: int) -> tuple[QRectF, Qt.AlignmentFlag]:
    """Where "— n —" goes: below the text block, one character in from the outer edge."""
    left, _top, right, bottom = ty.MARGINS_MM
    y = page_h - bottom * mm + ty.PAGE_NUMBER_GAP_MM * mm
    inset = ty.PAGE_NUMBER_PT / 72 * 25.4 * mm  # one character of 4号
    box = QRectF(left * mm + inset, y, page_w - (left + right) * mm - 2 * inset, 10 * mm)
    align = Qt.AlignmentFlag.AlignRight if ty.page_number_outer_right(number) else Qt.AlignmentFlag.AlignLeft
    return box, align | Qt.AlignmentFlag.AlignTop


def paint_page_number(painter: QPainter, fam: Families, page_w: float, page_h: float, mm: float, number: int) -> None:
    """Paint "— n —" in 4号 宋体 at the page's outer corner (odd right, even left)."""
    rect, align = page_number_rect(page_w, page_h, mm, number)
    painter.save()
    painter.setFont(font(fam.song, ty.PAGE_NUMBER_PT))
    painter.setPen(QPen(Qt.GlobalColor.black))
    painter.drawText(rect, align, ty.page_number_text(number))
    painter.restore()


@dataclass(frozen=True)
class OutlineEntry:
    """A bookmark: heading level (1 = top), its text, the 0-based page index and the y from the page top in pt."""

    level: int
    title: str
    page: int
    top_pt: float


_KIDS = re.compile(rb"/Type\s*/Pages\b.*?/Kids\s*\[([^\]]*)\]", re.S)
_ROOT = re.compile(rb"/Root\s+(\d+)\s+(\d+)\s+R")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_SIZE = re.compile(rb"/Size\s+(\d+)")


def _pdf_text(text: str) -> bytes:
    """A PDF text string in UTF-16BE with a byte-order mark (Chinese bookmark titles)."""
    return b"<" + ("\ufeff" + text).encode("utf-16-be").hex().upper().encode() + b">"


def add_pdf_outline(path: str | Path, entries: list[OutlineEntry], page_h_pt: float) -> None:
    """Append the bookmarks to a PDF Qt wrote, as an incremental update (Qt's PDF writer has no outline API).

    The original bytes stay as they are; a new catalog with /Outlines, the outline items and an xref section
    are appended. Headings nest by level (a level-2 heading goes under the level-1 heading before it).
    """
    if not entries:
        return
    path = Path(path)
    data = path.read_bytes()
    root_m = list(_ROOT.finditer(data))
    kids_m = _KIDS.search(data)
    start_m = _STARTXREF.search(data)
    size_m = list(_SIZE.finditer(data))
    if not (root_m and kids_m and start_m and size_m):
        return  # not the plain layout Qt writes: leave the file without bookmarks rather than break it
    root_num = int(root_m[-1].group(1))
    pages = [int(n) for n in re.findall(rb"(\d+)\s+\d+\s+R", kids_m.group(1))]
    catalog_m = re.search(rb"\n%d 0 obj\s*<<(.*?)>>\s*endobj" % root_num, data, re.S)
    if catalog_m is None:
        return
    size = int(size_m[-1].group(1))
    # Tree: parent index for each entry (-1 = the outline root).
    parents: list[int] = []
    stack: list[int] = []
    for i, e in enumerate(entries):
        while stack and entries[stack[-1]].level >= e.level:
            stack.pop()
        parents.append(stack[-1] if stack else -1)
        stack.append(i)
    outline_num = size
    nums = [size + 1 + i for i in range(len(entries))]
    catalog_num = root_num
    children: dict[int, list[int]] = {}
    for i, p in enumerate(parents):
        children.setdefault(p, []).append(i)

    def descendants(i: int) -> int:
        return sum(1 + descendants(c) for c in children.get(i, []))

    objects: dict[int, bytes] = {}
    top = children.get(-1, [])
    objects[outline_num] = b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (
        nums[top[0]],
        nums[top[-1]],
        len(entries),
    )
    for i, e in enumerate(entries):
        siblings = children[parents[i]]
        k = siblings.index(i)
        page_num = pages[min(max(e.page, 0), len(pages) - 1)]
        parts = [
            b"/Title " + _pdf_text(e.title),
            b"/Parent %d 0 R" % (outline_num if parents[i] < 0 else nums[parents[i]]),
            b"/Dest [%d 0 R /XYZ 0 %.1f null]" % (page_num, max(0.0, page_h_pt - e.top_pt + 4)),
        ]
        if k > 0:
            parts.append(b"/Prev %d 0 R" % nums[siblings[k - 1]])
        if k + 1 < len(siblings):
            parts.append(b"/Next %d 0 R" % nums[siblings[k + 1]])
        kids = children.get(i, [])
        if kids:
            parts.append(b"/First %d 0 R /Last %d 0 R /Count %d" % (nums[kids[0]], nums[kids[-1]], descendants(i)))
        objects[nums[i]] = b"<< " + b" ".join(parts) + b" >>"
    catalog = re.sub(rb"/Outlines\s+\d+\s+\d+\s+R|/PageMode\s*/\w+", b"", catalog_m.group(1))
    objects[catalog_num] = b"<<" + catalog + b" /Outlines %d 0 R /PageMode /UseOutlines >>" % outline_num
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets: dict[int, int] = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    for num in sorted(objects):
        out += b"%d 1\n%010d 00000 n \n" % (num, offsets[num])
    new_size = max(size, max(objects) + 1)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        new_size,
        root_num,
        int(start_m.group(1)),
        xref,
    )
    path.write_bytes(bytes(out))
