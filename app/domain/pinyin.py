"""Pinyin search keys for Chinese names, so "sjzx" or "shujuzhongxin" finds 数据中心.

pypinyin is imported on first use (it takes ~150 ms to import) and keys are cached per text.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=65536)
def search_key(text: str) -> str:
    """Lower-case text, its pinyin initials and its full pinyin, joined by a separator for substring search."""
    from pypinyin import Style, lazy_pinyin

    lowered = text.lower()
    syllables = lazy_pinyin(lowered, errors="default")
    full = "".join(syllables)
    initials = "".join(lazy_pinyin(lowered, style=Style.FIRST_LETTER, errors="default"))
    return f"{lowered}\x1f{initials}\x1f{full}"


def matches(query: str, text: str) -> bool:
    """Whether ``query`` (Chinese, code, pinyin initials or full pinyin) occurs in ``text``."""
    q = normalise_query(query)
    return not q or q in search_key(text)


def normalise_query(query: str) -> str:
    """The form a typed query is compared in: lower case, spaces removed."""
    return "".join(query.lower().split())
