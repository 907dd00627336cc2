"""A merger of two departments named on the same task keeps the old part's progress, year target and people."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.domain.periods import Period
from app.services.departments import merge_departments
from app.storage.db import Database
from app.storage.models import Department, Task, TaskDepartment, TaskPartProgress, TaskPartTarget
from app.storage.periods import ensure_reporting_period


def test_merging_two_departments_of_one_task_folds_the_old_part_into_the_new(db: Database) -> None:
    with db.session() as s:
        task = s.scalar(select(Task).where(Task.code == "二(四)1"))
        assert task is not None
        a, b = (s.scalar(select(Department).where(Department.name == n)) for n in ("省通信管理局", "省发展改革委"))
        assert a is not None and b is not None
        parts = {p.department_id: p for p in task.departments}
        old, kept = parts[a.id], parts[b.id]
        old.responsible_person, old.contact_phone = "王五", "0431-88880009"
        old.targets.append(TaskPartTarget(year=2025, target="新建5G基站2000个"))
        period = ensure_reporting_period(s, Period.parse("2025-Q3"))
        s.add(TaskPartProgress(part=old, period_id=period.id, progress_text="已建成基站1500个", completion="按时推进"))
        s.add(TaskPartProgress(part=kept, period_id=period.id, progress_text="完成规划编制", completion="按时推进"))
        task_id = task.id
    # Whichever part moves first, the other is folded into it: nothing either department reported is lost.
    merged_into = "省数字化合并测试局"
    merge_departments(db, ["省通信管理局", "省发展改革委"], merged_into, date(2025, 10, 1), today=date(2025, 11, 1))
    with db.session() as s:
        remaining = s.scalars(select(TaskDepartment).where(TaskDepartment.task_id == task_id)).all()
        (merged,) = [p for p in remaining if p.department.name == "省数字化合并测试局"]
        assert {p.department.name for p in remaining}.isdisjoint({"省通信管理局", "省发展改革委"})
        assert merged.responsible_person == "王五" and merged.contact_phone == "0431-88880009"
        assert [(t.year, t.target) for t in merged.targets] == [(2025, "新建5G基站2000个")]
        progress = s.scalars(select(TaskPartProgress).where(TaskPartProgress.part_id == merged.id)).all()
        assert sorted(p.progress_text for p in progress) == ["完成规划编制", "已建成基站1500个"]
