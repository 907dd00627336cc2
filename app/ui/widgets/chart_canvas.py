"""Small matplotlib charts inside Qt: a lazily imported FigureCanvasQTAgg with a CJK font configured.

matplotlib is never imported at application start: ``preload()`` imports it off the GUI thread, and
``make_canvas()`` (GUI thread) builds a canvas around a ``matplotlib.figure.Figure`` (never pyplot).
"""

from __future__ import annotations

from typing import Any


def configure_fonts() -> None:
    """Apply the app's one matplotlib style (CJK fonts and sizes; idempotent)."""
    from app.reports.chart_fonts import apply_chart_style

    apply_chart_style()


def preload() -> bool:
    """Import matplotlib's Figure and set fonts; safe to run on a worker thread before the first chart."""
    import matplotlib.figure  # noqa: F401 - the import itself is the work

    configure_fonts()
    return True


def make_canvas(figure: Any) -> Any:
    """A Qt widget showing ``figure`` (GUI thread only)."""
    configure_fonts()
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    return FigureCanvasQTAgg(figure)


def new_figure(width_in: float, height_in: float, dpi: int = 100) -> Any:
    """A matplotlib Figure of the given size, with a tight layout."""
    configure_fonts()
    from matplotlib.figure import Figure

    return Figure(figsize=(width_in, height_in), dpi=dpi, layout="constrained")
