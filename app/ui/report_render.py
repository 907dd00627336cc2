"""Typeset the meeting report with Qt per GB/T 9704-2012: A4 text pages painted one by one, Gantt pages painted.

Painting each page ourselves (instead of QTextDocument.print_) lets every page carry the 内部资料 line, the
"— 1 —" page number at the outer corner (none on the cover or the contents) and lets the Gantt appendix be
drawn by the app's own Gantt painter as vector pages. Each section (the cover, the body, each appendix) is its
own QTextDocument, so a section starts on a new page without empty page-break paragraphs. Tables use <thead>,
so Qt repeats header rows on each page a table spans; column widths come from ``app.reports.table_layout`` so
no number, date, percent or status breaks inside. Fonts, sizes and the page number come from
``app.ui.typesetting`` (shared with other GB/T documents); headings become PDF bookmarks.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from app.reports import typography as ty
from app.reports.charts import chart_raster
from app.reports.content import (
    Block,
    Chart,
    GanttSpec,
    Heading,
    PageBreak,
    Paragraph,
    ReportContent,
    Table,
    estimate_pages,
    layout,
    sections,
)
from app.reports.table_layout import column_widths
from app.storage.errors import KnownError
from app.storage.files import atomic_write
from app.ui import typesetting as ts
from app.ui.report_gantt import LOGICAL_DPI, ReportGantt

Progress = Callable[[int, int, str], None]  # (done, total, what)

# Kept for callers that only want the fallback list: the one list lives in app.reports.typography.
FALLBACK_FONTS = list(ty.FALLBACK)
MARGINS_MM = ty.MARGINS_MM
BODY_PT = ty.BODY_PT
CHART_DPI = 220
KEEP_WITH_NEXT = 0.12  # a heading in the last 12 % of a page moves to the next page
GANTT_HEAD_MM = 24.0  # the Gantt appendix's heading and note above the chart on its first page


@dataclass(frozen=True)
class Fonts:
    """The body and heading font families chosen for this machine."""

    body: str
    heading: str


def choose_fonts() -> Fonts:
    """The installed body and level-1 heading families (GB/T chains ending in a CJK font that extracts)."""
    fam = ts.families()
    return Fonts(fam.body, fam.heading1)


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br/>")


@dataclass
class _TextPart:
    document: QTextDocument
    numbered: bool
    header: bool
    landscape: bool = False
    headings: dict[int, int] = field(default_factory=dict)  # block number → heading level


@dataclass
class _GanttPart:
    gantt: ReportGantt
    heading: str
    note: str
    numbered: bool = True
    header: bool = True


@dataclass
class _Page:
    part: _TextPart | _GanttPart
    index: int  # page within the part
    number: int | None  # printed page number, None on the cover and contents
    outline: list[ts.OutlineEntry] = field(default_factory=list)


class ReportTypesetter:
    """Lays out one report for one paint device (PDF writer or printer) and paints its pages."""

    def __init__(
        self,
        content: ReportContent,
        device: QPagedPaintDevice,
        progress: Progress | None = None,
        images: dict[str, QImage] | None = None,
    ) -> None:
        self.content = content
        self.device = device
        self.progress = progress
        self.fam = ts.families()
        self.fonts = Fonts(self.fam.body, self.fam.heading1)
        self.dpi = device.resolution() if hasattr(device, "resolution") else device.logicalDpiX()
        self.mm = self.dpi / 25.4
        page = device.pageLayout().fullRectPoints()
        self.portrait = (page.width() / 72 * self.dpi, page.height() / 72 * self.dpi)
        self.page_h_pt = page.height()
        self._orient(False)
        # Chart images by block key; pass the same dict again (print preview repaints) to skip redrawing.
        self.images: dict[str, QImage] = images if images is not None else {}
        self.parts: list[_TextPart | _GanttPart] = []
        self.pages: list[_Page] = []
        self._build()

    def _orient(self, landscape: bool) -> None:
        """Page and text-block geometry for a portrait or a landscape page (same margins, turned page)."""
        w, h = self.portrait
        self.page_w, self.page_h = (h, w) if landscape else (w, h)
        left, top, right, bottom = MARGINS_MM
        # Whole device pixels: with a fractional page height Qt places a block that starts a page a hair
        # above the boundary, and it would be painted (clipped, yet extractable) on the page before too.
        self.body = QRectF(
            round(left * self.mm),
            round(top * self.mm),
            int(self.page_w - (left + right) * self.mm),
            int(self.page_h - (top + bottom) * self.mm),
        )

    # ------------------------------------------------------------------ content → HTML
    def _report(self, done: int, total: int, what: str) -> None:
        if self.progress is not None:
            self.progress(done, total, what)

    @property
    def documents(self) -> list[QTextDocument]:
        """The text sections' documents (cover, contents, body, appendices)."""
        return [p.document for p in self.parts if isinstance(p, _TextPart)]

    def _build(self) -> None:
        blocks = layout(self.content)
        charts = [b for b in blocks if isinstance(b, Chart) and not isinstance(b.spec, GanttSpec)]
        total = len(charts) + 2
        done = 0
        cover = self._document(self._cover_html(), pitch=False)
        self.parts.append(_TextPart(cover, numbered=False, header=False))
        body_parts: list[_TextPart | _GanttPart] = []
        for section in sections(blocks):
            gantt = next((b for b in section if isinstance(b, Chart) and isinstance(b.spec, GanttSpec)), None)
            if gantt is not None:
                body_parts.append(self._gantt_part(section, gantt))
                continue
            landscape = any(isinstance(b, Table) and b.landscape for b in section)
            self._orient(landscape)
            html_parts: list[str] = []
            pending_small: list[Chart] = []
            half = self.body.width() / 2

            def flush_small(out: list[str] = html_parts, pending: list[Chart] = pending_small) -> None:
                if pending:
                    imgs = " ".join(self._img(c) for c in pending)
                    out.append(f'<p align="center" style="margin-top:6px; margin-bottom:6px">{imgs}</p>')
                    pending.clear()

            for k, block in enumerate(section):
                if isinstance(block, Table) and k == len(section) - 1:
                    # No spacer after a section's last table: alone on a new page it would print a blank page.
                    flush_small()
                    html_parts.append(self._table_html(block, spacer=False))
                    continue
                if isinstance(block, Chart):
                    done += 1
                    self._report(done, total, "绘制图表")
                    self._add_image(block)
                    if block.width_cm / 2.54 * self.dpi <= half:
                        pending_small.append(block)
                        if len(pending_small) == 2:
                            flush_small()
                        continue
                    flush_small()
                    html_parts.append(f'<p align="center">{self._img(block)}</p>')
                    continue
                flush_small()
                html_parts.append(self._block_html(block))
            flush_small()
            document = self._document("".join(html_parts))
            expected = [(b.level, b.text) for b in section if isinstance(b, Heading) and b.level > 0]
            headings = ts.find_headings(document, expected)
            self._keep_headings_with_next(document, headings)
            body_parts.append(_TextPart(document, True, True, landscape, headings))
            self._orient(False)
        self._report(total - 1, total, "排版")
        if estimate_pages(blocks) > ty.CONTENTS_MIN_PAGES:
            # The contents' page numbers are the body's own: numbering starts at the first body page.
            entries = self._outline(body_parts, first_number=1)
            contents = self._document(self._contents_html(entries), pitch=False)
            self.parts.append(_TextPart(contents, numbered=False, header=False))
        self.parts.extend(body_parts)
        self._paginate()
        self._report(total, total, "排版")

    def _document(self, html_text: str, pitch: bool = True) -> QTextDocument:
        document = ts.new_document(self.device, self.fam, self.body.width(), self.body.height(), pitch)
        for key, image in self.images.items():
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"chart:{key}"), image)
        document.setHtml(html_text)
        return document

    def _gantt_part(self, section: list[Block], chart: Chart) -> _GanttPart:
        heading = next((b.text for b in section if isinstance(b, Heading)), "")
        note = " ".join(b.text for b in section if isinstance(b, Paragraph))
        px = LOGICAL_DPI / self.dpi
        width, height = self.body.width() * px, self.body.height() * px
        head = GANTT_HEAD_MM * self.mm * px
        assert isinstance(chart.spec, GanttSpec)
        return _GanttPart(ReportGantt(chart.spec, width, height, height - head), heading, note)

    def _paginate(self) -> None:
        number = 0
        self.pages = []
        for part in self.parts:
            count = part.document.pageCount() if isinstance(part, _TextPart) else part.gantt.page_count
            for i in range(count):
                if part.numbered:
                    number += 1
                self.pages.append(_Page(part, i, number if part.numbered else None))
        for entry in self._outline(self.parts, first_number=0):
            self.pages[entry.page].outline.append(entry)

    def _outline(self, parts: list[_TextPart | _GanttPart], first_number: int) -> list[ts.OutlineEntry]:
        """Headings with their page: absolute page index (first_number=0) or printed number (first_number=1)."""
        out: list[ts.OutlineEntry] = []
        page = first_number
        page_h = self.body.height()
        for part in parts:
            if isinstance(part, _GanttPart):
                if part.numbered or first_number == 0:
                    out.append(ts.OutlineEntry(1, part.heading, page, self._pt(self.body.top())))
                page += part.gantt.page_count if (part.numbered or first_number == 0) else 0
                continue
            if not part.numbered and first_number:
                continue
            self._orient(part.landscape)
            page_h = self.body.height()
            doc_layout = part.document.documentLayout()
            block = part.document.begin()
            while block.isValid():
                level = part.headings.get(block.blockNumber(), 0)
                if level > 0:
                    top = doc_layout.blockBoundingRect(block).top()
                    index = int(top // page_h)
                    out.append(
                        ts.OutlineEntry(level, block.text(), page + index, self._pt(self.body.top() + top % page_h))
                    )
                block = block.next()
            page += part.document.pageCount()
            self._orient(False)
        return out

    def _pt(self, device_y: float) -> float:
        return device_y / self.dpi * 72

    def _contents_html(self, entries: list[ts.OutlineEntry]) -> str:
        rows = []
        for e in entries:
            if e.level > 2:
                continue
            indent = "" if e.level == 1 else "&#12288;&#12288;"
            rows.append(
                f'<tr><td style="font-size:{ty.TOC_PT}pt">{indent}{_esc(e.title)}</td>'
                f'<td align="right" width="12%" style="font-size:{ty.TOC_PT}pt">{e.page}</td></tr>'
            )
        title = f"font-family:'{self.fam.heading1}'; font-size:{ty.TITLE_PT}pt"
        return (
            f'<p align="center" style="{title}; margin-bottom:24pt">目　录</p>'
            f'<table width="100%" cellspacing="0" cellpadding="2">{"".join(rows)}</table>'
        )

    def _keep_headings_with_next(self, document: QTextDocument, headings: dict[int, int]) -> None:
        """Move a heading that would end a page (alone, or with a line or two under it) to the next page.

        QTextDocument has no keep-with-next, so after layout each heading that starts in the last
        ``KEEP_WITH_NEXT`` of a page gets a page break before it; later blocks move, so geometry is re-read.
        """
        layout_ = document.documentLayout()
        page_h = self.body.height()
        reserve = page_h * KEEP_WITH_NEXT
        block = document.begin()
        while block.isValid():
            fmt = block.blockFormat()
            heading = block.blockNumber() in headings
            if heading and fmt.pageBreakPolicy() == QTextFormat.PageBreakFlag.PageBreak_Auto:
                top = layout_.blockBoundingRect(block).top()
                room = page_h - (top % page_h)
                if 0 < top % page_h and room < reserve:
                    cursor = QTextCursor(block)
                    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                    cursor.setBlockFormat(fmt)
                    # The layout after an edit is lazy (finished on a timer, which never fires here):
                    # mark the rest dirty so the next geometry query lays it out again, now.
                    start = block.position()
                    document.markContentsDirty(start, document.characterCount() - start)
                    document.pageCount()
            block = block.next()

    def _cover_html(self) -> str:
        c = self.content.cover
        t, h = self.fam.title, self.fam.heading1
        # Qt reads HTML lengths as CSS px (1/96 inch), whatever the device resolution.
        gap = int(self.body.height() / self.dpi * 96 * 0.16)
        title = f"font-family:'{t}'; font-size:{ty.TITLE_PT}pt; color:#c00000"
        lines = [
            f'<p style="margin:0px; font-family:\'{h}\'; font-size:{ty.HEADING_PT}pt">{_esc(c.internal_line)}</p>',
            f'<p align="center" style="margin-top:{gap}px; {title}">{_esc(c.organisation)}</p>',
            f'<p align="center" style="{title}">{_esc(c.meeting_line)}</p>' if c.meeting_line else "",
            f'<p align="center" style="margin-top:{gap // 3}px; font-family:\'{t}\'; font-size:36pt">'
            f"{_esc(c.kind_line)}</p>",
        ]
        if c.meeting_title:
            lines.append(
                f'<p align="center" style="margin-top:{gap // 3}px; font-size:{ty.BODY_PT}pt">'
                f"{_esc(c.meeting_title)}</p>"
            )
        lines.append(
            f'<p align="center" style="margin-top:{gap}px; font-size:{ty.BODY_PT}pt">{_esc(c.period_line)}</p>'
            f'<p align="center" style="font-size:{ty.BODY_PT}pt">{_esc(c.date_text)}</p>'
        )
        if self.content.attendees:
            lines.append(
                f'<p align="center" style="margin-top:{gap // 4}px; font-size:{ty.SMALL_TABLE_PT}pt">参会单位：'
                f"{_esc('、'.join(self.content.attendees))}</p>"
            )
        return "".join(lines)

    def _add_image(self, chart: Chart) -> None:
        if chart.key in self.images:
            return
        raster = chart_raster(chart.spec, chart.width_cm, chart.height_cm, CHART_DPI)
        image = QImage(raster.rgba, raster.width, raster.height, 4 * raster.width, QImage.Format.Format_RGBA8888)
        image = image.convertToFormat(QImage.Format.Format_RGB888)  # owns its pixels; no alpha to carry
        self.images[chart.key] = image

    def _img(self, chart: Chart) -> str:
        # Qt reads <img> sizes as CSS px (1/96 inch); the image itself keeps its print resolution.
        w = chart.width_cm * 96 / 2.54
        h = chart.height_cm * 96 / 2.54
        return f'<img src="chart:{html.escape(chart.key)}" width="{w:.0f}" height="{h:.0f}"/>'

    def _block_html(self, block: Block) -> str:
        if isinstance(block, Heading):
            if block.level == 0:
                style = f"font-family:'{self.fam.title}'; font-size:{ty.TITLE_PT}pt; margin-bottom:{ty.BODY_PT:.0f}pt"
                return f'<p align="center" style="{style}">{_esc(block.text)}</p>'
            return ts.heading_html(self.fam, block.level, _esc(block.text), self.dpi)
        if isinstance(block, Paragraph):
            if block.style == "note":
                return (
                    f'<p style="font-size:{ty.NOTE_PT}pt; line-height:130%; color:#333333; '
                    f'margin-bottom:4pt">{_esc(block.text)}</p>'
                )
            return f'<p style="text-indent:{ts.indent_px(self.dpi):.1f}px">{_esc(block.text)}</p>'
        if isinstance(block, PageBreak):
            return ""
        if isinstance(block, Table):
            return self._table_html(block)
        raise TypeError(block)

    def _table_html(self, table: Table, spacer: bool = True) -> str:
        size = max(ty.SMALL_TABLE_PT, ty.TABLE_PT * table.font_scale)
        width_pt = self.body.width() / self.dpi * 72
        widths = column_widths(table, width_pt, size)
        head = "".join(
            f'<th width="{100 * w / width_pt:.2f}%" style="font-size:{size}pt">{_esc(c)}</th>'
            for c, w in zip(table.columns, widths, strict=True)
        )
        rows = []
        for row in table.rows:
            cells = []
            for i, value in enumerate(row):
                align = "right" if i in table.numeric else "left"
                cells.append(f'<td align="{align}" style="font-size:{size}pt">{_esc(value)}</td>')
            rows.append(f"<tr>{''.join(cells)}</tr>")
        caption = (
            f'<p align="right" style="font-size:{ty.SMALL_TABLE_PT}pt; margin-bottom:2pt">{_esc(table.caption)}</p>'
            if table.caption
            else ""
        )
        return (
            f'{caption}<table width="100%" border="1" cellspacing="0" cellpadding="3" '
            f'style="border-collapse:collapse; border-color:#333333; margin-bottom:8pt">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            # Qt ignores a table's bottom margin: a small empty paragraph keeps the next heading off the table.
            + (f'<p style="font-size:{ty.SMALL_TABLE_PT}pt; margin:0px">&nbsp;</p>' if spacer else "")
        )

    # ------------------------------------------------------------------ painting
    @property
    def page_count(self) -> int:
        """Pages of the whole report, cover to last appendix."""
        return len(self.pages)

    def outline(self) -> list[ts.OutlineEntry]:
        """Every heading with its 0-based page index, for PDF bookmarks."""
        return [e for page in self.pages for e in page.outline]

    def paint(self, painter: QPainter, new_page: Callable[[], bool]) -> int:
        """Paint every page with header and page number; return the page count."""
        landscape = False
        for n, page in enumerate(self.pages):
            part = page.part
            turn = isinstance(part, _TextPart) and part.landscape
            if turn != landscape:
                # Takes effect on the next page: the device's page layout is read when a page starts.
                orientation = QPageLayout.Orientation.Landscape if turn else QPageLayout.Orientation.Portrait
                self.device.setPageOrientation(orientation)
                landscape = turn
            if n and not new_page():
                raise OSError("无法新建页面（打印机或文件不可写）")
            self._orient(landscape)
            page_h = self.body.height()
            if isinstance(part, _TextPart):
                painter.save()
                painter.translate(self.body.left(), self.body.top() - page.index * page_h)
                ctx = QAbstractTextDocumentLayout.PaintContext()
                # A hair short of the page: a block starting exactly on the next page's top edge is not drawn here.
                ctx.clip = QRectF(0, page.index * page_h, self.body.width(), page_h - 0.01)
                painter.setClipRect(ctx.clip)
                part.document.documentLayout().draw(painter, ctx)
                painter.restore()
            else:
                self._paint_gantt_page(painter, part, page.index)
            if part.header:
                self._paint_header(painter)
            if page.number is not None:
                ts.paint_page_number(painter, self.fam, self.page_w, self.page_h, self.mm, page.number)
        if landscape:
            self.device.setPageOrientation(QPageLayout.Orientation.Portrait)
            self._orient(False)
        return len(self.pages)

    def _paint_gantt_page(self, painter: QPainter, part: _GanttPart, index: int) -> None:
        scale = self.dpi / LOGICAL_DPI
        top = self.body.top()
        if index == 0:
            painter.save()
            painter.setPen(QPen(Qt.GlobalColor.black))
            painter.setFont(ts.font(self.fam.heading1, ty.HEADING_PT))
            line = ty.LINE_PITCH_PT / 72 * self.dpi
            painter.drawText(
                QRectF(self.body.left(), top, self.body.width(), line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                part.heading,
            )
            painter.setFont(ts.font(self.fam.body, ty.NOTE_PT))
            painter.drawText(
                QRectF(self.body.left(), top + line, self.body.width(), GANTT_HEAD_MM * self.mm - line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                part.note,
            )
            painter.restore()
            top += GANTT_HEAD_MM * self.mm
        painter.save()
        painter.translate(self.body.left(), top)
        painter.scale(scale, scale)
        part.gantt.paint_page(painter, QRectF(0, 0, self.body.width() / scale, part.gantt.heights[index]), index)
        painter.restore()

    def _paint_header(self, painter: QPainter) -> None:
        c = self.content.cover
        painter.save()
        painter.setFont(ts.font(self.fam.song, ty.SMALL_TABLE_PT))
        painter.setPen(QPen(Qt.GlobalColor.black))
        left = self.body.left()
        width = self.body.width()
        header = QRectF(left, 20 * self.mm, width, 8 * self.mm)
        painter.drawText(header, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, c.internal_line)
        painter.drawText(
            header, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, f"{c.organisation}  {c.period_label}"
        )
        pen = QPen(Qt.GlobalColor.black)
        pen.setWidthF(0.3 * self.mm)
        painter.setPen(pen)
        y = header.bottom() + 1.5 * self.mm
        painter.drawLine(int(left), int(y), int(left + width), int(y))
        painter.restore()


def _prepare_device(device: QPagedPaintDevice) -> None:
    device.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    device.setPageOrientation(QPageLayout.Orientation.Portrait)
    device.setPageMargins(QMarginsF(0, 0, 0, 0))


def export_pdf(content: ReportContent, path: str | Path, progress: Progress | None = None) -> int:
    """Write the report as an A4 PDF; return the number of pages. KnownError (Chinese reason) if it cannot."""
    # QPdfWriter fails silently on a locked or read-only file: paint into a temporary file beside the target
    # and let the write guard replace the target, saying why when it cannot. The bookmarks are added to the
    # temporary file too, so the target is replaced once, whole.
    with atomic_write(path) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setResolution(300)
        writer.setTitle(f"{content.cover.organisation}{content.cover.meeting_line}材料（{content.period_label}）")
        writer.setCreator("台账")
        _prepare_device(writer)
        typesetter = ReportTypesetter(content, writer, progress)
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


def print_report(
    content: ReportContent,
    printer: QPagedPaintDevice,
    progress: Progress | None = None,
    images: dict[str, QImage] | None = None,
) -> int:
    """Paint the report onto a QPrinter (print, or the print-preview dialog's printer).

    ``images``: a dict kept between calls for the same content, so repaints reuse the drawn charts.
    """
    if hasattr(printer, "setFullPage"):
        printer.setFullPage(True)
    _prepare_device(printer)
    typesetter = ReportTypesetter(content, printer, progress, images)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("无法连接打印机")
    try:
        return typesetter.paint(painter, printer.newPage)
    finally:
        painter.end()


def ensure_gui_application() -> None:
    """Create a QGuiApplication for command-line rendering; offscreen on Linux without a display."""
    import os
    import sys

    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is not None:
        return
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    global _app
    _app = QGuiApplication(sys.argv[:1])


_app: object | None = None
