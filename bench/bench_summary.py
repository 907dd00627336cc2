"""Benchmark the returns-out writers on the large generated portfolio: summary, templates, chasing list.

Usage: python -m bench.bench_summary [--db EXISTING.db] [--repeat N]
Prints one line per measurement (best of N, seconds) and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.services.chasing import chasing_report
from app.services.summary import export_summary, summary_data
from app.services.templates import export_templates
from app.storage.db import Database
from bench import floors
from bench.generate_portfolio import generate

PERIOD = "2025-12"  # the generator's last monthly period: every department has a current return


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def _cells_of(path: Path) -> list[list[object]]:
    """Every value of every sheet of a written workbook (what the floor writes again, plainly)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    rows = [list(row) for ws in book.worksheets for row in ws.iter_rows(values_only=True)]
    book.close()
    return rows


def _plain_workbook(rows: list[list[object]], path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    book.save(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, help="an existing generated portfolio (default: generate one)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db_path = args.db
        if db_path is None:
            t0 = time.perf_counter()
            db_path = generate(tmp / "large.db")
            print(f"generated portfolio: {time.perf_counter() - t0:.2f} s")
        db = Database(db_path)
        with db.session() as s:
            data = summary_data(s, PERIOD)
        members = sum(len(p.members) for p in data.programmes)
        print(
            f"portfolio: {data.project_count} key projects in {len(data.groups)} task groups, "
            f"{len(data.programmes)} programmes with {members} members counted"
        )

        def gather() -> None:
            with db.session() as s:
                summary_data(s, PERIOD)

        results = {
            "summary: gather from database": best_of(args.repeat, gather),
            "summary: gather + write .xlsx": best_of(args.repeat, lambda: export_summary(db, PERIOD, tmp / "s.xlsx")),
            "templates: all departments": best_of(
                args.repeat, lambda: export_templates(db, PERIOD, tmp / "t", overwrite=True)
            ),
            "chasing: list + notice + .xlsx": best_of(
                args.repeat, lambda: chasing_report(db, PERIOD, tmp / "m.xlsx", tmp / "m.txt")
            ),
        }
        templates = len(list((tmp / "t").glob("*.xlsx")))
        tmp_cells = _cells_of(tmp / "s.xlsx")
        size = (tmp / "s.xlsx").stat().st_size
        db.dispose()
    for name, seconds in results.items():
        print(f"{name}: {seconds:.3f} s")
    # The floor: openpyxl writing the same number of cells (write-only mode, no styles, no print setup).
    floor = best_of(args.repeat, lambda: _plain_workbook(tmp_cells, Path(tempfile.mkdtemp()) / "floor.xlsx"))
    print(floors.load_line())
    print(
        floors.ratio_line(
            "summary: gather + write .xlsx", results["summary: gather + write .xlsx"], "plain openpyxl write", floor
        )
    )
    print(f"templates written: {templates}; summary file: {size / 1024:.0f} KiB")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
