"""`taizhang import`: verdicts, problems, exit codes 0/1/2, --dry-run and --strict.

The files' contents come from ParsedReturns registered per file name (the reading stages have their own
tests); what is checked here is what the command does with them.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.returns import batch as read_batch
from app.returns.parsed import ParsedReturn
from app.storage.db import Database
from app.storage.models import ProgressEntry, Return
from tests.returns.helpers import assign_departments, parsed, progress_row


@pytest.fixture
def files(tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Three files on disk (good, with a warning, with an error) whose parsed contents are registered."""
    database = Database(db_path)
    assign_departments(database)
    database.dispose()
    contents: dict[str, ParsedReturn] = {
        "good.xlsx": parsed("good.xlsx", progress=[progress_row(4, code="ZD01", progress_pct=40.0)]),
        "warned.xlsx": parsed(
            "warned.xlsx", department="省发展改革委", progress=[progress_row(4, code="ZD01", progress_pct=10.0)]
        ),  # fmt: skip
        "bad.xlsx": parsed("bad.xlsx", department="省商务厅", progress=[progress_row(9, "没有这个项目")]),
    }
    folder = tmp_path / "returns"
    folder.mkdir()
    paths = {}
    for name in contents:
        paths[name] = folder / name
        paths[name].write_bytes(b"placeholder")

    def fake_parse(path: Path, *, department: str | None = None, period: str | None = None, **_: Any) -> ParsedReturn:
        item = contents[path.name]
        item.path = path
        if item.period_key is None:
            item.period_key = period
        return item

    monkeypatch.setattr(read_batch, "parse_file", fake_parse)
    return paths


def returns_in(db_path: Path) -> int:
    database = Database(db_path)
    with database.sessions() as s:
        count = s.scalar(select(func.count(Return.id))) or 0
    database.dispose()
    return count


def test_good_file_is_imported_with_exit_0(
    files: dict[str, Path], db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "--db", str(db_path), str(files["good.xlsx"])]) == 0
    out = capsys.readouterr().out
    assert "good.xlsx：已导入：省工业和信息化厅，2025年第三季度，项目 1 行" in out
    assert returns_in(db_path) == 1


def test_importing_again_says_already_imported_and_exits_0(
    files: dict[str, Path], db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["import", "--db", str(db_path), str(files["good.xlsx"])])
    capsys.readouterr()
    assert main(["import", "--db", str(db_path), str(files["good.xlsx"])]) == 0
    assert "已导入过" in capsys.readouterr().out
    assert returns_in(db_path) == 1


def test_folder_with_a_bad_file_exits_1_and_prints_every_problem(
    files: dict[str, Path], db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "--db", str(db_path), str(files["good.xlsx"].parent)]) == 1
    out = capsys.readouterr().out
    assert "bad.xlsx：未导入" in out
    assert "[错误] 文件 bad.xlsx，工作表 项目进展，第 9 行，B 列：项目「没有这个项目」在台账中找不到" in out
    assert "[警告] 文件 warned.xlsx" in out
    assert "被拒绝 1 个" in out
    assert returns_in(db_path) == 2  # good and warned are imported; bad is not


def test_dry_run_writes_nothing(files: dict[str, Path], db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = db_path.read_bytes()
    assert main(["import", "--db", str(db_path), "--dry-run", str(files["good.xlsx"]), str(files["warned.xlsx"])]) == 0
    assert "试运行，数据库未作改动：可导入 2 个" in capsys.readouterr().out
    assert returns_in(db_path) == 0
    assert db_path.read_bytes() == before


def test_strict_refuses_a_file_with_warnings(
    files: dict[str, Path], db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "--db", str(db_path), "--strict", str(files["warned.xlsx"])]) == 1
    assert "[错误] 文件 warned.xlsx" in capsys.readouterr().out
    assert returns_in(db_path) == 0


def test_missing_file_is_a_usage_error_with_exit_2(
    files: dict[str, Path], db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "--db", str(db_path), str(files["good.xlsx"].parent / "nope.xlsx")]) == 2
    assert "找不到文件" in capsys.readouterr().err


def test_bad_period_option_is_a_usage_error_with_exit_2(
    files: dict[str, Path], db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "--db", str(db_path), "--period", "第三季度", str(files["good.xlsx"])]) == 2
    assert "报告期格式不正确" in capsys.readouterr().err


def test_no_file_argument_is_a_usage_error_with_exit_2(db_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["import", "--db", str(db_path)])
    assert exc.value.code == 2


def test_period_option_fills_a_file_without_period(
    files: dict[str, Path], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = parsed("noperiod.xlsx", period=None, progress=[progress_row(4, code="ZD02", progress_pct=5.0)])
    path = files["good.xlsx"].parent / "noperiod.xlsx"
    path.write_bytes(b"x")
    monkeypatch.setattr(read_batch, "parse_file", lambda p, department=None, period=None: (
        setattr(item, "period_key", item.period_key or period) or item))  # fmt: skip
    assert main(["import", "--db", str(db_path), str(path)]) == 1
    assert main(["import", "--db", str(db_path), "--period", "2025-q3", str(path)]) == 0
    database = Database(db_path)
    with database.sessions() as s:
        assert s.scalar(select(func.count(ProgressEntry.id))) == 1
    database.dispose()


_SLOW_READ = """
import sys, time
from app.returns import batch
def slow(path, **_):
    print("reading", flush=True)
    time.sleep(60)
batch.parse_file = slow
from app.cli import main
sys.exit(main(["import", "--dry-run", "--db", sys.argv[1], sys.argv[2]]))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is a POSIX signal")
def test_ctrl_c_while_a_return_is_being_read_stops_at_once(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "return.xlsx"
    path.write_bytes(b"placeholder")
    child = subprocess.Popen(
        [sys.executable, "-c", _SLOW_READ, str(db_path), str(path)],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # A child of a shell that ignores Ctrl+C would ignore it too: give it the default handler.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert child.stdout is not None
        while "reading" not in child.stdout.readline():
            assert child.poll() is None, child.stdout.read()
        time.sleep(0.5)  # the ledger is being opened meanwhile
        started = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=30)
    finally:
        child.kill()
    assert time.monotonic() - started < 5  # not the 60 s the read would still take
    assert "已中断" in out and child.returncode == 1


def test_the_collector_waits_for_the_whole_import_and_is_back_on_after_it(
    files: dict[str, Path], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pass of the cyclic collector in the middle of an import walks every row read so far (≈0.1 s for 50,000
    # rows) and finds nothing: the command holds it off from the first read to the last commit. A caller that
    # runs the command inside its own process (a script, these tests) gets the collector back afterwards.
    import gc

    from app.services import returns as service

    passes: list[str] = []
    inside: list[str] = []
    enabled: list[bool] = []

    def watched(name: str, real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            enabled.append(gc.isenabled())
            inside.append(name)
            try:
                return real(*args, **kwargs)
            finally:
                inside.append("")

        return call

    monkeypatch.setattr(service, "preview_read", watched("read", service.preview_read))
    monkeypatch.setattr(service, "commit", watched("commit", service.commit))

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and inside and inside[-1]:
            passes.append(inside[-1])

    gc.callbacks.append(count)
    frozen = gc.get_freeze_count()
    try:
        assert gc.isenabled()
        assert main(["import", "--db", str(db_path), str(files["good.xlsx"]), str(files["warned.xlsx"])]) == 0
    finally:
        gc.callbacks.remove(count)
    assert inside == ["read", "", "commit", ""]
    assert enabled == [False, False]
    assert passes == []
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen  # the heap is set aside only when the command is the whole process
