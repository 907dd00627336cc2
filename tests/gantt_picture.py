"""A varied Gantt portfolio and a field-by-field text rendering of the complete picture, shared by SQLite and PG tests.

The rendering names every field the chart, the printed Gantt, the report and the CLI read (rows, milestones,
baselines, actual spans, progress, lag reasons, group keys, the data's period, range and counts), so two loads
that render alike give the same picture.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain.periods import Period, PeriodKind
from app.services import gantt as service
from app.services.gantt import Grouping
from app.storage.db import Database
from app.storage.models import (
    AppSetting,
    Department,
    Milestone,
    ProgressEntry,
    Project,
    ReportingPeriod,
    Return,
    Task,
    TaskDepartment,
)
from tests.gantt_sample import TODAY, add_sample_schedules

EXPECTED = Path(__file__).with_name("gantt_picture_expected.txt")


def _period(s: Session, key: str, kind: PeriodKind = PeriodKind.QUARTER) -> int:
    found = s.scalar(select(ReportingPeriod.id).where(ReportingPeriod.key == key))
    if found is not None:
        return found
    p = Period.parse(key)
    rp = ReportingPeriod(key=key, kind=kind.value, start=p.start, end=p.end, label=p.label)
    s.add(rp)
    s.flush()
    return rp.id


def build_varied_portfolio(db: Database) -> int:
    """The sample schedules plus the awkward cases; returns the id of a baseline saved half-way through.

    Added: projects with no dates, no milestones or no progress; a milestone without a planned date; a lead
    department found only through the task tree; returns superseded by newer ones (their entries must not count);
    an entry leaving 形象进度 empty as the latest; two entries in one period; a monthly period ending on the same day
    as a quarter; a report for a period after today; 100 % without milestones; plans moved after the baseline;
    milestones entered out of their sort order, two of them sharing one sort order (the older first).
    """
    add_sample_schedules(db)
    with db.session() as s:
        depts = dict(s.execute(select(Department.name, Department.id)).all())
        pid = dict(s.execute(select(Project.code, Project.id)).all())
        # A task with no lead of its own under a parent that has one: the project's department comes from above
        # (JH05's task 三(五)3 too); the parent's second lead, sorted later, does not count.
        child, parent = s.execute(
            select(Task.id, Task.parent_id).join(Project, Project.task_id == Task.id).where(Project.code == "JH05")
        ).one()
        assert parent is not None
        s.add_all(
            [
                TaskDepartment(task_id=parent, department_id=depts["省商务厅"], role="lead", sort_order=2),
                TaskDepartment(task_id=parent, department_id=depts["省通信管理局"], role="lead", sort_order=1),
            ]
        )
        s.add_all(
            [
                Project(code="XX01", name="无日期项目", kind="key_project", sort_order=900),
                Project(
                    code="XX02",
                    name="已完成定额计划",
                    kind="programme",
                    sort_order=901,
                    planned_start=date(2025, 1, 1),
                    planned_end=date(2025, 12, 31),
                    region="四平市",
                ),
                Project(
                    code="XX03",
                    name="任务牵头项目",
                    kind="key_project",
                    sort_order=902,
                    task_id=child,
                    planned_start=date(2025, 2, 1),
                    planned_end=None,
                ),
                Project(
                    code="XX04",
                    name="里程碑乱序项目",
                    kind="key_project",
                    sort_order=903,
                    planned_start=date(2025, 1, 1),
                    planned_end=date(2026, 6, 30),
                ),
            ]
        )
        s.flush()
        pid = dict(s.execute(select(Project.code, Project.id)).all())
        s.add_all(
            [
                Milestone(project_id=pid["XX03"], name="待定", planned_date=None, actual_date=None, sort_order=0),
                Milestone(
                    project_id=pid["XX03"],
                    name="提前完成",
                    planned_date=None,
                    actual_date=date(2025, 3, 3),
                    sort_order=1,
                ),
                Milestone(
                    project_id=pid["XX03"],
                    name="逾期",
                    planned_date=date(2025, 5, 1),
                    actual_date=None,
                    sort_order=2,
                ),
            ]
        )
        # XX04: entered last-first, and 开工（乙） before 开工（甲） with the same sort order: shown by sort order,
        # then by id; an actual date on a later milestone and none on an earlier one.
        for name, order, planned, actual in (
            ("竣工验收", 3, date(2026, 6, 30), None),
            ("开工（乙）", 1, date(2025, 4, 1), date(2025, 4, 20)),
            ("立项", 0, date(2025, 1, 15), None),
            ("开工（甲）", 1, date(2025, 3, 1), None),
            ("主体完工", 2, None, date(2025, 8, 8)),
        ):
            s.add(
                Milestone(project_id=pid["XX04"], name=name, planned_date=planned, actual_date=actual, sort_order=order)
            )
            s.flush()  # one insert at a time: ids follow the order above
        q1, q2, q3, q4 = (_period(s, k) for k in ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"))
        sep = _period(s, "2025-09", PeriodKind.MONTH)  # ends with 2025-Q3: ranked after it by id
        future = _period(s, "2026-Q1")
        early = _period(s, "2023-Q1")
        telecom = depts["省通信管理局"]

        def ret(period: int, name: str) -> Return:
            r = Return(
                department_id=telecom,
                period_id=period,
                file_name=name,
                sha256=name.encode().hex()[:64],
                imported_at=datetime(2025, 10, 1, 9),
            )
            s.add(r)
            s.flush()
            return r

        old, new = ret(q3, "旧.xlsx"), ret(q3, "新.xlsx")
        ancient = ret(early, "更早.xlsx")
        old.superseded_by_id = new.id
        ancient.superseded_by_id = new.id
        entries = [
            # ZD06: the superseded 99 % and the superseded early start must not count; the newer 72 % does.
            (pid["ZD06"], q3, old.id, 99.0, None),
            (pid["ZD06"], q3, new.id, 72.0, 10.0),
            (pid["ZD06"], early, ancient.id, 5.0, 1.0),
            # ZD07: two entries in one period: the later one (by id) gives 形象进度.
            (pid["ZD07"], q3, None, 30.0, None),
            # JH04: the latest entry leaves 形象进度 empty but reports investment: unknown %, and it is reported.
            (pid["JH04"], q4, None, None, 50.0),
            # JH01: the monthly period ends with 2025-Q3 and was created later: it is the latest.
            (pid["JH01"], sep, None, 81.0, None),
            # ZD08: a report for a period that starts after today is ignored.
            (pid["ZD08"], future, None, 60.0, 100.0),
            # XX02: 100 % in 2025-Q2 finishes it (no milestones); later 100 % reports do not move the end.
            (pid["XX02"], q1, None, 0.0, 0.0),
            (pid["XX02"], q2, None, 100.0, None),
            (pid["XX02"], q3, None, 100.0, None),
            # XX03: zero progress and zero investment is not "reported".
            (pid["XX03"], q2, None, 0.0, 0.0),
            # XX04: progress reported before its first milestone's actual date.
            (pid["XX04"], q1, None, 10.0, None),
            (pid["XX04"], q3, None, 40.0, 5.0),
        ]
        s.add_all(
            ProgressEntry(project_id=p, period_id=per, return_id=r, progress_pct=pct, investment_period=inv)
            for p, per, r, pct, inv in entries
        )
    baseline = service.save_baseline(db, "年初计划", user="tester", now=datetime(2025, 1, 5, 9))
    with db.session() as s:
        # Plans moved after the baseline, and a milestone the baseline never saw.
        s.execute(
            update(Project)
            .where(Project.code == "ZD01")
            .values(planned_end=date(2026, 12, 31))
            .execution_options(synchronize_session=False)
        )
        zd05 = s.scalar(select(Project.id).where(Project.code == "ZD05"))
        s.execute(
            update(Milestone)
            .where(Milestone.project_id == zd05, Milestone.name == "竣工验收")
            .values(planned_date=date(2026, 10, 31))
            .execution_options(synchronize_session=False)
        )
        s.add(Milestone(project_id=zd05, name="新增节点", planned_date=date(2025, 10, 15), sort_order=9))
    return baseline


def set_margin(db: Database, pct: str) -> None:
    """Set the database's lag margin (app_settings)."""
    with db.session() as s:
        s.merge(AppSetting(key="lag_margin_pct", value=pct))


def _d(day: date | None) -> str:
    return day.isoformat() if day is not None else "-"


def render(data: service.GanttData) -> list[str]:
    """Every field of the picture, one fact per line."""
    return render_head(data) + [line for lines in render_rows(data).values() for line in lines]


def render_head(data: service.GanttData) -> list[str]:
    """The data's own fields: period, judging day, selection, margin, counts, range, baseline."""
    lo, hi = data.date_range()
    base = data.baseline
    out = [
        f"today {_d(data.today)} period {data.period_key} {data.period_label} {_d(data.period_start)}.."
        f"{_d(data.period_end)} as_of {_d(data.as_of)} judged_on {_d(data.judged_on)}",
        f"selection {data.selection.kind}:{data.selection.value} {data.selection.label} margin {data.lag_margin!r}"
        f" progress_loaded {data.progress_loaded} behind {data.behind_count} range {_d(lo)}..{_d(hi)}",
        f"baseline {base.name} {base.created_at:%Y-%m-%d %H:%M} {base.created_by}" if base else "baseline -",
    ]
    return out


def render_rows(data: service.GanttData) -> dict[str, list[str]]:
    """Each row's fields, milestones and group keys, by project code (in the data's order)."""
    rows: dict[str, list[str]] = {}
    for r in data.rows:
        out: list[str] = []
        rows[r.code] = out
        pct = "-" if r.progress_pct is None else repr(r.progress_pct)
        out.append(
            f"{r.code} {r.name} {r.kind} v{r.version} plan {_d(r.planned_start)}..{_d(r.planned_end)}"
            f" actual {_d(r.actual_start)}..{_d(r.actual_end)} finished={r.actual_finished} pct {pct}"
            f" base {_d(r.baseline_start)}..{_d(r.baseline_end)} behind={r.behind}"
        )
        out.append(f"  task {r.task_sort} {r.task_label} | dept {r.department_sort} {r.department} | region {r.region}")
        groups = (Grouping.NONE, Grouping.TASK, Grouping.DEPARTMENT, Grouping.REGION, Grouping.KIND)
        out.append("  groups " + " | ".join(f"{g}={r.group_key(g)!r}" for g in groups))
        out.extend(f"  lag {reason}" for reason in r.lag_reasons)
        for m in r.milestones:
            out.append(
                f"  ms {m.name} v{m.version} planned {_d(m.planned)} actual {_d(m.actual)} base {_d(m.baseline)}"
                f" overdue={m.overdue(data.judged_on)}"
            )
    return rows


SCENARIOS: dict[str, dict[str, object]] = {
    "current quarter with the baseline": {"today": TODAY, "baseline": True},
    "2025-Q2 as of its end": {"today": TODAY, "period_key": "2025-Q2"},
    "early in the year": {"today": date(2025, 3, 15)},
    "plans and milestones first": {"today": TODAY, "with_progress": False, "baseline": True},
}


def pictures(db: Database, baseline: int) -> dict[str, list[str]]:
    """The rendered picture of every scenario (the margin scenario sets the margin last)."""
    out: dict[str, list[str]] = {}
    for name, args in SCENARIOS.items():
        kwargs = {k: v for k, v in args.items() if k != "baseline"}
        if args.get("baseline"):
            kwargs["baseline_id"] = baseline
        out[name] = render(service.load_gantt(db, **kwargs))  # type: ignore[arg-type]
    set_margin(db, "5")
    out["margin 5 points, 2025-Q3"] = render(service.load_gantt(db, today=TODAY, period_key="2025-Q3"))
    return out


def format_pictures(found: dict[str, list[str]]) -> str:
    """The pictures as the expected file holds them: a ``## name`` heading, then the lines."""
    return "".join(f"## {name}\n" + "".join(line + "\n" for line in lines) for name, lines in found.items())


def expected_pictures() -> dict[str, list[str]]:
    """The expected file read back into scenario → lines."""
    out: dict[str, list[str]] = {}
    current: list[str] = []
    for line in EXPECTED.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = out.setdefault(line[3:], [])
        elif line and not line.startswith("#"):
            current.append(line)
    return out
