"""Gantt PDF and PNG: pages across and down, repeated labels and header, Chinese text that extracts."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import QSizeF
from PySide6.QtGui import QImage

from app.domain.timeline import Zoom
from app.services import gantt as service
from app.services.gantt import Grouping
from app.storage.db import Database
from app.storage.errors import KnownError
from app.ui.gantt_export import PrintJob, PrintOptions, export_pdf, export_png
from tests.gantt_sample import SCHEDULES, TODAY, add_sample_schedules

# Exact scenarios on the first twelve projects (see tests/first_portfolio.py).
pytestmark = pytest.mark.usefixtures("first_portfolio")


def pdf_pages_text(path: Path) -> list[str]:
    """Text of each page, NFKC-normalised (Qt maps some CJK glyphs to Kangxi radicals)."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [unicodedata.normalize("NFKC", page) for page in out.split("\f") if page.strip()]


def compact(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def data(qapp, db: Database) -> service.GanttData:  # type: ignore[no-untyped-def]
    add_sample_schedules(db)
    return service.load_gantt(db, today=TODAY)


def test_pdf_fit_two_pages_wide_repeats_title_names_and_page_numbers(data, tmp_path: Path, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = tmp_path / "gantt.pdf"
    count = export_pdf(pdf, data, PrintOptions(pages_wide=2, grouping=Grouping.DEPARTMENT, printed_on=TODAY))
    assert count == 2
    pages = pdf_pages_text(pdf)
    assert len(pages) == 2
    for n, text in enumerate(pages, start=1):
        assert "重点项目进度甘特图" in text
        assert "2025年11月20日" in text
        assert f"第{n}页共2页" in compact(text)  # pdftotext may drop the spaces around the numbers
        assert "项目名称" in text and "省数据灾备中心二期工程" in text and "吉林移动净月数据中心" in text
    assert "一季度" in pages[0]
    shutil.copy(pdf, artifacts_dir / "gantt_two_pages_wide.pdf")
    prefix = artifacts_dir / "screenshots" / "gantt_pdf_page"
    prefix.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(prefix)], check=True)


def test_pdf_at_month_scale_on_a3_runs_across_pages_in_time(data, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a4, a3 = tmp_path / "a4.pdf", tmp_path / "a3.pdf"
    n4 = export_pdf(a4, data, PrintOptions(paper="A4", pages_wide=None, zoom=Zoom.MONTH, printed_on=TODAY))
    n3 = export_pdf(a3, data, PrintOptions(paper="A3", pages_wide=None, zoom=Zoom.MONTH, printed_on=TODAY))
    assert n4 > n3 > 1
    pages = pdf_pages_text(a4)
    assert len(pages) == n4
    assert all(f"共{n4}页" in compact(p) and "中国联通东北数据中心" in p for p in pages)
    assert sum("2026年" in p for p in pages) >= 1


def test_many_rows_run_down_pages_with_the_header_repeated(qapp, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_sample_schedules(db)
    data = service.load_gantt(db, today=TODAY)
    data.rows = data.rows * 5  # 60 rows: more than one A4 page holds
    pdf = tmp_path / "tall.pdf"
    count = export_pdf(pdf, data, PrintOptions(pages_wide=1, printed_on=TODAY))
    pages = pdf_pages_text(pdf)
    assert count == len(pages) >= 2
    assert all("项目名称" in p and "2025年" in p for p in pages)


def test_png_export_draws_the_whole_chart(data, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    png = tmp_path / "gantt.png"
    w, h = export_png(png, data, PrintOptions(zoom=Zoom.QUARTER, grouping=Grouping.TASK, printed_on=TODAY))
    image = QImage(str(png))
    assert (image.width(), image.height()) == (w, h)
    assert h > 12 * 26 and w > 1000


def test_png_too_large_is_refused_with_advice(data, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data.rows = data.rows * 200
    with pytest.raises(KnownError, match="图片过大"):
        export_png(tmp_path / "big.png", data, PrintOptions(zoom=Zoom.WEEK))


def test_sample_covers_every_seeded_project(data) -> None:  # type: ignore[no-untyped-def]
    assert {r.code for r in data.rows} == set(SCHEDULES)


def test_a_page_starting_inside_a_group_names_the_group_it_continues(qapp, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_sample_schedules(db)
    data = service.load_gantt(db, today=TODAY)
    data.rows = data.rows * 4  # the 三(四)2 group (32 rows) runs over a page break
    pdf = tmp_path / "groups.pdf"
    export_pdf(pdf, data, PrintOptions(pages_wide=1, grouping=Grouping.TASK, printed_on=TODAY))
    pages = pdf_pages_text(pdf)
    assert len(pages) >= 2
    assert "(续)" not in pages[0]
    assert re.search(r"\(续\)三\([一二三四五六七八]\)\d", compact(pages[1]))  # rows are spread evenly over pages


def test_default_print_fits_twelve_projects_on_one_a4_page(qapp, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_sample_schedules(db)
    data = service.load_gantt(db, today=TODAY)
    assert len(data.rows) == 12
    for grouping in (Grouping.TASK, Grouping.DEPARTMENT, Grouping.NONE):
        assert export_pdf(tmp_path / "g.pdf", data, PrintOptions(grouping=grouping, printed_on=TODAY)) == 1


def test_rows_spread_evenly_so_no_page_holds_a_sliver(qapp, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_sample_schedules(db)
    data = service.load_gantt(db, today=TODAY)
    data.rows = data.rows * 2  # 24 rows: one more than an A4 page holds
    job = PrintJob(data, PrintOptions(printed_on=TODAY), QSizeF(1047, 718))
    assert job.grid.pages_tall == 2 and job.grid.pages_wide == 1
    assert job.grid.rows_per_page == 12  # 12 + 12, not 23 + 1


def test_a_scale_that_would_leave_a_sliver_of_time_is_shrunk_to_fewer_pages() -> None:
    from app.ui.gantt_export import _without_sliver

    assert _without_sliver(2.0, 1100.0, 1000.0) < 2.0  # 1.1 pages → 1 page at a slightly smaller scale
    assert _without_sliver(2.0, 1500.0, 1000.0) == 2.0  # half a page is no sliver
    assert _without_sliver(2.0, 900.0, 1000.0) == 2.0
