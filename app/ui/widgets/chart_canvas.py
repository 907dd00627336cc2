"""Small matplotlib charts inside Qt: a lazily imported FigureCanvasQTAgg with a CJK font configured.

matplotlib is never imported at application start: ``preload()`` imports it off the GUI thread, and
``make_canvas()`` (GUI thread) builds a canvas around a ``matplotlib.figure.Figure`` (never pyplot).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CJK_FAMILIES = ["WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", "SimHei", "DejaVu Sans"]
_FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)
_configured = False


def configure_fonts() -> None:
    """Register a CJK font with matplotlib so Chinese labels render as glyphs, not boxes (idempotent)."""
    global _configured
    if _configured:
        return
    import matplotlib
    from matplotlib import font_manager

    for path in _FONT_FILES:
        if Path(path).exists():
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError):
                continue
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = CJK_FAMILIES
    matplotlib.rcParams["axes.unicode_minus"] = False
    _configured = True


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
