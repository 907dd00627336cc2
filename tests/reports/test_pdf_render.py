"""The printed report: PDF text (pdftotext + NFKC), page numbers, fonts, and pages saved as PNG to look at."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.services import meetings
from app.services.report import build_report
from app.storage.db import Database
from app.ui.report_render import FALLBACK_FONTS, choose_fonts, export_pdf
from tests.reports import pdf_pages
from tests.reports.seed_returns import CLOUD_ISSUE, LAND_PROBLEM, PERIOD, POWER_ISSUE, seed_quarter

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


@pytest.fixture(scope="module")
def pdf(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory, qapp: QApplication) -> tuple[Path, int]:
    """One report rendered once for the module: rendering is the slow part, the checks only read it."""
    folder = tmp_path_factory.mktemp("pdf")
    shutil.copy(seeded_template, folder / "t.db")
    db = Database(folder / "t.db")
    seeded = seed_quarter(db)
    mid = meetings.create_meeting(
        db, date(2025, 10, 20), "2025年第三季度联席会议", PERIOD, [seeded.it_id, seeded.drc_id, seeded.commerce_id]
    )
    meetings.gather_issues(db, mid)
    path = folder / "report.pdf"
    pages = export_pdf(build_report(db, PERIOD, mid), path)
    db.dispose()
    return path, pages


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", out)


def test_pdf_contains_every_heading(pdf: tuple[Path, int]) -> None:
    text = pdf_text(pdf[0])
    for heading in (
        "一、总体情况",
        "二、主要指标完成情况",
        "三、重点任务进展",
        "四、滞后项目",
        "五、需协调解决的问题",
        "六、未报送单位",
        "附录一 项目台账",
        "项目进度甘特图",
        "数据来源",
    ):
        assert heading in text


def test_pdf_cover_names_the_joint_conference(pdf: tuple[Path, int]) -> None:
    text = pdf_text(pdf[0])
    assert "吉林省互联网经济与信息消费联席会议" in text
    assert "第一次会议" in text and "2025年10月20日" in text
    assert "内部资料 注意保存" in text


def test_pages_are_a4_and_numbered_at_the_outer_corner_from_the_first_body_page(pdf: tuple[Path, int]) -> None:
    path, count = pdf
    sheets = pdf_pages.pages(path)
    assert len(sheets) == count
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"Pages:\s+{count}\b", info)
    numbered = [(i, pdf_pages.page_number(p)) for i, p in enumerate(sheets)]
    assert numbered[0][1] is None  # the cover carries no number
    shown = [(i, n) for i, n in numbered if n is not None]
    assert [int(n[0]) for _, n in shown] == list(range(1, len(shown) + 1))
    assert len(shown) >= count - 2  # only the cover and the contents go without
    for i, (digits, left, right) in ((i, n) for i, n in shown):
        page = sheets[i]
        portrait = page.width < page.height
        assert (page.width, page.height) in ((595.0, 842.0), (842.0, 595.0))
        if int(digits) % 2:
            assert left > page.width / 2, f"page {digits}: odd numbers sit at the right"
        else:
            assert right < page.width / 2, f"page {digits}: even numbers sit at the left"
        if portrait:
            assert right - left < 80  # "— 12 —", not a sentence


def test_body_is_3hao_at_22_lines_of_28_characters(pdf: tuple[Path, int]) -> None:
    sheets = pdf_pages.pages(pdf[0])
    body = next(p for p in sheets if "截至" in p.text())
    lines = sorted({round(w.y0, 1) for w in body.words if 120 < w.y0 < body.height - 110})
    gaps = [b - a for a, b in zip(lines, lines[1:], strict=False) if 27 < b - a < 31]
    assert gaps and all(abs(g - 28.96) < 0.6 for g in gaps)  # 225 mm / 22 lines
    heights = [w.y1 - w.y0 for w in body.words if 120 < w.y0 < body.height - 110]
    assert 17.5 < sorted(heights)[len(heights) // 2] < 20.5  # 16 pt glyph boxes
    # a full body line holds about 28 characters of 16 pt in the 156 mm text block
    widest = max(w.x1 for w in body.words if w.y0 > 120) - min(w.x0 for w in body.words if w.y0 > 120)
    assert 430 < widest < 445


def test_no_page_is_blank(pdf: tuple[Path, int]) -> None:
    for n, page in enumerate(pdf_pages.pages(pdf[0]), start=1):
        inside = [w for w in page.words if 95 < w.y0 < page.height - 100]
        assert inside, f"page {n} holds only its header and number"


def test_every_heading_is_a_bookmark_and_in_the_contents(pdf: tuple[Path, int]) -> None:
    marks = pdf_pages.bookmarks(pdf[0])
    titles = [t for t, _ in marks]
    for heading in ("一、总体情况", "五、需协调解决的问题", "附录一 项目台账"):
        assert heading in titles
    assert any(t.endswith("项目进度甘特图") for t in titles)
    contents = pdf_pages.pages(pdf[0])[1].text()
    assert "目录" in contents.replace(" ", "").replace("\u3000", "") and "一、总体情况" in contents


def test_pdf_shows_indicators_with_both_broadband_targets(pdf: tuple[Path, int]) -> None:
    text = re.sub(r"\s+", "", pdf_text(pdf[0]))
    assert "固定宽带家庭普及率" in text and "互联网产业规模" in text
    assert "达到75%" in text and "达55%以上" in text


def test_pdf_carries_the_departments_words(pdf: tuple[Path, int]) -> None:
    text = re.sub(r"\s+", "", pdf_text(pdf[0]))
    assert LAND_PROBLEM[:8] in text  # in a narrow table cell: pdftotext interleaves the wrapped lines of a row
    for words in (POWER_ISSUE, CLOUD_ISSUE, "省商务厅"):
        assert re.sub(r"\s+", "", unicodedata.normalize("NFKC", words)) in text


def test_fonts_fall_back_to_a_cjk_font_that_extracts_correctly(qapp: QApplication) -> None:
    fonts = choose_fonts()
    assert fonts.body in {"FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "STFangsong", *FALLBACK_FONTS}
    assert fonts.heading != "sans-serif"


def test_cover_page_holds_only_the_cover(pdf: tuple[Path, int]) -> None:
    first_page = pdf_text(pdf[0]).split("\f")[0]
    assert "联席会议" in first_page and "一、总体情况" not in first_page


def test_pages_render_to_png_for_a_person_to_look_at(pdf: tuple[Path, int], artifacts_dir: Path) -> None:
    path, pages = pdf
    out = artifacts_dir / "report"
    out.mkdir(exist_ok=True)
    for old in out.glob("page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(out / "page")], check=True)
    shutil.copy(path, out / "report.pdf")
    assert len(list(out.glob("page-*.png"))) == pages


def test_export_reports_progress_to_the_end(db: Database, qapp: QApplication, tmp_path: Path) -> None:
    steps: list[tuple[int, int, str]] = []
    export_pdf(build_report(db, PERIOD), tmp_path / "r.pdf", lambda d, t, s: steps.append((d, t, s)))
    assert steps and steps[-1][0] == steps[-1][1]


def test_copied_text_has_no_kangxi_radicals_or_compatibility_ideographs(pdf: tuple[Path, int]) -> None:
    raw = subprocess.run(["pdftotext", str(pdf[0]), "-"], capture_output=True, text=True, check=True).stdout
    odd = {c for c in raw if 0x2E80 <= ord(c) <= 0x2FDF or 0xF900 <= ord(c) <= 0xFAFF}
    assert odd == set()
