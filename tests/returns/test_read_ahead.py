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
