"""`taizhang import --dry-run` over the shared corpus of real, odd and hostile spreadsheets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.returns.workbooks import corpus_dir

CORPUS = corpus_dir()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not on this machine")
def test_every_corpus_file_gets_a_clear_answer_and_nothing_is_written(db_path: Path) -> None:
    before = db_path.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "app", "import", "--db", str(db_path), "--dry-run", str(CORPUS)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 1  # none of them is a return of this office
    readable = (".xlsx", ".xlsm", ".xls", ".csv", ".ods", ".et")
    spreadsheets = [p for p in CORPUS.iterdir() if p.suffix.lower() in readable]
    verdicts = [line for line in result.stdout.splitlines() if line.startswith("[")]
    assert len(verdicts) == len(spreadsheets)
    # Every other entry of the folder is listed with the reason it was not read.
    others = [p for p in CORPUS.iterdir() if p.suffix.lower() not in readable]
    unread = [line for line in result.stdout.splitlines() if line.strip().startswith("未读取：")]
    assert len(unread) == len(others)
    assert all("不能导入" in line or "可导入" in line for line in verdicts)
    assert "数据库未作改动" in result.stdout
    assert db_path.read_bytes() == before
