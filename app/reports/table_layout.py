"""Column widths for report tables so that no number, date, percent or status breaks in the middle.

Shared by the PDF and the .docx so both lay a table out alike. Widths are estimated from character classes
(a CJK character is one em, other characters about 0.55 em): close enough for 仿宋/宋体 and for WenQuanYi.
"""

from __future__ import annotations

import re
import unicodedata

from app.reports.content import Table

LATIN_EM = 0.56
PADDING_EM = 0.7  # cell padding and borders, in ems of the table font
WHOLE_CHARS = 7  # a cell this short (未填报（滞后）, 互联网产业规模, 长白山管委会) never wraps inside
# Break opportunities: spaces, dashes between dates and CJK punctuation — never ASCII , . - / inside a number.
BREAK_AFTER = set(" \u3000–—、，；：）)")


def _em(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else LATIN_EM


def text_em(text: str) -> float:
    """Estimated width of ``text`` in ems."""
    return sum(_em(ch) for ch in text)


# Never broken: a short bracketed part, and a date range (Qt does not break at the dash of 2022.05–2027.03,
# it breaks inside the second date).
_DATE = r"\d{4}[.\-/]\d{1,2}(?:[.\-/]\d{1,2})?"
_ATOMIC = re.compile(rf"（[^（）]{{1,6}}）|\([^()]{{1,6}}\)|{_DATE}[–—~-]{_DATE}")


def tokens(text: str, whole: int = WHOLE_CHARS) -> list[str]:
    """The pieces a line may break between: after spaces and punctuation, between CJK characters of long text.

    A short bracketed part — （2024年）, （滞后）, (%) — is one piece: it moves to the next line whole.
    """
    if len(text) <= whole:
        return [text]
    out: list[str] = []
    pos = 0
    for m in _ATOMIC.finditer(text):
        out.extend(_split(text[pos : m.start()]))
        out.append(m.group())
        pos = m.end()
    out.extend(_split(text[pos:]))
    return out


def _split(text: str) -> list[str]:
    out: list[str] = []
    current = ""
    for ch in text:
        cjk = unicodedata.east_asian_width(ch) in "WF" and ch not in "（）()%％"
        if cjk and current and all(unicodedata.east_asian_width(c) not in "WF" for c in current):
            out.append(current)
            current = ""
        current += ch
        if ch in BREAK_AFTER or cjk:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


def min_em(text: str, whole: int = WHOLE_CHARS) -> float:
    """The widest unbreakable piece of ``text`` (its lines split at \\n), in ems."""
    return max((text_em(t) for line in text.split("\n") for t in tokens(line, whole)), default=0.0)


def column_widths(table: Table, width_pt: float, font_pt: float) -> list[float]:
    """Column widths in points summing to ``width_pt``: every column at least its widest unbreakable piece.

    Cells of up to ten characters are kept whole when the table has room for that, else up to seven. Room left
    over goes first to columns whose text would otherwise wrap (weighted by ``table.widths``), then in
    proportion to ``table.widths``. When even the minimums do not fit, they are scaled down together.
    """
    # The generous pass only when it leaves a quarter of the width for the long text columns.
    for whole, share in ((10, 0.75), (WHOLE_CHARS, 1.0)):
        widths = _widths(table, width_pt, font_pt, whole, share)
        if widths is not None:
            return widths
    minimum = _minimums(table, font_pt, WHOLE_CHARS)[0]
    total = sum(minimum)
    return [width_pt * m / total for m in minimum]


def _minimums(table: Table, font_pt: float, whole: int) -> tuple[list[float], list[float]]:
    n = len(table.columns)
    pad = PADDING_EM * font_pt
    # A header may wrap between its characters (计划/投资); a unit in brackets stays whole.
    minimum = [pad + font_pt * max(2.0, min_em(table.columns[c], 2)) for c in range(n)]
    natural = list(minimum)
    for row in table.rows:
        for c, value in enumerate(row[:n]):
            minimum[c] = max(minimum[c], pad + font_pt * min_em(value, whole))
            natural[c] = max(natural[c], pad + font_pt * max((text_em(x) for x in value.split("\n")), default=0))
    return minimum, natural


def _widths(table: Table, width_pt: float, font_pt: float, whole: int, share: float) -> list[float] | None:
    n = len(table.columns)
    minimum, natural = _minimums(table, font_pt, whole)
    total_min = sum(minimum)
    if total_min > width_pt * share:
        return None
    weights = [max(w, 0.01) for w in table.widths]
    widths = list(minimum)
    spare = width_pt - total_min
    # Round 1: let columns grow toward their natural (unwrapped) width, by weight, until the room is used.
    for _ in range(6):
        wanting = [c for c in range(n) if natural[c] > widths[c] + 0.5]
        if not wanting or spare <= 0.5:
            break
        share = sum(weights[c] for c in wanting)
        used = 0.0
        for c in wanting:
            give = min(natural[c] - widths[c], spare * weights[c] / share)
            widths[c] += give
            used += give
        spare -= used
    # Round 2: what is left goes by weight.
    if spare > 0:
        total_w = sum(weights)
        widths = [w + spare * weights[c] / total_w for c, w in enumerate(widths)]
    return widths
