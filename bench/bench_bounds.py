"""Benchmark the stream bounds (issue 12): the pre-scan's cost against a bare python-calamine read.

Builds (or reuses) the 50,000-row × 15-column return of bench_parse, then in fresh processes times, three
times each, the bare calamine read of every cell, the stream pre-scan alone, and the whole parse_return
(read + bounds + locate + values). Reports the best CPU seconds and the ratios to the calamine floor.

Usage: python -m bench.bench_bounds [--file PATH]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

JOBS = {
    "calamine": """
import python_calamine as pc
book = pc.CalamineWorkbook.from_path(PATH)
cells = sum(len(r) for n in book.sheet_names for r in book.get_sheet_by_name(n).to_python(skip_empty_area=False))
""",
    "scan": """
import zipfile
from app.returns.read import DEFAULT_LIMITS, _scan_xlsx, _zip_name
archive = zipfile.ZipFile(PATH)
_scan_xlsx(archive, {_zip_name(i): i for i in archive.infolist()}, DEFAULT_LIMITS)
""",
    "parse_return": """
from pathlib import Path
from app.returns.parse import parse_return
parse_return(Path(PATH))
""",
}


def run(job: str, path: Path) -> dict[str, float]:
    """One job in a fresh process: CPU and wall seconds of the job alone (imports warmed first)."""
    code = (
        "import json, resource, time\nimport python_calamine, app.returns.parse\nPATH = " + repr(str(path)) + "\n"
        "t0, c0 = time.perf_counter(), time.process_time()\n" + JOBS[job] + "\n"
        "print(json.dumps({'wall': time.perf_counter() - t0, 'cpu': time.process_time() - c0,"
        " 'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", type=Path)
    args = parser.parse_args()
    path = args.file
    if path is None:
        from bench.bench_parse import write_return

        path = Path(tempfile.gettempdir()) / "taizhang-bench-large.xlsx"
        if not path.exists():
            write_return(path, 50_000)
    best: dict[str, dict[str, float]] = {}
    started = time.perf_counter()
    for _ in range(3):
        for job in JOBS:
            result = run(job, path)
            if job not in best or result["cpu"] < best[job]["cpu"]:
                best[job] = result
    floor = best["calamine"]["cpu"]
    for job, result in best.items():
        print(
            f"{job:13s} cpu {result['cpu']:.2f} s  wall {result['wall']:.2f} s  peak {result['peak_mb']:.0f} MB  "
            f"ratio to calamine {result['cpu'] / floor:.2f}"
        )
    print(f"({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
