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
        "附录二 项目进度甘特图",
        "附录三 数据来源",
    ):
        assert heading in text


def test_pdf_cover_names_the_joint_conference(pdf: tuple[Path, int]) -> None:
    text = pdf_text(pdf[0])
    assert "吉林省互联网经济与信息消费联席会议" in text
    assert "第一次会议" in text and "2025年10月20日" in text
    assert "内部资料 注意保存" in text


def test_every_page_says_which_page_of_how_many(pdf: tuple[Path, int]) -> None:
    path, pages = pdf
    text = re.sub(r"[ \t]+", "", pdf_text(path))  # pdftotext drops or keeps spaces between CJK glyphs
    assert pages >= 5
    for n in (1, 2, pages):
        assert f"第{n}页共{pages}页" in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"Pages:\s+{pages}\b", info)
    assert "595.276 x 841.89" in info or "595 x 842" in info  # A4


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
