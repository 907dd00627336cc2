"""Import files at agreed moments, racing other processes doing the same (run by test_concurrent_imports).

Arguments: database path, then file=start pairs (start: a time.time() value). Each file is read and
checked first, then committed at its start moment, so that the commits of several processes collide.
Prints one JSON line per file: status and message; a traceback goes to stderr and fails the test.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from app.services.returns import commit, preview
from app.storage.db import Database


def main(db_path: str, jobs: list[str]) -> None:
    database = Database(db_path)
    try:
        for job in jobs:
            name, start = job.rsplit("=", 1)
            previews = preview(database, [Path(name)])
            delay = float(start) - time.time()
            if delay > 0:
                time.sleep(delay)
            [outcome] = commit(database, previews, confirmed_warnings=False)
            print(json.dumps({"file": name, "status": str(outcome.status), "message": outcome.message},
                             ensure_ascii=False), flush=True)  # fmt: skip
    finally:
        database.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
