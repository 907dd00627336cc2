"""The editable Word report: same sections, real tables, page-number fields, A4, charts as pictures."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.shared import Cm

from app.reports.docx_render import export_docx
from app.services.report import build_report
from app.storage.db import Database
from tests.reports.seed_returns import LAND_PROBLEM, PERIOD, POWER_ISSUE, seed_quarter


@pytest.fixture(scope="module")
def document(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> docx.document.Document:
    """One report written once for the module; the checks only read it."""
    folder = tmp_path_factory.mktemp("docx")
    shutil.copy(seeded_template, folder / "t.db")
    db = Database(folder / "t.db")
    seed_quarter(db)
    path = folder / "report.docx"
    export_docx(build_report(db, PERIOD), path)
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
    assert headings[0] == "一、总体情况" and headings[-1] == "附录三 数据来源"
    assert "五、需协调解决的问题" in headings


def test_docx_is_a4(document: docx.document.Document) -> None:
    section = document.sections[0]
    assert abs(section.page_width - Cm(21.0)) < Cm(0.01) and abs(section.page_height - Cm(29.7)) < Cm(0.01)


def test_docx_footer_has_page_number_fields(document: docx.document.Document) -> None:
    xml = document.sections[0].footer._element.xml
    assert "PAGE" in xml and "NUMPAGES" in xml and "共" in xml


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
    header = document.sections[0].header.paragraphs[0].text
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
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    out = artifacts_dir / "report"
    out.mkdir(exist_ok=True)
    for old in out.glob("docx-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(tmp_path / "report.pdf"), str(out / "docx-page")], check=True)
    text = subprocess.run(["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True).stdout
    assert "附录三 数据来源" in text
    assert list(out.glob("docx-page-*.png"))
