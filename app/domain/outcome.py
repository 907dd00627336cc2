"""A conversion result as a value: the converted value, or the plain-Chinese reason it could not be made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """``value`` when the text could be read (``note`` says what was assumed), else ``reason``."""

    value: T | None = None
    reason: str | None = None
    note: str | None = None  # a guess worth showing as a warning ("按月末理解")

    @property
    def ok(self) -> bool:
        return self.reason is None

    @classmethod
    def fail(cls, reason: str) -> Outcome[T]:
        """A failed conversion with its reason."""
        return cls(None, reason)


# Text a clerk writes in a cell to say "nothing to report"; read as blank, not as an error.
EMPTY_MARKS = frozenset({"-", "--", "---", "—", "——", "/", "\\", "无", "暂无", "空", "n/a", "na", "none", "null"})
