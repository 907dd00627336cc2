"""Benchmark the 督办 targets on the large portfolio extended with 30 × 50 task parts and 500 decisions.

Targets (issue #10): the 督办 view opens ≤ 300 ms, filtering ≤ 50 ms a keystroke, the circular ≤ 3 s.
Each figure is also given as a ratio to a floor measured in the same run, so runs on a busy shared machine
compare: the floor for opening is reading the same rows with one plain SQL query per table; for a keystroke,
a Python substring scan of the rows' search text; for the circular, building the meeting report's content.

Usage: python -m bench.bench_decisions [--large DB] [--runs N]
(without --large, generates the portfolio and adds the supervision data in a temporary folder)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench import floors  # noqa: E402 - after the platform is chosen

QUERIES = ("5g", "省商务", "szxc", "覆盖方案", "dsj")
PERIOD = "2025-Q3"


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms (n={len(values)})"


def floor_open(db: Any) -> tuple[float, float]:
    """Read every part and decision row with plain SQL: the least any board load could cost (wall, CPU seconds)."""
    from sqlalchemy import text

    t0, c0 = time.perf_counter(), time.process_time()
    with db.session() as s:
        for table in ("task_departments", "task_part_progress", "decisions", "decision_departments", "departments"):
            s.execute(text(f"SELECT * FROM {table}")).all()  # noqa: S608 - fixed table names
    return time.perf_counter() - t0, time.process_time() - c0


def bench_view(db: Any, runs: int) -> dict[str, list[float]]:
    """Open the 督办 view until its rows are shown, then type the queries one key at a time (with repaint).

    Each opening follows a floor read, so that a change in the machine's load touches both alike.
    """
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from app.domain.pinyin import search_key
    from app.ui.views.supervision_view import SupervisionView

    app = QApplication.instance() or QApplication([])
    search_key("数据中心")  # the main window warms pypinyin right after start-up
    out: dict[str, list[float]] = {
        "open": [], "open_cpu": [], "key": [], "key_cpu": [], "floor_key": [], "floor_open": [], "floor_open_cpu": []
    }  # fmt: skip
    for _ in range(runs):
        wall, cpu = floor_open(db)
        out["floor_open"].append(wall)
        out["floor_open_cpu"].append(cpu)
        loop = QEventLoop()
        t0, c0 = time.perf_counter(), time.process_time()
        view = SupervisionView(db)
        view.resize(1280, 760)
        view.show()
        view.loaded.connect(loop.quit)
        view.set_period(PERIOD)
        loop.exec()
        view.table.viewport().repaint()
        out["open"].append(time.perf_counter() - t0)
        out["open_cpu"].append(time.process_time() - c0)
        # The pinyin keys arrive off the GUI thread a moment later; a clerk starts typing after that.
        ready = QEventLoop()
        view.search_ready.connect(ready.quit)
        ready.exec()
        searches = [item.search for item in view.model.rows]
        for query in QUERIES:
            for n in range(1, len(query) + 1):
                t1, c1 = time.perf_counter(), time.thread_time()
                view.search_edit.setText(query[:n])
                view.table.viewport().repaint()
                out["key"].append(time.perf_counter() - t1)
                out["key_cpu"].append(time.thread_time() - c1)
                t2 = time.perf_counter()
                sum(1 for s in searches if query[:n] in s)
                out["floor_key"].append(time.perf_counter() - t2)
            view.search_edit.clear()
        rows = view.model.rowCount()
        view.close()
        view.deleteLater()
        app.processEvents()
    print(f"board rows: {rows}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the 督办 view and the circular.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--large", type=Path, help="a large portfolio from bench.generate_portfolio (with decisions)")
    args = parser.parse_args(argv)
    from app.storage.db import Database

    with tempfile.TemporaryDirectory() as tmp:
        large = args.large
        if large is None:
            from bench.generate_portfolio import add_decisions, generate

            large = add_decisions(generate(Path(tmp) / "large.db"))
        db = Database(large)
        view = bench_view(db, args.runs)
        f_open, f_open_cpu = statistics.median(view["floor_open"]), statistics.median(view["floor_open_cpu"])
        print(floors.load_line())
        print(f"floor: plain SQL read of the board's tables: {_ms(view['floor_open'])}")
        print(f"督办 view open (target ≤ 300 ms): {_ms(view['open'])}; CPU {_ms(view['open_cpu'])}")
        print(
            floors.ratio_line(
                "督办 view open (board read + model + first paint)",
                statistics.median(view["open"]),
                "plain SQL read of its tables",
                f_open,
            )
        )
        print(
            floors.ratio_line(
                "督办 view open, CPU of all threads",
                statistics.median(view["open_cpu"]),
                "plain SQL read of its tables, CPU",
                f_open_cpu,
            )
        )
        f_key = statistics.median(view["floor_key"])
        print(f"floor: substring scan of the rows' search text: {_ms(view['floor_key'])}")
        print(
            f"filter per keystroke incl. repaint (target ≤ 50 ms): {_ms(view['key'])}; "
            f"GUI-thread CPU {_ms(view['key_cpu'])}; "
            f"{statistics.median(view['key']) / f_key:.0f}× floor"
        )

        from app.reports.circular_docx import export_circular_docx
        from app.services.circular import build_circular
        from app.services.report import build_report
        from app.ui.circular_render import export_circular_pdf
        from app.ui.report_render import ensure_gui_application

        ensure_gui_application()
        _r, f_circ, _c = _timed(lambda: build_report(db, PERIOD))
        content, t_build, c_build = _timed(lambda: build_circular(db, PERIOD))
        _d, t_docx, _c = _timed(lambda: export_circular_docx(content, Path(tmp) / "通报.docx"))
        pages, t_pdf, _c = _timed(lambda: export_circular_pdf(content, Path(tmp) / "通报.pdf"))
        print(f"floor: the meeting report's content for {PERIOD}: {f_circ * 1000:.0f} ms")
        print(floors.ratio_line("circular content", t_build, "the meeting report's content", f_circ))
        print(
            f"circular (target ≤ 3 s): content {t_build * 1000:.0f} ms (CPU {c_build * 1000:.0f} ms, "
            f"{t_build / f_circ:.1f}× floor), .docx {t_docx * 1000:.0f} ms, PDF {t_pdf * 1000:.0f} ms ({pages} pages); "
            f"content + PDF {(t_build + t_pdf):.2f} s, content + .docx {(t_build + t_docx):.2f} s"
        )
        print(
            f"{len(content.departments)} departments, {content.supervised_items} supervised items, "
            f"{content.lagging_items} lagging, {content.decisions_total} decisions "
            f"({content.decisions_overdue} overdue)"
        )
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
