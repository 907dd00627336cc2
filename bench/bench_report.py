"""Benchmark: the meeting report from the large generated portfolio, as PDF (target ≤ 5 s) and as .docx.

Usage: python -m bench.bench_report [DB]   (without DB, generates the large portfolio in a temporary folder)
Prints wall-clock and CPU seconds per stage; CPU time is the steadier figure on a shared machine.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _timed(label: str, fn, floor: float | None = None):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    ratio = f"  = {cpu / floor:5.1f} × floor" if floor else ""
    print(f"{label:<38} {wall:6.2f} s wall  {cpu:6.2f} s cpu{ratio}")
    return result, cpu


def _floor() -> float:
    """CPU seconds of a fixed pure-Python loop: the machine's speed in this run, to compare runs by ratio."""
    cpu = time.process_time()
    total = 0
    for i in range(5_000_000):
        total += i % 7
    return time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from app.storage.db import Database

    with tempfile.TemporaryDirectory() as tmp:
        if args:
            db_path = Path(args[0])
        else:
            from bench.generate_portfolio import generate

            db_path = Path(tmp) / "large.db"
            _timed("generate large portfolio", lambda: generate(db_path))
        from app.ui.report_render import ensure_gui_application

        ensure_gui_application()
        _timed("import matplotlib (once per process)", lambda: __import__("matplotlib.figure"))
        from app.reports.docx_render import export_docx
        from app.services.report import build_report
        from app.ui.report_gantt import gantt_png_pages
        from app.ui.report_render import export_pdf

        floor = _floor()
        print(f"{'floor (5M-step Python loop)':<38} {floor:6.2f} s cpu")
        db = Database(db_path)
        content, t_build = _timed("build report content (2025-Q3)", lambda: build_report(db, "2025-Q3"), floor)
        pdf = Path(tmp) / "report.pdf"
        pages, t_pdf = _timed("render PDF", lambda: export_pdf(content, pdf), floor)
        docx = Path(tmp) / "report.docx"
        _, t_docx = _timed("render .docx", lambda: export_docx(content, docx, gantt_pages=gantt_png_pages), floor)
        db.dispose()
        total = t_build + t_pdf
        print(
            f"PDF: {pages} pages, {pdf.stat().st_size / 1e6:.1f} MB; content + PDF = {total:.2f} s CPU, "
            f"content + .docx = {t_build + t_docx:.2f} s CPU (target ≤ 5 s each)"
        )
        from bench import floors

        floor = floors.plain_text_pdf(pages)
        print(floors.load_line())
        print(floors.ratio_line(f"report PDF, {pages} pages (content + render)", total, "plain text PDF", floor))
        print(
            f"content: {len(content.ledger)} ledger rows, {len(content.lagging)} lagging, "
            f"{len(content.issues)} issues, {len(content.sources)} source lines, "
            f"{len(content.indicator_charts)} indicator charts"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
