"""Supervised parts: listing with people, targets and progress; audited, version-checked edits; assignment."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.services import supervision
from app.services.supervision import PartEdit
from app.storage.db import Database
from app.storage.errors import KnownError, StaleEditError
from app.storage.models import AuditEntry, Project, ReportingPeriod, TaskPartProgress

INDUSTRY = "省工业和信息化厅"


def _part(db: Database, code: str, department: str) -> supervision.PartRow:
    return next(p for p in supervision.load_parts(db, "2025-Q3", department=department) if p.task_code == code)


def test_every_2018_department_has_its_parts_listed_with_the_task(db: Database) -> None:
    parts = supervision.load_parts(db, "2025-Q3", department=INDUSTRY)
    assert len(parts) == 15  # the issue: named in 15 of the 2018 plan's items and parts
    assert parts[0].label == "二(一)1 推进智能网联汽车发展"
    assert all(p.state == "未报送" and p.owed for p in parts)


def test_people_and_year_targets_are_saved_audited_and_listed_by_year(db: Database) -> None:
    part = _part(db, "二(一)1", INDUSTRY)
    edit = PartEdit({"responsible_person": "张处长", "contact_person": "李科员", "contact_phone": "0431-8888"},
                    {2025: "完成示范区一期道路改造", 2026: "扩大到长春全域"})  # fmt: skip
    version = supervision.save_part(db, part.part_id, part.version, edit)
    again = _part(db, "二(一)1", INDUSTRY)
    assert again.version == version > part.version
    assert (again.year_target, again.people) == ("完成示范区一期道路改造", "责任人：张处长；联系人：李科员 0431-8888")
    with db.session() as s:
        fields = sorted(a.field for a in s.scalars(select(AuditEntry).where(AuditEntry.entity == "task_part")))
    assert fields == ["contact_person", "contact_phone", "responsible_person", "target:2025", "target:2026"]
    with pytest.raises(StaleEditError):
        supervision.save_part(db, part.part_id, part.version, PartEdit({"contact_person": "王五"}))


def test_target_only_edit_still_stales_another_editor(db: Database) -> None:
    part = _part(db, "二(一)2", INDUSTRY)
    supervision.save_part(db, part.part_id, part.version, PartEdit(targets={2025: "发射两颗卫星"}))
    with pytest.raises(StaleEditError):
        supervision.save_part(db, part.part_id, part.version, PartEdit(targets={2025: "发射三颗卫星"}))


def test_part_with_progress_cannot_be_removed_but_a_fresh_one_comes_back_on_undo(db: Database) -> None:
    part = _part(db, "二(一)1", "省交通运输厅")
    supervision.save_part(db, part.part_id, part.version, PartEdit({"contact_person": "赵六"}, {2025: "目标"}))
    part = _part(db, "二(一)1", "省交通运输厅")
    removed = supervision.remove_part(db, part.part_id, part.version)
    assert not any(p.task_code == "二(一)1" for p in supervision.load_parts(db, department="省交通运输厅"))
    supervision.restore_part(db, removed)
    back = _part(db, "二(一)1", "省交通运输厅")
    assert (back.contact_person, back.targets) == ("赵六", {2025: "目标"})
    with db.session() as s:
        period = ReportingPeriod(key="2025-Q3", kind="quarter", start=__import__("datetime").date(2025, 7, 1),
                                 end=__import__("datetime").date(2025, 9, 30), label="2025年第三季度")  # fmt: skip
        s.add(period)
        s.flush()
        s.add(
            TaskPartProgress(part_id=back.part_id, period_id=period.id, progress_text="已开工", completion="按时推进")
        )
    with pytest.raises(KnownError, match="已报送过"):
        supervision.remove_part(db, back.part_id, back.version)
    assert _part(db, "二(一)1", "省交通运输厅").state == "按时推进"


def test_assigning_projects_in_bulk_is_audited_and_undone(db: Database) -> None:
    result = supervision.assign_projects(db, ["ZD01", "ZD02"], "省发改委")
    assert (result.department, result.changed) == ("省发展改革委", 2)
    with db.session() as s:
        leads = {
            p.code: p.lead_department_id for p in s.scalars(select(Project).where(Project.code.in_(["ZD01", "ZD02"])))
        }
        audits = s.scalars(select(AuditEntry).where(AuditEntry.field == "lead_department_id")).all()
    assert len(set(leads.values())) == 1 and None not in leads.values()
    assert [a.new_value for a in audits] == ["省发展改革委", "省发展改革委"]
    supervision.restore_project_leads(db, result.previous)
    with db.session() as s:
        assert all(
            p.lead_department_id is None for p in s.scalars(select(Project).where(Project.code.in_(["ZD01", "ZD02"])))
        )


def test_assigning_an_unknown_project_changes_nothing(db: Database) -> None:
    with pytest.raises(KnownError, match="找不到项目：ZD99"):
        supervision.assign_projects(db, ["ZD01", "ZD99"], INDUSTRY)
    with db.session() as s:
        assert s.scalar(select(Project.lead_department_id).where(Project.code == "ZD01")) is None


def test_assigning_a_task_makes_a_new_part_once(db: Database) -> None:
    created = supervision.assign_tasks(db, ["三(一)1"], "省通信管理局")
    assert len(created) == 1
    assert supervision.assign_tasks(db, ["三(一)1"], "省通信管理局") == []
    assert [p.label for p in supervision.load_parts(db, task="三(一)1")] == ["三(一)1 实施宽带普及提速工程"]


def test_counts_of_a_fresh_install(db: Database) -> None:
    counts = supervision.load_part_counts(db, "2025-Q3")
    # The 2018 plan names 20 bodies; since the 2018 reform they answer as 18 (successors.toml).
    assert (counts.reported, counts.lagging, counts.departments) == (0, 0, 18)
    assert counts.owed == counts.total > 20
