"""One place that gives matplotlib a Chinese font, so chart labels render as glyphs and not boxes."""

from __future__ import annotations

from functools import cache

# Preferred first; the first one installed wins, the rest stay as per-glyph fallbacks.
CJK_FONTS = (
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
    "WenQuanYi Zen Hei",
)


@cache
def configure_cjk_font() -> str | None:
    """Put the installed CJK fonts first in matplotlib's sans-serif list (once); return the chosen one."""
    import matplotlib
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = [name for name in CJK_FONTS if name in installed]
    rc = matplotlib.rcParams
    rc["font.sans-serif"] = found + [n for n in rc["font.sans-serif"] if n not in found]
    rc["font.family"] = "sans-serif"
    # CJK fonts often lack U+2212 (minus sign); the ASCII hyphen is always there.
    rc["axes.unicode_minus"] = False
    return found[0] if found else None
