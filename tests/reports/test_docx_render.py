"""The editable Word report: same sections, real tables, page-number fields, A4, charts as pictures."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
from PySide6.QtWidgets import QApplication

from app.reports.docx_render import export_docx
from app.services.report import build_report
from app.storage.db import Database
from app.ui.report_gantt import gantt_png_pages
from tests.reports.seed_returns import LAND_PROBLEM, PERIOD, POWER_ISSUE, seed_quarter
from tests.returns.outdata import soffice_convert


@pytest.fixture(scope="module")
def document(
    seeded_template: Path, tmp_path_factory: pytest.TempPathFactory, qapp: QApplication
) -> docx.document.Document:
    """One report written once for the module; the checks only read it."""
    folder = tmp_path_factory.mktemp("docx")
    shutil.copy(seeded_template, folder / "t.db")
    db = Database(folder / "t.db")
    seed_quarter(db)
    path = folder / "report.docx"
    export_docx(build_report(db, PERIOD), path, gantt_pages=gantt_png_pages)
    db.dispose()
    return docx.Document(str(path))


def _all_text(d: docx.document.Document) -> str:
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_docx_headings_use_heading_styles(document: docx.document.Document) -> None:
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "一、总体情况" and headings[-1].endswith("数据来源")
    assert "五、需协调解决的问题" in headings


def test_docx_is_a4(document: docx.document.Document) -> None:
    section = document.sections[0]
    assert abs(section.page_width - Cm(21.0)) < Cm(0.01) and abs(section.page_height - Cm(29.7)) < Cm(0.01)


def test_docx_page_numbers_sit_at_outer_corners_and_skip_the_cover(document: docx.document.Document) -> None:
    cover, body = document.sections[0], document.sections[-1]
    assert "PAGE" not in cover.footer._element.xml  # the cover carries no number
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = body.footer.paragraphs[0], body.even_page_footer.paragraphs[0]
    assert "PAGE" in odd._element.xml and odd.text.startswith("—") and odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert "PAGE" in even._element.xml and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert "NUMPAGES" not in odd._element.xml
    dash = next(r for r in odd.runs if r.text.startswith("—"))
    fonts = dash._element.rPr.rFonts
    assert fonts.get(docx.oxml.ns.qn("w:eastAsia")) == "宋体" and dash.font.size.pt == 14


def test_docx_styles_follow_gbt_9704(document: docx.document.Document) -> None:
    def east_asia(name: str) -> str:
        return document.styles[name].element.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia"))

    assert east_asia("Normal") == "仿宋_GB2312" and document.styles["Normal"].font.size.pt == 16
    assert east_asia("Title") == "方正小标宋简体" and document.styles["Title"].font.size.pt == 22
    assert east_asia("Heading 1") == "黑体" and east_asia("Heading 2") == "楷体_GB2312"
    assert document.styles["Normal"].paragraph_format.first_line_indent.pt == 32  # two characters
    assert [p.style.name for p in document.paragraphs if p.style.name == "Title"]


def test_docx_has_a_contents_field(document: docx.document.Document) -> None:
    xml = document.element.body.xml
    assert "TOC \\o" in xml and "目　录" in xml


def test_docx_tables_carry_lagging_reasons_and_repeat_headers(document: docx.document.Document) -> None:
    text = _all_text(document)
    assert LAND_PROBLEM in text and POWER_ISSUE in text
    assert "固定宽带家庭普及率" in text
    data_tables = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
    assert data_tables and all("tblHeader" in t.rows[0]._tr.xml for t in data_tables)


def test_docx_has_chart_pictures(document: docx.document.Document) -> None:
    assert len(document.inline_shapes) >= 2  # the broadband chart and a Gantt chart


def test_docx_headings_name_heiti_not_a_theme_font(document: docx.document.Document) -> None:
    fonts = document.styles["Heading 1"].element.rPr.rFonts
    assert fonts.get(docx.oxml.ns.qn("w:eastAsia")) == "黑体"
    assert fonts.get(docx.oxml.ns.qn("w:eastAsiaTheme")) is None


def test_docx_header_carries_the_internal_line_and_date(document: docx.document.Document) -> None:
    header = document.sections[-1].header.paragraphs[0].text
    assert header.startswith("内部资料 注意保存") and "2025年第三季度" in header


def _writer_available() -> bool:
    """soffice with its Writer part: calc-only installs cannot open .docx."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return False
    program = Path(soffice).resolve().parent
    return any(program.glob("libswlo.so")) or any(program.glob("swlo.dll"))


@pytest.mark.skipif(not _writer_available(), reason="LibreOffice Writer not installed (scripts/setup.sh)")
def test_word_report_pages_render_for_a_person_to_look_at(
    document: docx.document.Document, tmp_path: Path, artifacts_dir: Path
) -> None:
    source = tmp_path / "report.docx"
    document.save(str(source))
    soffice_convert(source, "pdf", tmp_path)  # this process's LibreOffice profile: made once, not per test
    out = artifacts_dir / "report"
    out.mkdir(exist_ok=True)
    for old in out.glob("docx-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(tmp_path / "report.pdf"), str(out / "docx-page")], check=True)
    text = subprocess.run(["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True).stdout
    assert "数据来源" in text
    assert list(out.glob("docx-page-*.png"))
