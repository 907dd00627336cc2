"""Typeset the meeting report with Qt: one QTextDocument laid out on A4 pages, painted page by page.

Painting each page ourselves (instead of QTextDocument.print_) lets every page carry the 内部资料 line and
the date in the header and 第 X 页 共 Y 页 in the footer. Tables use <thead>, so Qt repeats header rows on
each page a table spans. Fonts: 仿宋 body and 黑体 headings where installed, else a CJK font whose text
extracts as the same characters (WenQuanYi).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QFontDatabase,
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

from app.reports.charts import chart_raster
from app.reports.content import Block, Chart, Heading, PageBreak, Paragraph, ReportContent, Table, layout
from app.storage.errors import KnownError
from app.storage.files import atomic_write

Progress = Callable[[int, int, str], None]  # (done, total, what)

BODY_FONTS = ["FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "STFangsong"]
HEADING_FONTS = ["SimHei", "黑体", "STHeiti", "Heiti SC"]
# Fonts whose CJK text extracts from Qt's PDFs as the characters typed (checked with pdftotext + NFKC).
FALLBACK_FONTS = ["WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Microsoft YaHei", "SimSun"]

# GB/T 9704 official-document margins (mm): top 37, bottom 35, left 28, right 26.
MARGINS_MM = (28.0, 37.0, 26.0, 35.0)  # left, top, right, bottom
BODY_PT = 14.0  # 四号
TABLE_PT = 10.5  # 五号
HEADING_PT = 16.0  # 三号
CHART_DPI = 220
KEEP_WITH_NEXT = 0.12  # a heading in the last 12 % of a page moves to the next page


@dataclass(frozen=True)
class Fonts:
    """The body and heading font families chosen for this machine."""

    body: str
    heading: str


def choose_fonts() -> Fonts:
    """The installed body and heading families, falling back to a CJK font that extracts correctly."""
    installed = set(QFontDatabase.families())
    fallback = next((f for f in FALLBACK_FONTS if f in installed), "sans-serif")
    body = next((f for f in BODY_FONTS if f in installed), fallback)
    heading = next((f for f in HEADING_FONTS if f in installed), fallback)
    return Fonts(body, heading)


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br/>")


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
        self.fonts = choose_fonts()
        self.dpi = device.resolution() if hasattr(device, "resolution") else device.logicalDpiX()
        self.mm = self.dpi / 25.4
        page = device.pageLayout().fullRectPoints()
        self.page_w = page.width() / 72 * self.dpi
        self.page_h = page.height() / 72 * self.dpi
        left, top, right, bottom = MARGINS_MM
        # Whole device pixels: with a fractional page height Qt places a block that starts a page a hair
        # above the boundary, and it would be painted (clipped, yet extractable) on the page before too.
        self.body = QRectF(
            round(left * self.mm),
            round(top * self.mm),
            int(self.page_w - (left + right) * self.mm),
            int(self.page_h - (top + bottom) * self.mm),
        )
        # Chart images by block key; pass the same dict again (print preview repaints) to skip redrawing.
        self.images: dict[str, QImage] = images if images is not None else {}
        # The body and the appendices are separate documents, painted one after the other: the appendices
        # start on a new page anyway, and keeping headings with their text then never re-lays the long tables.
        self.documents: list[QTextDocument] = []
        self._build()

    # ------------------------------------------------------------------ content → HTML
    def _report(self, done: int, total: int, what: str) -> None:
        if self.progress is not None:
            self.progress(done, total, what)

    def _build(self) -> None:
        blocks = layout(self.content)
        charts = [b for b in blocks if isinstance(b, Chart)]
        body_parts = [self._cover_html()]
        appendix_parts: list[str] = []
        parts = body_parts
        done = 0
        pending_small: list[Chart] = []
        half = self.body.width() / 2

        def flush_small() -> None:
            if pending_small:
                imgs = " ".join(self._img(c) for c in pending_small)
                parts.append(f'<p align="center" style="margin-top:6px; margin-bottom:6px">{imgs}</p>')
                pending_small.clear()

        for n, block in enumerate(blocks):
            if isinstance(block, PageBreak) and parts is body_parts and _starts_appendix(blocks, n):
                flush_small()
                parts = appendix_parts
                continue
            if isinstance(block, Chart):
                done += 1
                self._report(done, len(charts) + 1, "绘制图表")
                self._add_image(block)
                if block.width_cm / 2.54 * self.dpi <= half:
                    pending_small.append(block)
                    if len(pending_small) == 2:
                        flush_small()
                    continue
                flush_small()
                parts.append(f'<p align="center">{self._img(block)}</p>')
                continue
            flush_small()
            parts.append(self._block_html(block))
        flush_small()
        self._report(len(charts), len(charts) + 1, "排版")
        for html_parts in (body_parts, appendix_parts):
            if html_parts:
                document = self._new_document()
                document.setHtml("".join(html_parts))
                self._keep_headings_with_next(document)
                self.documents.append(document)
        self._report(len(charts) + 1, len(charts) + 1, "排版")

    def _new_document(self) -> QTextDocument:
        document = QTextDocument()
        document.documentLayout().setPaintDevice(self.device)
        document.setDocumentMargin(0)
        font = QFont()
        font.setFamilies([self.fonts.body, *FALLBACK_FONTS])
        font.setPointSizeF(BODY_PT)
        document.setDefaultFont(font)
        document.setPageSize(QSizeF(self.body.width(), self.body.height()))
        for key, image in self.images.items():
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"chart:{key}"), image)
        body_pt = BODY_PT
        document.setDefaultStyleSheet(
            f"p {{ margin-top: 0px; margin-bottom: {body_pt * 0.5:.0f}pt; line-height: 150%; }}"
            f"h1 {{ font-family: '{self.fonts.heading}'; font-size: {HEADING_PT}pt; font-weight: normal;"
            f" margin-top: {HEADING_PT * 0.8:.0f}pt; margin-bottom: {HEADING_PT * 0.5:.0f}pt; }}"
            f"h2 {{ font-family: '{self.fonts.heading}'; font-size: {BODY_PT}pt; font-weight: normal;"
            f" margin-top: {BODY_PT * 0.6:.0f}pt; margin-bottom: {BODY_PT * 0.3:.0f}pt; }}"
            f"td, th {{ font-size: {TABLE_PT}pt; }}"
            f"th {{ font-family: '{self.fonts.heading}'; font-weight: normal; background-color: #e8e8e8; }}"
        )
        return document

    def _keep_headings_with_next(self, document: QTextDocument) -> None:
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
            if fmt.headingLevel() > 0 and fmt.pageBreakPolicy() == QTextFormat.PageBreakFlag.PageBreak_Auto:
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
        h = self.fonts.heading
        # Qt reads HTML lengths as CSS px (1/96 inch), whatever the device resolution.
        gap = int(self.body.height() / self.dpi * 96 * 0.16)
        title = f"font-family:'{h}'; font-size:22pt; color:#c00000"
        lines = [
            f'<p style="margin:0px">{_esc(c.internal_line)}</p>',
            f'<p align="center" style="margin-top:{gap}px; {title}">{_esc(c.organisation)}</p>',
            f'<p align="center" style="{title}">{_esc(c.meeting_line)}</p>' if c.meeting_line else "",
            f'<p align="center" style="margin-top:{gap // 3}px; font-family:\'{h}\'; font-size:36pt">'
            f"{_esc(c.kind_line)}</p>",
        ]
        if c.meeting_title:
            lines.append(
                f'<p align="center" style="margin-top:{gap // 3}px; font-size:16pt">{_esc(c.meeting_title)}</p>'
            )
        lines.append(
            f'<p align="center" style="margin-top:{gap}px; font-size:16pt">{_esc(c.period_line)}</p>'
            f'<p align="center" style="font-size:16pt">{_esc(c.date_text)}</p>'
        )
        if self.content.attendees:
            lines.append(
                f'<p align="center" style="margin-top:{gap // 4}px; font-size:10.5pt">参会单位：'
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
            tag = "h1" if block.level == 1 else "h2"
            return f"<{tag}>{_esc(block.text)}</{tag}>"
        if isinstance(block, Paragraph):
            if block.style == "note":
                return f'<p style="font-size:{TABLE_PT}pt; color:#444444">{_esc(block.text)}</p>'
            return f'<p style="text-indent:{2 * BODY_PT:.0f}pt">{_esc(block.text)}</p>'
        if isinstance(block, PageBreak):
            return '<p style="page-break-before:always; margin:0px"></p>'
        if isinstance(block, Table):
            return self._table_html(block)
        raise TypeError(block)

    def _table_html(self, table: Table) -> str:
        size = TABLE_PT * table.font_scale
        total = sum(table.widths) or 1
        head = "".join(
            f'<th width="{100 * w / total:.1f}%" style="font-size:{size}pt">{_esc(c)}</th>'
            for c, w in zip(table.columns, table.widths, strict=True)
        )
        rows = []
        for row in table.rows:
            cells = []
            for i, value in enumerate(row):
                align = "right" if i in table.numeric else "left"
                cells.append(f'<td align="{align}" style="font-size:{size}pt">{_esc(value)}</td>')
            rows.append(f"<tr>{''.join(cells)}</tr>")
        caption = (
            f'<p align="right" style="font-size:{TABLE_PT * 0.9}pt; margin-bottom:2pt">{_esc(table.caption)}</p>'
            if table.caption
            else ""
        )
        return (
            f'{caption}<table width="100%" border="1" cellspacing="0" cellpadding="3" '
            f'style="border-collapse:collapse; border-color:#333333; margin-bottom:8pt">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            # Qt ignores a table's bottom margin: a small empty paragraph keeps the next heading off the table.
            f'<p style="font-size:{TABLE_PT}pt; margin:0px">&nbsp;</p>'
        )

    # ------------------------------------------------------------------ painting
    @property
    def page_count(self) -> int:
        """Pages of the whole report, cover to last appendix."""
        return sum(d.pageCount() for d in self.documents)

    def paint(self, painter: QPainter, new_page: Callable[[], bool]) -> int:
        """Paint every page with header and footer; return the page count."""
        pages = self.page_count
        page_h = self.body.height()
        number = 0
        for document in self.documents:
            doc_layout = document.documentLayout()
            for i in range(document.pageCount()):
                if number and not new_page():
                    raise OSError("无法新建页面（打印机或文件不可写）")
                number += 1
                painter.save()
                painter.translate(self.body.left(), self.body.top() - i * page_h)
                ctx = QAbstractTextDocumentLayout.PaintContext()
                # A hair short of the page: a block starting exactly on the next page's top edge is not drawn here.
                ctx.clip = QRectF(0, i * page_h, self.body.width(), page_h - 0.01)
                painter.setClipRect(ctx.clip)
                doc_layout.draw(painter, ctx)
                painter.restore()
                self._paint_margins(painter, number, pages)
        return pages

    def _paint_margins(self, painter: QPainter, page: int, pages: int) -> None:
        c = self.content.cover
        font = QFont()
        font.setFamilies([self.fonts.body, *FALLBACK_FONTS])
        font.setPointSizeF(10.5)
        painter.setFont(font)
        painter.setPen(QPen(Qt.GlobalColor.black))
        left = self.body.left()
        width = self.body.width()
        line_h = 8 * self.mm
        header = QRectF(left, 20 * self.mm, width, line_h)
        if page > 1:
            painter.drawText(header, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, c.internal_line)
            painter.drawText(
                header,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                f"{c.organisation}  {c.period_label}",
            )
            pen = QPen(Qt.GlobalColor.black)
            pen.setWidthF(0.3 * self.mm)
            painter.setPen(pen)
            y = header.bottom() + 1.5 * self.mm
            painter.drawLine(int(left), int(y), int(left + width), int(y))
            painter.setPen(QPen(Qt.GlobalColor.black))
        footer = QRectF(left, self.page_h - 25 * self.mm, width, line_h)
        painter.drawText(
            footer, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, f"第 {page} 页 共 {pages} 页"
        )


def _starts_appendix(blocks: list[Block], index: int) -> bool:
    """Whether the page break at ``index`` is the one before 附录一."""
    nxt = blocks[index + 1] if index + 1 < len(blocks) else None
    return isinstance(nxt, Heading) and nxt.text.startswith("附录")


def _prepare_device(device: QPagedPaintDevice) -> None:
    device.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    device.setPageOrientation(QPageLayout.Orientation.Portrait)
    device.setPageMargins(QMarginsF(0, 0, 0, 0))


def export_pdf(content: ReportContent, path: str | Path, progress: Progress | None = None) -> int:
    """Write the report as an A4 PDF; return the number of pages. KnownError (Chinese reason) if it cannot."""
    # QPdfWriter fails silently on a locked or read-only file: paint into a temporary file beside the target
    # and let the write guard replace the target, saying why when it cannot.
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
        del typesetter, writer  # flush and close the file before it replaces the target (Windows)
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
