"""Parse every file of a folder in this process and print one JSON line per file (run by test_corpus).

A separate process so that a hang or a crash in a reader cannot take the test run with it: the test
kills this process on time-out and names the file it was on.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from app.returns.parse import parse_return
from app.returns.read import read_workbook


def main(folder: str) -> None:
    """Print {"start": name} before and a result line after each file."""
    for path in sorted(Path(folder).iterdir()):
        if path.suffix.lower() == ".md" or not path.is_file():
            continue
        print(json.dumps({"start": path.name}), flush=True)
        started = time.perf_counter()
        parsed = parse_return(path)
        seconds = time.perf_counter() - started
        read = read_workbook(path)
        result = {
            "file": path.name,
            "seconds": seconds,
            "reader": read.workbook.reader if read.workbook else "",
            "rows": sum(len(rows) for rows in parsed.rows.values()),
            "errors": [p.describe() for p in parsed.problems if p.severity == "error"],
            "warnings": len(parsed.warnings),
        }
        print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
