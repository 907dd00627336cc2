"""A batch is checked while it is read: the same answers as reading every file first, the ledger loaded meanwhile."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from app.returns import batch
from app.returns.parsed import ParsedReturn
from app.returns.validate import LedgerState
from app.services.returns import FilePreview, Verdict, preview, preview_parsed
from app.storage.db import Database
from tests.returns.helpers import department_workbook


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "returns"
    folder.mkdir()
    department_workbook(
        folder / "a_工信厅三季度.xlsx",
        projects=[("ZD01", "省数据灾备中心二期工程", "1,200", "40%", "主体施工")],
    )
    department_workbook(
        folder / "b_工信厅四季度.xlsx",
        period="2025年第四季度",
        projects=[(None, "吉林市 江南数据中心", "0.35亿元", 0.6, "设备安装")],
    )
    department_workbook(folder / "c_未知项目.xlsx", projects=[(None, "长春市不存在的项目", "10", "5%", "")])
    (folder / "d_改了扩展名.xlsx").write_text("这不是表格", encoding="utf-8")
    return folder


def _answers(previews: list[FilePreview]) -> list[tuple[Any, ...]]:
    return [
        (
            p.file_name,
            p.verdict,
            [x.describe() for x in p.problems],
            [(x.project_id, x.values) for x in p.validated.progress],
        )
        for p in previews
    ]


def test_a_batch_checked_while_read_answers_as_reading_every_file_first(ledger: Database, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    files, _ = batch.collect_files([folder])
    one_after_another = preview_parsed(ledger, [batch.parse_file(f) for f in files])
    ahead = _answers(preview(ledger, [folder]))
    assert ahead == _answers(one_after_another)
    assert [verdict for _name, verdict, _p, _n in ahead] == [
        Verdict.WILL_IMPORT,
        Verdict.WILL_IMPORT,
        Verdict.BLOCKED,
        Verdict.BLOCKED,
    ]


def test_progress_names_each_file_in_order_then_says_done(ledger: Database, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    seen: list[tuple[int, int, str]] = []
    preview(ledger, [folder], progress=lambda done, total, name: seen.append((done, total, name)))
    assert seen == [
        (0, 4, "a_工信厅三季度.xlsx"),
        (1, 4, "b_工信厅四季度.xlsx"),
        (2, 4, "c_未知项目.xlsx"),
        (3, 4, "d_改了扩展名.xlsx"),
        (4, 4, ""),
    ]


def test_the_ledger_loads_while_the_first_file_is_still_being_read(
    ledger: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)
    loading = threading.Event()
    waited: list[bool] = []
    real_parse, real_load = batch.parse_file, LedgerState.load.__func__  # type: ignore[attr-defined]

    def slow_parse(path: Path, **kwargs: Any) -> ParsedReturn:
        if not waited:  # the first file is not finished until the ledger has started loading
            waited.append(loading.wait(timeout=5))
        return real_parse(path, **kwargs)

    def load(cls: type[LedgerState], session: Any) -> LedgerState:
        loading.set()
        return real_load(cls, session)

    monkeypatch.setattr(batch, "parse_file", slow_parse)
    monkeypatch.setattr(LedgerState, "load", classmethod(load))
    previews = preview(ledger, [folder])
    assert waited == [True]  # read one after the other, the first file would have waited in vain
    assert [p.verdict for p in previews][:2] == [Verdict.WILL_IMPORT, Verdict.WILL_IMPORT]


def test_a_ledger_that_fails_to_load_stops_the_rest_of_the_folder_being_read(
    ledger: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)
    read: list[str] = []

    def slow_parse(path: Path, **kwargs: Any) -> ParsedReturn:
        read.append(path.name)
        time.sleep(0.3)
        return ParsedReturn(path=path)

    def broken(cls: type[LedgerState], session: Any) -> LedgerState:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(batch, "parse_file", slow_parse)
    monkeypatch.setattr(LedgerState, "load", classmethod(broken))
    with pytest.raises(RuntimeError):
        preview(ledger, [folder])
    time.sleep(0.5)  # what was queued would have started by now
    assert len(read) <= 1


def test_the_caller_is_told_once_the_first_file_is_bounded_and_calamine_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `taizhang import` starts its imports at this moment: the bounds check (which holds the interpreter lock)
    # is done, and the read that follows runs mostly outside the lock, overlapping the imports.
    import python_calamine

    path = tmp_path / "工信厅.xlsx"
    department_workbook(path, projects=[("ZD01", "省数据灾备中心二期工程", "1,200", "40%", "主体施工")])
    in_calamine, release = threading.Event(), threading.Event()
    real_open = python_calamine.CalamineWorkbook.from_filelike

    def held_open(source: Any) -> Any:
        in_calamine.set()
        release.wait(timeout=10)
        return real_open(source)

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", held_open)
    ahead = batch.read_ahead([path])
    waiter = threading.Thread(target=ahead.wait_first_reading)
    waiter.start()
    waiter.join(timeout=10)
    told_while_reading = not waiter.is_alive() and not ahead._futures[0].done()
    release.set()
    parsed = list(ahead)
    assert in_calamine.is_set() and told_while_reading
    assert parsed[0].rows["progress"][0].values["project_code"] == "ZD01"


@pytest.mark.parametrize("content", ["项目名称,本期完成投资\n数据中心,12\n", b"\x00garbage"])
def test_the_wait_ends_for_files_that_no_calamine_read_follows(tmp_path: Path, content: str | bytes) -> None:
    # A CSV, or a file refused before any reader: the moment never comes, so the wait ends with the file.
    path = tmp_path / ("报表.csv" if isinstance(content, str) else "坏文件.xlsx")
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    ahead = batch.read_ahead([path])
    waiter = threading.Thread(target=ahead.wait_first_reading)
    waiter.start()
    waiter.join(timeout=10)
    assert not waiter.is_alive()
    assert ahead._futures[0].done()
    assert len(list(ahead)) == 1


def test_a_failing_read_does_not_leave_the_caller_waiting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path, **kwargs: Any) -> ParsedReturn:
        raise MemoryError

    monkeypatch.setattr(batch, "parse_file", broken)
    (tmp_path / "a.xlsx").write_bytes(b"PK")
    ahead = batch.read_ahead([tmp_path / "a.xlsx"])
    waiter = threading.Thread(target=ahead.wait_first_reading)
    waiter.start()
    waiter.join(timeout=10)
    assert not waiter.is_alive()
    with pytest.raises(MemoryError):
        list(ahead)


def test_only_the_reading_thread_is_told(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Reading a file directly (the GUI's single-file paths, tests) calls nothing: the moment belongs to a
    # ReadAhead's own thread, whose context holds it.
    from app.returns.read import read_workbook
    from app.returns.reading import READER_STARTING

    path = tmp_path / "工信厅.xlsx"
    department_workbook(path, projects=[("ZD01", "省数据灾备中心二期工程", "1,200", "40%", "主体施工")])
    ahead = batch.read_ahead([path])
    list(ahead)
    assert READER_STARTING.get() is None
    assert read_workbook(path).workbook is not None


def test_the_dry_run_imports_the_ledger_code_only_once_the_first_file_is_being_read(
    db_path: Path, tmp_path: Path
) -> None:
    import subprocess
    import sys

    path = tmp_path / "工信厅.xlsx"
    department_workbook(path, projects=[("ZD01", "省数据灾备中心二期工程", "1,200", "40%", "主体施工")])
    code = (
        "import runpy, sys\nfrom app.returns import batch\nreal = batch.ReadAhead.wait_first_reading\n"
        "def wait(self):\n    before = 'sqlalchemy' in sys.modules\n    real(self)\n"
        "    print('told', before, flush=True)\n"
        "batch.ReadAhead.wait_first_reading = wait\n"
        f"sys.argv = ['taizhang', 'import', '--dry-run', '--db', {str(db_path)!r}, {str(path)!r}]\n"
        "runpy.run_module('app', run_name='__main__')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stderr
    assert lines[1] == "told False"  # the wait came before SQLAlchemy was imported
    assert "可导入 1 个" in lines[-1]
