"""Pause Python's cyclic garbage collector while a return is read or the ledger is loaded for checking it."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_PAUSE_LOCK = threading.Lock()
_pauses = 0
_pause_state = [True]  # whether the collector was on when the first reader paused it


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a return is read (nested and threaded uses count).

    A 50,000-row grid (or a ledger of 50,000 projects) is hundreds of thousands of lists, dicts and tuples,
    and every full collection triggered by making more of them walks all of them again (a fifth of the
    conversion's time, almost half of loading the ledger); reading makes no reference cycles worth
    collecting sooner.
    Reference counting frees everything as usual; the collector resumes when the last reader ends.
    """
    global _pauses
    with _PAUSE_LOCK:
        if _pauses == 0:
            _pause_state[0] = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _pauses -= 1
            if _pauses == 0 and _pause_state[0]:
                gc.enable()
