"""Loads pause cyclic garbage collection only while they run, however they end and however many overlap."""

from __future__ import annotations

import gc
import threading

import pytest

from app.gc_pause import gc_paused
from app.services import gantt as service
from app.services.gantt import Selection
from app.storage.db import Database
from app.storage.errors import KnownError


def test_collection_resumes_after_a_load_and_after_a_refused_one(db: Database) -> None:
    assert gc.isenabled()
    service.load_gantt(db)
    assert gc.isenabled()
    with pytest.raises(KnownError):
        service.load_gantt(db, Selection("region", "不存在的地区"))
    assert gc.isenabled()


def test_overlapping_loads_resume_collection_when_the_last_one_ends() -> None:
    first_in, second_done = threading.Event(), threading.Event()
    seen: list[bool] = []

    def other_load() -> None:
        with gc_paused():
            first_in.set()
            second_done.wait(5)
            seen.append(gc.isenabled())

    worker = threading.Thread(target=other_load)
    worker.start()
    first_in.wait(5)
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other load still holds the pause
    second_done.set()
    worker.join(5)
    assert seen == [False] and gc.isenabled()


def test_a_collector_switched_off_elsewhere_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_nested_and_failing_pauses_give_the_collector_back_when_the_outermost_ends() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer load still runs
    assert gc.isenabled()
    with pytest.raises(KeyError), gc_paused():
        raise KeyError("boom")
    assert gc.isenabled()
