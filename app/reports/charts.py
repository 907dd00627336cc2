"""Report charts as PNG bytes: indicator actuals against targets (the Gantt pages come from the Qt Gantt painter).

matplotlib is imported here lazily (never pyplot): only when a report is rendered.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from app.reports.chart_fonts import apply_chart_style
from app.reports.content import GanttSpec, IndicatorChartSpec

CM = 1 / 2.54


def _configure() -> None:
    apply_chart_style()


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


def chart_raster(spec: IndicatorChartSpec | GanttSpec, width_cm: float, height_cm: float, dpi: int = 200) -> Raster:
    """Draw an indicator chart block's spec at ``dpi`` as raw pixels (the Gantt is drawn by the Qt Gantt painter)."""
    if isinstance(spec, GanttSpec):
        raise TypeError("the report's Gantt pages are drawn by app.ui.report_gantt, not matplotlib")
    return indicator_raster(spec, width_cm, height_cm, dpi)


def chart_png(spec: IndicatorChartSpec | GanttSpec, width_cm: float, height_cm: float, dpi: int = 200) -> bytes:
    """Draw a chart block's spec at ``dpi`` as PNG bytes (for the .docx)."""
    return chart_raster(spec, width_cm, height_cm, dpi).png()
