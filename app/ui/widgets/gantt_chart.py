"""The scrolling Gantt widget: frozen header and name column, paints only the visible lines and time.

Signals: span_dragged(int row, object old_start, object old_end, object new_start, object new_end) for an end or
the whole bar (grabbed in its middle),
milestone_dragged(int row, int milestone_index, object old_date, object new_date), project_activated(int)
(double-click or Enter on the row selected with a click or Up/Down),
scale_changed().
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSlider, QToolTip, QWidget

from app.domain.timeline import DEFAULT_PX_PER_DAY, Timeline, Zoom, layout_lines
from app.services.gantt import GanttData, Grouping
from app.ui import read_only
from app.ui.widgets.gantt_painter import ChartStyle, GanttPainter, Hit, paint_legend

WHEEL_ZOOM_STEP = 1.25


@dataclasses.dataclass
class _Drag:
    hit: Hit
    press_x: float
    old_start: date | None
    old_end: date | None
    old_date: date | None
    moved: bool = False


class GanttChart(QAbstractScrollArea):
    """A Gantt chart over GanttData; grouping and collapsing rebuild the lines, zoom rebuilds the timeline."""

    span_dragged = Signal(int, object, object, object, object)
    milestone_dragged = Signal(int, int, object, object)
    project_activated = Signal(int)
    scale_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.style_ = ChartStyle()
        self.grouping = Grouping.NONE
        self.collapsed: set[str] = set()
        self.data: GanttData | None = None
        self.painter: GanttPainter | None = None
        self.timeline = Timeline.for_range(date.today(), date.today(), Zoom.MONTH)
        self._drag: _Drag | None = None
        self.drag_text = ""  # the dates under the cursor while dragging (painted beside it)
        self._drag_pos = QPoint()
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.horizontalScrollBar().valueChanged.connect(self.viewport().update)
        self.verticalScrollBar().valueChanged.connect(self.viewport().update)
        self.setMinimumSize(400, 200)

    # --- data ---------------------------------------------------------------------------------------------------

    def set_data(self, data: GanttData, *, keep_view: bool = True) -> None:
        """Show new data; keep the scale and, where possible, the date at the left edge."""
        left = self.timeline.date_at(self.horizontalScrollBar().value()) if keep_view and self.data else None
        self.data = data
        lo, hi = data.date_range()
        self.timeline = Timeline.for_range(lo, hi, self.timeline.zoom, self.timeline.px_per_day).with_scale(
            self.timeline.px_per_day
        )
        self._rebuild()
        if left is not None:
            self.horizontalScrollBar().setValue(int(self.timeline.x_of(left)))
        else:
            self.scroll_to_date(data.today)

    def set_grouping(self, grouping: str) -> None:
        self.grouping = grouping
        self.collapsed.clear()
        self._rebuild()

    def toggle_group(self, group: str) -> None:
        if group in self.collapsed:
            self.collapsed.discard(group)
        else:
            self.collapsed.add(group)
        self._rebuild()

    def set_all_collapsed(self, collapsed: bool) -> None:
        if self.painter is None:
            return
        if collapsed and self.data is not None:
            self.collapsed = {k[1] for r in self.data.rows if (k := r.group_key(self.grouping)) is not None}
        else:
            self.collapsed.clear()
        self._rebuild()

    def _retime(self) -> None:
        """A new timeline (zoom, fit) keeps the lines: only the painter's scale changes."""
        if self.painter is None:
            self._rebuild()
            return
        self.painter.timeline = self.timeline
        self._update_scrollbars()
        self.viewport().update()

    def _rebuild(self) -> None:
        if self.data is None:
            return
        keys = [r.group_key(self.grouping) for r in self.data.rows]
        lines = layout_lines(keys, frozenset(self.collapsed))
        selected = self.painter.selected_row if self.painter else -1
        self.painter = GanttPainter(self.data, lines, self.timeline, self.style_)
        self.painter.selected_row = selected
        self._update_scrollbars()
        self.viewport().update()

    # --- zoom and scroll ----------------------------------------------------------------------------------------

    @property
    def body_width(self) -> float:
        return max(1.0, self.viewport().width() - self.style_.name_width)

    @property
    def body_height(self) -> float:
        return max(1.0, self.viewport().height() - self.style_.header_height)

    def set_zoom(self, zoom: Zoom) -> None:
        """Switch to a zoom's default scale, keeping the date in the middle of the view."""
        self.set_scale(DEFAULT_PX_PER_DAY[zoom])

    def set_scale(self, px_per_day: float, anchor: float | None = None) -> None:
        """Change pixels per day keeping the date under ``anchor`` (body x) where it is."""
        if self.data is None:
            self.timeline = Timeline.for_range(date.today(), date.today(), Zoom.MONTH).with_scale(px_per_day)
            return
        anchor = self.body_width / 2 if anchor is None else anchor
        tx = self.horizontalScrollBar().value() + anchor
        day_float = tx / self.timeline.px_per_day
        anchor_date = self.timeline.origin + timedelta(days=day_float)
        lo, hi = self.data.date_range()
        self.timeline = Timeline.for_range(lo, hi, self.timeline.zoom).with_scale(px_per_day)
        self._retime()
        new_tx = (anchor_date - self.timeline.origin).days * self.timeline.px_per_day
        self.horizontalScrollBar().setValue(int(round(new_tx - anchor)))
        self.scale_changed.emit()

    def fit_to_window(self) -> None:
        """Scale so the whole date range fits the visible width."""
        if self.data is None:
            return
        lo, hi = self.data.date_range()
        self.timeline = Timeline.fitted(lo, hi, self.body_width - 2)
        self._retime()
        self.horizontalScrollBar().setValue(0)
        self.scale_changed.emit()

    def scroll_to_date(self, day: date) -> None:
        """Bring ``day`` to about a third of the visible width."""
        self.horizontalScrollBar().setValue(int(self.timeline.x_of(day) - self.body_width / 3))

    def _update_scrollbars(self) -> None:
        if self.painter is None:
            return
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setRange(0, max(0, int(math.ceil(self.timeline.width - self.body_width))))
        h.setPageStep(int(self.body_width))
        h.setSingleStep(max(1, int(self.timeline.px_per_day * 7)))
        v.setRange(0, max(0, int(math.ceil(self.painter.geometry.height - self.body_height))))
        v.setPageStep(int(self.body_height))
        v.setSingleStep(int(self.style_.row_height))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._update_scrollbars()

    def scroll_to_line(self, line: int) -> None:
        if self.painter is None:
            return
        y = self.painter.geometry.y_of(line)
        v = self.verticalScrollBar()
        if y < v.value():
            v.setValue(int(y))
        elif y + self.style_.row_height > v.value() + self.body_height:
            v.setValue(int(y + self.style_.row_height - self.body_height))

    # --- painting -----------------------------------------------------------------------------------------------

    def paintEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self.viewport())
        rect = QRectF(self.viewport().rect())
        if self.painter is None:
            p.fillRect(rect, Qt.GlobalColor.white)
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, "正在载入……")
            return
        if not self.painter.data.rows:
            p.fillRect(rect, Qt.GlobalColor.white)
            p.setFont(self.style_.font(14))
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, "所选范围内没有项目")
            return
        self.painter.paint(p, rect, self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        if self.drag_text:
            self._paint_drag_label(p, rect)
        p.end()

    def _paint_drag_label(self, p: QPainter, rect: QRectF) -> None:
        """The dates under the cursor while a bar or milestone is dragged, in a box beside the cursor."""
        p.setFont(self.style_.font(10))
        metrics = p.fontMetrics()
        width = metrics.horizontalAdvance(self.drag_text) + 12
        height = metrics.height() + 8
        x = min(self._drag_pos.x() + 14, rect.right() - width - 2)
        y = max(self._drag_pos.y() - height - 6, rect.top() + 2)
        box = QRectF(max(x, rect.left() + 2), y, width, height)
        p.setPen(QColor("#344054"))
        p.setBrush(QColor("#fffbe6"))
        p.drawRoundedRect(box, 3, 3)
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, self.drag_text)

    # --- hit testing and editing --------------------------------------------------------------------------------

    def hit_at(self, pos: QPoint) -> tuple[Hit | None, bool]:
        """(hit, in name column) for a viewport position."""
        if self.painter is None or pos.y() < self.style_.header_height:
            return None, False
        tx = pos.x() - self.style_.name_width + self.horizontalScrollBar().value()
        ly = pos.y() - self.style_.header_height + self.verticalScrollBar().value()
        hit = self.painter.hit(tx, ly)
        return hit, pos.x() < self.style_.name_width

    def body_point(self, day: date, line: int, part: str = "plan") -> QPoint:
        """Viewport position of a day on a line (for tests and keyboard actions): centre of the planned band."""
        assert self.painter is not None
        x = self.timeline.x_of(day) + self.timeline.px_per_day / 2
        y = self.painter.geometry.y_of(line) + self.style_.row_height * (0.33 if part == "plan" else 0.66)
        return QPoint(
            int(round(x - self.horizontalScrollBar().value() + self.style_.name_width)),
            int(round(y - self.verticalScrollBar().value() + self.style_.header_height)),
        )

    def move_selection(self, step: int) -> None:
        """Select the project ``step`` lines up (-1) or down (+1), skipping group headings, and scroll to it."""
        if self.painter is None or not self.painter.lines:
            return
        lines, selected = self.painter.lines, self.painter.selected_row
        current = next((i for i, ln in enumerate(lines) if not ln.is_group and ln.row == selected), None)
        if current is None:  # nothing selected yet: start from the top line in view
            top = self.painter.geometry.line_at(self.verticalScrollBar().value()) or 0
            current = top - step if step > 0 else top + 1
        i = current + step
        while 0 <= i < len(lines) and lines[i].is_group:
            i += step
        if not 0 <= i < len(lines):
            return
        self.painter.selected_row = lines[i].row
        self.scroll_to_line(i)
        self.viewport().update()

    def line_of_row(self, row: int) -> int:
        assert self.painter is not None
        return next(i for i, ln in enumerate(self.painter.lines) if ln.row == row)

    def drag_edits_enabled(self) -> bool:
        """Whether dragging a bar or milestone edits the plan (not on a read-only database)."""
        return read_only.may_write()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() != Qt.MouseButton.LeftButton or self.painter is None:
            return super().mousePressEvent(event)
        hit, in_names = self.hit_at(event.position().toPoint())
        if hit is None:
            return
        if hit.kind == "group":
            self.toggle_group(hit.group)
            return
        self.painter.selected_row = hit.row
        self.viewport().update()
        if in_names:
            return
        row = self.painter.data.rows[hit.row]
        if hit.kind in ("start", "end", "bar", "milestone") and not read_only.refused(self):
            m = row.milestones[hit.milestone] if hit.kind == "milestone" else None
            self._drag = _Drag(hit, event.position().x(), row.planned_start, row.planned_end, m.planned if m else None)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self.painter is None:
            return
        pos = event.position()
        if self._drag is None:
            hit, in_names = self.hit_at(pos.toPoint())
            shape = Qt.CursorShape.ArrowCursor
            if hit and not in_names and (hit.kind == "group" or self.drag_edits_enabled()):
                if hit.kind in ("start", "end"):
                    shape = Qt.CursorShape.SizeHorCursor
                elif hit.kind == "bar":
                    shape = Qt.CursorShape.OpenHandCursor
                elif hit.kind == "milestone":
                    shape = Qt.CursorShape.SizeAllCursor
                elif hit.kind == "group":
                    shape = Qt.CursorShape.PointingHandCursor
            self.viewport().setCursor(shape)
            return
        drag = self._drag
        delta_days = round((pos.x() - drag.press_x) / self.timeline.px_per_day)
        if delta_days == 0 and not drag.moved:
            return
        drag.moved = True
        row = self.painter.data.rows[drag.hit.row]
        step = timedelta(days=delta_days)
        if drag.hit.kind == "start" and drag.old_start and drag.old_end:
            row.planned_start = min(drag.old_start + step, drag.old_end)
        elif drag.hit.kind == "end" and drag.old_start and drag.old_end:
            row.planned_end = max(drag.old_end + step, drag.old_start)
        elif drag.hit.kind == "bar" and drag.old_start and drag.old_end:
            # The middle of the bar moves the whole plan: same number of days for start and end.
            row.planned_start, row.planned_end = drag.old_start + step, drag.old_end + step
        elif drag.hit.kind == "milestone" and drag.old_date:
            k = drag.hit.milestone
            row.milestones[k] = dataclasses.replace(row.milestones[k], planned=drag.old_date + step)
        self.drag_text = self._drag_dates(drag, row, delta_days)
        self._drag_pos = pos.toPoint()
        self.viewport().update()

    @staticmethod
    def _drag_dates(drag: _Drag, row: Any, delta_days: int) -> str:
        """计划开工 2025-03-01（+15 天）: what the dragged part would become, as the clerk reads it."""
        shift = f"（{delta_days:+d} 天）" if delta_days else ""
        if drag.hit.kind == "start":
            return f"计划开工 {row.planned_start:%Y-%m-%d}{shift}"
        if drag.hit.kind == "end":
            return f"计划完工 {row.planned_end:%Y-%m-%d}{shift}"
        if drag.hit.kind == "bar":
            return f"{row.planned_start:%Y-%m-%d} 至 {row.planned_end:%Y-%m-%d}{shift}"
        if drag.hit.kind == "milestone":
            m = row.milestones[drag.hit.milestone]
            return f"{m.name} {m.planned:%Y-%m-%d}{shift}"
        return ""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        drag, self._drag = self._drag, None
        self.drag_text = ""
        if drag is None or self.painter is None or not drag.moved:
            return
        row = self.painter.data.rows[drag.hit.row]
        if drag.hit.kind == "milestone":
            k = drag.hit.milestone
            new = row.milestones[k].planned
            # Put the old value back: the undo command applies the new one once the service accepted it.
            row.milestones[k] = dataclasses.replace(row.milestones[k], planned=drag.old_date)
            if new != drag.old_date:
                self.milestone_dragged.emit(drag.hit.row, k, drag.old_date, new)
        else:
            new_start, new_end = row.planned_start, row.planned_end
            row.planned_start, row.planned_end = drag.old_start, drag.old_end
            if (new_start, new_end) != (drag.old_start, drag.old_end):
                self.span_dragged.emit(drag.hit.row, drag.old_start, drag.old_end, new_start, new_end)
        self.viewport().update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        hit, _ = self.hit_at(event.position().toPoint())
        if hit and hit.row >= 0 and self.painter is not None:
            self.project_activated.emit(self.painter.data.rows[hit.row].project_id)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        mods = event.modifiers()
        if mods & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120.0
            if steps:
                anchor = event.position().x() - self.style_.name_width
                self.set_scale(self.timeline.px_per_day * WHEEL_ZOOM_STEP**steps, max(0.0, anchor))
            event.accept()
            return
        if mods & Qt.KeyboardModifier.ShiftModifier:
            h = self.horizontalScrollBar()
            h.setValue(h.value() - int(event.angleDelta().y()))
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if ctrl and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.set_scale(self.timeline.px_per_day * WHEEL_ZOOM_STEP)
        elif ctrl and key == Qt.Key.Key_Minus:
            self.set_scale(self.timeline.px_per_day / WHEEL_ZOOM_STEP)
        elif key == Qt.Key.Key_Left:
            self.horizontalScrollBar().triggerAction(QAbstractSlider.SliderAction.SliderSingleStepSub)
        elif key == Qt.Key.Key_Right:
            self.horizontalScrollBar().triggerAction(QAbstractSlider.SliderAction.SliderSingleStepAdd)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not ctrl:
            self.move_selection(-1 if key == Qt.Key.Key_Up else 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.painter and self.painter.selected_row >= 0:
            self.project_activated.emit(self.painter.data.rows[self.painter.selected_row].project_id)
        else:
            super().keyPressEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.ToolTip and self.painter is not None:
            pos = event.pos()  # type: ignore[attr-defined]
            hit, _ = self.hit_at(pos)
            if hit is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.painter.tooltip(hit), self.viewport())  # type: ignore[attr-defined]
            return True
        return super().viewportEvent(event)


class GanttLegend(QWidget):
    """The symbol legend under the chart, drawn by the same routine as on printed pages."""

    def __init__(self, chart: GanttChart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.setFixedHeight(24)

    def paintEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        data = self.chart.data
        if data is None:
            return
        p = QPainter(self)
        baseline = data.baseline.name if data.baseline else ""
        paint_legend(p, QRectF(self.rect()).adjusted(6, 0, 0, 0), self.chart.style_, data.period_label, baseline)
        p.end()
