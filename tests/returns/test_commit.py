"""Committing returns: one transaction per file, idempotent, superseding with history and a change summary."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from app.returns import commit as commit_module
from app.services.returns import OutcomeStatus, Verdict, commit, period_overview, preview_parsed
from app.storage.db import Database
from app.storage.models import (
    AuditEntry,
    Base,
    IndicatorActual,
    Milestone,
    ProgrammeMember,
    ProgressEntry,
    Project,
    ReportingPeriod,
    Return,
)
from tests.returns.helpers import GONGXIN, parsed, progress_row, row

VALID_CODE = "91222201JURQ283FQU"


def full_return(name: str = "工信厅_2025Q3.xlsx", pct: float = 40.0, cumulative: float = 1200.0, salt: str = ""):  # type: ignore[no-untyped-def]
    return parsed(
        name,
        salt=salt,
        progress=[
            progress_row(
                4,
                code="ZD01",
                progress_pct=pct,
                investment_cumulative=cumulative,
                investment_period=300.0,
                progress_text="主体施工",
                coordination_needed="请协调电力增容",
            ),  # fmt: skip
            progress_row(5, "吉林市江南数据中心", progress_pct=100.0, planned_investment=5000.0),
        ],
        milestones=[
            row("里程碑", 3, project_code="ZD01", project_name="", milestone_name="开工", actual_date=date(2025, 7, 1))
        ],  # fmt: skip
        members=[row("新增计划成员", 4, programme="JH02", member_name="吉林甲公司", credit_code=VALID_CODE)],
        indicators=[row("指标数据", 3, indicator_name="互联网普及率", value=61.5)],
    )


def table_counts(db: Database) -> dict[str, int]:
    with db.sessions() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}


def test_commit_writes_entries_with_source_rows_and_the_return(ledger: Database) -> None:
    [outcome] = commit(ledger, preview_parsed(ledger, [full_return()]))
    assert outcome.status is OutcomeStatus.IMPORTED, outcome.message
    with ledger.sessions() as s:
        ret = s.scalars(select(Return)).one()
        assert (ret.file_name, ret.department.name, ret.period.key) == ("工信厅_2025Q3.xlsx", GONGXIN, "2025-Q3")
        assert ret.imported_by and ret.warning_count == 0 and ret.warnings_resolved
        entries = {e.project.code: e for e in s.scalars(select(ProgressEntry))}
        assert entries["ZD01"].investment_cumulative == 1200.0
        assert entries["ZD01"].coordination_needed == "请协调电力增容"
        assert (entries["ZD03"].source_sheet, entries["ZD03"].source_row) == ("项目进展", 5)
        assert s.scalar(select(ReportingPeriod.label)) == "2025年第三季度"


def test_commit_sets_milestone_date_members_indicators_and_status_with_audit(ledger: Database) -> None:
    commit(ledger, preview_parsed(ledger, [full_return()]))
    with ledger.sessions() as s:
        ms = s.scalar(select(Milestone).where(Milestone.name == "开工"))
        assert ms is not None and ms.actual_date == date(2025, 7, 1)
        audit = s.scalar(select(AuditEntry).where(AuditEntry.entity == "milestone", AuditEntry.entity_id == ms.id))
        assert audit is not None and audit.new_value == "2025-07-01" and audit.user
        member = s.scalars(select(ProgrammeMember)).one()
        assert (member.credit_code, member.source_row, member.return_id) == (VALID_CODE, 4, 1)
        actual = s.scalars(select(IndicatorActual).where(IndicatorActual.return_id.is_not(None))).one()
        assert (actual.value, actual.period_key) == (61.5, "2025-Q3")
        status = dict(s.execute(select(Project.code, Project.status)).all())
        assert status["ZD01"] == "在建" and status["ZD03"] == "已完成"
        zd03 = s.scalar(select(Project).where(Project.code == "ZD03"))
        assert zd03 is not None and zd03.planned_investment == 5000.0


def test_import_same_file_twice_changes_nothing(ledger: Database) -> None:
    commit(ledger, preview_parsed(ledger, [full_return()]))
    before = table_counts(ledger)
    [again] = preview_parsed(ledger, [full_return()])
    assert again.verdict is Verdict.ALREADY_IMPORTED
    assert "已导入过" in again.verdict_text()
    [outcome] = commit(ledger, [again])
    assert outcome.status is OutcomeStatus.ALREADY_IMPORTED
    assert table_counts(ledger) == before


def test_same_file_twice_in_one_batch_is_imported_once(ledger: Database) -> None:
    previews = preview_parsed(ledger, [full_return(), full_return("copy.xlsx")])
    assert previews[1].verdict is Verdict.ALREADY_IMPORTED
    outcomes = commit(ledger, previews)
    assert [o.status for o in outcomes] == [OutcomeStatus.IMPORTED, OutcomeStatus.ALREADY_IMPORTED]


def test_new_return_supersedes_and_keeps_history_with_change_summary(ledger: Database) -> None:
    commit(ledger, preview_parsed(ledger, [full_return()]))
    [second] = preview_parsed(ledger, [full_return("工信厅_2025Q3_修订.xlsx", pct=45.0, cumulative=1300.0)])
    assert second.verdict is Verdict.SUPERSEDES
    assert "将替换" in second.verdict_text()
    assert "形象进度 40 → 45" in second.pending_changes  # shown before anything is written
    [outcome] = commit(ledger, [second])
    assert outcome.superseded_id == 1
    assert "ZD01 省数据灾备中心二期工程：本期完成投资" not in outcome.change_summary
    assert "形象进度 40 → 45" in outcome.change_summary
    assert "累计完成投资 1200 → 1300" in outcome.change_summary
    with ledger.sessions() as s:
        old, new = s.scalars(select(Return).order_by(Return.id)).all()
        assert old.superseded_by_id == new.id and new.superseded_by_id is None
        assert new.change_summary == outcome.change_summary
        assert s.scalar(select(func.count(ProgressEntry.id)).where(ProgressEntry.return_id == old.id)) == 2
        # the members came in again with the new return; the old return's are replaced, not doubled
        assert s.scalar(select(func.count(ProgrammeMember.id))) == 1
    history = period_overview(ledger, "2025-Q3").history
    assert [h.current for h in history] == [True, False]
    assert history[1].superseded_by_file == "工信厅_2025Q3_修订.xlsx"


def test_exception_mid_commit_leaves_every_table_unchanged(ledger: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    commit(ledger, preview_parsed(ledger, [full_return()]))
    before = table_counts(ledger)
    with ledger.sessions() as s:
        statuses = dict(s.execute(select(Project.code, Project.status)).all())

    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk pulled out")

    # after the return, the supersede link, entries and milestones are written; before members
    monkeypatch.setattr(commit_module, "_write_members", boom)
    [outcome] = commit(ledger, preview_parsed(ledger, [full_return("修订.xlsx", pct=80.0)]))
    assert outcome.status is OutcomeStatus.FAILED and "数据库未作任何改动" in outcome.message
    assert table_counts(ledger) == before
    with ledger.sessions() as s:
        assert s.scalar(select(Return.superseded_by_id).where(Return.id == 1)) is None
        assert dict(s.execute(select(Project.code, Project.status)).all()) == statuses


def test_blocked_file_writes_nothing_but_is_logged_as_refused(ledger: Database) -> None:
    bad = parsed("bad.xlsx", progress=[progress_row(4, "不存在的项目", progress_pct=10.0)])
    [item] = preview_parsed(ledger, [bad])
    assert item.verdict is Verdict.BLOCKED
    before = table_counts(ledger)
    [outcome] = commit(ledger, [item])
    assert outcome.status is OutcomeStatus.REFUSED
    after = table_counts(ledger)
    assert after.pop("audit_log") == before.pop("audit_log") + 1
    assert after == before
    status = {s.department_name: s for s in period_overview(ledger, "2025-Q3").statuses}[GONGXIN]
    assert status.state.value == "被拒" and "不存在的项目" in status.detail


def test_warnings_are_kept_with_the_return_and_unconfirmed_from_cli(ledger: Database) -> None:
    item = parsed(progress=[progress_row(4, code="ZD05", progress_pct=10.0)])
    [outcome] = commit(ledger, preview_parsed(ledger, [item]), confirmed_warnings=False)
    assert outcome.ok
    with ledger.sessions() as s:
        ret = s.scalars(select(Return)).one()
        assert ret.warning_count == 1 and not ret.warnings_resolved
        assert "省发展改革委" in json.loads(ret.problems_json)[0]["message"]
    status = {s.department_name: s for s in period_overview(ledger, "2025-Q3").statuses}[GONGXIN]
    assert status.state.value == "有警告待确认"


def test_two_files_for_the_same_department_in_one_batch_the_later_supersedes(ledger: Database) -> None:
    first = parsed("v1.xlsx", progress=[progress_row(4, code="ZD01", progress_pct=10.0)])
    second = parsed("v2.xlsx", progress=[progress_row(4, code="ZD01", progress_pct=20.0)])
    previews = preview_parsed(ledger, [first, second])
    assert previews[1].verdict is Verdict.SUPERSEDES and "本批中的「v1.xlsx」" in previews[1].verdict_text()
    outcomes = commit(ledger, previews)
    assert outcomes[1].superseded_id == outcomes[0].return_id
    assert "形象进度 10 → 20" in outcomes[1].change_summary


def test_confirmed_new_milestone_is_added_with_an_audit_entry(ledger: Database) -> None:
    item = parsed(milestones=[row("里程碑", 6, project_code="ZD01", project_name="", milestone_name="设备安装",
                                  planned_date=date(2025, 10, 1), actual_date=date(2025, 9, 20))])  # fmt: skip
    [outcome] = commit(ledger, preview_parsed(ledger, [item]))
    assert outcome.ok
    with ledger.sessions() as s:
        ms = s.scalar(select(Milestone).where(Milestone.name == "设备安装"))
        assert ms is not None and ms.actual_date == date(2025, 9, 20) and ms.sort_order == 2
        assert "第6行" in ms.source
        audit = s.scalar(select(AuditEntry).where(AuditEntry.entity == "milestone", AuditEntry.entity_id == ms.id))
        assert audit is not None and audit.action == "create"


def test_withdrawing_an_import_restores_every_table(ledger: Database) -> None:
    from app.services.returns import withdraw

    before = table_counts(ledger)
    with ledger.sessions() as s:
        statuses = dict(s.execute(select(Project.code, Project.status)).all())
    [outcome] = commit(ledger, preview_parsed(ledger, [full_return()]))
    assert outcome.return_id is not None
    result = withdraw(ledger, outcome.return_id)
    assert result.entries == 2 and result.members == 1
    assert any("开工" in line for line in result.reverted)
    after = table_counts(ledger)
    # the reporting period stays, and the audit log records the import and its withdrawal
    assert after.pop("audit_log") > before.pop("audit_log")
    assert after.pop("reporting_periods") == before.pop("reporting_periods") + 1
    assert after == before
    with ledger.sessions() as s:
        assert dict(s.execute(select(Project.code, Project.status)).all()) == statuses
        assert s.scalar(select(Milestone.actual_date).where(Milestone.name == "开工")) is None
        zd03 = s.scalar(select(Project).where(Project.code == "ZD03"))
        assert zd03 is not None and zd03.planned_investment is None


def test_withdrawing_a_superseding_return_makes_the_earlier_one_current(ledger: Database) -> None:
    from app.services.returns import withdraw

    commit(ledger, preview_parsed(ledger, [full_return()]))
    [second] = commit(ledger, preview_parsed(ledger, [full_return("修订.xlsx", pct=60.0)]))
    assert second.return_id is not None
    result = withdraw(ledger, second.return_id)
    assert result.restored_id == 1
    with ledger.sessions() as s:
        assert s.scalar(select(Return.superseded_by_id).where(Return.id == 1)) is None
        assert s.scalar(select(func.count(Return.id))) == 1


def test_a_superseded_return_cannot_be_withdrawn(ledger: Database) -> None:
    from app.services.returns import withdraw
    from app.storage.errors import KnownError

    commit(ledger, preview_parsed(ledger, [full_return()]))
    commit(ledger, preview_parsed(ledger, [full_return("修订.xlsx", pct=60.0)]))
    with pytest.raises(KnownError, match="只能撤回现行的报表"):
        withdraw(ledger, 1)


def test_a_project_edited_meanwhile_fails_the_file_with_a_clear_message(
    ledger: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.orm.exc import StaleDataError

    def stale(*_args: object, **_kwargs: object) -> None:
        raise StaleDataError("UPDATE statement on table 'projects' expected to update 1 row(s); 0 were matched.")

    before = table_counts(ledger)
    monkeypatch.setattr(commit_module, "_update_projects", stale)
    [outcome] = commit(ledger, preview_parsed(ledger, [full_return()]))
    assert outcome.status is OutcomeStatus.FAILED and "刚被他人修改" in outcome.message
    assert table_counts(ledger) == before


def test_a_return_cited_by_a_meeting_cannot_be_withdrawn(ledger: Database) -> None:
    from app.services.returns import withdraw
    from app.storage.errors import KnownError
    from app.storage.models import CoordinationIssue, Meeting

    [outcome] = commit(ledger, preview_parsed(ledger, [full_return()]))
    with ledger.session() as s:
        entry = s.scalars(select(ProgressEntry).where(ProgressEntry.coordination_needed != "")).first()
        assert entry is not None
        meeting = Meeting(held_on=date(2025, 10, 20), title="第三季度联席会议")
        meeting.issues.append(CoordinationIssue(text=entry.coordination_needed, progress_entry_id=entry.id))
        s.add(meeting)
    assert outcome.return_id is not None
    with pytest.raises(KnownError, match="已被会议材料引用"):
        withdraw(ledger, outcome.return_id)
    assert table_counts(ledger)["progress_entries"] == 2
