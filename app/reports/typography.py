"""The one list of Chinese fonts and the GB/T 9704-2012 type sizes, for Qt painting, the PDF, the .docx and charts.

No Qt and no python-docx here: plain names and numbers. ``app.ui.typesetting`` turns them into Qt fonts and
page furniture, ``app.reports.docx_styles`` into Word styles, ``app.reports.mpl_style`` into matplotlib's
rcParams. Every chain ends in the fonts a Linux machine has (WenQuanYi Micro Hei on CI), whose text extracts
from Qt's PDFs as the characters typed; Word and WPS on the office's PCs find the real fonts first.
"""

from __future__ import annotations

from collections.abc import Iterable

# Fonts found on Linux (CI, a developer's machine): the last resort of every chain.
FALLBACK = ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC")

# GB/T 9704 chains, best first (Windows font family names, then their Chinese names).
TITLE = ("方正小标宋简体", "方正小标宋_GBK", "小标宋", "华文中宋", "STZhongsong", "宋体", "SimSun")
BODY = ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong")
HEADING_1 = ("黑体", "SimHei", "STHeiti")
HEADING_2 = ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti")
SONG = ("宋体", "SimSun", "STSong")  # page numbers, table text
# Screen and chart text: a sans-serif Chinese face that reads well small.
SANS = ("Microsoft YaHei", "微软雅黑", "SimHei", "黑体", "DengXian", "PingFang SC")

# The names a .docx carries (w:eastAsia): Word and WPS substitute when one is missing, the text is unchanged.
DOCX_NAMES = {"title": "方正小标宋简体", "body": "仿宋_GB2312", "h1": "黑体", "h2": "楷体_GB2312", "song": "宋体"}
LATIN = "Times New Roman"

# Sizes in points: 2号 22, 3号 16, 4号 14, 小4 12, 5号 10.5.
TITLE_PT = 22.0
BODY_PT = 16.0
HEADING_PT = 16.0
PAGE_NUMBER_PT = 14.0
TABLE_PT = 12.0
SMALL_TABLE_PT = 10.5
NOTE_PT = 12.0
TOC_PT = 14.0  # the contents page (4号): one page holds some 30 entries
# 22 lines of 28 characters in a 156 × 225 mm text block.
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
# GB/T 9704 margins in mm: left 28, top 37, right 26, bottom 35 (text block 156 × 225 mm on A4).
MARGINS_MM = (28.0, 37.0, 26.0, 35.0)
PAGE_MM = (210.0, 297.0)
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM[0] - MARGINS_MM[2]
TEXT_HEIGHT_MM = PAGE_MM[1] - MARGINS_MM[1] - MARGINS_MM[3]
LINE_PITCH_PT = TEXT_HEIGHT_MM / 25.4 * 72 / LINES_PER_PAGE  # ≈ 28.9 pt
# The page number sits 7 mm below the text block, "— 1 —", odd pages right, even pages left, 1 character in.
PAGE_NUMBER_GAP_MM = 7.0
CONTENTS_MIN_PAGES = 8  # materials longer than this get a contents page


def chain(*families: Iterable[str]) -> list[str]:
    """The families of the given chains in order, then the Linux fallbacks, without repeats."""
    out: list[str] = []
    for group in (*families, FALLBACK):
        for name in group:
            if name not in out:
                out.append(name)
    return out


def first_installed(families: Iterable[str], installed: Iterable[str], default: str = "") -> str:
    """The first of ``families`` that is installed, else the first installed fallback, else ``default``."""
    have = set(installed)
    for name in (*families, *FALLBACK):
        if name in have:
            return name
    return default


def page_number_text(number: int) -> str:
    """GB/T 9704 page number: — 1 —."""
    return f"— {number} —"


def page_number_outer_right(number: int) -> bool:
    """Odd pages carry the number at the right edge, even pages at the left (single-sided folds both ways)."""
    return number % 2 == 1
