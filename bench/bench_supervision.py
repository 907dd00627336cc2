"""Benchmark the supervised-parts listing on the large generated portfolio (30 departments × 50 parts).

Floor: a plain sqlite3 fetch of the same rows (parts with task, document, department, the year's target and the
period's current progress) in one statement; the service's time is reported as a ratio to it, both measured here.

Usage: python -m bench.bench_supervision [--db EXISTING.db] [--repeat N]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.services.supervision import list_parts, part_counts
from app.storage.db import Database
from bench.generate_portfolio import generate

PERIOD = "2025-12"
FLOOR_SQL = """
select td.id, t.id, d.key, d.short_title, t.code, t.title, t.level, dep.id, dep.name, td.role,
       td.responsible_person, td.contact_person, td.contact_phone, td.version, tt.target,
       pp.progress_text, pp.problems, pp.coordination_needed, pp.next_steps, pp.completion, pp.return_id
from task_departments td
join tasks t on t.id = td.task_id
join documents d on d.id = t.document_id
join departments dep on dep.id = td.department_id
left join task_part_targets tt on tt.part_id = td.id and tt.year = 2025
left join task_part_progress pp
    on pp.part_id = td.id and pp.period_id = (select id from reporting_periods where key = ?)
left join returns r on r.id = pp.return_id
where pp.id is null or r.superseded_by_id is null
order by d.id, t.sort_order, t.id, td.sort_order, td.id
"""


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, help="an existing generated portfolio (default: generate one)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp_name:
        db_path = args.db
        if db_path is None:
            t0 = time.perf_counter()
            db_path = generate(Path(tmp_name) / "large.db")
            print(f"generated portfolio: {time.perf_counter() - t0:.2f} s")
        db = Database(db_path)
        con = sqlite3.connect(db_path)
        floor_rows = con.execute(FLOOR_SQL, (PERIOD,)).fetchall()
        with db.session() as s:
            rows = list_parts(s, PERIOD)
        reported = sum(1 for r in rows if r.reported)
        print(
            f"parts: {len(rows)} ({len({r.department_id for r in rows})} departments), {reported} reported in {PERIOD}"
        )
        assert len(rows) == len(floor_rows), (len(rows), len(floor_rows))

        def listing() -> None:
            with db.session() as s:
                list_parts(s, PERIOD)

        def one_department() -> None:
            with db.session() as s:
                list_parts(s, PERIOD, department_id=rows[0].department_id)

        def counts() -> None:
            with db.session() as s:
                part_counts(s, PERIOD)

        floor = best_of(args.repeat, lambda: con.execute(FLOOR_SQL, (PERIOD,)).fetchall())
        results = {
            "floor: sqlite3 fetch of the same rows": floor,
            "list_parts (all parts, with progress)": best_of(args.repeat, listing),
            "list_parts (one department)": best_of(args.repeat, one_department),
            "part_counts (dashboard)": best_of(args.repeat, counts),
        }
        for name, seconds in results.items():
            print(f"{name:42s} {seconds * 1000:8.1f} ms   ×{seconds / floor:5.1f} floor")
        con.close()
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
