"""A plain `pip install` of the wheel works: it carries the migrations and every resource, `init` and `--self-test` run.

The wheel is built from a copy of the checkout (no stale build/ folder), installed with --no-deps into a fresh
venv that sees this environment's libraries through a .pth file (fast, no network), and run from a folder
outside the checkout, so nothing can come from the source tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow

BIN = "Scripts" if sys.platform == "win32" else "bin"
EXE = ".exe" if sys.platform == "win32" else ""


def _site_packages(python: Path) -> Path:
    out = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built without network or build isolation from a clean copy of the sources."""
    src = tmp_path_factory.mktemp("wheel-src")
    for name in ("app", "resources", "db"):
        shutil.copytree(REPO_ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "alembic.ini"):
        shutil.copy(REPO_ROOT / name, src / name)
    out = tmp_path_factory.mktemp("wheelhouse")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation", "-q", "-w", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (found,) = out.glob("taizhang-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh venv with the wheel installed; this environment's site-packages supply the dependencies."""
    venv = tmp_path_factory.mktemp("wheel-venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / BIN / f"python{EXE}"
    # Appended after the venv's own site-packages: the installed wheel's `app` wins over anything here, and an
    # editable install of the checkout is not activated (a .pth-added folder's own .pth files are not read).
    (_site_packages(python) / "taizhang-deps.pth").write_text(
        str(_site_packages(Path(sys.executable))) + "\n", encoding="utf-8"
    )
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    yield venv


def test_the_wheel_carries_migrations_and_every_resource(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    revisions = {p.name for p in (REPO_ROOT / "db" / "migrations" / "versions").glob("*.py")}
    assert {"app/_migrations/env.py", "app/_migrations/script.py.mako"} <= names
    assert {f"app/_migrations/versions/{name}" for name in revisions} <= names
    shipped = {
        str(p.relative_to(REPO_ROOT)).replace(os.sep, "/")
        for p in (REPO_ROOT / "resources").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert shipped <= names, shipped - names
    assert "resources/icons/taizhang.ico" in names
    assert not {n for n in names if n.startswith(("tests/", "bench/", "db/", "installer/"))}


def _run(venv: Path, args: list[str], home: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MPLCONFIGDIR")}
    env.update({"TAIZHANG_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "PYTHONUTF8": "1"})
    return subprocess.run(
        [str(venv / BIN / f"taizhang{EXE}"), *args],
        cwd=cwd,  # not the checkout: `app` must come from the installed wheel
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
    )


def test_init_from_the_installed_wheel_creates_the_ledger(installed: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    run = _run(installed, ["init"], home, tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "已就绪" in run.stdout
    assert (home / "taizhang.db").exists()
    where = _run(installed, ["info"], home, tmp_path)
    assert where.returncode == 0, where.stdout + where.stderr


def test_self_test_passes_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    run = _run(installed, ["--self-test"], tmp_path / "home", tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "自检通过" in run.stdout
    # The package found its migrations inside site-packages, not in a checkout.
    code = "from app.storage.migrate import migrations_dir; print(migrations_dir())"
    probe = subprocess.run(
        [str(installed / BIN / f"python{EXE}"), "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "_migrations" in probe.stdout and str(REPO_ROOT) not in probe.stdout
