"""The one routine that draws a Gantt chart, for the screen and for printed pages alike (print == screen).

Coordinates are logical pixels (1/96 inch). Only lines in the requested range and time inside the requested
x-range are drawn, so the cost of a frame depends on the window, not on the portfolio.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase, QFontMetricsF, QPainter, QPen, QPolygonF

from app.domain.timeline import Line, RowGeometry, Timeline
from app.reports.typography import SANS, first_installed
from app.services.gantt import GanttData, GanttMilestone, GanttRow


def chinese_font_family() -> str:
    """The first installed CJK sans family of the one font list (it renders, and extracts from PDFs unchanged)."""
    return first_installed(SANS, QFontDatabase.families(), QFont().family())


@dataclass
class ChartStyle:
    """Sizes and colours shared by screen and print."""

    row_height: float = 26.0
    band_height: float = 22.0
    name_width: float = 300.0
    font_px: int = 12
    family: str = field(default_factory=chinese_font_family)
    plan_fill: QColor = field(default_factory=lambda: QColor(76, 120, 168, 90))
    plan_edge: QColor = field(default_factory=lambda: QColor(52, 92, 140))
    late_fill: QColor = field(default_factory=lambda: QColor(214, 39, 40, 70))
    late_edge: QColor = field(default_factory=lambda: QColor(196, 30, 30))
    actual_done: QColor = field(default_factory=lambda: QColor(46, 139, 87))
    actual_open: QColor = field(default_factory=lambda: QColor(89, 161, 79))
    actual_late: QColor = field(default_factory=lambda: QColor(225, 87, 89))
    baseline: QColor = field(default_factory=lambda: QColor(150, 150, 150))
    period_shade: QColor = field(default_factory=lambda: QColor(255, 243, 205))
    today: QColor = field(default_factory=lambda: QColor(220, 20, 60))
    grid_minor: QColor = field(default_factory=lambda: QColor(232, 232, 232))
    grid_major: QColor = field(default_factory=lambda: QColor(196, 196, 196))
    group_fill: QColor = field(default_factory=lambda: QColor(232, 238, 247))
    stripe: QColor = field(default_factory=lambda: QColor(250, 250, 252))
    header_fill: QColor = field(default_factory=lambda: QColor(242, 244, 247))
    text: QColor = field(default_factory=lambda: QColor(33, 33, 33))
    selection: QColor = field(default_factory=lambda: QColor(255, 215, 0, 70))
    # On paper: late bars hatched with a dashed edge, so 滞后 still shows in black-and-white print.
    patterns: bool = False

    @property
    def header_height(self) -> float:
        return 2 * self.band_height

    def font(self, px: int | None = None, bold: bool = False) -> QFont:
        f = QFont(self.family)
        f.setPixelSize(px or self.font_px)
        f.setBold(bold)
        return f

    def plan_pen(self, late: bool) -> QPen:
        """The planned bar's edge: dashed for a late bar when printing with patterns."""
        pen = QPen(self.late_edge if late else self.plan_edge, 1.4 if self.patterns else 1)
        if late and self.patterns:
            pen.setStyle(Qt.PenStyle.DashLine)
        return pen

    def hatch(self, p: QPainter, rect: QRectF, late: bool) -> None:
        """Overlay the late-bar hatching (patterns only)."""
        if late and self.patterns:
            brush = QBrush(self.late_edge, Qt.BrushStyle.BDiagPattern)
            p.fillRect(rect, brush)


def print_style(**overrides: float) -> ChartStyle:
    """The style for paper: patterns that survive grayscale, stronger plan fills, and the given sizes."""
    style = ChartStyle(patterns=True, **overrides)  # type: ignore[arg-type]
    style.plan_fill = QColor(120, 150, 190, 110)
    style.late_fill = QColor(214, 39, 40, 45)
    return style


@dataclass(frozen=True)
class Hit:
    """What lies under a point: ``kind`` is group / row / start / end / bar / milestone."""

    kind: str
    line: int
    row: int = -1
    milestone: int = -1  # index into the row's milestones
    group: str = ""


class GanttPainter:
    """Draws the chart for a data set, its lines and a timeline; also answers hit tests in the same geometry."""

    def __init__(self, data: GanttData, lines: list[Line], timeline: Timeline, style: ChartStyle | None = None):
        self.data = data
        self.lines = lines
        self.timeline = timeline
        self.style = style or ChartStyle()
        self.geometry = RowGeometry(len(lines), self.style.row_height)
        self.selected_row: int = -1
        self.show_baseline = data.baseline is not None

    # --- layout within a row -----------------------------------------------------------------------------------

    def plan_rect(self, row: GanttRow) -> tuple[float, float] | None:
        """x0, x1 of the planned bar in timeline pixels."""
        if row.planned_start is None or row.planned_end is None:
            return None
        return self.timeline.x_of(row.planned_start), self.timeline.x_after(row.planned_end)

    def _bands(self, top: float) -> tuple[QRectF, QRectF, QRectF]:
        """Planned, actual and baseline bands of a row whose top is ``top`` (x filled in by callers)."""
        h = self.style.row_height
        return (
            QRectF(0, top + h * 0.15, 0, h * 0.36),
            QRectF(0, top + h * 0.56, 0, h * 0.2),
            QRectF(0, top + h * 0.80, 0, h * 0.12),
        )

    # --- the routine -------------------------------------------------------------------------------------------

    def paint(self, p: QPainter, target: QRectF, x0: float, y0: float, *, names: bool = True) -> None:
        """Draw into ``target``: the corner, header, name column and body for timeline x0… and line-pixels y0…."""
        st = self.style
        name_w = st.name_width if names else 0.0
        body = QRectF(target.left() + name_w, target.top() + st.header_height, 0, 0)
        body.setRight(target.right())
        body.setBottom(target.bottom())
        x1 = x0 + body.width()
        y1 = y0 + body.height()
        visible = self.geometry.visible(y0, y1)
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        self._paint_body(p, body, x0, x1, y0, visible)
        self._paint_header(p, QRectF(body.left(), target.top(), body.width(), st.header_height), x0, x1)
        if names:
            self._paint_names(p, QRectF(target.left(), body.top(), name_w, body.height()), y0, visible)
            # Rows continuing a group whose heading scrolled away (or sits on an earlier page) name it here.
            first = self.lines[visible.start] if len(visible) else None
            note = first.group if first is not None and not first.is_group else ""
            self._paint_corner(p, QRectF(target.left(), target.top(), name_w, st.header_height), note)
        p.restore()

    def _paint_body(self, p: QPainter, body: QRectF, x0: float, x1: float, y0: float, visible: range) -> None:
        st, tl = self.style, self.timeline
        p.save()
        p.setClipRect(body)
        p.fillRect(body, Qt.GlobalColor.white)
        dx = body.left() - x0
        dy = body.top() - y0
        # Stripes and group bands first, then time shading and grid, then bars on top.
        for i in visible:
            line = self.lines[i]
            top = dy + self.geometry.y_of(i)
            if line.is_group:
                p.fillRect(QRectF(body.left(), top, body.width(), st.row_height), st.group_fill)
            elif i % 2:
                p.fillRect(QRectF(body.left(), top, body.width(), st.row_height), st.stripe)
            if line.row == self.selected_row and line.row >= 0:
                p.fillRect(QRectF(body.left(), top, body.width(), st.row_height), st.selection)
        ps, pe = tl.x_of(self.data.period_start) + dx, tl.x_after(self.data.period_end) + dx
        shade = QColor(st.period_shade)
        shade.setAlpha(150)
        p.fillRect(QRectF(ps, body.top(), pe - ps, body.height()), shade)
        top_cells, bottom_cells = tl.header(x0, x1)
        p.setPen(QPen(st.grid_minor, 1))
        for c in bottom_cells:
            x = c.x0 + dx
            p.drawLine(QPointF(x, body.top()), QPointF(x, body.bottom()))
        p.setPen(QPen(st.grid_major, 1))
        for c in top_cells:
            x = c.x0 + dx
            p.drawLine(QPointF(x, body.top()), QPointF(x, body.bottom()))
        for i in visible:
            line = self.lines[i]
            if not line.is_group:
                self._paint_row(p, self.data.rows[line.row], dx, dy + self.geometry.y_of(i), x0, x1)
        tx = tl.x_of(self.data.today) + dx
        pen = QPen(st.today, 1.5, Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawLine(QPointF(tx, body.top()), QPointF(tx, body.bottom()))
        p.restore()

    def _paint_row(self, p: QPainter, row: GanttRow, dx: float, top: float, x0: float, x1: float) -> None:
        st, tl = self.style, self.timeline
        plan_band, actual_band, base_band = self._bands(top)
        late = row.behind
        if self.show_baseline and row.baseline_start and row.baseline_end:
            bx0, bx1 = tl.x_of(row.baseline_start), tl.x_after(row.baseline_end)
            if bx1 >= x0 and bx0 <= x1:
                p.fillRect(QRectF(bx0 + dx, base_band.top(), bx1 - bx0, base_band.height()), st.baseline)
        span = self.plan_rect(row)
        if span and span[1] >= x0 and span[0] <= x1:
            r = QRectF(span[0] + dx, plan_band.top(), max(2.0, span[1] - span[0]), plan_band.height())
            p.setPen(st.plan_pen(late))
            p.setBrush(st.late_fill if late else st.plan_fill)
            p.drawRect(r)
            st.hatch(p, r.adjusted(1, 1, -1, -1), late)
            if row.progress_pct is not None and 0 < row.progress_pct:
                done = QRectF(r.left(), r.top(), r.width() * min(100.0, row.progress_pct) / 100.0, r.height())
                shade = QColor(st.late_edge if late else st.plan_edge)
                # On paper the done share is solid dark (grey in monochrome); on screen a lighter tint.
                p.fillRect(done.adjusted(1, 1, 0, -1), shade if st.patterns else shade.lighter(150))
        if row.actual_start and row.actual_end:
            ax0, ax1 = tl.x_of(row.actual_start), tl.x_after(row.actual_end)
            if ax1 >= x0 and ax0 <= x1:
                colour = st.actual_late if late else (st.actual_done if row.actual_finished else st.actual_open)
                p.fillRect(QRectF(ax0 + dx, actual_band.top(), max(2.0, ax1 - ax0), actual_band.height()), colour)
        cy = plan_band.center().y()
        half = st.row_height * 0.22
        for m in row.milestones:
            self._paint_milestone(p, m, dx, cy, half, base_band, x0, x1)

    def _paint_milestone(
        self, p: QPainter, m: GanttMilestone, dx: float, cy: float, half: float, base_band: QRectF, x0: float, x1: float
    ) -> None:
        st, tl = self.style, self.timeline
        lo, hi = x0 - 2 * half, x1 + 2 * half
        if self.show_baseline and m.baseline:
            bx = tl.x_of(m.baseline) + tl.px_per_day / 2
            if lo <= bx <= hi:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(st.baseline)
                p.drawPolygon(_diamond(bx + dx, base_band.center().y(), base_band.height() * 0.9))
        if m.actual:
            ax = tl.x_of(m.actual) + tl.px_per_day / 2
            if m.planned and m.planned != m.actual:
                px = tl.x_of(m.planned) + tl.px_per_day / 2
                if lo <= px <= hi:
                    p.setPen(QPen(st.grid_major, 1))
                    p.setBrush(Qt.BrushStyle.NoBrush)
                    p.drawPolygon(_diamond(px + dx, cy, half * 0.8))
            if lo <= ax <= hi:
                late = m.planned is not None and m.actual > m.planned
                colour = QColor(230, 140, 20) if late else st.actual_done
                p.setPen(QPen(colour.darker(130), 1))
                p.setBrush(colour)
                p.drawPolygon(_diamond(ax + dx, cy, half))
        elif m.planned:
            px = tl.x_of(m.planned) + tl.px_per_day / 2
            if lo <= px <= hi:
                overdue = m.overdue(self.data.judged_on)
                p.setPen(QPen(st.late_edge if overdue else st.plan_edge, 1.6))
                p.setBrush(QBrush(Qt.GlobalColor.white))
                p.drawPolygon(_diamond(px + dx, cy, half))

    def _paint_header(self, p: QPainter, rect: QRectF, x0: float, x1: float) -> None:
        st, tl = self.style, self.timeline
        p.save()
        p.setClipRect(rect)
        p.fillRect(rect, st.header_fill)
        dx = rect.left() - x0
        top_cells, bottom_cells = tl.header(x0, x1)
        font = st.font()
        fm = QFontMetricsF(font)
        p.setFont(font)
        bh = st.band_height
        for cells, y, pen in ((top_cells, rect.top(), st.grid_major), (bottom_cells, rect.top() + bh, st.grid_minor)):
            for c in cells:
                cell = QRectF(c.x0 + dx, y, c.x1 - c.x0, bh)
                p.setPen(QPen(st.grid_major if y == rect.top() else pen, 1))
                p.drawLine(cell.topLeft(), cell.bottomLeft())
                # Top-band labels stay readable while their cell is scrolled partly out of view.
                visible = cell.intersected(rect) if y == rect.top() else cell
                text = c.label if fm.horizontalAdvance(c.label) + 4 <= visible.width() else c.short
                if fm.horizontalAdvance(text) + 2 <= visible.width():
                    p.setPen(st.text)
                    p.drawText(visible, Qt.AlignmentFlag.AlignCenter, text)
        p.setPen(QPen(st.grid_major, 1))
        p.drawLine(QPointF(rect.left(), rect.top() + bh), QPointF(rect.right(), rect.top() + bh))
        p.drawLine(QPointF(rect.left(), rect.bottom() - 0.5), QPointF(rect.right(), rect.bottom() - 0.5))
        tx = tl.x_of(self.data.today) + dx
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(st.today)
        b = rect.bottom()
        p.drawPolygon(QPolygonF([QPointF(tx - 5, b - 7), QPointF(tx + 5, b - 7), QPointF(tx, b)]))
        p.restore()

    def _paint_names(self, p: QPainter, rect: QRectF, y0: float, visible: range) -> None:
        st = self.style
        p.save()
        p.setClipRect(rect)
        p.fillRect(rect, Qt.GlobalColor.white)
        dy = rect.top() - y0
        font, bold = st.font(), st.font(bold=True)
        fm, fmb = QFontMetricsF(font), QFontMetricsF(bold)
        for i in visible:
            line = self.lines[i]
            top = dy + self.geometry.y_of(i)
            cell = QRectF(rect.left(), top, rect.width(), st.row_height)
            if line.is_group:
                p.fillRect(cell, st.group_fill)
                p.setFont(bold)
                p.setPen(st.text)
                mark = "▶" if line.collapsed else "▼"
                label = f"{mark} {line.label}（{line.count}）"
                text = fmb.elidedText(label, Qt.TextElideMode.ElideRight, cell.width() - 10)
                p.drawText(cell.adjusted(6, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
                continue
            row = self.data.rows[line.row]
            if line.row == self.selected_row:
                p.fillRect(cell, st.selection)
            elif i % 2:
                p.fillRect(cell, st.stripe)
            indent = 18.0 if line.group else 6.0
            p.setFont(font)
            if row.behind:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(st.late_edge)
                p.drawEllipse(QPointF(cell.left() + indent - 8, cell.center().y()), 3, 3)
            p.setPen(st.late_edge if row.behind else st.text)
            text = fm.elidedText(f"{row.name}", Qt.TextElideMode.ElideRight, cell.width() - indent - 6)
            p.drawText(
                cell.adjusted(indent, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text
            )
        p.setPen(QPen(st.grid_major, 1))
        p.drawLine(QPointF(rect.right() - 0.5, rect.top()), QPointF(rect.right() - 0.5, rect.bottom()))
        p.restore()

    def _paint_corner(self, p: QPainter, rect: QRectF, continued_group: str = "") -> None:
        st = self.style
        p.save()
        p.fillRect(rect, st.header_fill)
        p.setPen(st.text)
        p.setFont(st.font(bold=True))
        left = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        if not continued_group:
            p.drawText(rect.adjusted(8, 0, 0, 0), left, "项目名称")
        else:
            band = st.band_height
            p.drawText(QRectF(rect.left() + 8, rect.top(), rect.width() - 12, band), left, "项目名称")
            small = st.font(max(9, st.font_px - 1))
            p.setFont(small)
            p.setPen(QColor(st.text).lighter(180))
            text = QFontMetricsF(small).elidedText(
                f"（续）{continued_group}", Qt.TextElideMode.ElideRight, rect.width() - 14
            )
            p.drawText(QRectF(rect.left() + 8, rect.top() + band, rect.width() - 12, band), left, text)
        p.setPen(QPen(st.grid_major, 1))
        p.drawLine(QPointF(rect.right() - 0.5, rect.top()), QPointF(rect.right() - 0.5, rect.bottom()))
        p.drawLine(QPointF(rect.left(), rect.bottom() - 0.5), QPointF(rect.right(), rect.bottom() - 0.5))
        p.restore()

    # --- hit testing -------------------------------------------------------------------------------------------

    def hit(self, tx: float, ly: float, grab: float = 5.0) -> Hit | None:
        """What is at timeline x ``tx`` and line-pixel y ``ly`` (body coordinates, scroll applied)."""
        i = self.geometry.line_at(ly)
        if i is None:
            return None
        line = self.lines[i]
        if line.is_group:
            return Hit("group", i, group=line.group)
        row = self.data.rows[line.row]
        tl = self.timeline
        top = self.geometry.y_of(i)
        plan_band = self._bands(top)[0]
        half = self.style.row_height * 0.22
        near_plan = plan_band.top() - 3 <= ly <= plan_band.bottom() + 3
        if near_plan:
            best, best_d, centre = -1, grab + half, 0.0
            for k, m in enumerate(row.milestones):
                if m.planned and m.actual is None:
                    c = tl.x_of(m.planned) + tl.px_per_day / 2
                    if abs(c - tx) < best_d:
                        best, best_d, centre = k, abs(c - tx), c
            span = self.plan_rect(row)
            # A milestone often sits on a bar end: the side of the diamond you grab decides which one moves.
            if span and abs(tx - span[1]) <= grab and (best < 0 or tx > centre):
                return Hit("end", i, line.row)
            if span and abs(tx - span[0]) <= grab and (best < 0 or tx < centre):
                return Hit("start", i, line.row)
            if best >= 0:
                return Hit("milestone", i, line.row, best)
            if span and span[0] < tx < span[1]:
                return Hit("bar", i, line.row)
        return Hit("row", i, line.row)

    def tooltip(self, hit: Hit) -> str:
        """Chinese tooltip for a hit: the milestone, or the project with its plan, actual and lag reasons."""
        if hit.kind == "group":
            line = self.lines[hit.line]
            return f"{line.label}：{line.count} 个项目（单击展开/折叠）"
        row = self.data.rows[hit.row]
        if hit.kind == "milestone":
            m = row.milestones[hit.milestone]
            text = f"{row.name}\n里程碑「{m.name}」\n计划：{_d(m.planned)}　实际：{_d(m.actual)}"
            if m.baseline:
                text += f"\n基线：{_d(m.baseline)}"
            if m.overdue(self.data.judged_on):
                text += f"\n已逾期 {(self.data.judged_on - m.planned).days} 天" if m.planned else ""
            return text + "\n（拖动可修改计划日期）"
        parts = [f"{row.code}　{row.name}", f"计划：{_d(row.planned_start)} 至 {_d(row.planned_end)}"]
        if row.baseline_start or row.baseline_end:
            parts.append(f"基线：{_d(row.baseline_start)} 至 {_d(row.baseline_end)}")
        if row.actual_start:
            state = "已完成" if row.actual_finished else "进行中"
            parts.append(f"实际：{_d(row.actual_start)} 至 {_d(row.actual_end)}（{state}）")
        if row.progress_pct is not None:
            parts.append(f"形象进度：{row.progress_pct:.0f}%")
        if row.department:
            parts.append(f"牵头单位：{row.department}")
        if row.lag_reasons:
            parts.append("滞后原因：")
            parts.extend(f"· {r}" for r in row.lag_reasons)
        if hit.kind in ("start", "end"):
            parts.append("（拖动可修改计划" + ("开始" if hit.kind == "start" else "完成") + "日期）")
        elif hit.kind == "bar":
            parts.append("（拖动计划条中部可整体平移计划开始和完成日期）")
        return "\n".join(parts)


def _d(day: date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else "—"


def _diamond(cx: float, cy: float, half: float) -> QPolygonF:
    return QPolygonF([QPointF(cx, cy - half), QPointF(cx + half, cy), QPointF(cx, cy + half), QPointF(cx - half, cy)])


def paint_legend(p: QPainter, rect: QRectF, style: ChartStyle, period_label: str, baseline_name: str = "") -> None:
    """Explain the symbols, left-aligned in ``rect``; items wrap onto a second line when the rect is narrow."""
    st = style
    p.save()
    font = st.font(max(9, st.font_px - 2))
    fm = QFontMetricsF(font)
    p.setFont(font)
    line_h = fm.height() + 4
    lines_fit = max(1, int(rect.height() // line_h))
    x, cy = rect.left(), rect.center().y()

    def bar(fill: QColor, edge: QColor | None, h: float, late: bool = False) -> None:
        p.setPen(st.plan_pen(late) if late else (QPen(edge, 1) if edge else Qt.PenStyle.NoPen))
        p.setBrush(fill)
        r = QRectF(x, cy - h / 2, 22, h)
        p.drawRect(r)
        st.hatch(p, r.adjusted(1, 1, -1, -1), late)

    def diamond(fill: QColor | None, edge: QColor) -> None:
        p.setPen(QPen(edge, 1.4))
        p.setBrush(fill if fill is not None else QColor("white"))
        p.drawPolygon(_diamond(x + 5, cy, 5))

    def today() -> None:
        p.setPen(QPen(st.today, 1.5, Qt.PenStyle.DashLine))
        p.drawLine(QPointF(x + 4, cy - line_h / 2 + 2), QPointF(x + 4, cy + line_h / 2 - 2))

    def period() -> None:
        p.fillRect(QRectF(x, cy - 6, 18, 12), st.period_shade)

    done = QColor(st.plan_edge) if st.patterns else QColor(st.plan_edge).lighter(150)
    def progress() -> None:
        bar(st.plan_fill, st.plan_edge, 9)
        p.fillRect(QRectF(x + 1, cy - 3.5, 11, 7), done)

    items: list[tuple[float, object, str]] = [
        (26, lambda: bar(st.plan_fill, st.plan_edge, 9), "计划"),
        (26, progress, "形象进度"),
        (26, lambda: bar(st.actual_open, None, 5), "实际"),
    ]
    if baseline_name:
        items.append((26, lambda: bar(st.baseline, None, 3), f"基线（{baseline_name}）"))
    items += [
        (13, lambda: diamond(None, st.plan_edge), "未完成里程碑"),
        (13, lambda: diamond(st.actual_done, st.actual_done.darker(130)), "已完成里程碑"),
        (26, lambda: bar(st.late_fill, st.late_edge, 9, late=True), "滞后"),
        (10, today, "今天"),
        (22, period, f"本报告期（{period_label}）"),
    ]
    if lines_fit > 1:
        cy = rect.top() + line_h / 2
    line = 1
    for width, draw, text in items:
        item_w = width + fm.horizontalAdvance(text) + 14
        if x + item_w > rect.right() and x > rect.left() and line < lines_fit:
            x, cy, line = rect.left(), cy + line_h, line + 1
        draw()  # type: ignore[operator]
        x += width
        p.setPen(st.text)
        w = fm.horizontalAdvance(text)
        p.drawText(QRectF(x, cy - line_h / 2, w + 2, line_h), Qt.AlignmentFlag.AlignVCenter, text)
        x += w + 14
    p.restore()
