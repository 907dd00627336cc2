"""Render docs/screenshot-main.png: the main window on a freshly seeded database at 1280×800 (offscreen).

Usage: QT_QPA_PLATFORM=offscreen python scripts/screenshot_main.py [OUT.png]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshot-main.png"
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TAIZHANG_HOME"] = tmp
        from PySide6.QtCore import QEventLoop, QTimer
        from PySide6.QtWidgets import QApplication

        from app.services.database import open_database
        from app.ui.main_window import MainWindow

        app = QApplication.instance() or QApplication([])
        database = open_database(Path(tmp) / "taizhang.db").database
        window = MainWindow(database)
        window.resize(1280, 800)
        window.show()
        dashboard = window.show_view("dashboard")
        loop = QEventLoop()
        dashboard.charts_drawn.connect(loop.quit)
        QTimer.singleShot(30_000, loop.quit)
        loop.exec()
        for _ in range(5):
            app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(out))
        window.close()
        database.dispose()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
