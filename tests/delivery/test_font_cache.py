"""matplotlib's font cache lives in the user's local data folder and is built once, in source runs too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

PROBE = (
    "import sys; from app.cli import main; "
    "import app.paths as p; p.use_persistent_matplotlib_cache(); "
    "import matplotlib; print(matplotlib.get_configdir())"
)


def _configdir(home: Path, **extra: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "MPLCONFIGDIR"}
    env.update(TAIZHANG_HOME=str(home), PYTHONPATH=str(REPO_ROOT), **extra)
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True, timeout=60)
    return out.stdout.strip().splitlines()[-1]


def test_the_font_cache_folder_is_in_the_local_data_folder(tmp_path: Path) -> None:
    assert Path(_configdir(tmp_path / "home")) == tmp_path / "home" / "matplotlib"


def test_an_mplconfigdir_set_by_the_user_is_respected(tmp_path: Path) -> None:
    chosen = tmp_path / "mine"
    chosen.mkdir()
    assert Path(_configdir(tmp_path / "home", MPLCONFIGDIR=str(chosen))) == chosen


def test_the_command_line_sets_it_before_anything_imports_matplotlib(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "MPLCONFIGDIR"}
    env.update(TAIZHANG_HOME=str(tmp_path / "home"), PYTHONPATH=str(REPO_ROOT), QT_QPA_PLATFORM="offscreen")
    code = "import sys, os; from app.cli import main; main(['info']); print(os.environ.get('MPLCONFIGDIR'))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert Path(out.stdout.strip().splitlines()[-1]) == tmp_path / "home" / "matplotlib"
