"""What the meeting material says: nothing-answers are not issues, issues grouped, finished is never late."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from app.reports.content import Heading, Paragraph, layout
from app.services.report import build_report
from app.storage.db import Database
from app.storage.models import ProgressEntry, Project, Return
from tests.reports.seed_returns import PERIOD, POWER_ISSUE, Seeded


def _current_entries(db: Database) -> dict[str, int]:
    """Project code → id of its current entry for the quarter (the latest, of a return not superseded)."""
    with db.session() as s:
        rows = s.execute(
            select(Project.code, ProgressEntry.id)
            .join(ProgressEntry, ProgressEntry.project_id == Project.id)
            .outerjoin(Return, ProgressEntry.return_id == Return.id)
            .where(Return.superseded_by_id.is_(None))
            .order_by(ProgressEntry.id)
        ).all()
    return {code: entry for code, entry in rows}


def _set(db: Database, entry_id: int, **values: object) -> None:
    with db.session() as s:
        s.execute(update(ProgressEntry).where(ProgressEntry.id == entry_id).values(**values))
        s.commit()


def test_nothing_to_report_answers_are_not_issues(db: Database, quarter: Seeded) -> None:
    entries = _current_entries(db)
    words = ["无", "暂无。", "暂无需要协调解决的问题", "没有"]
    codes = [c for c in entries if c not in ("ZD01",)][: len(words)]
    for code, text in zip(codes, words, strict=True):
        _set(db, entries[code], coordination_needed=text)
    texts = [i.text for i in build_report(db, PERIOD).issues]
    assert not set(words) & set(texts)


def test_one_issue_raised_for_two_projects_prints_once_under_its_department(db: Database, quarter: Seeded) -> None:
    content = build_report(db, PERIOD)
    raised = next(i for i in content.issues if i.text == POWER_ISSUE)
    entries = _current_entries(db)
    with db.session() as s:
        same_return = s.scalar(select(ProgressEntry.return_id).where(ProgressEntry.id == entries["ZD01"]))
        other = s.scalars(
            select(ProgressEntry.id).where(ProgressEntry.return_id == same_return, ProgressEntry.id != entries["ZD01"])
        ).first()
    assert other is not None
    _set(db, entries["ZD01"], coordination_needed=POWER_ISSUE)
    _set(db, other, coordination_needed=POWER_ISSUE + "。")
    blocks = layout(build_report(db, PERIOD))
    printed = [b.text for b in blocks if isinstance(b, Paragraph) and POWER_ISSUE in b.text]
    assert len(printed) == 1 and "涉及项目" in printed[0] and "、" in printed[0]
    assert any(isinstance(b, Heading) and b.level == 3 and raised.department in b.text for b in blocks)


def test_a_project_reported_finished_is_never_lagging(db: Database, quarter: Seeded) -> None:
    before = build_report(db, PERIOD)
    assert "ZD01" in {p.code for p in before.lagging}
    _set(db, _current_entries(db)["ZD01"], progress_pct=100.0)
    after = build_report(db, PERIOD)
    assert "ZD01" not in {p.code for p in after.lagging}
    row = next(r for r in after.ledger if r.code == "ZD01")
    assert row.status == "已完成" and "滞后" not in row.status


def test_completion_share_states_its_one_base(db: Database, quarter: Seeded) -> None:
    content = build_report(db, PERIOD)
    o = content.overview
    text = next(b.text for b in layout(content) if isinstance(b, Paragraph) and "累计完成投资" in b.text)
    assert f"按填有计划投资的 {o.share_projects} 个重点项目计" in text
    assert f"{100 * o.share_completed / o.share_planned:.1f}%" in text
    assert o.share_completed <= o.completed_investment  # like by like: only projects that have a plan


def test_every_appendix_reference_points_at_an_appendix_that_holds_it(db: Database, quarter: Seeded) -> None:
    content = build_report(db, PERIOD)
    group = content.task_groups[0]
    group.highlights = [f"示例项目{n}：本期完成{n}项工作" for n in range(1, 10)]
    blocks = layout(content)
    headings = [b.text for b in blocks if isinstance(b, Heading)]
    said = " ".join(b.text for b in blocks if isinstance(b, Paragraph))
    refs = re.findall(r"见(附录[一二三四五六])", said)
    assert refs
    for ref in refs:
        target = next(h for h in headings if h.startswith(ref))
        assert "进展" in target
    start = headings.index(next(h for h in headings if h.startswith(refs[0])))
    assert start >= 0
    assert any("示例项目9" in cell for b in blocks if hasattr(b, "rows") for row in b.rows for cell in row)
