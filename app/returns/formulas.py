"""Compute the simple formulas a saved workbook would have cached: SUM, +, -, ×, ÷ over cells of one sheet.

Files written by scripts or web systems carry formulas without a computed value. A formula of numbers and
cells of the same sheet joined by + - * / and SUM(…) is computed here exactly as Excel would; anything
else (other functions, other sheets, text operands, division by zero) gives None and stays a warning.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

_TOKEN = re.compile(
    r"\s*(?:(?P<range>\$?[A-Z]{1,3}\$?\d{1,7}:\$?[A-Z]{1,3}\$?\d{1,7})|(?P<ref>\$?[A-Z]{1,3}\$?\d{1,7})"
    r"|(?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)|(?P<sum>SUM\()|(?P<op>[-+*/(),]))"
)
_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d{1,7})")
MAX_RANGE_CELLS = 10_000

ValueAt = Callable[[int, int], float | None]  # (row, col) 0-based → number, None when not a number


class _Unsupported(Exception):
    pass


def _position(ref: str) -> tuple[int, int]:
    match = _REF.fullmatch(ref)
    if match is None:
        raise _Unsupported(ref)
    col = 0
    for ch in match.group(1):
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)) - 1, col - 1


def evaluate(formula: str, value_at: ValueAt) -> float | None:
    """The value of ``formula`` (without the leading =), or None when it is not one this module computes."""
    text = formula.strip().removeprefix("=").upper()
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            return None
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    try:
        parser = _Parser(tokens, value_at)
        value = parser.expression()
        if parser.i != len(tokens):
            return None
    except (_Unsupported, ZeroDivisionError, IndexError, RecursionError):
        return None
    return value if math.isfinite(value) else None


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], value_at: ValueAt) -> None:
        self.tokens = tokens
        self.i = 0
        self.value_at = value_at

    def _peek(self) -> str:
        return self.tokens[self.i][1] if self.i < len(self.tokens) else ""

    def expression(self) -> float:
        value = self.term()
        while self._peek() in ("+", "-"):
            op = self.tokens[self.i][1]
            self.i += 1
            right = self.term()
            value = value + right if op == "+" else value - right
        return value

    def term(self) -> float:
        value = self.factor()
        while self._peek() in ("*", "/"):
            op = self.tokens[self.i][1]
            self.i += 1
            right = self.factor()
            value = value * right if op == "*" else value / right
        return value

    def factor(self) -> float:
        kind, text = self.tokens[self.i]
        self.i += 1
        if text == "-":
            return -self.factor()
        if text == "+":
            return self.factor()
        if kind == "num":
            return float(text)
        if kind == "ref":
            return self._cell(text)
        if kind == "sum":
            total = 0.0
            while True:
                kind, text = self.tokens[self.i]
                if kind == "range":
                    self.i += 1
                    total += self._range(text)
                else:
                    total += self.expression()
                sep = self.tokens[self.i][1]
                self.i += 1
                if sep == ")":
                    return total
                if sep != ",":
                    raise _Unsupported(sep)
        if text == "(":
            value = self.expression()
            if self.tokens[self.i][1] != ")":
                raise _Unsupported(")")
            self.i += 1
            return value
        raise _Unsupported(text)

    def _cell(self, ref: str) -> float:
        row, col = _position(ref)
        value = self.value_at(row, col)
        if value is None:
            raise _Unsupported(ref)
        return value

    def _range(self, text: str) -> float:
        first, last = text.split(":")
        (r0, c0), (r1, c1) = _position(first), _position(last)
        r0, r1 = min(r0, r1), max(r0, r1)
        c0, c1 = min(c0, c1), max(c0, c1)
        if (r1 - r0 + 1) * (c1 - c0 + 1) > MAX_RANGE_CELLS:
            raise _Unsupported(text)
        total = 0.0
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                value = self.value_at(r, c)
                if value is None:
                    raise _Unsupported(text)
                total += value
        return total
