"""The collector pause around reading a return always gives the collector back as it found it."""

from __future__ import annotations

import gc
import threading

import pytest

from app.returns.collector import collector_paused


def test_the_collector_is_paused_while_reading_and_on_again_after_nested_and_failing_uses() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer reader still runs
    assert gc.isenabled()
    with pytest.raises(KeyError), collector_paused():
        raise KeyError("boom")
    assert gc.isenabled()


def test_a_collector_the_application_turned_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_readers_on_two_threads_leave_the_collector_on_when_both_are_done() -> None:
    inside = threading.Barrier(3)
    leave = threading.Event()

    def read() -> None:
        with collector_paused():
            inside.wait()
            leave.wait(5)

    threads = [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    inside.wait(5)
    assert not gc.isenabled()
    leave.set()
    for t in threads:
        t.join(5)
    assert gc.isenabled()
