"""The moment a file's own checks are done and python-calamine starts reading it, told to whoever waits for it.

From that moment the read runs mostly outside the interpreter lock. `taizhang import` waits for it before it
imports the ledger's code, so that Python work overlaps the read instead of slowing down the bounds check
(both hold the lock). A module of its own: the batch reader sets it without importing the readers themselves.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable

# Set by a reading thread in its own context: other threads, and readers called directly, are not told.
READER_STARTING: contextvars.ContextVar[Callable[[], None] | None] = contextvars.ContextVar(
    "taizhang_reader_starting", default=None
)
