"""Typeset the circular (情况通报) as an A4 PDF with the meeting report's typesetter, fonts and margins.

A ``ReportTypesetter`` whose document is the circular's blocks (the same paragraph, heading and table HTML
as the report) with a title and the issuing office's line, and only “— N —” page numbers in the margins.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QPagedPaintDevice, QPainter, QPdfWriter, QPen

from app.reports.circular import CircularContent, circular_blocks
from app.reports.content import Heading, Paragraph, Table
from app.ui import report_render
from app.ui.report_render import FALLBACK_FONTS, ReportTypesetter, _esc, _prepare_device


class CircularTypesetter(ReportTypesetter):
    """Lays out one circular for one paint device."""

    def __init__(self, circular: CircularContent, device: QPagedPaintDevice) -> None:
        self.circular = circular
        super().__init__(_NoReport(), device)  # type: ignore[arg-type]  # _build below never reads it

    def _build(self) -> None:
        c = self.circular
        parts = []
        if c.internal_line:
            parts.append(f"<p style=\"margin:0px; font-family:'{self.fonts.heading}'\">{_esc(c.internal_line)}</p>")
        title = "<br/>".join(_esc(line) for line in c.title_lines)
        parts.append(
            f'<p align="center" style="margin-top:18pt; margin-bottom:18pt; font-family:\'{self.fonts.heading}\';'
            f' font-size:22pt">{title}</p>'
        )
        heading = f"font-family:'{self.fonts.heading}'; font-size:{report_render.HEADING_PT}pt"
        # Two characters' first-line indent, as Chinese official prose is set (Qt reads CSS lengths as px).
        indent = f"text-indent:{4 * report_render.BODY_PT * 96 / 72:.0f}px;"  # measured: Qt halves it here
        for block in circular_blocks(c):
            if isinstance(block, Heading):
                parts.append(f'<p style="{heading}; {indent} margin-top:6pt; margin-bottom:2pt">{_esc(block.text)}</p>')
            elif isinstance(block, Paragraph):
                lead = "" if block.text.endswith("：") else indent
                parts.append(f'<p style="{lead} line-height:150%; margin:0px">{_esc(block.text)}</p>')
            elif isinstance(block, Table):
                parts.append(self._table_html(block))
        parts.append(
            f'<p align="right" style="margin-top:24pt; margin-right:{2 * report_render.BODY_PT:.0f}pt">'
            f"{_esc(c.organisation)}办公室<br/>{_esc(c.date_text)}</p>"
        )
        document = self._new_document()
        document.setHtml("".join(parts))
        self._keep_headings_with_next(document)
        self.documents.append(document)

    def _paint_margins(self, painter: QPainter, page: int, pages: int) -> None:
        font = QFont()
        font.setFamilies([self.fonts.body, *FALLBACK_FONTS])
        font.setPointSizeF(14)
        painter.setFont(font)
        painter.setPen(QPen(Qt.GlobalColor.black))
        footer = QRectF(self.body.left(), self.page_h - 25 * self.mm, self.body.width(), 8 * self.mm)
        painter.drawText(footer, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, f"— {page} —")


class _NoReport:
    """Stands in for the report content the base class keeps but the circular never uses."""

    cover: Any = None


def export_circular_pdf(content: CircularContent, path: str | Path) -> int:
    """Write the circular as an A4 PDF; return the number of pages."""
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setTitle(content.title)
    writer.setCreator("台账")
    _prepare_device(writer)
    typesetter = CircularTypesetter(content, writer)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"无法写入文件：{path}")
    try:
        return typesetter.paint(painter, writer.newPage)
    finally:
        painter.end()
