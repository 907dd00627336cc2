"""The floor for start-up benchmarks: a bare QApplication + QMainWindow that prints READY once shown, then quits.

Run as a script (unfrozen floor) or frozen by bench_delivery with PyInstaller (frozen floor); prints the same
"READY <wall> <cpu>" line as the app does under TAIZHANG_BENCH_STARTUP.
"""

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("台账")
    window.resize(1280, 800)
    window.show()

    def ready() -> None:
        print(f"READY {time.time():.6f} {time.process_time():.6f}", flush=True)
        app.quit()

    QTimer.singleShot(0, ready)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
