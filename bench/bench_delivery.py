"""Delivery and data-safety numbers: backup, restore and checks on the large portfolio; optionally the frozen build.

Usage: python -m bench.bench_delivery [--build | --bundle dist/Taizhang] [--runs N] [--skip-backups]
  --build   also build installer/taizhang.spec with PyInstaller, then measure the bundle: what each part weighs,
            the frozen `--self-test`, process start → usable window (seeded database, first start on a new
            database, first launch of a new user) frozen and unfrozen as ratios to bare QApplication +
            QMainWindow floors (frozen with PyInstaller and unfrozen, in the same run), and an estimate of the
            installer (the bundle compressed as Inno Setup's lzma2/ultra64 solid does)
  --bundle  the same measurements on a bundle already built
  --bundle dist/Taizhang --installer-estimate   only the installer estimate
"""

from __future__ import annotations

import argparse
import compileall
import os
import sqlite3
import statistics
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


# Parts of the bundle for the size table: the first folder/file name under _internal → the part it belongs to.
PARTS = (
    ("Qt: ICU data (libicudata)", ("libicudata",)),
    (
        "Qt: libraries, plugins, PySide6 bindings",
        ("PySide6", "shiboken6", "libQt6", "libicu", "libpyside6", "libshiboken6"),
    ),
    ("numpy + OpenBLAS", ("numpy", "numpy.libs", "libscipy_openblas", "libgfortran", "libquadmath")),
    (
        "Python: libpython, extension modules, stdlib + app (.pyc and PYZ)",
        ("libpython", "python3", "base_library.zip", "Taizhang", "taizhang-cli", "app"),
    ),
    ("matplotlib (+ kiwisolver, contourpy)", ("matplotlib", "kiwisolver", "contourpy")),
    ("Pillow", ("PIL", "pillow.libs")),
    ("lxml", ("lxml",)),
    ("SQLAlchemy", ("sqlalchemy",)),
    ("fontTools", ("fontTools",)),
    ("psycopg (postgres extra)", ("psycopg", "psycopg_binary", "psycopg_binary.libs", "libpq")),
    ("pypinyin", ("pypinyin",)),
    ("python-calamine", ("python_calamine",)),
    ("app data: migrations, portfolio, icons", ("db", "resources")),
)


def _size(path: Path) -> int:
    if path.is_symlink():
        return 0  # PyInstaller links some libraries on Linux: the bytes are counted once, at the target
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def bundle_table(bundle: Path) -> None:
    """Print a Markdown table of what each part of the bundle weighs (every file once, symlinks not counted)."""
    totals: dict[str, int] = {}
    internal = bundle / "_internal"
    for path in bundle.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        top = path.relative_to(internal).parts[0] if internal in path.parents else path.name
        if path.name.startswith("libicudata"):
            part = "Qt: ICU data (libicudata)"
        elif top.removesuffix(".pyc") in sys.stdlib_module_names:  # collected as loose .pyc (taizhang.spec)
            part = PARTS[3][0]
        else:
            part = next((label for label, prefixes in PARTS if top.startswith(prefixes)), "")
        if not part:
            part = "system libraries (X11/xcb, fontconfig, CUPS, OpenSSL …)" if top.startswith("lib") else "other"
        totals[part] = totals.get(part, 0) + path.stat().st_size
    total = sum(totals.values())
    print("| part | MB |\n| --- | ---: |")
    for label, size in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"| {label} | {size / 1e6:.1f} |")
    print(f"| **total** | **{total / 1e6:.1f}** ({total / 2**20:.1f} MiB) |")


# Inno Setup's Compression=lzma2/ultra64 (its documentation, [Setup] LZMADictionarySize, LZMANumFastBytes,
# LZMAMatchFinder, LZMAAlgorithm): a 64 MiB dictionary, 64 fast bytes, the binary-tree match finder, the normal
# (not fast) algorithm; SolidCompression=yes makes every file one stream, as a tar fed to one compressor is.
# This is xz's preset 9 spelled out (not 9e: Inno's ultra64 does not use the extreme mode).
INNO_ULTRA64 = {"dict_size": 64 * 2**20, "nice_len": 64, "mf": "bt4", "mode": "normal", "lc": 3, "lp": 0, "pb": 2}
# Inno Setup 6's setup program, uninstaller and wizard images, stored uncompressed in front of the data; a
# generous allowance (an empty script compiles to about 2 MB).
INNO_STUB_MB = 3.0


def installer_estimate(bundle: Path) -> tuple[float, float]:
    """Estimate TaizhangSetup.exe from a bundle: a tar of it through LZMA2 at Inno's ultra64 settings, one solid
    stream, plus the setup stub. Prints and returns (bundle MB, estimated installer MB)."""
    import lzma
    import tarfile

    filters = [
        {
            "id": lzma.FILTER_LZMA2,
            "dict_size": INNO_ULTRA64["dict_size"],
            "nice_len": INNO_ULTRA64["nice_len"],
            "mf": lzma.MF_BT4,
            "mode": lzma.MODE_NORMAL,
            "lc": INNO_ULTRA64["lc"],
            "lp": INNO_ULTRA64["lp"],
            "pb": INNO_ULTRA64["pb"],
            "depth": 0,
        }
    ]
    compressor = lzma.LZMACompressor(format=lzma.FORMAT_RAW, filters=filters)

    class _Sink:
        raw = packed = 0

        def write(self, data: bytes) -> int:
            self.raw += len(data)
            self.packed += len(compressor.compress(data))
            return len(data)

    sink = _Sink()
    started, cpu = time.perf_counter(), time.process_time()
    with tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[call-overload]
        for path in sorted(bundle.rglob("*")):
            if path.is_file() or path.is_symlink():
                tar.add(path, arcname=str(path.relative_to(bundle.parent)), recursive=False)
    sink.packed += len(compressor.flush())
    files_mb = _size(bundle) / 1e6
    estimate = sink.packed / 1e6 + INNO_STUB_MB
    print(
        f"installer estimate (tar of the bundle, LZMA2 as Inno's lzma2/ultra64 solid: 64 MiB dictionary, 64 fast "
        f"bytes, BT4, normal): {files_mb:.0f} MB of files → {sink.packed / 1e6:.1f} MB compressed + "
        f"{INNO_STUB_MB:.0f} MB setup stub = {estimate:.1f} MB "
        f"({time.perf_counter() - started:.0f} s wall, {time.process_time() - cpu:.0f} s CPU)"
    )
    return files_mb, estimate


def _ready(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a GUI process that prints "READY <wall> <cpu>"; return (seconds from spawn to READY, its CPU seconds)."""
    t0 = time.time()
    out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=True).stdout
    ready = next(line for line in out.splitlines() if line.startswith("READY ")).split()
    return float(ready[1]) - t0, float(ready[2])


def _median(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def bench_start(folder: Path, bundle: Path, bare: Path | None, runs: int) -> None:
    """Process start → usable window, frozen and unfrozen, against bare QApplication + QMainWindow floors."""
    from app.services.database import open_database

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TAIZHANG_BENCH_STARTUP": "1"}
    env.pop("MPLCONFIGDIR", None)
    home = folder / "start-home"
    seeded = folder / "seeded.db"
    open_database(seeded).database.dispose()
    env_home = {**env, "TAIZHANG_HOME": str(home)}
    gui = str(bundle / "Taizhang")
    _ready([gui, "--db", str(seeded)], env_home)  # warm the disk cache and build this user's font cache
    compileall.compile_dir(REPO_ROOT / "app", quiet=1)  # as installed copies have it (see bench_desk)
    unfrozen = [sys.executable, "-m", "app", "--db", str(seeded)]
    env_src = {**env_home, "PYTHONPATH": str(REPO_ROOT)}
    script = [sys.executable, str(REPO_ROOT / "bench" / "bare_window.py")]
    # Round by round, each start beside its own floor: this machine's speed drifts within a minute, so a floor
    # measured in another phase of the run says little about the start it divides.
    seeded_runs: dict[str, list[tuple[float, float]]] = {"frozen": [], "frozen floor": [], "unfrozen": [], "floor": []}
    for _ in range(runs):
        if bare is not None:
            seeded_runs["frozen floor"].append(_ready([str(bare)], env))
        seeded_runs["frozen"].append(_ready([gui, "--db", str(seeded)], env_home))
        seeded_runs["floor"].append(_ready(script, env))
        seeded_runs["unfrozen"].append(_ready(unfrozen, env_src))
    rows: list[tuple[str, tuple[float, float]]] = [("frozen, seeded database", _median(seeded_runs["frozen"]))]
    new_db = [_ready([gui, "--db", str(folder / f"new-{n}.db")], env_home) for n in range(runs)]
    rows.append(("frozen, first start on a new database", _median(new_db)))
    first_user = [_ready([gui], {**env, "TAIZHANG_HOME": str(folder / f"new-user-{n}")}) for n in range(runs)]
    rows.append(("frozen, first launch of a new user (new database + font cache)", _median(first_user)))
    rows.append(("unfrozen, seeded database", _median(seeded_runs["unfrozen"])))
    floors = [("floor: unfrozen bare QApplication + QMainWindow", _median(seeded_runs["floor"]))]
    if bare is not None:
        floors.append(("floor: frozen bare QApplication + QMainWindow", _median(seeded_runs["frozen floor"])))
    frozen_floor = floors[-1][1][0]
    unfrozen_floor = floors[0][1][0]
    print(f"start-up, median of {runs} (wall s / CPU s / × floor of the same kind):")
    for label, (wall, cpu) in rows:
        floor = unfrozen_floor if label.startswith("unfrozen") else frozen_floor
        print(f"  {label}: {wall:.2f} s wall, {cpu:.2f} s CPU, {wall / floor:.1f}× floor")
    for label, (wall, cpu) in floors:
        print(f"  {label}: {wall:.2f} s wall, {cpu:.2f} s CPU")
    pairs = [("unfrozen", "floor")] + ([("frozen", "frozen floor")] if bare is not None else [])
    for app, floor_key in pairs:
        ratios = [a[0] / f[0] for a, f in zip(seeded_runs[app], seeded_runs[floor_key], strict=True)]
        cpu_ratios = [a[1] / f[1] for a, f in zip(seeded_runs[app], seeded_runs[floor_key], strict=True)]
        print(
            f"  {app}, seeded database ÷ its floor, round by round: median {statistics.median(ratios):.1f}× wall "
            f"({min(ratios):.1f}–{max(ratios):.1f}×), {statistics.median(cpu_ratios):.1f}× CPU; in running order: "
            + " ".join(f"{r:.2f}" for r in ratios)
        )


def build_bare(folder: Path) -> Path:
    """Freeze bench/bare_window.py with the same Qt excludes as the app (the frozen floor)."""
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR", "--onedir", "--name", "bare"]
        + ["--distpath", str(folder / "bare-dist"), "--workpath", str(folder / "bare-work"), "--specpath", str(folder)]
        + ["--exclude-module", "tkinter", str(REPO_ROOT / "bench" / "bare_window.py")],
        cwd=folder,
        check=True,
    )
    return folder / "bare-dist" / "bare" / "bare"


def bench_frozen(folder: Path, bundle: Path | None, runs: int) -> None:
    if bundle is None:
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
    size = _size(bundle)
    print(f"bundle: {size / 1e6:.0f} MB ({size / 2**20:.0f} MiB) in {sum(1 for _ in bundle.rglob('*'))} files")
    bundle_table(bundle)
    env = {**os.environ, "TAIZHANG_HOME": str(folder / "selftest-home"), "QT_QPA_PLATFORM": "offscreen"}
    for _ in range(2):  # the first run also warms the disk cache and builds this user's font cache
        started = time.perf_counter()
        subprocess.run([str(bundle / "taizhang-cli"), "--self-test"], env=env, check=True, capture_output=True)
        print(f"frozen --self-test: {time.perf_counter() - started:.2f} s")
    bench_start(folder, bundle, build_bare(folder), runs)
    installer_estimate(bundle)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--bundle", type=Path, help="an already built dist/Taizhang folder (skips the build)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-backups", action="store_true")
    parser.add_argument(
        "--installer-estimate", action="store_true", help="with --bundle: only estimate the installer's size"
    )
    args = parser.parse_args()
    if args.installer_estimate and args.bundle:
        installer_estimate(args.bundle)
        return
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_backups:
            bench_backups(Path(tmp))
        if args.build or args.bundle:
            bench_frozen(Path(tmp), args.bundle, args.runs)


if __name__ == "__main__":
    main()
