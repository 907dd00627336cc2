"""Start-up stays lean: the GUI starts from the command line and imports no chart or spreadsheet library."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


# The real start (app.cli → bootstrap → main window) with a probe in place of the READY report: when the
# dashboard shows its numbers it lists the libraries already loaded, then the clerk presses Ctrl+F and types
# pinyin initials at once, before the ledger has its rows (and before anything warmed pypinyin).
_FIRST_MINUTE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import app.ui.main_window as mw
from app.storage.models import Base

LATER = ("matplotlib", "pypinyin", "docx", "openpyxl", "alembic", "numpy",
         "app.services.returns", "app.returns.commit", "app.services.first_run", "app.reports.content")

def probe(window):
    dashboard = window.current_view()

    def numbers_shown():
        print("AT_READY", [m for m in LATER if m in sys.modules], dashboard.title.text(), flush=True)
        print("MAPPERS", sum(m.configured for m in Base.registry.mappers), flush=True)
        window.start_search()
        ledger = window.current_view()
        ledger.search.setText("sjzx")

        def rows_shown():
            names = [ledger.proxy.index(r, 1).data() for r in range(ledger.proxy.rowCount())]
            print("LEDGER", len(names), all("数据中心" in n for n in names), flush=True)
            dashboard.charts_drawn.connect(lambda: (print("CHARTS", len(dashboard.canvases), flush=True),
                                                    QTimer.singleShot(0, QApplication.quit)))
            if dashboard.canvases:
                dashboard.charts_drawn.emit()

        ledger.loaded.connect(rows_shown)

    dashboard.loaded.connect(numbers_shown)

mw.report_startup_if_asked = probe
from app.cli import main
sys.argv = ["taizhang", "--db", sys.argv[1]]
sys.exit(main())
"""


@pytest.mark.usefixtures("first_portfolio")
def test_first_view_shows_its_numbers_before_charts_pinyin_and_file_libraries_load(
    tmp_path: Path, db_path: Path
) -> None:
    env = _env(tmp_path) | {"TAIZHANG_BENCH_STARTUP": "1"}
    out = subprocess.run(
        [sys.executable, "-c", _FIRST_MINUTE, str(db_path)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert out.returncode == 0, out.stderr
    lines = {line.split(" ", 1)[0]: line for line in out.stdout.splitlines()}
    # The dashboard had its numbers (its title names the period) with none of the heavy libraries loaded.
    assert lines["AT_READY"].startswith("AT_READY [] 总览 · "), lines["AT_READY"]
    # Nor had anything configured the ORM's mappers (≈ 0.1 s): the first view reads table columns only.
    assert lines["MAPPERS"] == "MAPPERS 0", lines["MAPPERS"]
    # Search-as-you-type works from the first second: pinyin initials typed before the ledger loaded.
    count, all_match = lines["LEDGER"].split()[1:]
    assert int(count) > 0 and all_match == "True", lines["LEDGER"]
    # The charts come after the numbers, drawn once matplotlib has loaded off the GUI thread.
    assert int(lines["CHARTS"].split()[1]) > 0, lines["CHARTS"]


# Stops the real start (app.cli → bootstrap) at the moment PySide6 is about to load, and lists what is loaded.
_BEFORE_QT = """
import os, sys
import app.ui.import_hook as hook

def install():
    wanted = ("sqlalchemy.orm", "app.storage.models", "app.services.dashboard", "app.services.database")
    print("BEFORE_QT", [m for m in wanted if m not in sys.modules], [m for m in sys.modules if m.startswith("PySide6")])
    sys.stdout.flush()
    os._exit(0)

hook.install = install
from app.cli import main
sys.argv = ["taizhang", "--db", sys.argv[1]]
main()
"""


def test_the_orm_and_the_first_views_services_load_before_pyside6(tmp_path: Path, db_path: Path) -> None:
    # Imported after PySide6, every import statement SQLAlchemy and the services run would pass through
    # PySide6's import hook (≈ 4 % of the start's instructions): they are loaded before it.
    out = subprocess.run(
        [sys.executable, "-c", _BEFORE_QT, str(db_path)],
        env=_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "BEFORE_QT [] []", out.stdout
