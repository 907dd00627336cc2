"""Hostile workbooks are refused from counts taken on the XML stream, cheaply and without a traceback."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.returns.parse import parse_return
from app.returns.read import Limits, read_workbook
from tests.returns.hostile import SHEET_HEAD, SHEET_TAIL, write_xlsx

# The peak is VmHWM, this process's own high-water mark since exec: ru_maxrss is carried over from the parent
# at fork, so in a long pytest run it would report pytest's size, not the parse's.
_MEASURE = """
import json, resource, sys, time
from pathlib import Path
from app.returns.parse import parse_return

def peak_mb():
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

started = time.process_time()  # CPU time: the wall time of a process beside other test workers varies
parsed = parse_return(Path(sys.argv[1]))
print(json.dumps({
    "seconds": time.process_time() - started,
    "peak_mb": peak_mb(),
    "errors": [p.message for p in parsed.problems if p.severity == "error"],
    "rows": sum(len(r) for r in parsed.rows.values()),
}, ensure_ascii=False))
"""


def _measure(path: Path) -> dict[str, object]:
    """Parse ``path`` in a fresh process: its own peak RSS (VmHWM) and CPU time."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _far_row_sheet() -> list[bytes]:
    # Cells without r, then one row claiming the last row of a sheet: 1.8 KB that once asked for 6.7 GB.
    return [
        SHEET_HEAD,
        b"<row>" + b"".join(b"<c><v>%d</v></c>" % i for i in range(40)) + b"</row>",
        b'<row r="1048576"><c><v>1</v></c></row>',
        SHEET_TAIL,
    ]


def _million_rows() -> Iterator[bytes]:
    rng = random.Random(1)
    yield SHEET_HEAD
    for _ in range(100):
        yield b"".join(b"<row><c><v>%d</v></c></row>" % rng.randrange(10**9) for _ in range(10_000))
    yield SHEET_TAIL


def _huge_string() -> Iterator[bytes]:
    # ~110 MB of text in one shared string, compressible about 5× like real text (not a zip bomb).
    rng = random.Random(2)
    yield b"<sst><si><t>"
    letters = bytes(0x61 + b % 4 for b in range(256))
    for _ in range(110):
        yield rng.randbytes(1 << 20).translate(letters)
    yield b"</t></si></sst>"


def test_rows_without_positions_and_a_far_row_are_refused_before_reading(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "far.xlsx", _far_row_sheet())
    assert path.stat().st_size < 4096
    result = read_workbook(path)
    assert result.workbook is None
    assert "范围过大" in result.problems[0].message


def test_cells_with_far_positions_are_counted_even_without_row_positions(tmp_path: Path) -> None:
    sheet = [SHEET_HEAD, b'<row><c r="XFD1"><v>1</v></c><c r="A200000"><v>1</v></c></row>', SHEET_TAIL]
    result = read_workbook(write_xlsx(tmp_path / "wide.xlsx", sheet))
    assert result.workbook is None and "范围过大" in result.problems[0].message


def test_a_normal_sheet_is_sized_by_its_rows_not_refused(tmp_path: Path) -> None:
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, 2001))
    result = read_workbook(write_xlsx(tmp_path / "ok.xlsx", [SHEET_HEAD, rows, SHEET_TAIL]))
    assert result.workbook is not None
    assert len(result.workbook.sheets[0].rows) == 2000


def test_too_many_cells_counted_from_the_stream_are_refused(tmp_path: Path) -> None:
    rows = b"".join(b"<row><c><v>1</v></c><c><v>2</v></c></row>" for _ in range(3000))
    path = write_xlsx(tmp_path / "many.xlsx", [SHEET_HEAD, rows, SHEET_TAIL], level=1)
    result = read_workbook(path, Limits(max_cells=5000, max_ratio=10_000))
    assert result.workbook is None
    assert "过多" in result.problems[0].message or "范围过大" in result.problems[0].message


def test_shared_strings_beyond_the_text_bound_are_refused(tmp_path: Path) -> None:
    text = [b"<sst>", b"<si><t>" + b"x" * 5000 + b"</t></si>" * 1, b"</sst>"]
    path = write_xlsx(tmp_path / "text.xlsx", [SHEET_HEAD, SHEET_TAIL], text)
    result = read_workbook(path, Limits(max_text_bytes=4000, max_ratio=10_000))
    assert result.workbook is None
    assert "文字总量过大" in result.problems[0].message


@pytest.mark.parametrize("kind", ["far_row", "million_rows", "huge_string"])
def test_a_refused_hostile_file_costs_under_300_mb_and_5_seconds(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.xlsx"
    if kind == "far_row":
        write_xlsx(path, _far_row_sheet())
    elif kind == "million_rows":
        write_xlsx(path, _million_rows(), level=1)
    else:
        write_xlsx(path, [SHEET_HEAD, b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>', SHEET_TAIL], _huge_string(), 1)
    measured = _measure(path)
    assert measured["errors"], measured
    if kind == "huge_string":
        assert "文字" in str(measured["errors"])
    assert measured["rows"] == 0
    assert measured["peak_mb"] <= 300, measured
    assert measured["seconds"] <= 5, measured


def test_a_hostile_file_gets_a_chinese_answer_from_parse_return(tmp_path: Path) -> None:
    parsed = parse_return(write_xlsx(tmp_path / "far.xlsx", _far_row_sheet()))
    assert parsed.has_errors
    assert all("Error" not in p.message for p in parsed.problems)
