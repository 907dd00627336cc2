"""Pause Python's cyclic garbage collector while a load builds many objects that cannot form garbage cycles.

A Gantt load of 5,000 rows allocates ~50,000 objects (rows, milestones, their lists); each 700 of them start a
collection, and every tenth of those walks older objects too, so a load paid 30-100 ms (a third of its time) for
collections that found nothing. Reference counting still frees everything as usual; only the cycle search waits.
Threads share the collector, so the pause is counted: it ends when the last load holding it finishes.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_reenable = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with cyclic collection paused (if it was on), resuming it when the last holder leaves."""
    global _holders, _reenable
    with _lock:
        if _holders == 0:
            _reenable = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _reenable:
                gc.enable()
