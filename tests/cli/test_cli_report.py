"""`taizhang report` as a clerk's script would run it: PDF and Word out, Chinese refusals with exit 1."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import docx

from app.services import meetings
from app.storage.db import Database
from tests.conftest import REPO_ROOT
from tests.reports.seed_returns import LAND_PROBLEM, PERIOD, seed_quarter


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )


def test_report_writes_a_pdf_and_says_how_many_pages(db_path: Path, tmp_path: Path) -> None:
    db = Database(db_path)
    seed_quarter(db)
    db.dispose()
    out = tmp_path / "材料.pdf"
    result = run_cli("report", "--db", str(db_path), "--period", PERIOD, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "共" in result.stdout and "页" in result.stdout
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "五、需协调解决的问题" in unicodedata.normalize("NFKC", text)


def test_report_for_a_meeting_writes_a_docx(db_path: Path, tmp_path: Path) -> None:
    from datetime import date

    db = Database(db_path)
    seed_quarter(db)
    mid = meetings.create_meeting(db, date(2025, 10, 20), "第三季度联席会议", PERIOD)
    db.dispose()
    out = tmp_path / "材料.docx"
    result = run_cli("report", "--db", str(db_path), "--period", PERIOD, "--meeting", str(mid), "--out", str(out))
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "第一次会议" in text and "2025年10月20日" in text
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert LAND_PROBLEM in cells


def test_unknown_output_type_is_refused(db_path: Path, tmp_path: Path) -> None:
    result = run_cli("report", "--db", str(db_path), "--period", PERIOD, "--out", str(tmp_path / "a.xlsx"))
    assert result.returncode == 1
    assert ".pdf 或 .docx" in result.stderr


def test_bad_period_is_refused_in_chinese(db_path: Path, tmp_path: Path) -> None:
    result = run_cli("report", "--db", str(db_path), "--period", "2025-Q5", "--out", str(tmp_path / "a.pdf"))
    assert result.returncode == 1
    assert "报告期格式不正确" in result.stderr and "Traceback" not in result.stderr


def test_missing_meeting_is_refused(db_path: Path, tmp_path: Path) -> None:
    result = run_cli(
        "report", "--db", str(db_path), "--period", PERIOD, "--meeting", "99", "--out", str(tmp_path / "a.pdf")
    )
    assert result.returncode == 1
    assert "会议不存在" in result.stderr


def test_missing_database_is_refused(tmp_path: Path) -> None:
    result = run_cli("report", "--db", str(tmp_path / "none.db"), "--period", PERIOD, "--out", str(tmp_path / "a.pdf"))
    assert result.returncode == 1
    assert "数据库文件不存在" in result.stderr


def test_meeting_of_another_period_is_pointed_out(db_path: Path, tmp_path: Path) -> None:
    from datetime import date

    db = Database(db_path)
    mid = meetings.create_meeting(db, date(2025, 7, 20), "第二季度联席会议", "2025-Q2")
    db.dispose()
    out = tmp_path / "a.docx"
    result = run_cli("report", "--db", str(db_path), "--period", PERIOD, "--meeting", str(mid), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "2025年第二季度" in result.stderr and out.exists()
