"""Typeset the circular (情况通报) as an A4 PDF with the meeting material's typesetter, fonts and margins.

A ``ReportTypesetter`` whose one section is the circular's blocks (the same GB/T 9704 paragraph, heading and
table HTML as the meeting material) under a 小标宋 title, closing with the issuing office's line; pages carry
only the "— n —" numbers at the outer corners, no running header.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QPagedPaintDevice, QPainter, QPdfWriter

from app.reports import typography as ty
from app.reports.circular import CircularContent, circular_blocks
from app.reports.content import Heading, Paragraph
from app.storage.errors import KnownError
from app.storage.files import atomic_write
from app.ui import typesetting as ts
from app.ui.report_render import ReportTypesetter, _esc, _prepare_device, _TextPart


class CircularTypesetter(ReportTypesetter):
    """Lays out one circular for one paint device."""

    def __init__(self, circular: CircularContent, device: QPagedPaintDevice) -> None:
        self.circular = circular
        super().__init__(_NoReport(), device)  # type: ignore[arg-type]  # _build below never reads it

    def _build(self) -> None:
        c = self.circular
        blocks = circular_blocks(c)
        parts = []
        if c.internal_line:
            style = f"font-family:'{self.fam.heading1}'; font-size:{ty.HEADING_PT}pt"
            parts.append(f'<p style="{style}">{_esc(c.internal_line)}</p>')
        title = "<br/>".join(_esc(line) for line in c.title_lines)
        style = f"font-family:'{self.fam.title}'; font-size:{ty.TITLE_PT}pt; margin-bottom:{ty.BODY_PT:.0f}pt"
        parts.append(f'<p align="center" style="{style}">{title}</p>')
        for block in blocks:
            if isinstance(block, Paragraph) and block.text.endswith("："):
                parts.append(f"<p>{_esc(block.text)}</p>")  # a lead-in line to a table: no indent
            else:
                parts.append(self._block_html(block))
        parts.append(
            f'<p align="right" style="margin-top:{ty.BODY_PT:.0f}pt; margin-right:{2 * ty.BODY_PT:.0f}pt">'
            f"{_esc(c.organisation)}办公室<br/>{_esc(c.date_text)}</p>"
        )
        document = self._document("".join(parts))
        expected = [(b.level, b.text) for b in blocks if isinstance(b, Heading) and b.level > 0]
        headings = ts.find_headings(document, expected)
        self._keep_headings_with_next(document, headings)
        self.parts.append(_TextPart(document, numbered=True, header=False, headings=headings))
        self._paginate()


class _NoReport:
    """Stands in for the report content the base class keeps but the circular never uses."""

    cover: Any = None


def export_circular_pdf(content: CircularContent, path: str | Path) -> int:
    """Write the circular as an A4 PDF with bookmarks; return the number of pages."""
    with atomic_write(path) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setResolution(300)
        writer.setTitle(content.title)
        writer.setCreator("台账")
        _prepare_device(writer)
        typesetter = CircularTypesetter(content, writer)
        painter = QPainter()
        if not painter.begin(writer):
            raise KnownError(f"无法写入“{Path(path).name}”：无法创建 PDF 文件")
        try:
            pages = typesetter.paint(painter, writer.newPage)
        finally:
            painter.end()
        del writer  # flush and close the file before the outline is added and it replaces the target (Windows)
        ts.add_pdf_outline(tmp, typesetter.outline(), typesetter.page_h_pt)
    return pages
