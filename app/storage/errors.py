"""Errors a user can act on (KnownError, with a Chinese message) versus bugs (everything else)."""

from __future__ import annotations


class KnownError(Exception):
    """A failure with a plain-Chinese explanation for the user: bad input, locked or missing file …"""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StaleEditError(KnownError):
    """Someone else changed the record since it was read (optimistic locking on ``version``)."""
