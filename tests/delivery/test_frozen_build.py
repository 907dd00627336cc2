"""The PyInstaller spec builds a bundle whose executables pass `--self-test` (what the Windows CI does too).

Slow by nature (~40 s on two shared cores), so it builds once per session and both tests share the result.
PyInstaller is a dev dependency: if it is missing this fails, it does not skip.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

SPEC = REPO_ROOT / "installer" / "taizhang.spec"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""

pytestmark = pytest.mark.slow


def _folder_size(folder: Path) -> int:
    # Symlinks (PyInstaller links some libraries on Linux) would count the same bytes twice.
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.fixture(scope="session")
def bundle(artifacts_dir: Path) -> Iterator[Path]:
    """Build installer/taizhang.spec into a scratch folder; yield dist/Taizhang; delete the 300 MB after."""
    assert importlib.util.find_spec("PyInstaller") is not None, "PyInstaller 未安装：pip install -e .[dev]"
    # Not tmp_path_factory: pytest prunes old base folders, and a concurrent pytest run could delete the bundle
    # while the executables run.
    with tempfile.TemporaryDirectory(prefix="taizhang-frozen-") as tmp:
        yield _build(Path(tmp), artifacts_dir)


def _build(scratch: Path, artifacts_dir: Path) -> Path:
    from tests.delivery.test_locks_and_workflow import test_this_environment_runs_the_locked_versions

    test_this_environment_runs_the_locked_versions()  # the bundle is built from installer/requirements.lock
    started = time.perf_counter()
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
        + ["--distpath", str(scratch / "dist"), "--workpath", str(scratch / "work"), str(SPEC)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    seconds = time.perf_counter() - started
    assert build.returncode == 0, build.stderr[-4000:]
    folder = scratch / "dist" / "Taizhang"
    (artifacts_dir / "frozen_build.txt").write_text(
        f"build_seconds={seconds:.1f}\nbundle_bytes={_folder_size(folder)}\n", encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize("exe", ["taizhang-cli", "Taizhang"])
def test_frozen_executable_passes_its_self_test(bundle: Path, exe: str, tmp_path: Path, artifacts_dir: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "TAIZHANG_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    run = subprocess.run(
        [str(bundle / f"{exe}{EXE_SUFFIX}"), "--self-test"],
        cwd=tmp_path,  # not the checkout: everything must come from the bundle
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    seconds = time.perf_counter() - started
    assert run.returncode == 0, run.stdout + run.stderr
    assert "自检通过" in run.stdout
    modules = re.search(r"程序模块齐全：(\d+) 个", run.stdout)
    assert modules and int(modules.group(1)) > 30  # every app module was found and imported in the bundle
    assert (home / "logs" / "taizhang.log").exists()  # logging works frozen too
    with (artifacts_dir / "frozen_build.txt").open("a", encoding="utf-8") as f:
        f.write(f"self_test_seconds[{exe}]={seconds:.2f}\n")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the size budget is measured on Linux")
def test_bundle_stays_within_260_mb_and_carries_no_development_tool(bundle: Path) -> None:
    assert _folder_size(bundle) <= 260 * 1024 * 1024, f"{_folder_size(bundle) / 2**20:.0f} MiB"
    internal = bundle / "_internal"
    for tool in ("pytest", "_pytest", "pytestqt", "PyInstaller", "setuptools", "pip", "mypy", "ruff", "yaml"):
        assert not (internal / tool).exists(), f"{tool} is in the bundle"
    # Wayland, EGLFS and GTK parts are left out; what a widgets app on X11 (and offscreen) needs stays.
    plugins = internal / "PySide6" / "Qt" / "plugins"
    assert {p.stem for p in (plugins / "platforms").iterdir()} <= {"libqxcb", "libqoffscreen", "libqminimal"}
    assert not (plugins / "wayland-shell-integration").exists() and not (plugins / "platformthemes").exists()
    assert not list(internal.glob("libQt6Wayland*")) and not list(internal.glob("libgtk-3*"))
    assert not (internal / "matplotlib" / "mpl-data" / "sample_data").exists()


def test_the_font_cache_is_built_once_per_user_not_at_every_launch(bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "TAIZHANG_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("MPLCONFIGDIR", None)
    cli = str(bundle / f"taizhang-cli{EXE_SUFFIX}")
    first = subprocess.run([cli, "--self-test"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stdout + first.stderr
    (cache,) = (home / "matplotlib").glob("fontlist-*.json")  # in the user's local data folder, kept
    built = cache.stat().st_mtime_ns
    again = subprocess.run([cli, "--self-test"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stdout + again.stderr
    assert cache.stat().st_mtime_ns == built  # read, not rebuilt


def test_bundle_ships_only_the_qt_modules_it_uses(bundle: Path) -> None:
    qt_modules = {p.name.split(".")[0] for p in (bundle / "_internal" / "PySide6").glob("Qt*.*") if p.is_file()}
    assert {"QtCore", "QtGui", "QtWidgets"} <= qt_modules
    assert not qt_modules & {"QtQml", "QtQuick", "QtWebEngineCore", "QtNetwork", "QtMultimedia"}
    assert not (bundle / "_internal" / "tkinter").exists()
    translations = {p.name for p in (bundle / "_internal" / "PySide6" / "Qt" / "translations").glob("*.qm")}
    assert translations == {"qt_zh_CN.qm", "qtbase_zh_CN.qm"}
    assert (bundle / "_internal" / "db" / "migrations" / "env.py").exists()
    assert (bundle / "_internal" / "resources" / "portfolio" / "portfolio.toml").exists()
    assert (bundle / "_internal" / "resources" / "icons" / "taizhang.ico").exists()


def test_the_bundle_carries_the_library_versions_that_about_shows(bundle: Path) -> None:
    # 帮助 → 关于 and the log read versions from distribution metadata: without it the frozen app says 未安装.
    from importlib import metadata

    from packaging.utils import canonicalize_name

    from app.versions import RUNTIME_DISTRIBUTIONS

    frozen = {
        canonicalize_name(d.metadata["Name"]): d.version
        for d in metadata.distributions(path=[str(bundle / "_internal")])
    }
    for name in RUNTIME_DISTRIBUTIONS:
        assert frozen.get(canonicalize_name(name)) == metadata.version(name), name


def test_the_first_window_s_modules_load_as_plain_pyc_files_and_no_unused_run_time_hook_runs(bundle: Path) -> None:
    # Decompressing them one by one from the executables' archive cost ~0.1 s of every frozen start.
    from PyInstaller.archive.readers import CArchiveReader

    internal = bundle / "_internal"
    for module in ("app/__init__.pyc", "app/ui/main_window.pyc", "sqlalchemy/orm/mapper.pyc", "typing.pyc"):
        assert (internal / module).is_file(), module
    # The run-time hooks run before the app at every start: multiprocessing's (never used) is left out.
    entries = set(CArchiveReader(str(bundle / f"Taizhang{EXE_SUFFIX}")).toc)
    assert "pyi_rth_pyside6" in entries and "launcher" in entries
    assert not entries & {"pyi_rth_multiprocessing", "pyi_rth_mplconfig", "pyi_rth_pkgres", "pyi_rth_setuptools"}
