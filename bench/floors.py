"""Floors for the benchmarks: the least the machine can do for the same output, measured in the same run.

Absolute times do not travel between machines (another machine of the same kind measured 1.2–2.3× slower);
a ratio to a floor measured a moment earlier on the same machine, under the same load, does. Each floor is the
bare work a benchmark's figure cannot avoid: a bare Qt window for start-up, a plain ``sqlite3`` fetch of the
rows a view shows, the bare python-calamine read of a return, plain text on the same number of PDF pages,
``executemany`` of the same rows.

Every benchmark prints ``ratio_line(...)`` lines: ``<what>: <time> = <r>× floor (<floor name> <time>)``.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

_BARE_WINDOW = """
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication(sys.argv)
w = QMainWindow(); w.setCentralWidget(QLabel("台账")); w.resize(1280, 800); w.show()
app.processEvents()
w.repaint()
print("READY", time.time(), time.process_time(), flush=True)
"""


def median_time(fn: Callable[[], Any], runs: int = 5) -> float:
    """Median wall seconds of ``fn()`` over ``runs`` calls (the first call included: no hidden warm-up)."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def median_cpu(fn: Callable[[], Any], runs: int = 5) -> float:
    """Median CPU seconds of this process for ``fn()`` over ``runs`` calls (less disturbed by a busy machine)."""
    times = []
    for _ in range(runs):
        c0 = time.process_time()
        fn()
        times.append(time.process_time() - c0)
    return statistics.median(times)


def bare_window(runs: int = 5, python: str | None = None, env: dict[str, str] | None = None) -> list[float]:
    """Seconds from spawning a process to a bare QApplication + QMainWindow shown (same interpreter, same plugin)."""
    environment = dict(os.environ if env is None else env)
    environment.setdefault("QT_QPA_PLATFORM", "offscreen")
    times = []
    for _ in range(runs):
        t0 = time.time()
        out = subprocess.run(
            [python or sys.executable, "-c", _BARE_WINDOW],
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        ready = next(line for line in out.splitlines() if line.startswith("READY ")).split()
        times.append(float(ready[1]) - t0)
    return times


def sqlite_fetch(path: Path, queries: Sequence[str], runs: int = 5, *, cpu: bool = False) -> float:
    """Median seconds (wall, or CPU with ``cpu``) to open ``path`` with plain sqlite3 and fetch ``queries``' rows."""

    def fetch() -> None:
        conn = sqlite3.connect(str(path))
        try:
            for sql in queries:
                conn.execute(sql).fetchall()
        finally:
            conn.close()

    return median_cpu(fetch, runs) if cpu else median_time(fetch, runs)


def calamine_read(path: Path, runs: int = 3) -> float:
    """Median seconds of the bare python-calamine read of every visible sheet of ``path`` into Python lists."""
    from python_calamine import CalamineWorkbook

    def read() -> None:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()

    return median_time(read, runs)


def plain_text_pdf(pages: int, lines_per_page: int = 40, runs: int = 3) -> float:
    """Median seconds to write ``pages`` A4 pages of plain Chinese text with QPdfWriter (no layout, no charts)."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

    line = "吉林省互联网经济和信息消费重点项目推进情况，按时推进，完成投资 12,345.6 万元。"

    def write() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            writer = QPdfWriter(str(Path(tmp) / "floor.pdf"))
            writer.setPageLayout(
                QPageLayout(
                    QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(20, 20, 20, 20)
                )
            )
            writer.setResolution(300)
            painter = QPainter(writer)
            painter.setFont(QFont("WenQuanYi Micro Hei", 12))
            step = painter.fontMetrics().height() + 10
            for page in range(pages):
                if page:
                    writer.newPage()
                for k in range(lines_per_page):
                    painter.drawText(0, (k + 1) * step, line)
            painter.end()

    return median_time(write, runs)


def executemany_rows(columns: int, rows: int, runs: int = 3) -> float:
    """Median seconds to insert ``rows`` rows of ``columns`` values with one sqlite3 executemany and commit."""
    data = [tuple(f"v{r}-{c}" if c % 2 else r * c for c in range(columns)) for r in range(rows)]
    names = ", ".join(f"c{c}" for c in range(columns))
    marks = ", ".join("?" for _ in range(columns))

    def insert() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            conn = sqlite3.connect(str(Path(tmp) / "floor.db"))
            conn.execute(f"CREATE TABLE t (id INTEGER PRIMARY KEY, {names})")
            conn.executemany(f"INSERT INTO t ({names}) VALUES ({marks})", data)
            conn.commit()
            conn.close()

    return median_time(insert, runs)


def ratio_line(what: str, seconds: float, floor_name: str, floor_seconds: float) -> str:
    """``what: 123 ms = 2.1× floor (floor_name 58 ms)``; the ratio is what travels between machines."""
    ratio = seconds / floor_seconds if floor_seconds > 0 else float("inf")
    return f"{what}: {seconds * 1000:.0f} ms = {ratio:.1f}× floor ({floor_name} {floor_seconds * 1000:.0f} ms)"


def load_line() -> str:
    """The machine's load, printed beside absolute times as their context."""
    return f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
