"""Benchmarks of the clerk's desk: start-up to a usable window, opening the ledger, filtering as you type.

Usage: python -m bench.bench_desk [--runs N] [--large PATH] [--startup-only]

* start-up: a fresh process (`python -m app --db seeded.db`) until the first view shows its data and has been
  painted; the app prints the moment when TAIZHANG_BENCH_STARTUP is set, and quits. The app's and the venv's
  byte-code is compiled first (``compile_bytecode``), as every installed copy has it (pip compiles on install,
  the bundle ships it): with PYTHONDONTWRITEBYTECODE set, a checkout would otherwise compile its ~80 start-up
  modules, and a venv made by uv all of SQLAlchemy, at every start. ``--startup-only`` stops there.
* ledger open: LedgerView on the large generated portfolio, from construction until its rows are shown
  (pinyin tables warmed first, as the main window does right after start-up).
* filter per keystroke: typing queries one character at a time into the ledger's search box, each keystroke
  timed until the table has repainted.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from bench import floors

ROOT = Path(__file__).resolve().parents[1]
# What the ledger shows, fetched as plain tuples: projects with task and lead department, and their current progress.
LEDGER_FLOOR_QUERIES = (
    "SELECT p.id, p.code, p.name, p.kind, p.status, p.region, p.planned_start, p.planned_end, p.planned_investment,"
    " t.code, t.title, d.name FROM projects p LEFT JOIN tasks t ON t.id = p.task_id"
    " LEFT JOIN departments d ON d.id = p.lead_department_id ORDER BY p.sort_order, p.id",
    "SELECT e.project_id, e.period_id, e.progress_pct, e.investment_period, e.investment_cumulative"
    " FROM progress_entries e JOIN returns r ON r.id = e.return_id WHERE r.superseded_by_id IS NULL",
)
QUERIES = ("sjzx", "changchun", "数据中心", "SC01", "wlw")


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", TAIZHANG_HOME=str(home), TAIZHANG_BENCH_STARTUP="1")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def bench_startup(seeded: Path, home: Path, runs: int) -> tuple[list[float], list[float]]:
    """Seconds from process start to the first view showing its data, and the CPU seconds it took to get there.

    The CPU time (user + system of the app process until READY) hardly grows when other work shares the
    machine, unlike the wall time; both are reported.
    """
    times, cpu = [], []
    for _ in range(runs):
        t0 = time.time()
        out = subprocess.run(
            [sys.executable, "-m", "app", "--db", str(seeded)],
            env=_env(home),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        ready = next(line for line in out.splitlines() if line.startswith("READY ")).split()
        times.append(float(ready[1]) - t0)
        cpu.append(float(ready[2]))
    return times, cpu


def bench_ledger(large: Path, runs: int) -> dict[str, list[float]]:
    """Ledger open and per-keystroke filter times on the large portfolio, wall and CPU (this process)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from app.domain.pinyin import search_key
    from app.storage.db import Database
    from app.ui.views.ledger_view import LedgerView

    app = QApplication.instance() or QApplication([])
    search_key("数据中心")  # the main window warms pypinyin right after start-up
    db = Database(large)
    result: dict[str, list[float]] = {"open": [], "open_cpu": [], "key": [], "key_cpu": []}
    for _ in range(runs):
        loop = QEventLoop()
        t0, c0 = time.perf_counter(), time.process_time()
        view = LedgerView(db)
        view.resize(1280, 760)
        view.show()
        view.loaded.connect(loop.quit)
        loop.exec()
        view.table.viewport().repaint()
        result["open"].append(time.perf_counter() - t0)
        result["open_cpu"].append(time.process_time() - c0)
        for query in QUERIES:
            for n in range(1, len(query) + 1):
                t1, c1 = time.perf_counter(), time.process_time()
                view.search.setText(query[:n])
                view.table.viewport().repaint()
                result["key"].append(time.perf_counter() - t1)
                result["key_cpu"].append(time.process_time() - c1)
            view.search.clear()
        view.close()
        view.deleteLater()
        app.processEvents()
    db.dispose()
    return result


def compile_bytecode() -> None:
    """Byte-compile the app and the installed packages, as every installed copy has them.

    pip compiles on install and the bundle ships .pyc files, but uv (scripts/setup.sh) does not by default: with
    PYTHONDONTWRITEBYTECODE set, a fresh venv would compile SQLAlchemy from source at every start (≈ 2× the
    start). Only files without an up-to-date .pyc are compiled; a read-only site-packages is left as it is.
    """
    compileall.compile_dir(ROOT / "app", quiet=1)
    packages = Path(sysconfig.get_paths()["purelib"])
    if os.access(packages, os.W_OK):
        compileall.compile_dir(packages, quiet=2)  # 2: a package's templates (PySide6's deploy recipes) are no Python


def _ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms (n={len(values)})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the clerk's desk.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--large", type=Path, help="an existing large portfolio (default: generate one)")
    parser.add_argument("--startup-only", action="store_true", help="measure the start-up only (not the ledger)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        from app.services.database import open_database

        seeded = tmpdir / "seeded.db"
        open_database(seeded).database.dispose()
        compile_bytecode()
        bare: list[float] = []
        startup: list[float] = []
        cpu: list[float] = []
        for _ in range(args.runs):  # alternated: the floor wanders with the machine's load by ±20 % within minutes
            bare += floors.bare_window(1, env=_env(tmpdir / "home"))
            one, one_cpu = bench_startup(seeded, tmpdir / "home", 1)
            startup += one
            cpu += one_cpu
        print(
            floors.ratio_line(
                "start-up to usable window (seeded db)",
                statistics.median(startup),
                "bare QMainWindow",
                statistics.median(bare),
            )
        )
        rounds = sorted(s / b for s, b in zip(startup, bare, strict=True))
        print(
            f"start-up ÷ bare window, round by round: median {statistics.median(rounds):.1f}×, "
            f"range {rounds[0]:.1f}–{rounds[-1]:.1f}× (n={len(rounds)}); in running order: "
            + " ".join(f"{s / b:.2f}" for s, b in zip(startup, bare, strict=True))
        )
        print(f"start-up to usable window (seeded db): {_ms(startup)}")
        print(f"start-up CPU time until the window is usable (seeded db): {_ms(cpu)}")
        print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        if args.startup_only:
            return 0
        large = args.large
        if large is None:
            from bench.generate_portfolio import generate

            large = generate(tmpdir / "large.db")
        ledger = bench_ledger(large, args.runs)
        floor = floors.sqlite_fetch(large, LEDGER_FLOOR_QUERIES)
        print(
            floors.ratio_line(
                "ledger open (large portfolio)", statistics.median(ledger["open"]), "sqlite3 fetch", floor
            )
        )
        print(f"ledger open (large portfolio): {_ms(ledger['open'])}; CPU {_ms(ledger['open_cpu'])}")
        print(f"filter per keystroke (large portfolio): {_ms(ledger['key'])}; CPU {_ms(ledger['key_cpu'])}")
        print(f"load average after the run: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
