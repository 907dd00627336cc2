"""Validation stays bounded and in Chinese on hostile or careless returns."""

from __future__ import annotations

import time
from typing import Any

import pytest

from app.returns.parsed import MAX_LISTED, Severity
from app.returns.validate import LedgerState, validate
from app.services.returns import preview_parsed
from app.storage.db import Database
from tests.returns.helpers import parsed, progress_row


def test_twenty_thousand_unknown_names_are_answered_within_a_second_with_a_capped_list(ledger: Database) -> None:
    rows = [progress_row(i + 5, f"不存在的数字经济项目{i}号", progress_pct=10.0) for i in range(20_000)]
    item = parsed(progress=rows)
    with ledger.sessions() as s:
        state = LedgerState.load(s)
        started = time.perf_counter()
        result = validate(item, state)
        seconds = time.perf_counter() - started
    assert seconds <= 1.0, seconds
    assert len(result.problems) == MAX_LISTED + 1
    last = result.problems[-1]
    assert last.severity is Severity.ERROR and "未逐条列出（其中错误 19800 条" in last.message
    assert "找不到" in result.problems[0].message


def test_an_internal_failure_in_checking_is_an_error_on_that_file_not_a_traceback(
    ledger: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.returns.validate as stage

    original = stage._check_progress

    def fragile(chk: Any, result: Any) -> None:
        if chk.parsed.file_name == "bad.xlsx":
            raise KeyError("boom")
        original(chk, result)

    monkeypatch.setattr(stage, "_check_progress", fragile)
    good = parsed("good.xlsx", progress=[progress_row(5, code="ZD01", progress_pct=10.0)])
    bad = parsed("bad.xlsx", progress=[progress_row(5, code="ZD02", progress_pct=10.0)], salt="x")
    previews = preview_parsed(ledger, [bad, good])
    assert previews[0].validated.has_errors
    assert any("内部错误" in p.message for p in previews[0].problems)
    assert not previews[1].validated.has_errors
