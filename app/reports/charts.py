"""Report charts as PNG bytes: indicator actuals against targets, and a simple planned-vs-progress Gantt.

matplotlib is imported here lazily (never pyplot): only when a report is rendered.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.reports.content import GanttSpec, IndicatorChartSpec

CJK_FONTS = ["SimHei", "Microsoft YaHei", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC"]
CM = 1 / 2.54

_configured = False


def _configure() -> None:
    global _configured
    if _configured:
        return
    import matplotlib

    matplotlib.rcParams["font.sans-serif"] = CJK_FONTS + list(matplotlib.rcParams["font.sans-serif"])
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["font.size"] = 8
    _configured = True


def _figure(width_cm: float, height_cm: float, dpi: int) -> Any:
    _configure()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_cm * CM, height_cm * CM), dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


@dataclass(frozen=True)
class Raster:
    """A drawn chart as raw RGBA pixels (row-major, 4 bytes a pixel): no PNG round trip for the PDF."""

    width: int
    height: int
    rgba: bytes
    dpi: int

    def png(self) -> bytes:
        """Encode as PNG (fast compression: reports are regenerated often, files stay small enough)."""
        import numpy as np
        from matplotlib.image import imsave

        buf = io.BytesIO()
        pixels = np.frombuffer(self.rgba, dtype=np.uint8).reshape(self.height, self.width, 4)
        imsave(buf, pixels, format="png", dpi=self.dpi, pil_kwargs={"compress_level": 1})
        return buf.getvalue()


def _raster(fig: Any) -> Raster:
    fig.canvas.draw()
    width, height = fig.canvas.get_width_height(physical=True)
    return Raster(width, height, bytes(fig.canvas.buffer_rgba()), int(fig.dpi))


def indicator_raster(spec: IndicatorChartSpec, width_cm: float, height_cm: float, dpi: int = 200) -> Raster:
    """The indicators view's own chart (same look on screen and on paper), sized for the report."""
    from app.reports.indicator_charts import indicator_figure

    _configure()
    fig = indicator_figure(spec.data, width_in=width_cm * CM, height_in=height_cm * CM)  # type: ignore[arg-type]
    fig.set_dpi(dpi)
    # Fixed margins instead of the view's constrained layout: on paper every chart has the same size, and
    # the layout solver was a third of the report's drawing time.
    fig.set_layout_engine("none")
    left, bottom = 1.5 / width_cm, 1.0 / height_cm
    for ax in fig.axes:
        ax.set_position((left, bottom, 1 - left - 0.3 / width_cm, 1 - bottom - 0.6 / height_cm))
        ax.title.set_fontsize(8.5)
        ax.tick_params(labelsize=6.5)
        legend = ax.get_legend()
        if legend is not None:
            for text in legend.get_texts():
                text.set_fontsize(6)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    return _raster(fig)


def _bar(left: float, width: float, y: float, half_height: float) -> list[tuple[float, float]]:
    return [
        (left, y - half_height),
        (left + width, y - half_height),
        (left + width, y + half_height),
        (left, y + half_height),
    ]


def gantt_raster(spec: GanttSpec, width_cm: float, height_cm: float, dpi: int = 200) -> Raster:
    """One bar per project: planned span (light), the share done by reported progress (dark), today line."""
    from matplotlib.dates import DateFormatter, YearLocator
    from matplotlib.dates import date2num as _date2num

    def date2num(d: date) -> float:
        return float(_date2num(d))  # type: ignore[no-untyped-call]

    fig = _figure(width_cm, height_cm, dpi)
    ax = fig.add_subplot()
    from matplotlib.collections import PolyCollection

    rows = spec.rows
    labels = []
    # Two collections (planned spans, done shares) draw far faster than a Rectangle patch per bar.
    spans, span_colours, dones, done_colours = [], [], [], []
    for i, r in enumerate(rows):
        assert r.planned_start and r.planned_end
        y = len(rows) - 1 - i
        start = float(date2num(r.planned_start))
        span = max(1.0, float(date2num(r.planned_end)) - start)
        spans.append(_bar(start, span, y, 0.3))
        span_colours.append("#f5b7b1" if r.lagging else "#d6eaf8")
        if r.progress_pct:
            dones.append(_bar(start, span * min(100.0, r.progress_pct) / 100, y, 0.16))
            done_colours.append("#c0392b" if r.lagging else "#1f4e79")
        labels.append(r.label if len(r.label) <= 22 else r.label[:21] + "…")
    ax.add_collection(PolyCollection(spans, facecolors=span_colours, edgecolors="#7f8c8d", linewidths=0.3))
    if dones:
        ax.add_collection(PolyCollection(dones, facecolors=done_colours, edgecolors="none"))
    ax.set_yticks(range(len(rows) - 1, -1, -1), labels, fontsize=6.5)
    ax.axvline(date2num(spec.as_of), color="#c0392b", linewidth=0.8)
    ax.xaxis.set_major_locator(YearLocator())  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(DateFormatter("%Y"))  # type: ignore[no-untyped-call]
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(True, axis="x", linewidth=0.3, alpha=0.6)
    if rows:
        lo = min(r.planned_start for r in rows if r.planned_start)
        hi = max(r.planned_end for r in rows if r.planned_end)
        ax.set_xlim(date2num(lo - timedelta(days=30)), date2num(max(hi, spec.as_of) + timedelta(days=30)))
    ax.set_ylim(-0.7, max(len(rows), 1) - 0.3)
    title = "项目进度甘特图"
    if spec.parts > 1:
        title += f"（{spec.part}/{spec.parts}）"
    ax.set_title(title, fontsize=9)
    # Fixed margins instead of tight_layout: the labels are capped at 22 characters, and a layout pass per
    # chart doubles the drawing time of a long Gantt appendix.
    fig.subplots_adjust(left=5.0 / width_cm, right=1 - 0.4 / width_cm, bottom=0.7 / height_cm, top=1 - 0.7 / height_cm)
    return _raster(fig)


def chart_raster(spec: IndicatorChartSpec | GanttSpec, width_cm: float, height_cm: float, dpi: int = 200) -> Raster:
    """Draw a chart block's spec at ``dpi`` as raw pixels."""
    if isinstance(spec, GanttSpec):
        return gantt_raster(spec, width_cm, height_cm, dpi)
    return indicator_raster(spec, width_cm, height_cm, dpi)


def chart_png(spec: IndicatorChartSpec | GanttSpec, width_cm: float, height_cm: float, dpi: int = 200) -> bytes:
    """Draw a chart block's spec at ``dpi`` as PNG bytes (for the .docx)."""
    return chart_raster(spec, width_cm, height_cm, dpi).png()
