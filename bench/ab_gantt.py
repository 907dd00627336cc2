"""A/B of the Gantt load: this checkout against another one's app/services/gantt.py, in one process, interleaved.

Usage: python -m bench.ab_gantt --base OTHER/app/services/gantt.py [--db BIG.db] [--projects 5000] [--rounds 15]

On a machine shared with other benchmarks, two figures measured minutes apart differ by more than a change is
worth; here every round measures the floor (plain sqlite3 fetch of the rows the chart shows, bench_gantt's
queries), then the base and this checkout in alternating order, so that a change in the load touches all three
alike. Both loads must draw the same picture (tests/gantt_picture.render), which is checked first. Medians of
wall and CPU time, as ratios to the floor of the same rounds.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from bench import floors
from bench.bench_gantt import GANTT_FLOOR_QUERIES


def _module(path: Path) -> Any:
    """The base's gantt.py, imported under its own name (it shares the rest of the app with this checkout)."""
    spec = importlib.util.spec_from_file_location("base_gantt", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["base_gantt"] = module
    spec.loader.exec_module(module)
    return module


def _ratio(what: str, seconds: float, floor_name: str, floor_seconds: float) -> str:
    """``floors.ratio_line`` with two decimals: an A/B compares ratios closer than 0.1 apart."""
    ratio = seconds / floor_seconds
    return f"{what}: {seconds * 1000:.0f} ms = {ratio:.2f}× floor ({floor_name} {floor_seconds * 1000:.0f} ms)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A/B of the Gantt load against another checkout's gantt.py.")
    parser.add_argument("--base", type=Path, required=True, help="the other checkout's app/services/gantt.py")
    parser.add_argument("--db", type=Path, help="an existing large database (else one is generated)")
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)

    from app.services import gantt as branch
    from app.storage.db import Database
    from bench.generate_portfolio import generate
    from tests.gantt_picture import render

    base = _module(args.base)
    tmp = tempfile.TemporaryDirectory()
    path = args.db
    if path is None:
        path = Path(tmp.name) / "gantt_ab.db"
        generate(path, projects=args.projects, months=12, entries=args.projects * 12)
    db = Database(path)
    today = date(2025, 6, 30)
    assert render(base.load_gantt(db, today=today)) == render(branch.load_gantt(db, today=today)), "pictures differ"

    wall: dict[str, list[float]] = {"floor": [], "base": [], "branch": []}
    cpu: dict[str, list[float]] = {"floor": [], "base": [], "branch": []}
    kept: dict[str, Any] = {}

    def timed(name: str, load: Callable[[], Any]) -> None:
        t0, c0 = time.perf_counter(), time.process_time()
        kept[name] = load()  # frees this side's previous load inside the timing, as bench_gantt does
        wall[name].append(time.perf_counter() - t0)
        cpu[name].append(time.process_time() - c0)

    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for k in range(args.rounds):
        gc.disable()  # the loads pause the collector (app.gc_pause): so does the floor, as in bench_gantt
        try:
            wall["floor"].append(floors.sqlite_fetch(path, GANTT_FLOOR_QUERIES, runs=1))
            cpu["floor"].append(floors.sqlite_fetch(path, GANTT_FLOOR_QUERIES, runs=1, cpu=True))
        finally:
            gc.enable()
        sides = (("base", base), ("branch", branch)) if k % 2 == 0 else (("branch", branch), ("base", base))
        for name, module in sides:
            timed(name, partial(module.load_gantt, db, today=today))
    print(floors.load_line())
    floor_wall, floor_cpu = statistics.median(wall["floor"]), statistics.median(cpu["floor"])
    for name in ("base", "branch"):
        label = f"Gantt complete picture, {name}, median of {args.rounds}"
        print(_ratio(label, statistics.median(wall[name]), "sqlite3 fetch", floor_wall))
        print(_ratio(f"{label}, CPU", statistics.median(cpu[name]), "sqlite3 fetch, CPU", floor_cpu))
    db.dispose()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
