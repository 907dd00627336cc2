"""Render the user manual's screenshots (docs/manual/*.png) offscreen, on a fresh database with a sample ledger.

Usage: QT_QPA_PLATFORM=offscreen python scripts/manual_screenshots.py [OUT_DIR]   (default docs/manual)
The test suite runs ``render`` into a temporary folder and checks every picture the manual names is made,
so the screenshots cannot go stale without a failing test.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WINDOW_SIZE = (1280, 800)
# file name → what it shows (the manual names these files; tests check each one is rendered)
SHOTS = {
    "first-run-guide.png": "首次使用向导",
    "ledger-import.png": "导入现有台账（试运行）",
    "dashboard.png": "总览",
    "ledger.png": "项目台账",
    "project-form.png": "项目表单",
    "returns.png": "报表填报",
    "gantt.png": "甘特图",
    "indicators.png": "指标",
    "meetings.png": "会议报告",
}


def _settle(app: Any, until: Callable[[], bool] | None = None, timeout: float = 15.0, rest: float = 0.3) -> None:
    """Run the event loop until ``until()`` holds (or the timeout), then a little longer for painting."""
    end = time.monotonic() + timeout
    while until is not None and not until() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)
    end = time.monotonic() + rest
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def render(out_dir: Path, seeded: Path | None = None, *, charts: bool = True) -> list[Path]:
    """Write every screenshot in SHOTS into ``out_dir``; returns the files written.

    ``seeded``: a freshly seeded database to copy instead of creating one (the tests pass their template);
    ``charts=False`` does not wait for the dashboard's charts (the tests check the pictures are made, fast).
    """
    from PySide6.QtWidgets import QApplication

    from app.services import ledger_import
    from app.services.database import open_database
    from app.services.first_run import set_reporting_period
    from app.ui.dialogs.first_run_guide import FirstRunGuide
    from app.ui.dialogs.ledger_import_dialog import LedgerImportDialog
    from app.ui.dialogs.project_form import ProjectFormDialog
    from app.ui.main_window import MainWindow
    from tests.ledger_book import ledger_workbook

    app = QApplication.instance() or QApplication([])
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def save(widget: Any, name: str) -> None:
        path = out_dir / name
        if not widget.grab().save(str(path)):
            raise RuntimeError(f"could not save {path}")
        written.append(path)

    with tempfile.TemporaryDirectory() as tmp:
        home = os.environ.get("TAIZHANG_HOME")
        os.environ["TAIZHANG_HOME"] = tmp
        try:
            if seeded is not None:
                shutil.copy(seeded, Path(tmp) / "taizhang.db")
            database = open_database(Path(tmp) / "taizhang.db").database
            sample = ledger_workbook(Path(tmp) / "重点项目台账.xlsx")

            guide = FirstRunGuide(database)
            guide.resize(820, 520)
            guide.show()
            _settle(app, lambda: guide.period_box.count() > 0)
            guide.organisation_edit.setText("吉林省互联网经济与信息消费联席会议")
            save(guide, "first-run-guide.png")
            guide.close()

            dialog = LedgerImportDialog(database)
            dialog.resize(1000, 680)
            dialog.show()
            dialog.set_file(sample)
            _settle(app, lambda: dialog.plan is not None)
            save(dialog, "ledger-import.png")
            plan = dialog.plan
            dialog.close()
            _settle(app)
            assert plan is not None
            ledger_import.import_ledger(database, plan, user="示例")
            set_reporting_period(database, "2025-Q2", date(2025, 7, 10))

            window = MainWindow(database)
            window.resize(*WINDOW_SIZE)
            window.show()
            dashboard = window.show_view("dashboard")
            _settle(app, lambda: dashboard.dashboard is not None)
            drawn: list[str] = []
            dashboard.loaded.connect(lambda: drawn.append("loaded"))
            dashboard.charts_drawn.connect(lambda: drawn.append("charts"))
            window.set_period("2025-Q2")
            dashboard.refresh()
            _settle(app, lambda: "loaded" in drawn and ("charts" in drawn or not charts), rest=0.5)
            save(window, "dashboard.png")
            ready: dict[str, Callable[[Any], bool]] = {
                "ledger": lambda v: v.ledger is not None,
                "returns": lambda v: v.overview is not None,
                "gantt": lambda v: v.data is not None and not v.status.text().startswith("正在"),
                "indicators": lambda v: bool(v._started),
                "meetings": lambda v: True,
            }
            for key, name in (
                ("ledger", "ledger.png"),
                ("returns", "returns.png"),
                ("gantt", "gantt.png"),
                ("indicators", "indicators.png"),
                ("meetings", "meetings.png"),
            ):
                view = window.show_view(key)
                _settle(app, lambda v=view, k=key: ready[k](v), timeout=10, rest=0.5)
                save(window, name)

            from sqlalchemy import select

            from app.storage.models import Project

            with database.session() as s:
                project_id = s.scalar(select(Project.id).where(Project.code == "ZD01"))
            form = ProjectFormDialog(database, project_id, window, period_key="2025-Q2")
            form.show()
            _settle(app, rest=1.0)
            save(form, "project-form.png")
            form.close()
            window.close()
            _settle(app)
            database.dispose()
        finally:
            if home is None:
                os.environ.pop("TAIZHANG_HOME", None)
            else:
                os.environ["TAIZHANG_HOME"] = home
    return written


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "docs" / "manual"
    for path in render(out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
