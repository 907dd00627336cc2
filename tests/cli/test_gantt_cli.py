"""`taizhang gantt`: PDF and PNG from the command line, selections, paper and page width, Chinese refusals."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

from app.storage.db import Database
from tests.conftest import REPO_ROOT
from tests.gantt_sample import add_sample_schedules


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )


def _sample(db_path: Path) -> Path:
    database = Database(db_path)
    add_sample_schedules(database)
    database.dispose()
    return db_path


def _pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", out)


def test_gantt_pdf_for_a_department_on_a3_three_pages_wide(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "通信.pdf"
    result = run_cli(
        "gantt", "--db", str(_sample(db_path)), "--department", "省通信管理局", "--paper", "A3",
        "--pages-wide", "3", "--today", "2025-11-20", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "3 个项目" in result.stdout and "3 页" in result.stdout
    text = _pdf_text(out)
    assert text.count("中国电信东北呼叫中心") == 3
    assert "牵头单位:省通信管理局" in text.replace(" ", "")
    assert "省数据灾备中心二期工程" not in text


def test_gantt_png_for_a_region(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "jilin.png"
    result = run_cli(
        "gantt", "--db", str(_sample(db_path)), "--region", "吉林市", "--zoom", "quarter", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_gantt_refuses_an_unknown_output_type_and_an_empty_selection(db_path: Path, tmp_path: Path) -> None:
    bad = run_cli("gantt", "--db", str(db_path), "--out", str(tmp_path / "x.docx"))
    assert bad.returncode == 1 and ".pdf 或 .png" in bad.stderr
    missing = run_cli("gantt", "--db", str(db_path), "--region", "火星", "--out", str(tmp_path / "x.pdf"))
    assert missing.returncode == 1 and "没有地区为「火星」的项目" in missing.stderr


def test_gantt_draws_a_saved_baseline_and_refuses_an_unknown_one(db_path: Path, tmp_path: Path) -> None:
    from app.services.gantt import save_baseline

    database = Database(_sample(db_path))
    save_baseline(database, "2025年初计划")
    database.dispose()
    out = tmp_path / "b.pdf"
    ok = run_cli("gantt", "--db", str(db_path), "--baseline", "2025年初计划", "--pages-wide", "1", "--out", str(out))
    assert ok.returncode == 0, ok.stderr
    assert "对比基线:2025年初计划" in _pdf_text(out).replace(" ", "")
    missing = run_cli("gantt", "--db", str(db_path), "--baseline", "没有这个", "--out", str(out))
    assert missing.returncode == 1 and "找不到基线：没有这个" in missing.stderr


def test_gantt_by_default_fits_the_time_range_to_one_page_width(db_path: Path, tmp_path: Path) -> None:
    from tests.first_portfolio import keep_first_portfolio

    keep_first_portfolio(db_path)  # the twelve key projects the issue counts (the portfolio now names 65)
    out = tmp_path / "all.pdf"
    result = run_cli("gantt", "--db", str(_sample(db_path)), "--today", "2025-11-20", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "12 个项目，1 页" in result.stdout
    scaled = run_cli("gantt", "--db", str(db_path), "--zoom", "month", "--today", "2025-11-20", "--out", str(out))
    assert scaled.returncode == 0 and "1 页" not in scaled.stdout  # a scale asked for tiles across pages
