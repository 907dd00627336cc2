"""The report's Gantt appendix, drawn by the app's own Gantt painter: vector pages for the PDF, PNGs for the .docx.

The time range is fitted to the text width (no tiling), rows run down as many pages as they need and the rows
are spread evenly over them (no page with a sliver of rows); every page repeats the time header and the names
and carries the legend. Late bars are hatched with a dashed edge, so the chart survives black-and-white print.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter

from app.domain.timeline import Timeline, layout_lines
from app.reports.content import GanttSpec
from app.services.gantt import GanttData, Grouping
from app.ui.widgets.gantt_painter import GanttPainter, paint_legend, print_style

LOGICAL_DPI = 96.0
LEGEND_HEIGHT = 44.0  # two legend lines at the text width of A4 portrait
NAME_WIDTH = 190.0
FONT_PX = 12  # 9 pt printed (at 1:1), above the 7 pt floor


def rows_per_page_even(lines: int, capacity_first: int, capacity: int) -> list[int]:
    """Line counts per page: as few pages as fit, with the lines spread evenly (no last page of a few lines)."""
    if lines <= capacity_first:
        return [lines]
    pages = 1 + math.ceil((lines - capacity_first) / capacity)
    # Spread evenly but never beyond a page's capacity (the first page may be shorter).
    per = math.ceil(lines / pages)
    first = min(capacity_first, per)
    rest = lines - first
    others = pages - 1
    base, extra = divmod(rest, others)
    return [first] + [base + (1 if i < extra else 0) for i in range(others)]


class ReportGantt:
    """The Gantt appendix cut into pages of ``width`` × ``height`` logical pixels (the first page ``first_height``)."""

    def __init__(self, spec: GanttSpec, width: float, height: float, first_height: float) -> None:
        data = spec.data
        if not isinstance(data, GanttData):
            raise TypeError("GanttSpec.data must be the Gantt service's GanttData")
        self.data = data
        self.style = print_style(name_width=NAME_WIDTH, font_px=FONT_PX, row_height=22.0, band_height=20.0)
        keys = [r.group_key(Grouping.NONE) for r in data.rows]
        lines = layout_lines(keys, frozenset())
        lo, hi = data.date_range()
        self.width = width
        self.timeline = Timeline.fitted(lo, hi, width - NAME_WIDTH - 1)
        self.painter = GanttPainter(data, lines, self.timeline, self.style)
        st = self.style

        def capacity(h: float) -> int:
            return max(1, int((h - LEGEND_HEIGHT - st.header_height) // st.row_height))

        counts = rows_per_page_even(len(lines), capacity(first_height), capacity(height))
        self.pages: list[range] = []
        start = 0
        for n in counts:
            self.pages.append(range(start, start + n))
            start += n
        self.heights = [first_height] + [height] * (len(self.pages) - 1)

    @property
    def page_count(self) -> int:
        """Pages the appendix takes."""
        return len(self.pages)

    def paint_page(self, p: QPainter, rect: QRectF, index: int) -> None:
        """Draw page ``index`` (0-based) into ``rect`` (logical pixels; the painter scaled to them)."""
        st = self.style
        lines = self.pages[index]
        chart = QRectF(rect.left(), rect.top(), rect.width(), st.header_height + len(lines) * st.row_height)
        self.painter.paint(p, chart, 0, lines.start * st.row_height)
        p.save()
        p.setPen(st.grid_major)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(chart)
        p.restore()
        legend = QRectF(rect.left(), chart.bottom() + 4, rect.width(), LEGEND_HEIGHT - 4)
        paint_legend(p, legend, st, self.data.period_label)

    def page_png(self, index: int, dpi: float) -> bytes:
        """Page ``index`` as PNG bytes at ``dpi``, cropped to what is drawn (for the .docx)."""
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice

        st = self.style
        used = st.header_height + len(self.pages[index]) * st.row_height + LEGEND_HEIGHT
        scale = dpi / LOGICAL_DPI
        image = QImage(int(math.ceil(self.width * scale)), int(math.ceil(used * scale)), QImage.Format.Format_RGB32)
        image.setDotsPerMeterX(int(dpi / 0.0254))
        image.setDotsPerMeterY(int(dpi / 0.0254))
        image.fill(Qt.GlobalColor.white)
        p = QPainter(image)
        p.scale(scale, scale)
        self.paint_page(p, QRectF(0, 0, self.width, used), index)
        p.end()
        buffer = QByteArray()
        device = QBuffer(buffer)
        device.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(device, "PNG", 80)  # type: ignore[call-overload]  # light compression: fast
        return bytes(buffer.data())

    def used_height(self, index: int) -> float:
        """Logical pixels page ``index`` draws (chart and legend)."""
        st = self.style
        return st.header_height + len(self.pages[index]) * st.row_height + LEGEND_HEIGHT


def gantt_png_pages(spec: GanttSpec, width_cm: float, height_cm: float, first_height_cm: float) -> list[bytes]:
    """The report's Gantt pages as PNGs (for the .docx), drawn by the same painter as the PDF's pages."""
    px = LOGICAL_DPI / 2.54
    gantt = ReportGantt(spec, width_cm * px, height_cm * px, first_height_cm * px)
    return [gantt.page_png(i, 200) for i in range(gantt.page_count)]
