"""Text normalisation for matching what departments type against what the app knows.

Headers and names arrive with full-width characters, spaces, line breaks, （）/() variants and star marks;
both functions fold those away so that "形象进度\n（%）" and "形象进度(%)" compare equal.
"""

from __future__ import annotations

import re
import unicodedata

# Whitespace of every kind, including the ideographic space (U+3000) NFKC turns into a plain space and
# the zero-width characters that pasting from web pages leaves behind.
_SPACE_RE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_BRACKETS = str.maketrans(
    {
        "【": "[",
        "】": "]",
        "〔": "(",
        "〕": ")",
        "［": "[",
        "］": "]",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "《": "<",
        "》": ">",
        "、": ",",
        "—": "-",
        "－": "-",
        "–": "-",
    }
)
# A required-column mark (*, ★, ※) in front of or after a header says nothing about the column.
_MARKS_RE = re.compile(r"^[*★☆※]+|[*★☆※]+$")


def fold_width(text: str) -> str:
    """NFKC-normalise: full-width letters, digits and punctuation become half-width (（）→()，％→%)."""
    return unicodedata.normalize("NFKC", text)


def normalise_name(text: object) -> str:
    """Fold a project or member name for comparison: width, brackets, spaces, line breaks, case."""
    if text is None:
        return ""
    folded = fold_width(str(text)).translate(_BRACKETS)
    return _SPACE_RE.sub("", folded).casefold()


def normalise_header(text: object) -> str:
    """Fold a column header for comparison: as normalise_name, also dropping star marks and a final colon."""
    name = normalise_name(text)
    name = _MARKS_RE.sub("", name)
    return name.rstrip(":")


_PAREN_RE = re.compile(r"\(([^()]*)\)")


def split_parenthesised(header: str) -> tuple[str, list[str]]:
    """Split a normalised header into text outside brackets and bracketed parts: 总投资(万元) → 总投资, [万元]."""
    parts = _PAREN_RE.findall(header)
    return _PAREN_RE.sub("", header), parts


def is_blank(value: object) -> bool:
    """True for None, empty strings and strings of whitespace only."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return False


# "Nothing to report" as departments write it in free-text cells (存在问题, 需协调解决的问题): 无 / 暂无 / 没有 /
# 无。 / 暂无需协调解决的问题 / 不涉及 / — … Such an answer is not a problem, not an issue and not a note.
_EMPTY_ANSWER_RE = re.compile(
    r"^(目前|当前|本期|本季度|本月|现阶段|暂时|暂|尚|均)?"
    r"(无|没有|不存在|不涉及|无需|不需要|未发现|未有|未遇到)"
    r"(需要|需|须|要)?(提请|提交|上级|省级|省里)?(协调|协调解决|解决|帮助|协助|协调事项|说明)?(的)?"
    r"(问题|事项|困难|情况|内容|需求)?$"
)
_EMPTY_MARKS = {"", "/", "-", "--", "—", "——", "…", "……", "0", "n/a", "na", "none", "nil", "否", "暂缺"}


def is_empty_answer(value: object) -> bool:
    """Whether a free-text answer says "nothing" (无, 暂无, 没有, 无需协调的问题, —, N/A …) rather than something."""
    if value is None:
        return True
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    text = re.sub(r"[\s。.,，、;；:：!！?？'\"“”‘’()（）\[\]【】]+", "", text)
    return text in _EMPTY_MARKS or bool(_EMPTY_ANSWER_RE.match(text))
