"""Every workbook the app writes, printed through LibreOffice: paper, orientation, text size, page numbers.

The template, the 汇总, the 催报名单 and the indicators export are converted to PDF once for the module, in one
LibreOffice start; the checks read the pages (pdftotext boxes), and the first pages are kept as PNG under
artifacts/printouts/.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from app.returns.chasing import write_chase_xlsx
from app.services.chasing import chase_missing_returns
from app.services.indicators import export_indicator_table
from app.services.summary import export_summary
from app.services.templates import export_templates
from app.storage.db import Database
from tests.reports import pdf_pages
from tests.returns.outdata import INDUSTRY, build_scenario, soffice_convert_all

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")

A4 = (842.0, 595.0)
A3 = (1191.0, 842.0)


@pytest.fixture(scope="module")
def printed(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory, artifacts_dir: Path) -> dict[str, Path]:
    """name → PDF of each workbook as LibreOffice prints it."""
    folder = tmp_path_factory.mktemp("printouts")
    shutil.copy(seeded_template, folder / "t.db")
    db = Database(folder / "t.db")
    build_scenario(db)
    books = folder / "books"
    books.mkdir()
    [template] = export_templates(db, "2025-Q3", books, department=INDUSTRY)
    export_summary(db, "2025-Q3", books / "汇总.xlsx")
    with db.session() as s:
        write_chase_xlsx(chase_missing_returns(s, "2025-Q3", today=date(2025, 10, 20)), books / "催报名单.xlsx")
    export_indicator_table(db, books / "指标.xlsx", as_of="2025-Q3")
    db.dispose()
    sources = {"template": template.path, "summary": books / "汇总.xlsx", "chase": books / "催报名单.xlsx"}
    sources["indicators"] = books / "指标.xlsx"
    out = artifacts_dir / "printouts"
    out.mkdir(exist_ok=True)
    pdfs = dict(zip(sources, soffice_convert_all(list(sources.values()), "pdf", folder / "pdf"), strict=True))
    for name in sources:
        for old in out.glob(f"{name}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "50", "-l", "3", "-png", str(pdfs[name]), str(out / name)], check=True)
    return pdfs


def _size(page: pdf_pages.Page) -> tuple[float, float]:
    return (round(page.width), round(page.height))


@pytest.mark.parametrize("name", ["template", "summary", "chase", "indicators"])
def test_no_text_prints_below_8_points(printed: dict[str, Path], name: str) -> None:
    for n, page in enumerate(pdf_pages.pages(printed[name]), start=1):
        heights = sorted(w.y1 - w.y0 for w in page.words if w.text.strip())
        assert heights, f"{name} page {n} is blank"
        # LibreOffice's glyph boxes are as tall as the printed size: 14 columns squeezed on A4 gave 5–6 pt
        assert heights[0] >= 7.9, f"{name} page {n}: text printed at {heights[0]:.1f} pt"


@pytest.mark.parametrize("name", ["template", "summary", "chase", "indicators"])
def test_pages_are_landscape_a4_or_a3_and_numbered(printed: dict[str, Path], name: str) -> None:
    sheets = pdf_pages.pages(printed[name])
    for n, page in enumerate(sheets, start=1):
        assert _size(page) in ((round(A4[0]), round(A4[1])), (round(A3[0]), round(A3[1])), (595, 842))
        footer = "".join(w.text for w in page.below(page.height - 60))
        assert f"第{n}页" in footer.replace(" ", "") or "页" in footer, f"{name} page {n} has no page number"


def test_wide_sheets_go_to_a3(printed: dict[str, Path]) -> None:
    sizes = {_size(p) for p in pdf_pages.pages(printed["summary"])}
    assert (1191, 842) in sizes  # the 14-column ledger


def test_chase_status_line_is_printed_whole(printed: dict[str, Path]) -> None:
    text = "".join(w.text for w in pdf_pages.pages(printed["chase"])[0].words)
    assert "应报3个单位" in text and text.count("有待核实的问题1个。") == 1  # the line to its full stop
