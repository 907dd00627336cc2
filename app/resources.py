"""The one resource locator: finds shipped data files from a checkout, an install or a frozen bundle."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable


def resource(*parts: str) -> Traversable:
    """Return a traversable handle to a file under the top-level ``resources`` package."""
    node: Traversable = resources.files("resources")
    for part in parts:
        node = node / part
    return node


def read_text(*parts: str) -> str:
    """Read a shipped UTF-8 text file."""
    return resource(*parts).read_text(encoding="utf-8")
