"""Every real spreadsheet of the shared corpus gets a clear answer: rows, or a refusal with a reason."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.returns.workbooks import corpus_dir

REPO = Path(__file__).resolve().parents[2]
CORPUS = corpus_dir()
PER_FILE_SECONDS = 10.0
TOTAL_SECONDS = 60.0

# Files that must be refused, and a word the reason must contain.
REFUSED = {
    "pycalamine__password.xlsx": "密码",
    "pycalamine__password.xls": "密码",
    "calamine__pass_protected.xlsx": "密码",
    "calamine__issue_385.xls": "密码",
    "pycalamine__empty_file.xlsx": "空的",
    "calamine__OOM_alloc3.xls": "损坏",
    "calamine__too_small.xls": "不是 Excel",
    "calamine__issue_594_dos.ods": "单元格过多",  # refused from the counts of its content.xml stream
    "xlrd__sample.xlsb": ".xlsb",
}


@pytest.fixture(scope="module")
def corpus_results() -> dict[str, dict[str, Any]]:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.returns.corpus_worker", str(CORPUS)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = proc.communicate(timeout=TOTAL_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        last = [json.loads(line) for line in out.splitlines() if line.startswith("{")][-1:]
        pytest.fail(f"corpus parse did not finish in {TOTAL_SECONDS} s; last line: {last}")
    assert proc.returncode == 0, err[-3000:]
    results: dict[str, dict[str, Any]] = {}
    for line in out.splitlines():
        record = json.loads(line)
        if "file" in record:
            results[record["file"]] = record
    elapsed = time.perf_counter() - started
    print(f"corpus: {len(results)} files in {elapsed:.2f} s")
    return results


def test_every_corpus_file_is_answered(corpus_results: dict[str, dict[str, Any]]) -> None:
    files = sorted(p.name for p in CORPUS.iterdir() if p.is_file() and p.suffix.lower() != ".md")
    assert sorted(corpus_results) == files
    assert len(files) >= 100


def test_every_corpus_file_gives_rows_or_a_reason(corpus_results: dict[str, dict[str, Any]]) -> None:
    for name, record in corpus_results.items():
        assert record["rows"] > 0 or record["errors"], name
        for message in record["errors"]:
            assert f"文件 {name}" in message and "：" in message, message


def test_no_corpus_file_takes_long(corpus_results: dict[str, dict[str, Any]]) -> None:
    slow = {name: r["seconds"] for name, r in corpus_results.items() if r["seconds"] > PER_FILE_SECONDS}
    assert slow == {}


def test_no_corpus_file_hits_an_internal_error(corpus_results: dict[str, dict[str, Any]]) -> None:
    internal = [name for name, r in corpus_results.items() if any("内部错误" in m for m in r["errors"])]
    assert internal == []


@pytest.mark.parametrize(("name", "word"), sorted(REFUSED.items()))
def test_hostile_and_unsupported_files_are_refused_with_the_right_reason(
    corpus_results: dict[str, dict[str, Any]], name: str, word: str
) -> None:
    record = corpus_results[name]
    assert record["rows"] == 0 and record["reader"] == ""
    assert any(word in m for m in record["errors"]), record["errors"]


def test_readable_corpus_files_are_opened_by_calamine_or_xlrd(corpus_results: dict[str, dict[str, Any]]) -> None:
    readers = {name: r["reader"] for name, r in corpus_results.items() if name not in REFUSED}
    assert set(readers.values()) <= {"calamine", "xlrd"}
    assert readers["xlrd__biff4_no_format_no_window2.xls"] == "xlrd"  # a bare BIFF4 stream calamine cannot open
    assert readers["calamine__strict_iso_paths.xlsx"] == "calamine"  # openpyxl silently finds no sheets here
