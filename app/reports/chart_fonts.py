"""The one matplotlib style of the app (fonts, sizes, minus sign), applied once, for screen and paper charts.

matplotlib is imported here only when a chart is first drawn, never at application start. The CJK fonts come
from ``app.reports.typography`` (the one font list); font files that matplotlib's cache may not know yet are
registered first, so Chinese labels render as glyphs and not boxes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from app.reports.typography import FALLBACK, SANS

# Font files worth registering explicitly: matplotlib's font cache can predate a font installed later.
_FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)
CHART_FONT_PT = 8.0


@cache
def apply_chart_style() -> str | None:
    """Set the app's rcParams once (CJK sans-serif first, ASCII minus, small sizes); return the chosen font."""
    import matplotlib
    from matplotlib import font_manager

    for path in _FONT_FILES:
        if Path(path).exists():
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError):
                continue
    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = [name for name in (*SANS, *FALLBACK) if name in installed]
    rc = matplotlib.rcParams
    rc["font.sans-serif"] = found + [n for n in rc["font.sans-serif"] if n not in found]
    rc["font.family"] = "sans-serif"
    # CJK fonts often lack U+2212 (minus sign); the ASCII hyphen is always there.
    rc["axes.unicode_minus"] = False
    rc["font.size"] = CHART_FONT_PT
    return found[0] if found else None


def configure_cjk_font() -> str | None:
    """The chart style (kept under its old name for callers that only wanted the font)."""
    return apply_chart_style()
