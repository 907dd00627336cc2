"""Gantt printing and export: pages for A4/A3 landscape (PDF, printer, preview) and PNG, drawn by GanttPainter.

Every page repeats the title, the print date, the time header and the row labels, and says 第 X 页 共 Y 页.
Pages run across (time) first, then down (rows).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QImage, QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPdfWriter

from app.domain.timeline import PageGrid, Timeline, Zoom, layout_lines, page_grid
from app.services.gantt import GanttData, Grouping
from app.storage.errors import KnownError
from app.storage.files import atomic_write
from app.ui.widgets.gantt_painter import ChartStyle, GanttPainter, paint_legend, print_style

PAPERS = {"A4": QPageSize.PageSizeId.A4, "A3": QPageSize.PageSizeId.A3}
MARGIN_MM = 10.0
LOGICAL_DPI = 96.0
TITLE_HEIGHT = 40.0
FOOTER_HEIGHT = 26.0
MAX_PNG_PIXELS = 150_000_000
MAX_PNG_SIDE = 32_000


@dataclass
class PrintOptions:
    """What to print and how: paper, fit N pages wide (else the scale/zoom), grouping and the title.

    ``pages_wide`` defaults to 1: the whole time range fitted to the page width. None prints at the zoom's
    (or ``px_per_day``'s) scale across as many pages as that takes.
    """

    paper: str = "A4"
    pages_wide: int | None = 1
    zoom: Zoom = Zoom.MONTH
    px_per_day: float | None = None
    grouping: str = Grouping.NONE
    collapsed: frozenset[str] = frozenset()
    title: str = "重点项目进度甘特图"
    printed_on: date = field(default_factory=date.today)


def page_layout(paper: str) -> QPageLayout:
    """Landscape page of the paper size with 10 mm margins."""
    if paper not in PAPERS:
        raise KnownError(f"纸张只能是 A4 或 A3：{paper}")
    return QPageLayout(
        QPageSize(PAPERS[paper]),
        QPageLayout.Orientation.Landscape,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
        QPageLayout.Unit.Millimeter,
    )


SLIVER = 0.35  # a last page across holding less than this share of a page width is a sliver


def _without_sliver(px_per_day: float, width: float, body_width: float) -> float:
    """The scale, shrunk a little when the time range would end on a page holding only a sliver of it.

    A shrink of up to a fifth is accepted (the chosen zoom stays readable); beyond that the sliver stays.
    """
    pages = width / body_width
    whole = math.floor(pages)
    if whole >= 1 and 0 < pages - whole < SLIVER:
        shrink = (whole * body_width - 1) / width
        if shrink >= 0.8:
            return px_per_day * shrink
    return px_per_day


def title_text(data: GanttData, options: PrintOptions) -> str:
    """The title line: chart name and the selection."""
    return f"{options.title}　{data.selection.label}"


class PrintJob:
    """The chart cut into pages of ``page`` (logical pixels); ``paint_page`` draws one page."""

    def __init__(self, data: GanttData, options: PrintOptions, page: QSizeF, style: ChartStyle | None = None):
        self.data, self.options = data, options
        self.style = style or print_style(name_width=240.0)
        self.page = QRectF(0, 0, page.width(), page.height())
        keys = [r.group_key(options.grouping) for r in data.rows]
        lines = layout_lines(keys, options.collapsed)
        chart_h = page.height() - TITLE_HEIGHT - FOOTER_HEIGHT
        body_w = page.width() - self.style.name_width
        capacity = max(1, int((chart_h - self.style.header_height) // self.style.row_height))
        lo, hi = data.date_range()
        if options.pages_wide:
            if options.pages_wide < 1:
                raise KnownError("页宽数必须是正整数")
            timeline = Timeline.fitted(lo, hi, body_w * options.pages_wide - 1)
        else:
            timeline = Timeline.for_range(lo, hi, options.zoom, options.px_per_day)
            timeline = timeline.with_scale(_without_sliver(timeline.px_per_day, timeline.width, body_w))
        self.timeline = timeline
        # Rows spread evenly over the pages down: never a last page with a row or two.
        tall = max(1, math.ceil(len(lines) / capacity))
        rows_per_page = max(1, math.ceil(len(lines) / tall))
        self.grid: PageGrid = page_grid(timeline.width, len(lines), body_w, rows_per_page)
        self.painter = GanttPainter(data, lines, timeline, self.style)

    @property
    def page_count(self) -> int:
        return self.grid.count

    def paint_page(self, p: QPainter, number: int) -> None:
        """Draw page ``number`` (1-based) with the painter set to logical pixels at the page's paint rect."""
        st, page = self.style, self.page
        x0, lines = self.grid.page(number)
        p.save()
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        p.setPen(st.text)
        p.setFont(st.font(18, bold=True))
        title_rect = QRectF(0, 0, page.width(), TITLE_HEIGHT - 8)
        p.drawText(
            title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title_text(self.data, self.options)
        )
        p.setFont(st.font(12))
        right = f"打印日期：{self.options.printed_on:%Y年%m月%d日}"
        if self.data.baseline:
            right = f"对比基线：{self.data.baseline.name}　{right}"
        p.drawText(title_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, right)
        shown = min(len(lines), max(0, len(self.painter.lines) - lines.start))
        chart = QRectF(0, TITLE_HEIGHT, page.width(), st.header_height + shown * st.row_height)
        self.painter.paint(p, chart, x0, lines.start * st.row_height)
        footer = QRectF(0, page.height() - FOOTER_HEIGHT, page.width(), FOOTER_HEIGHT)
        paint_legend(p, footer, st, self.data.period_label, self.data.baseline.name if self.data.baseline else "")
        p.setFont(st.font(12))
        p.setPen(st.text)
        p.drawText(
            footer,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            f"第 {number} 页 共 {self.page_count} 页",
        )
        p.restore()


def render(
    device: QPagedPaintDevice,
    data: GanttData,
    options: PrintOptions,
    resolution: float,
    progress: Callable[[int, int], bool] | None = None,
) -> int:
    """Draw every page on a paged device (QPdfWriter or QPrinter) already set to the options' page layout.

    ``progress(done, total)`` is called after each page; returning False stops (the pages so far are kept).
    """
    layout = device.pageLayout()
    scale = resolution / LOGICAL_DPI
    paint = layout.paintRectPixels(int(round(resolution)))
    job = PrintJob(data, options, QSizeF(paint.width() / scale, paint.height() / scale))
    p = QPainter()
    if not p.begin(device):
        raise KnownError("无法开始打印：打印机或文件不可用")
    try:
        p.scale(scale, scale)
        for n in range(1, job.page_count + 1):
            if n > 1:
                device.newPage()
            job.paint_page(p, n)
            if progress is not None and not progress(n, job.page_count):
                return n
    finally:
        p.end()
    return job.page_count


def count_pages(data: GanttData, options: PrintOptions) -> int:
    """How many pages printing with ``options`` makes (to warn before a very long job)."""
    layout = page_layout(options.paper)
    rect = layout.paintRectPixels(int(LOGICAL_DPI))
    return PrintJob(data, options, QSizeF(rect.width(), rect.height())).page_count


def export_pdf(
    path: str | Path, data: GanttData, options: PrintOptions, progress: Callable[[int, int], bool] | None = None
) -> int:
    """Write the chart as a multi-page PDF; return the number of pages written."""
    path = Path(path)
    # QPdfWriter fails silently on a locked or read-only file (render() would then blame a printer): paint
    # into a temporary file beside the target and let the write guard replace it, saying why when it cannot.
    with atomic_write(path) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setResolution(300)
        writer.setPageLayout(page_layout(options.paper))
        writer.setTitle(title_text(data, options))
        writer.setCreator("台账")
        count = render(writer, data, options, 300, progress)
        del writer  # flush and close the file now, before it replaces the target (Windows)
    return count


def export_png(path: str | Path, data: GanttData, options: PrintOptions, scale: float = 1.5) -> tuple[int, int]:
    """Write the whole chart (all rows, whole time range) as one PNG; return its size in pixels."""
    path = Path(path)
    if not path.parent.exists():
        raise KnownError(f"文件夹不存在：{path.parent}")
    style = ChartStyle()
    keys = [r.group_key(options.grouping) for r in data.rows]
    lines = layout_lines(keys, options.collapsed)
    lo, hi = data.date_range()
    timeline = Timeline.for_range(lo, hi, options.zoom, options.px_per_day)
    timeline = timeline.with_scale(timeline.px_per_day)
    painter = GanttPainter(data, lines, timeline, style)
    width = style.name_width + timeline.width
    height = TITLE_HEIGHT + style.header_height + len(lines) * style.row_height + FOOTER_HEIGHT
    w, h = int(math.ceil(width * scale)), int(math.ceil(height * scale))
    if w > MAX_PNG_SIDE or h > MAX_PNG_SIDE or w * h > MAX_PNG_PIXELS:
        raise KnownError(f"图片过大（{w}×{h} 像素）：请缩小选择范围、改用较粗的时间刻度，或导出 PDF")
    image = QImage(w, h, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    p = QPainter(image)
    p.scale(scale, scale)
    p.setPen(style.text)
    p.setFont(style.font(18, bold=True))
    title_rect = QRectF(8, 0, width - 16, TITLE_HEIGHT - 8)
    p.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title_text(data, options))
    p.setFont(style.font(12))
    p.drawText(
        title_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{options.printed_on:%Y年%m月%d日}"
    )
    painter.paint(p, QRectF(0, TITLE_HEIGHT, width, height - TITLE_HEIGHT - FOOTER_HEIGHT), 0, 0)
    paint_legend(
        p,
        QRectF(8, height - FOOTER_HEIGHT, width - 16, FOOTER_HEIGHT),
        style,
        data.period_label,
        data.baseline.name if data.baseline else "",
    )
    p.end()
    target = path.with_suffix(".png") if path.suffix.lower() != ".png" else path
    with atomic_write(target) as tmp:
        if not image.save(str(tmp)):  # the temporary file keeps the .png suffix
            raise KnownError(f"无法写入“{target.name}”：无法生成图片")
    return w, h


def ensure_gui_application() -> None:
    """Fonts and painting need a QGuiApplication; on a Linux machine without a screen use the offscreen one."""
    import os
    import sys

    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        QGuiApplication([sys.argv[0] if sys.argv else "taizhang"])
