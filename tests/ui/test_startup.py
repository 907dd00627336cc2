"""Start-up stays lean: the GUI starts from the command line and imports no chart or spreadsheet library."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", TAIZHANG_HOME=str(tmp_path / "home"))
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_main_window_modules_import_no_heavy_libraries(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "import app.bootstrap, app.ui.main_window, app.ui.views.dashboard_view, app.ui.views.ledger_view\n"
        "print(sorted(m for m in ('matplotlib', 'openpyxl', 'pypinyin', 'docx') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=_env(tmp_path), cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_gui_starts_and_reports_ready(tmp_path: Path, db_path: Path) -> None:
    env = _env(tmp_path) | {"TAIZHANG_BENCH_STARTUP": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db_path)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert any(line.startswith("READY ") for line in out.stdout.splitlines())
