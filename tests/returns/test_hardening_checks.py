"""Validation stays bounded and in Chinese on hostile or careless returns."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.returns.parsed import MAX_LISTED, Severity
from app.returns.validate import LedgerState, validate
from app.services.returns import Verdict, preview, preview_parsed
from app.storage.db import Database
from tests.returns.helpers import FAGAI, department_workbook, parsed, progress_row


def test_twenty_thousand_unknown_names_are_answered_within_a_second_with_a_capped_list(ledger: Database) -> None:
    rows = [progress_row(i + 5, f"不存在的数字经济项目{i}号", progress_pct=10.0) for i in range(20_000)]
    item = parsed(progress=rows)
    with ledger.sessions() as s:
        state = LedgerState.load(s)
        started = time.process_time()  # CPU time: wall time on a loaded machine (or beside a test worker) varies
        result = validate(item, state)
        seconds = time.process_time() - started
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


def _with_meta(path: Path, department: str, period: str) -> Path:
    wb = openpyxl.load_workbook(path)
    meta = wb.create_sheet("_taizhang")
    meta.append(["template_version", "1"])
    meta.append(["department", department])
    meta.append(["period", period])
    meta.sheet_state = "hidden"
    wb.save(path)
    return path


ZD01 = ("ZD01", "省数据灾备中心二期工程", 100, 10, "开工")


def test_last_quarter_s_template_retitled_is_an_error_naming_both_periods(ledger: Database, tmp_path: Path) -> None:
    path = _with_meta(department_workbook(tmp_path / "a.xlsx", period="2025年第二季度", projects=[ZD01]),
                      "省工业和信息化厅", "2025-Q1")  # fmt: skip
    [item] = preview(ledger, [path])
    assert item.verdict is Verdict.BLOCKED
    [message] = [p.message for p in item.problems if "报告期" in p.message and "不一致" in p.message]
    assert "2025年第二季度" in message and "2025年第一季度" in message and "模板隐藏信息" in message


def test_another_department_s_template_retitled_is_an_error_naming_both(ledger: Database, tmp_path: Path) -> None:
    path = _with_meta(department_workbook(tmp_path / "a.xlsx", department=FAGAI, projects=[ZD01]),
                      "省工业和信息化厅", "2025-Q3")  # fmt: skip
    [item] = preview(ledger, [path])
    assert item.verdict is Verdict.BLOCKED
    assert any(FAGAI in p.message and "省工业和信息化厅" in p.message for p in item.problems)


def test_the_clerk_s_choice_overrides_the_file_with_a_warning_naming_what_it_said(
    ledger: Database, tmp_path: Path
) -> None:
    path = _with_meta(department_workbook(tmp_path / "a.xlsx", period="2025年第二季度", projects=[ZD01]),
                      "省工业和信息化厅", "2025-Q1")  # fmt: skip
    [item] = preview(ledger, [path], period="2025-Q2")
    assert item.importable and item.period_label == "2025年第二季度"
    assert any("按指定的" in p.message and "2025年第一季度" in p.message for p in item.problems)
    [item] = preview(ledger, [path], overrides={path: (None, "2025-Q1")})
    assert item.importable and item.period_label == "2025年第一季度"


def test_implausible_amounts_are_warnings_naming_the_cells(ledger: Database) -> None:
    from app.returns.validate import LedgerState, validate

    item = parsed(
        progress=[
            progress_row(5, code="ZD01", planned_investment=1000.0, investment_cumulative=73_000.0),
            progress_row(6, code="ZD02", investment_cumulative=1e300, investment_period=5.0),
            progress_row(7, code="ZD03", investment_cumulative=10.0, investment_period=50.0),
        ]
    )
    with ledger.sessions() as s:
        result = validate(item, LedgerState.load(s))
    warned = {(p.row, p.column): p.message for p in result.warnings}
    assert "73.0 倍" in warned[(5, "G")]
    assert "10^9" in warned[(6, "G")]
    assert "大于累计完成投资" in warned[(7, "F")]
    assert not result.has_errors


def test_a_correction_with_a_blank_members_sheet_and_blank_text_says_what_it_would_remove(
    ledger: Database, tmp_path: Path
) -> None:
    from app.services.returns import OutcomeStatus, commit

    first = department_workbook(
        tmp_path / "first.xlsx",
        projects=[
            ("ZD01", "省数据灾备中心二期工程", 100, 10, "主体施工"),
            ("ZD02", "中石油吉林数据中心", 50, 5, "设计"),
        ],
        members=[("JH02", "吉林甲公司", "91222201JURQ283FQU")],
    )
    [item] = preview(ledger, [first])
    assert commit(ledger, [item])[0].status is OutcomeStatus.IMPORTED
    correction = department_workbook(
        tmp_path / "correction.xlsx", projects=[("ZD01", "省数据灾备中心二期工程", 120, 20, None)], members=[]
    )
    [item] = preview(ledger, [correction])
    assert item.verdict is Verdict.WARNINGS
    messages = [p.message for p in item.problems]
    assert any("新增计划成员" in m and "吉林甲公司" in m for m in messages)
    assert any("本期进展情况" in m and "主体施工" in m for m in messages)
    assert any("ZD02" in m and "没有填报" in m for m in messages)
    [strict] = preview(ledger, [correction], strict=True)
    assert strict.verdict is Verdict.BLOCKED  # --strict refuses a correction that drops data
    [outcome] = commit(ledger, [item])
    assert outcome.status is OutcomeStatus.IMPORTED
    assert "被清空" in outcome.change_summary and "成员已删除" in outcome.change_summary
    assert "本次未报送" in outcome.change_summary
