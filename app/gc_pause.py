"""Pause Python's cyclic garbage collector while a load builds many objects that cannot form garbage cycles.

A Gantt load of 5,000 rows allocates ~50,000 objects (rows, milestones, their lists) and a 50,000-row return or
ledger hundreds of thousands of lists, dicts and tuples; each 700 of them start a collection, and every tenth of
those walks older objects too, so a Gantt load paid 30-100 ms (a third of its time), a return's conversion a fifth
and the ledger load almost half of theirs for collections that found nothing. One counter for the whole process:
the Gantt, the return reader and the ledger check may overlap on different threads, so the pause is counted and
ends when the last load holding it finishes. Reference counting still frees everything as usual; only the cycle
search waits.
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
