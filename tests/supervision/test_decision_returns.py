"""Departments report progress on their open decisions in the same return (a 议定事项 sheet); the office 销号."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select

from app.domain.decisions import STATUS_OPEN
from app.services import decisions
from app.services.returns import OutcomeStatus, Verdict, commit, preview
from app.storage.db import Database
from app.storage.models import DecisionProgress, Department


def _workbook(path: Path, rows: list[tuple[Any, ...]], department: str = "省商务厅") -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "议定事项"
    ws.append(["联席会议议定事项落实情况表"])
    ws.append([f"填报单位：{department}（盖章）", None, None, "报告期：2025年第三季度"])
    ws.append(["编号", "议定事项", "完成时限", "进展情况", "是否办结"])
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def _ids(db: Database) -> tuple[int, int, int]:
    with db.session() as s:
        dept = {n: i for i, n in s.execute(select(Department.id, Department.name))}
    mine = decisions.add_decision(db, "拨付云计算专项资金", [dept["省商务厅"]], date(2025, 12, 31))
    also = decisions.add_decision(db, "梳理电子商务进农村示范县名单", [dept["省商务厅"]], date(2025, 11, 30))
    other = decisions.add_decision(db, "制定测试区5G覆盖方案", [dept["省通信管理局"]], date(2025, 11, 30))
    return mine, also, other


def test_progress_on_decisions_is_recorded_and_the_office_still_closes(db: Database, tmp_path: Path) -> None:
    mine, also, _other = _ids(db)
    path = _workbook(
        tmp_path / "商务厅.xlsx",
        [
            (mine, "拨付云计算专项资金", "2025-12-31", "已完成资金测算，报省政府审定", "否"),
            (None, "梳理电子商务进农村示范县名单", None, "名单已印发", "是"),
        ],
    )
    [item] = preview(db, [path])
    assert item.verdict is not Verdict.BLOCKED, [p.message for p in item.validated.problems]
    [outcome] = commit(db, [item])
    assert outcome.status is OutcomeStatus.IMPORTED
    first, second = decisions.get_decision(db, mine), decisions.get_decision(db, also)
    assert "已完成资金测算" in first.latest_progress and "（2025年第三季度）" in first.latest_progress
    assert "报称已办结" in second.latest_progress and second.status == STATUS_OPEN
    with db.session() as s:
        assert s.scalar(select(DecisionProgress.source_row).where(DecisionProgress.decision_id == also)) == 5


def test_a_row_for_another_departments_decision_is_refused_with_candidates(db: Database, tmp_path: Path) -> None:
    _mine, _also, other = _ids(db)
    path = _workbook(tmp_path / "商务厅.xlsx", [(other, "制定测试区5G覆盖方案", None, "已完成", "是")])
    [item] = preview(db, [path])
    assert item.verdict is Verdict.BLOCKED
    [problem] = [p for p in item.validated.problems if p.severity.name == "ERROR"]
    assert "不是省商务厅负责的议定事项" in problem.message and "拨付云计算专项资金" in problem.message
    assert problem.sheet == "议定事项" and problem.row == 4


def test_untouched_rows_report_nothing(db: Database, tmp_path: Path) -> None:
    mine, _also, _other = _ids(db)
    path = _workbook(
        tmp_path / "商务厅.xlsx",
        [
            (mine, "拨付云计算专项资金", "2025-12-31", "资金已拨付", "是"),
            (None, "梳理电子商务进农村示范县名单", None, None, None),
        ],
    )
    commit(db, preview(db, [path]))
    with db.session() as s:
        assert list(s.scalars(select(DecisionProgress.decision_id))) == [mine]


def test_template_lists_open_decisions_and_the_filled_sheet_imports(db: Database, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from app.services.templates import export_templates

    mine, also, other = _ids(db)
    decisions.close_decision(db, also, "已办结")
    [written] = export_templates(db, "2025-Q3", tmp_path, department="省商务厅")
    wb = load_workbook(written.path)
    ws = wb["议定事项"]
    header = [c.value for c in ws[3]]
    assert header == ["编号", "议定事项", "完成时限", "进展情况", "是否办结"]
    listed = [r[0].value for r in ws.iter_rows(min_row=4) if r[0].value is not None]
    assert listed == [str(mine)]  # only its open decisions: not the closed one, not another department's
    ws.cell(row=4, column=4, value="资金已拨付到位")
    ws.cell(row=4, column=5, value="是")
    wb.save(written.path)
    [outcome] = commit(db, preview(db, [written.path]))
    assert outcome.status is OutcomeStatus.IMPORTED
    assert "资金已拨付到位（报称已办结）" in decisions.get_decision(db, mine).latest_progress


def test_a_corrected_return_replaces_the_progress_and_says_what_changed(db: Database, tmp_path: Path) -> None:
    from app.storage.models import Return

    mine, _also, _other = _ids(db)
    commit(db, preview(db, [_workbook(tmp_path / "初稿.xlsx", [(mine, "拨付云计算专项资金", None, "正在测算", "否")])]))
    fixed = _workbook(tmp_path / "更正.xlsx", [(mine, "拨付云计算专项资金", None, "资金已拨付", "是")])
    [outcome] = commit(db, preview(db, [fixed]))
    assert outcome.status is OutcomeStatus.IMPORTED
    row = decisions.get_decision(db, mine)
    assert "资金已拨付" in row.latest_progress and "正在测算" not in row.latest_progress
    with db.session() as s:
        summary = s.scalar(select(Return.change_summary).where(Return.file_name == "更正.xlsx"))
    assert f"议定事项 {mine}：进展已更新，报称已办结" in (summary or "")
