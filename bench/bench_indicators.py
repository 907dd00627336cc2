"""Time the indicator service, charts, export and view on the large generated portfolio.

`python -m bench.bench_indicators [DB]` (generates /tmp/taizhang_bench_large.db when no DB is given).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _time(label: str, fn: Callable[[], Any], repeat: int = 3) -> Any:
    best = float("inf")
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<58} {best * 1000:8.1f} ms")
    return result


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else Path(tempfile.gettempdir()) / "taizhang_bench_large.db"
    if not path.exists():
        from bench.generate_portfolio import generate

        t0 = time.perf_counter()
        generate(path)
        print(f"generated {path} in {time.perf_counter() - t0:.1f} s")

    from app.services import indicators as service
    from app.storage.db import Database

    db = Database(path)
    t0 = time.perf_counter()
    from app.reports.chart_fonts import configure_cjk_font

    configure_cjk_font()
    print(f"{'first matplotlib import + font set-up':<58} {(time.perf_counter() - t0) * 1000:8.1f} ms")
    data = _time("list_indicators (16 indicators, 176 actuals, 21 targets)", lambda: service.list_indicators(db))
    _time("list_indicators as of 2020-Q4", lambda: service.list_indicators(db, as_of="2020-Q4"))
    from bench import floors

    listed = floors.median_time(lambda: service.list_indicators(db))
    floor = floors.sqlite_fetch(
        path,
        (
            "SELECT * FROM indicators",
            "SELECT * FROM indicator_baselines",
            "SELECT * FROM indicator_targets",
            "SELECT * FROM indicator_actuals",
        ),
    )
    print(floors.load_line())
    print(floors.ratio_line("list_indicators", listed, "sqlite3 fetch", floor))
    _time("indicator_rows", lambda: service.indicator_rows(data))

    from app.reports.indicator_charts import indicator_figure

    def all_charts() -> None:
        for d in data:
            indicator_figure(d, width_in=6.3, height_in=3.4)

    def all_pngs() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            for d in data:
                indicator_figure(d, width_in=6.3, height_in=3.4).savefig(Path(tmp) / f"{d.code}.png", dpi=150)

    _time("indicator_figure x16 (build only)", all_charts)
    _time("indicator_figure x16 rendered to PNG at 150 dpi", all_pngs, repeat=2)
    with tempfile.TemporaryDirectory() as tmp:
        _time("export_indicator_table (.xlsx)", lambda: service.export_indicator_table(db, Path(tmp) / "x.xlsx"))

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from app.ui.views.indicators_view import IndicatorsView

    view = _time("IndicatorsView(database) incl. first chart", lambda: IndicatorsView(db), repeat=1)
    view.resize(1280, 820)
    view.show()  # the chart is drawn only once the view is on screen
    app.processEvents()
    ids = [d.id for d in data]

    def select_all() -> None:
        for i in ids:
            view.select_indicator(i)
            app.processEvents()

    t0 = time.perf_counter()
    select_all()
    print(
        f"{'select each of 16 indicators (chart redrawn), mean':<58} {(time.perf_counter() - t0) / 16 * 1000:8.1f} ms"
    )
    _time("view.refresh()", view.refresh)
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
