"""Delivery and data-safety numbers: backup, restore and checks on the large portfolio; optionally the frozen build.

Usage: python -m bench.bench_delivery [--build]
  --build  also build installer/taizhang.spec with PyInstaller and time the frozen `--self-test`
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def _timed(label: str, fn: object) -> object:
    started = time.perf_counter()
    result = fn()  # type: ignore[operator]
    print(f"{label}: {time.perf_counter() - started:.2f} s")
    return result


def bench_backups(folder: Path) -> None:
    from app.storage.backup import backup_database, daily_backup, list_backups, restore_backup
    from app.storage.db import Database
    from bench.generate_portfolio import generate

    os.environ["TAIZHANG_HOME"] = str(folder / "home")
    db_path = folder / "large.db"
    _timed("generate large portfolio", lambda: generate(db_path))
    print(f"database size: {db_path.stat().st_size / 1024 / 1024:.1f} MB")
    _timed("online backup (large portfolio)", lambda: backup_database(db_path, "manual"))
    for _ in range(24):
        backup_database(db_path, "manual", keep=20)
    newest = _timed("list backups (20 kept)", lambda: list_backups(db_path)[0])
    db = Database(db_path)
    _timed("daily backup, first start of the day", lambda: daily_backup(db))
    _timed("daily backup, later starts (check only)", lambda: daily_backup(db))
    db.dispose()
    _timed("restore (safety backup + online restore)", lambda: restore_backup(db_path, newest.path))  # type: ignore[attr-defined]
    conn = sqlite3.connect(str(db_path))
    _timed("PRAGMA integrity_check (large portfolio)", lambda: conn.execute("PRAGMA integrity_check").fetchone())
    conn.close()


def bench_frozen(folder: Path) -> None:
    dist, work = folder / "dist", folder / "work"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR", "--distpath", str(dist)]
        + ["--workpath", str(work), str(REPO_ROOT / "installer" / "taizhang.spec")],
        cwd=REPO_ROOT,
        check=True,
    )
    print(f"PyInstaller build: {time.perf_counter() - started:.1f} s")
    bundle = dist / "Taizhang"
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"bundle: {size / 1024 / 1024:.0f} MB in {sum(1 for _ in bundle.rglob('*'))} files")
    env = {**os.environ, "TAIZHANG_HOME": str(folder / "selftest-home"), "QT_QPA_PLATFORM": "offscreen"}
    for _ in range(2):  # the first run also warms the disk cache and matplotlib's font cache
        started = time.perf_counter()
        subprocess.run([str(bundle / "taizhang-cli"), "--self-test"], env=env, check=True, capture_output=True)
        print(f"frozen --self-test: {time.perf_counter() - started:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench_backups(Path(tmp))
        if args.build:
            bench_frozen(Path(tmp))


if __name__ == "__main__":
    main()
