"""Real files through parse → validate → commit, as the CLI and the wizard run them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.services.returns import OutcomeStatus, Verdict, commit, preview
from app.storage.db import Database
from app.storage.models import ProgressEntry, Project
from tests.returns.helpers import department_workbook


def test_hand_made_workbook_is_imported_by_name_and_code(ledger: Database, tmp_path: Path) -> None:
    path = department_workbook(
        tmp_path / "工信厅三季度.xlsx",
        projects=[
            ("ZD01", "省数据灾备中心二期工程", "1,200", "40%", "主体施工"),
            (None, "吉林市 江南数据中心", "0.35亿元", 0.6, "设备安装"),
        ],
    )
    [item] = preview(ledger, [path])
    assert item.verdict is Verdict.WILL_IMPORT, [p.describe() for p in item.problems]
    assert item.department_name == "省工业和信息化厅" and item.period_label == "2025年第三季度"
    [outcome] = commit(ledger, [item])
    assert outcome.status is OutcomeStatus.IMPORTED
    with ledger.sessions() as s:
        got = {
            code: (cum, pct)
            for code, cum, pct in s.execute(
                select(Project.code, ProgressEntry.investment_cumulative, ProgressEntry.progress_pct).join(Project)
            )
        }
    assert got == {"ZD01": (1200.0, 40.0), "ZD03": (3500.0, 60.0)}


def test_unknown_row_in_a_real_file_blocks_it_with_candidates(ledger: Database, tmp_path: Path) -> None:
    path = department_workbook(tmp_path / "a.xlsx", projects=[(None, "北方云基地白城数据中心", 10, 5, "")])
    [item] = preview(ledger, [path])
    assert item.verdict is Verdict.BLOCKED
    [error] = item.validated.errors
    assert error.row == 4 and error.sheet == "项目进展" and "ZD04" in error.message


def test_file_renamed_from_text_is_refused_with_a_reason(ledger: Database, tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    [item] = preview(ledger, [path])
    assert item.verdict is Verdict.BLOCKED and item.problems[0].message


def test_import_backs_up_the_database_first_and_a_repeat_does_not(ledger: Database, tmp_path: Path) -> None:
    from app.storage.backup import list_backups

    assert ledger.path is not None
    path = department_workbook(tmp_path / "a.xlsx", projects=[("ZD01", "省数据灾备中心二期工程", 100, 10, "开工")])
    before = len(list_backups(ledger.path))
    [outcome] = commit(ledger, preview(ledger, [path]))
    assert outcome.status is OutcomeStatus.IMPORTED
    backups = list_backups(ledger.path)
    assert len(backups) == before + 1
    assert [b.reason for b in backups].count("import") == 1
    # The same file again changes nothing, so there is nothing to back up either.
    [again] = commit(ledger, preview(ledger, [path]))
    assert again.status is OutcomeStatus.ALREADY_IMPORTED
    assert len(list_backups(ledger.path)) == before + 1
