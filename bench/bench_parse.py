"""Benchmark returns parsing: one 50,000-row × 15-column return, and 30 returns with 5,000 rows in all.

Also compares the raw readers on the large file (python-calamine vs openpyxl read-only) and times the
regular-expression scan of the sheet XML that finds hidden rows and formulas without cached values.
Each measurement that reports peak memory runs in a fresh process, so the peak is that job's alone.

Usage: python -m bench.bench_parse [--rows 50000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

HEADER = [
    "序号",
    "项目编号",
    "项目名称",
    "责任单位",
    "所在地区",
    "计划总投资（万元）",
    "本期完成投资（万元）",
    "累计完成投资（万元）",
    "形象进度（%）",
    "本期进展情况",
    "存在问题",
    "需协调解决的问题",
    "下步工作计划",
    "计划开工日期",
    "备注",
]
ROOT = Path(__file__).resolve().parents[1]
REGIONS = ["长春市", "吉林市", "四平市", "辽源市", "通化市", "白山市", "松原市", "白城市", "延边州"]


def write_return(path: Path, rows: int, seed: int = 0, department: str = "省工业和信息化厅") -> Path:
    """A realistic hand-made return: title rows, 15 columns, mostly numbers, some written as text."""
    rng = random.Random(seed)
    # Normal mode, not write-only: it writes shared strings as Excel and WPS do (write-only inlines every
    # string as character references, which doubles the XML calamine has to parse).
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目进展"
    ws.append(["2025年第三季度重点项目进展情况表"])
    ws.append([f"填报单位：{department}（盖章）", None, None, None, "报告期：2025年第三季度"])
    ws.append(HEADER)
    for i in range(1, rows + 1):
        planned = round(rng.uniform(100, 50000), 2)
        done = round(planned * rng.random(), 2)
        progress: object = round(rng.random(), 2)
        if i % 10 == 0:
            progress = f"{int(rng.random() * 100)}%"  # some clerks type the % sign
        planned_cell: object = planned if i % 7 else f"{planned:,.2f}"  # and some type thousands separators
        ws.append(
            [
                i,
                f"JL2025-{i:05d}",
                f"{rng.choice(REGIONS)}数字经济项目{i}",
                department,
                rng.choice(REGIONS),
                planned_cell,
                round(done / 4, 2),
                done,
                progress,
                "按计划推进，完成主体工程建设" if i % 3 else "设备安装调试中",
                "无" if i % 5 else "用地手续尚未办结",
                "" if i % 4 else "协调电力增容",
                "继续推进",
                f"2025-{(i % 12) + 1:02d}-01",
                "",
            ]
        )
    wb.save(path)
    return path


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def job_parse(path: str) -> dict[str, float]:
    """Parse one file; return seconds, rows and peak RSS of this process."""
    from app.returns.parse import parse_return

    baseline = _peak_rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    parsed = parse_return(Path(path))
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cpu": time.process_time() - cpu,
        "rows": sum(len(r) for r in parsed.rows.values()),
        "errors": sum(1 for p in parsed.problems if p.severity == "error"),
        "peak_rss_mb": _peak_rss_mb(),
        "baseline_rss_mb": baseline,
    }


def job_parse_many(folder: str) -> dict[str, float]:
    """Parse every .xlsx of a folder in one process (as the import wizard does)."""
    from app.returns.parse import parse_return

    files = sorted(Path(folder).glob("*.xlsx"))
    parse_return(files[0])  # warm imports, as a running app has them
    started, cpu = time.perf_counter(), time.process_time()
    rows = 0
    for f in files:
        rows += sum(len(r) for r in parse_return(f).rows.values())
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "files": len(files),
        "rows": rows,
        "peak_rss_mb": _peak_rss_mb(),
    }


def job_calamine(path: str) -> dict[str, float]:
    """Raw python-calamine read of every cell."""
    import python_calamine as pc

    started, cpu = time.perf_counter(), time.process_time()
    book = pc.CalamineWorkbook.from_path(path)
    cells = sum(len(row) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python())
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "cells": cells,
        "peak_rss_mb": _peak_rss_mb(),
    }


def job_openpyxl(path: str) -> dict[str, float]:
    """Raw openpyxl read-only read of every cell."""
    started, cpu = time.perf_counter(), time.process_time()
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cells = sum(len(row) for ws in book.worksheets for row in ws.iter_rows(values_only=True))
    book.close()
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "cells": cells,
        "peak_rss_mb": _peak_rss_mb(),
    }


def job_openpyxl_full(path: str) -> dict[str, float]:
    """openpyxl normal mode: what merged ranges and hidden rows would cost if read through openpyxl."""
    started, cpu = time.perf_counter(), time.process_time()
    book = openpyxl.load_workbook(path, data_only=True)
    merged = sum(len(ws.merged_cells.ranges) for ws in book.worksheets)
    hidden = sum(1 for ws in book.worksheets for d in ws.row_dimensions.values() if d.hidden)
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "merged": merged,
        "hidden": hidden,
        "peak_rss_mb": _peak_rss_mb(),
    }


def job_scan(path: str) -> dict[str, float]:
    """The XML pre-scan alone (zip checks, hidden rows, uncached formulas, cell extent)."""
    import zipfile

    from app.returns.read import DEFAULT_LIMITS, _scan_xlsx, _zip_name

    started, cpu = time.perf_counter(), time.process_time()
    archive = zipfile.ZipFile(path)
    names = {_zip_name(i): i for i in archive.infolist()}
    _scan_xlsx(archive, names, DEFAULT_LIMITS)
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu, "peak_rss_mb": _peak_rss_mb()}


def job_generate(folder: str) -> dict[str, float]:
    """Write the large return and the 30 small ones (in a child process, so the parent's peak RSS stays low:
    Linux children inherit the parent's high-water mark at fork)."""
    base = Path(folder)
    rows = int(os.environ.get("BENCH_ROWS", "50000"))
    started = time.perf_counter()
    big = base / "large.xlsx"
    if not big.exists():
        write_return(big, rows)
    many = base / "thirty"
    many.mkdir(exist_ok=True)
    if not any(many.glob("*.xlsx")):
        for i in range(30):  # 30 departments, 5,000 rows in all
            count = 5000 // 30 + (1 if i < 5000 % 30 else 0)
            write_return(many / f"dept{i:02d}_2025年三季度.xlsx", count, seed=i, department=f"省直部门{i:02d}厅")
    return {"seconds": time.perf_counter() - started, "bytes": big.stat().st_size}


JOBS = {
    "generate": job_generate,
    "parse": job_parse,
    "parse_many": job_parse_many,
    "calamine": job_calamine,
    "openpyxl": job_openpyxl,
    "openpyxl_full": job_openpyxl_full,
    "scan": job_scan,
}


def run_job(name: str, arg: str) -> dict[str, float]:
    """Run one job in a fresh interpreter and return its JSON result."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_parse", "--job", name, arg],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def corpus_table(folder: Path) -> None:
    """Print which reader opened each file of a folder, how long parse_return took and its answer."""
    from app.returns.parse import parse_return
    from app.returns.read import read_workbook

    print("| file | reader | ms | answer |")
    print("| --- | --- | ---: | --- |")
    total = 0.0
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix != ".md"):
        started = time.perf_counter()
        parsed = parse_return(path)
        elapsed = time.perf_counter() - started
        total += elapsed
        read = read_workbook(path)
        reader = read.workbook.reader if read.workbook else "—"
        rows = sum(len(r) for r in parsed.rows.values())
        first_error = next((p.message for p in parsed.problems if p.severity == "error"), "")
        answer = f"{rows} rows" if rows else f"refused: {first_error}"
        print(f"| `{path.name}` | {reader} | {elapsed * 1000:.0f} | {answer} |")
    print(f"\ntotal parse_return time: {total:.2f} s")


def _as_xls(path: Path) -> Path | None:
    """The file converted to .xls by LibreOffice (cached next to it); None without LibreOffice."""
    import shutil

    target = path.with_suffix(".xls")
    soffice = shutil.which("soffice")
    if target.exists() or soffice is None:
        return target if target.exists() else None
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xls"]
            + ["--outdir", str(path.parent), str(path)],
            capture_output=True,
            timeout=600,
            env=dict(os.environ, HOME=profile),
        )
    return target if target.exists() else None


def main() -> None:
    """Build the files, run every job in its own process, print a Markdown table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep the generated files in")
    parser.add_argument("--job", nargs=2, metavar=("NAME", "ARG"), help=argparse.SUPPRESS)
    parser.add_argument("--skip-full", action="store_true", help="skip openpyxl normal mode (slow)")
    parser.add_argument("--corpus", type=Path, help="instead: table of reader and answer for every file in DIR")
    parser.add_argument("--runs", type=int, default=3, help="whole-process runs to take the median of")
    args = parser.parse_args()
    if args.job:
        print(json.dumps(JOBS[args.job[0]](args.job[1])))
        return
    if args.corpus:
        corpus_table(args.corpus)
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-parse-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["BENCH_ROWS"] = str(args.rows)
    made = run_job("generate", str(folder))
    big, many = folder / "large.xlsx", folder / "thirty"
    print(f"large return: {args.rows:,} rows × {len(HEADER)} columns, {made['bytes'] / 1e6:.1f} MB")
    rows = [
        ("parse_return, 50,000 × 15", run_job("parse", str(big))),
        ("python-calamine raw read", run_job("calamine", str(big))),
        ("openpyxl read-only raw read", run_job("openpyxl", str(big))),
        ("XML pre-scan (hidden rows, formulas, extent)", run_job("scan", str(big))),
        ("parse_return × 30 files, 5,000 rows in all", run_job("parse_many", str(many))),
    ]
    xls = _as_xls(big)
    if xls is not None:
        rows.insert(1, ("parse_return, the same as .xls (LibreOffice)", run_job("parse", str(xls))))
    if not args.skip_full:
        rows.append(("openpyxl normal mode (merged + hidden rows)", run_job("openpyxl_full", str(big))))
    print("| what | wall s | CPU s | peak RSS (MB) | notes |")
    print("| --- | ---: | ---: | ---: | --- |")
    for label, r in rows:
        r = {k: v for k, v in r.items() if k != "baseline_rss_mb"}
        notes = ", ".join(
            f"{k}={v:,}" if isinstance(v, int) else f"{k}={v:.1f}"
            for k, v in r.items()
            if k not in ("seconds", "cpu", "peak_rss_mb")
        )
        print(f"| {label} | {r['seconds']:.2f} | {r['cpu']:.2f} | {r['peak_rss_mb']:.0f} | {notes} |")
    from bench import floors

    # CPU seconds, each in a fresh process: the machine is shared, wall time is whatever the others leave.
    bare = rows[[label for label, _ in rows].index("python-calamine raw read")][1]["cpu"]
    print(floors.load_line())
    print(floors.ratio_line("parse_return (bounds check included), CPU", rows[0][1]["cpu"], "calamine read", bare))
    whole_bare, dry_runs = whole_process(big, folder, args.runs)
    for what, figures in dry_runs.items():
        for measure in ("cpu", "wall"):
            floor_name = f"calamine read in a whole process, {measure.upper() if measure == 'cpu' else measure}"
            print(floors.ratio_line(f"{what} ({measure})", figures[measure], floor_name, whole_bare[measure]))


_BARE_PROCESS = "import sys, python_calamine as pc; b = pc.CalamineWorkbook.from_path(sys.argv[1]);" + (
    " [b.get_sheet_by_name(n).to_python() for n in b.sheet_names]"
)


def matched_database(big: Path, target: Path, source: Path) -> Path:
    """A copy of ``source`` whose ledger holds every project the return names (same code, name, department)."""
    import shutil
    import sqlite3

    import python_calamine as pc

    shutil.copy(source, target)
    book = pc.CalamineWorkbook.from_path(str(big))
    grid = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    header = next(i for i, row in enumerate(grid) if "项目名称" in row)
    conn = sqlite3.connect(str(target))
    try:
        (dept_id,) = conn.execute("SELECT id FROM departments WHERE name = ?", (grid[header + 1][3],)).fetchone()
        rows = [
            (row[1], row[2], dept_id, row[4], row[5] if isinstance(row[5], float) else None, k)
            for k, row in enumerate(grid[header + 1 :])
        ]
        conn.executemany(
            "INSERT INTO projects (code, name, kind, lead_department_id, region, planned_investment, status,"
            " quota_period, quota_unit, member_kind, source_text, notes, sort_order, version)"
            " VALUES (?, ?, 'key_project', ?, ?, ?, '未填报', '', '', '', '', '', ?, 1)",
            rows,
        )
        conn.commit()
    finally:
        conn.close()
    return target


def whole_process(big: Path, folder: Path, runs: int = 3) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Medians of a whole process, CPU and wall: the bare calamine read vs `taizhang import --dry-run` of the file.

    The dry run goes once against a fresh seeded database, where none of the file's rows names a known project
    (the worst case for matching), and once against a copy whose ledger holds every project the rows name.
    CPU seconds of the child (user + system) are what a shared machine cannot disturb much; wall seconds are
    what the clerk waits for, and include the reading that overlaps the ledger's work on a second core
    (app.returns.batch): on a loaded machine only the CPU ratio means much.
    """
    import statistics
    import subprocess
    import sys
    import time

    from app.services.database import open_database

    def timed(cmd: list[str]) -> tuple[float, float]:
        before, start = os.times(), time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False, timeout=600)
        wall, after = time.perf_counter() - start, os.times()
        return (after.children_user - before.children_user) + (after.children_system - before.children_system), wall

    # An installed app runs from its bytecode; compile once here, as PYTHONDONTWRITEBYTECODE may be set.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "app")], capture_output=True, check=False)
    db_path = folder / "dry-run.db"
    if not db_path.exists():
        open_database(db_path).database.dispose()
    matched = folder / "dry-run-matched.db"
    if not matched.exists():
        matched_database(big, matched, db_path)

    def dry(db: Path) -> list[str]:
        return [sys.executable, "-m", "app", "import", "--dry-run", "--db", str(db), str(big)]

    results: dict[str, list[tuple[float, float]]] = {"bare": [], "unknown": [], "matched": []}
    for _ in range(runs):  # interleaved, so a change of load touches all three alike
        results["bare"].append(timed([sys.executable, "-c", _BARE_PROCESS, str(big)]))
        results["unknown"].append(timed(dry(db_path)))
        results["matched"].append(timed(dry(matched)))

    def medians(key: str) -> dict[str, float]:
        return {
            "cpu": statistics.median(c for c, _w in results[key]),
            "wall": statistics.median(w for _c, w in results[key]),
        }

    return medians("bare"), {
        "taizhang import --dry-run, rows unknown to the ledger": medians("unknown"),
        "taizhang import --dry-run, rows matching the ledger": medians("matched"),
    }


if __name__ == "__main__":
    main()
