"""The meeting material for a generated large portfolio, as PDF and as .docx printed by LibreOffice.

Checks what a reader sees on paper: no blank pages, numbering from the first body page, bookmarks, readable
Gantt pages drawn by the Gantt painter, and the two files within a few pages of each other. The first pages,
the chart pages and the Gantt pages are kept as PNG under artifacts/report-large/ for a person to look at.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.reports.docx_render import export_docx
from app.services.report import build_report
from app.storage.db import Database
from app.ui.report_gantt import gantt_png_pages
from app.ui.report_render import export_pdf
from bench.generate_portfolio import generate
from tests.reports import pdf_pages
from tests.returns.outdata import soffice_convert

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None, reason="no LibreOffice"),
]

FIRST_PAGES = 12  # cover, contents and the first body pages: enough to look at the layout

# Each check reads the same two files: extract their words once (pdftotext over ~80 pages each).
_pages = functools.cache(pdf_pages.pages)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, qapp: QApplication, artifacts_dir: Path) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("large")
    # 80 projects over six months with 1,200 progress entries and 10 supervised parts per department: a report
    # of about 80 pages (with the generator's default 50 parts it was 176 pages, no different to check).
    db = Database(generate(folder / "large.db", projects=80, months=6, entries=1200, parts_per_department=10))
    content = build_report(db, "2021-Q2")
    db.dispose()
    pdf, docx = folder / "report.pdf", folder / "report.docx"
    export_pdf(content, pdf)
    export_docx(content, docx, gantt_pages=gantt_png_pages)
    from_docx = soffice_convert(docx, "pdf", folder / "docx")
    out = artifacts_dir / "report-large"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    for kind, path in (("pdf", pdf), ("docx", from_docx)):
        subprocess.run(["pdftoppm", "-r", "40", "-l", str(FIRST_PAGES), "-png", str(path), str(out / kind)], check=True)
        gantt = {n for n, page in enumerate(_pages(path), start=1) if "未完成里程碑" in page.text()}
        for n in sorted((pdf_pages.pages_with_images(path) | gantt) - set(range(1, FIRST_PAGES + 1))):
            subprocess.run(["pdftoppm", "-r", "40", "-f", str(n), "-l", str(n), "-png", str(path), str(out / kind)],
                           check=True)  # fmt: skip
    return {"pdf": pdf, "docx": from_docx}


def test_no_blank_pages_in_either_file(rendered: dict[str, Path]) -> None:
    for kind, path in rendered.items():
        pictures = pdf_pages.pages_with_images(path)
        for n, page in enumerate(_pages(path), start=1):
            inside = [w for w in page.words if 95 < w.y0 < page.height - 100]
            assert inside or n in pictures, f"{kind} page {n} holds only its header and number"


def test_pdf_and_docx_have_close_page_counts(rendered: dict[str, Path]) -> None:
    pdf, docx = (len(_pages(p)) for p in (rendered["pdf"], rendered["docx"]))
    assert abs(pdf - docx) <= max(3, pdf // 10), (pdf, docx)


def test_pages_are_numbered_from_one_after_cover_and_contents(rendered: dict[str, Path]) -> None:
    for kind, path in rendered.items():
        numbers = [pdf_pages.page_number(p) for p in _pages(path)]
        shown = [int(n[0]) for n in numbers if n is not None]
        assert numbers[0] is None, kind
        assert shown == list(range(1, len(shown) + 1)), kind
        assert len(shown) >= len(numbers) - 2, kind


def test_gantt_pages_come_from_the_gantt_painter_with_legend_and_readable_labels(rendered: dict[str, Path]) -> None:
    sheets = _pages(rendered["pdf"])
    gantt = [p for p in sheets if "未完成里程碑" in p.text() and "已完成里程碑" in p.text()]
    assert gantt, "the Gantt pages carry the painter's legend"
    for page in gantt:
        labels = [w for w in page.words if 100 < w.y0 < page.height - 100 and w.text.strip()]
        assert min(w.y1 - w.y0 for w in labels) >= 7.0  # printed labels of 7 pt and more
    marks = [t for t, _ in pdf_pages.bookmarks(rendered["pdf"])]
    assert any(t.endswith("项目进度甘特图") for t in marks)


def test_issues_are_grouped_once_per_department(rendered: dict[str, Path]) -> None:
    text = "".join(p.text() for p in _pages(rendered["pdf"]))
    section = text.split("五、需协调解决的问题")[-1].split("六、未报送单位")[0]
    assert "1.无" not in section and "(1)无" not in section
