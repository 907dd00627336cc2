"""Gantt at scale: 5,000 rows with ~20,000 milestones — load, open, paint one viewport, scroll frames.

Usage: QT_QPA_PLATFORM=offscreen python -m bench.bench_gantt [--db BIG.db] [--projects 5000]
Also times the alternative the design rejected: a QGraphicsScene holding one item per bar and milestone.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench import floors  # noqa: E402 - after the platform is chosen

GANTT_FLOOR_QUERIES = (
    "SELECT p.id, p.code, p.name, p.kind, p.version, p.planned_start, p.planned_end, p.region, t.code, t.title"
    " FROM projects p LEFT JOIN tasks t ON t.id = p.task_id ORDER BY p.sort_order, p.id",
    "SELECT id, name, sort_order FROM departments",
    "SELECT id, project_id, name, planned_date, actual_date, version FROM milestones"
    " ORDER BY project_id, sort_order, id",
    # One progress row per project, as the chart shows it (the latest entry's period and %), folded in SQL.
    "SELECT project_id, max(period_id), max(progress_pct) FROM progress_entries GROUP BY project_id",
)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the Gantt view.")
    parser.add_argument("--db", type=Path, help="an existing large database (else one is generated)")
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--skip-scene", action="store_true", help="skip the QGraphicsScene comparison")
    args = parser.parse_args(argv)

    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QApplication

    from app.domain.timeline import Zoom
    from app.services.gantt import Grouping, load_gantt
    from app.storage.db import Database
    from app.ui.views.gantt_view import GanttView
    from app.ui.widgets.gantt_chart import GanttChart
    from bench.generate_portfolio import generate

    app = QApplication.instance() or QApplication(sys.argv)
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    tmp = tempfile.TemporaryDirectory()
    path = args.db
    if path is None:
        path = Path(tmp.name) / "gantt_bench.db"
        t0 = time.perf_counter()
        generate(path, projects=args.projects, months=12, entries=args.projects * 12)
        print(f"generated {path.name}: {args.projects} projects in {time.perf_counter() - t0:.1f} s")
    db = Database(path)
    today = date(2025, 6, 30)

    # Loads and their floor alternate, so that a change in the machine's load touches both alike. The floor:
    # plain sqlite3 fetching the rows the complete picture shows (projects with their task and department names,
    # every milestone, one progress row per project), as tuples, nothing computed.
    plan_loads, plan_cpu, loads, cpu, floor_wall, floor_cpu = [], [], [], [], [], []
    for _ in range(7):
        # The load pauses the cyclic collector (app.gc_pause), so the floor's fetch runs without it too:
        # in this process, with Qt loaded, its collections would add ~50 % to the floor and flatter the ratio.
        gc.disable()
        try:
            floor_wall.append(floors.sqlite_fetch(path, GANTT_FLOOR_QUERIES, runs=1))
            floor_cpu.append(floors.sqlite_fetch(path, GANTT_FLOOR_QUERIES, runs=1, cpu=True))
        finally:
            gc.enable()
        t0, c0 = time.perf_counter(), time.process_time()
        load_gantt(db, today=today, with_progress=False)
        plan_loads.append(time.perf_counter() - t0)
        plan_cpu.append(time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        data = load_gantt(db, today=today)
        loads.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    milestones = sum(len(r.milestones) for r in data.rows)
    print(f"rows {len(data.rows)}, milestones {milestones}, behind {data.behind_count}")
    floor, floor_c = statistics.median(floor_wall), statistics.median(floor_cpu)
    print(floors.load_line())
    print(floors.ratio_line("Gantt complete picture (load_gantt)", statistics.median(loads), "sqlite3 fetch", floor))
    print(
        floors.ratio_line(
            "Gantt complete picture (load_gantt), CPU", statistics.median(cpu), "sqlite3 fetch, CPU", floor_c
        )
    )
    print(floors.ratio_line("Gantt plans and milestones", statistics.median(plan_loads), "sqlite3 fetch", floor))
    print(
        floors.ratio_line("Gantt plans and milestones, CPU", statistics.median(plan_cpu), "sqlite3 fetch, CPU", floor_c)
    )
    print(
        f"load_gantt(with_progress=False) (plans and milestones), median of 7: {_ms(statistics.median(plan_loads))} "
        f"(CPU {_ms(statistics.median(plan_cpu))})"
    )
    print(
        f"load_gantt (service, SQL → rows), median of 7: {_ms(statistics.median(loads))} "
        f"(CPU {_ms(statistics.median(cpu))})"
    )

    # Open: widget built, data set, grouped, first frame painted (data already loaded, as the view's worker does).
    for grouping in (Grouping.NONE, Grouping.DEPARTMENT):
        walls, cpus = [], []
        for _ in range(5):
            chart = GanttChart()
            chart.resize(1400, 800)
            chart.show()
            app.processEvents()
            t0, c0 = time.perf_counter(), time.process_time()
            chart.grouping = grouping
            chart.set_data(data, keep_view=False)
            chart.set_zoom(Zoom.MONTH)
            chart.viewport().repaint()
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
            chart.close()
        print(
            f"open chart with data, grouping={grouping}, first frame, median of 5: {_ms(statistics.median(walls))} "
            f"(CPU {_ms(statistics.median(cpus))})"
        )

    # Whole view: construct, background load, first frame, measured from the constructor to the first paint.
    from PySide6.QtCore import QEventLoop

    t0, c0 = time.perf_counter(), time.process_time()
    view = GanttView(db)
    view.resize(1400, 800)
    view.show()
    view.chart.viewport().repaint()
    shown = time.perf_counter() - t0
    marks: dict[str, tuple[float, float]] = {}

    def mark(name: str) -> None:
        view.chart.viewport().repaint()
        marks[name] = (time.perf_counter() - t0, time.process_time() - c0)

    loop = QEventLoop()
    view.plans_shown.connect(lambda: mark("plans"))
    view.loaded.connect(lambda: (mark("all"), loop.quit()))
    loop.exec()
    print(f"open GanttView: window painted (正在载入……) after {_ms(shown)}")
    print(
        f"open GanttView: plans and milestones drawn after {_ms(marks['plans'][0])} "
        f"(CPU of all threads {_ms(marks['plans'][1])})"
    )
    print(
        f"open GanttView: actual spans and lag colours in after {_ms(marks['all'][0])} "
        f"(CPU of all threads {_ms(marks['all'][1])})"
    )
    view.close()

    chart = GanttChart()
    chart.resize(1400, 800)
    chart.show()
    chart.set_data(data, keep_view=False)
    chart.set_zoom(Zoom.MONTH)
    app.processEvents()
    image = QImage(1400, 800, QImage.Format.Format_RGB32)
    painter = chart.painter
    assert painter is not None
    paints, paint_cpu = [], []
    for _ in range(30):
        p = QPainter(image)
        t0, c0 = time.perf_counter(), time.process_time()
        painter.paint(p, QRectF(0, 0, 1400, 800), chart.horizontalScrollBar().value(), 12_000)
        paints.append(time.perf_counter() - t0)
        paint_cpu.append(time.process_time() - c0)
        p.end()
    print(
        f"paint one 1400×800 viewport (~29 rows), median of 30: {_ms(statistics.median(paints))} "
        f"(CPU {_ms(statistics.median(paint_cpu))})"
    )

    frames = []
    v, h = chart.verticalScrollBar(), chart.horizontalScrollBar()
    for k in range(120):
        t0 = time.perf_counter()
        v.setValue(v.value() + 3 * 26)
        if k % 4 == 0:
            h.setValue(h.value() + 40)
        chart.viewport().repaint()
        frames.append(time.perf_counter() - t0)
    frames.sort()
    print(
        f"scroll frame (3 rows down, some sideways; repaint), 120 frames: median {_ms(statistics.median(frames))}, "
        f"95th percentile {_ms(frames[int(len(frames) * 0.95)])}, worst {_ms(frames[-1])}"
    )
    chart.set_scale(0.3)
    zooms = []
    for _ in range(10):
        t0 = time.perf_counter()
        chart.set_scale(chart.timeline.px_per_day * 1.25)
        chart.viewport().repaint()
        zooms.append(time.perf_counter() - t0)
    print(f"Ctrl+wheel zoom step with repaint, median of 10: {_ms(statistics.median(zooms))}")

    if not args.skip_scene:
        from PySide6.QtCore import QPointF
        from PySide6.QtGui import QPolygonF
        from PySide6.QtWidgets import QGraphicsScene

        t0 = time.perf_counter()
        scene = QGraphicsScene()
        tl = chart.timeline
        for i, row in enumerate(data.rows):
            y = i * 26.0
            if row.planned_start and row.planned_end:
                x0 = tl.x_of(row.planned_start)
                scene.addRect(QRectF(x0, y + 4, tl.x_after(row.planned_end) - x0, 9))
            if row.actual_start and row.actual_end:
                x0 = tl.x_of(row.actual_start)
                scene.addRect(QRectF(x0, y + 15, tl.x_after(row.actual_end) - x0, 5))
            for m in row.milestones:
                if m.planned:
                    x = tl.x_of(m.planned)
                    scene.addPolygon(
                        QPolygonF([QPointF(x, y + 3), QPointF(x + 6, y + 9), QPointF(x, y + 15), QPointF(x - 6, y + 9)])
                    )
            scene.addSimpleText(row.name).setPos(0, y)
        build = time.perf_counter() - t0
        p = QPainter(image)
        t0 = time.perf_counter()
        scene.render(p, QRectF(0, 0, 1400, 800), QRectF(h.value(), 12_000, 1400, 800))
        first = time.perf_counter() - t0
        p.end()
        print(
            f"QGraphicsScene alternative: {len(scene.items())} items built in {_ms(build)}, "
            f"first render of one viewport {_ms(first)}"
        )
    db.dispose()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
