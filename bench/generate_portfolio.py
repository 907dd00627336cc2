"""Generate a large, realistic portfolio database that every benchmark uses.

Default size: 30 departments, 200 projects (the built-in ones plus generated ones), 800 milestones,
3,000 programme members with valid credit codes, 60 monthly periods (2021-01 … 2025-12), and 100,000 progress
entries: each department's return for each period was resubmitted a few times, and every superseded return keeps
its entries as history (12,000 entries are current, the rest history). Every department is responsible for 50
tasks (1,500 supervised parts) with a 2025 target and a year of monthly task progress on its current returns.
``main`` then adds eight meetings and 500 meeting decisions (``add_decisions``, 督办).

Usage: python -m bench.generate_portfolio OUT.db [--seed N]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.domain.periods import Period, PeriodKind
from app.services.database import open_database
from app.storage.models import (
    Department,
    Indicator,
    IndicatorActual,
    Milestone,
    ProgrammeMember,
    ProgressEntry,
    Project,
    ReportingPeriod,
    Return,
    Task,
    TaskDepartment,
    TaskPartProgress,
    TaskPartTarget,
)

REGIONS = ["长春市", "吉林市", "四平市", "辽源市", "通化市", "白山市", "松原市", "白城市", "延边州", "长白山管委会"]
CITY_DEPARTMENTS = [f"{r}工业和信息化局" for r in REGIONS]
PREFIXES = ["智慧", "云计算", "大数据", "工业互联网", "电子商务", "物联网", "数字", "5G", "跨境电商", "北斗"]
SUBJECTS = [
    "物流平台",
    "数据中心",
    "产业园",
    "服务平台",
    "示范工程",
    "应用中心",
    "创新基地",
    "交易中心",
    "社区",
    "工厂",
]
STAGES = ["立项", "开工", "主体完工", "竣工验收"]
CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(rng: random.Random) -> str:
    """A random unified social credit code with a correct GB 32100-2015 check character."""
    body = "91" + f"{rng.randrange(220000, 229999)}" + "".join(rng.choice(CODE_CHARS) for _ in range(9))
    total = sum(CODE_CHARS.index(c) * w for c, w in zip(body, CODE_WEIGHTS, strict=True))
    return body + CODE_CHARS[(31 - total % 31) % 31]


def generate(
    path: Path,
    *,
    seed: int = 0,
    projects: int = 200,
    months: int = 60,
    entries: int = 100_000,
    parts_per_department: int = 50,
) -> Path:
    """Write a large portfolio database at ``path`` (replacing it) and return the path."""
    rng = random.Random(seed)
    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_database(path).database
    with db.session() as s:
        for i, name in enumerate(CITY_DEPARTMENTS):
            s.add(
                Department(
                    name=name,
                    sort_order=100 + i,
                    contact_person=f"联系人{i + 1:02d}",
                    contact_phone=f"0431-8{rng.randrange(1000000, 9999999)}",
                )
            )
        s.flush()
        dept_ids = list(s.scalars(select(Department.id)))
        item_tasks = list(s.scalars(select(Task.id).where(Task.level == "item")))
        for pid in s.scalars(select(Project.id)):
            s.execute(update(Project).where(Project.id == pid).values(lead_department_id=rng.choice(dept_ids)))
        rows = []
        builtin = len(list(s.scalars(select(Project.id))))
        for n in range(max(0, projects - builtin)):
            start = date(2021, 1, 1) + timedelta(days=rng.randrange(0, 4 * 365))
            rows.append(
                dict(
                    code=f"SC{n + 1:04d}",
                    name=f"{rng.choice(REGIONS)}{rng.choice(PREFIXES)}{rng.choice(SUBJECTS)}项目{n + 1}",
                    kind="key_project",
                    task_id=rng.choice(item_tasks),
                    lead_department_id=rng.choice(dept_ids),
                    region=rng.choice(REGIONS),
                    planned_start=start,
                    planned_end=start + timedelta(days=rng.randrange(365, 5 * 365)),
                    planned_investment=float(rng.randrange(500, 500_000)),
                    status=rng.choice(["在建", "在建", "已完成", "未开工"]),
                    sort_order=100 + n,
                    version=1,
                )
            )
        if rows:  # fewer asked for than the built-in portfolio holds: add none
            s.execute(insert(Project), rows)
        all_projects = list(
            s.execute(
                select(Project.id, Project.kind, Project.planned_start, Project.planned_end, Project.lead_department_id)
            )
        )
        ms_rows = []
        for pid, kind, start, end, _dept in all_projects:
            if kind != "key_project" or start is None:
                continue
            span = (end - start).days
            for k, stage in enumerate(STAGES):
                planned = start + timedelta(days=span * k // (len(STAGES) - 1))
                done = planned + timedelta(days=rng.randrange(-20, 90)) if planned < date(2025, 6, 1) else None
                ms_rows.append(
                    dict(
                        project_id=pid,
                        name=stage,
                        planned_date=planned,
                        actual_date=done,
                        sort_order=k,
                        source="生成数据",
                        version=1,
                    )
                )
        if ms_rows:
            s.execute(insert(Milestone), ms_rows)
        programme_ids = [pid for pid, kind, *_ in all_projects if kind == "programme"]
        s.execute(
            insert(ProgrammeMember),
            [
                dict(
                    project_id=rng.choice(programme_ids),
                    name=f"吉林{rng.choice(PREFIXES)}科技有限公司{m + 1:04d}",
                    credit_code=credit_code(rng),
                    region=rng.choice(REGIONS),
                    year_counted=rng.randrange(2016, 2026),
                    source="生成数据",
                    version=1,
                )
                for m in range(3000)
            ],
        )
        periods = []
        p = Period(2021, PeriodKind.MONTH, 1)
        for _ in range(months):
            periods.append(p)
            p = p.next()
        s.execute(
            insert(ReportingPeriod),
            [dict(key=p.key, kind=p.kind.value, start=p.start, end=p.end, label=p.label) for p in periods],
        )
        period_ids = {key: pid for key, pid in s.execute(select(ReportingPeriod.key, ReportingPeriod.id))}
        by_dept: dict[int, list[int]] = {}
        for pid, _kind, _s, _e, dept in all_projects:
            by_dept.setdefault(dept, []).append(pid)
        current = sum(len(v) for v in by_dept.values()) * months
        versions = max(1, math.ceil(entries / current))
        return_rows, entry_rows = [], []
        cumulative: dict[int, float] = {}
        next_return_id = 1
        for period in periods:
            for dept, pids in by_dept.items():
                ids = list(range(next_return_id, next_return_id + versions))
                next_return_id += versions
                for v, rid in enumerate(ids):
                    return_rows.append(
                        dict(
                            id=rid,
                            department_id=dept,
                            period_id=period_ids[period.key],
                            file_name=f"dept{dept}_{period.key}_v{v + 1}.xlsx",
                            sha256=f"{rid:064x}",
                            imported_at=datetime.combine(period.end, datetime.min.time()) + timedelta(days=5 + v),
                            imported_by="bench",
                            superseded_by_id=ids[v + 1] if v + 1 < versions else None,
                            warning_count=0,
                            warnings_resolved=True,
                            problems_json="[]",
                            change_summary="",
                        )
                    )
                    for pid in pids:
                        step = float(rng.randrange(0, 2000))
                        cum = cumulative.get(pid, 0.0) + (step if v == versions - 1 else 0.0)
                        if v == versions - 1:
                            cumulative[pid] = cum
                        entry_rows.append(
                            dict(
                                project_id=pid,
                                period_id=period_ids[period.key],
                                return_id=rid,
                                investment_period=step,
                                investment_cumulative=cum,
                                progress_pct=min(100.0, 100.0 * (periods.index(period) + 1) / months),
                                progress_text=f"{period.label}按计划推进，完成{rng.choice(SUBJECTS)}相关工作。",
                                problems=rng.choice(["", "", "", "用地手续尚未办结", "资金到位滞后"]),
                                coordination_needed=rng.choice(["", "", "", "", "请协调电力增容", "请协调土地指标"]),
                                next_steps="继续推进",
                                source_sheet="项目进展",
                                source_row=4 + pids.index(pid),
                            )
                        )
        s.execute(insert(Return), return_rows[::-1])  # newest first: superseded_by must already exist
        for i in range(0, len(entry_rows), 20_000):
            s.execute(insert(ProgressEntry), entry_rows[i : i + 20_000])
        actual_rows = []
        for ind_id, name in s.execute(select(Indicator.id, Indicator.name)):
            value = rng.uniform(100, 1000)
            for year in range(2015, 2026):
                value *= rng.uniform(1.05, 1.25)
                actual_rows.append(
                    dict(
                        indicator_id=ind_id,
                        period_key=str(year),
                        value=round(value, 1),
                        source=f"生成数据（{name}）",
                        entered_by="bench",
                    )
                )
        s.execute(insert(IndicatorActual), actual_rows)
        _task_parts(s, rng, parts_per_department, periods[-12:], period_ids, return_rows)
    db.dispose()
    return path


def _task_parts(
    s: Session,
    rng: random.Random,
    per_department: int,
    periods: list[Period],
    period_ids: dict[str, int],
    return_rows: list[dict[str, object]],
) -> None:
    """Every department responsible for ``per_department`` tasks (parts), with targets and a year of progress."""
    if per_department <= 0:
        return
    s.execute(delete(TaskDepartment))
    dept_ids = list(s.scalars(select(Department.id).order_by(Department.sort_order, Department.id)))
    task_ids = list(s.scalars(select(Task.id).order_by(Task.document_id, Task.sort_order)))
    part_rows = []
    for dept in dept_ids:
        for order, task in enumerate(sorted(rng.sample(task_ids, min(per_department, len(task_ids))))):
            part_rows.append(
                dict(
                    task_id=task,
                    department_id=dept,
                    role="responsible",
                    sort_order=order,
                    source_text="生成数据",
                    responsible_person=f"责任人{dept:02d}",
                    contact_person=f"联系人{dept:02d}",
                    contact_phone="0431-88880000",
                    version=1,
                )
            )
    s.execute(insert(TaskDepartment), part_rows)
    parts = list(s.execute(select(TaskDepartment.id, TaskDepartment.department_id)))
    s.execute(
        insert(TaskPartTarget),
        [dict(part_id=pid, year=2025, target=f"完成年度任务目标{pid}") for pid, _dept in parts],
    )
    # The department's current (last, unsuperseded) return of each period carries its task rows.
    current = {(r["department_id"], r["period_id"]): r["id"] for r in return_rows if r["superseded_by_id"] is None}
    progress_rows = []
    for period in periods:
        period_id = period_ids[period.key]
        for pid, dept in parts:
            rid = current.get((dept, period_id))
            if rid is None or rng.random() < 0.1:
                continue  # some parts owe their progress
            progress_rows.append(
                dict(
                    part_id=pid,
                    period_id=period_id,
                    return_id=rid,
                    progress_text=f"{period.label}按职责分工推进，完成{rng.choice(SUBJECTS)}相关工作。",
                    problems=rng.choice(["", "", "资金尚未到位"]),
                    coordination_needed=rng.choice(["", "", "", "请协调数据共享"]),
                    next_steps="继续推进",
                    completion=rng.choice(["按时推进", "按时推进", "按时推进", "滞后", "已完成"]),
                    source_sheet="重点任务进展",
                    source_row=4,
                    entered_by="",
                )
            )
    for i in range(0, len(progress_rows), 20_000):
        s.execute(insert(TaskPartProgress), progress_rows[i : i + 20_000])


DECISION_VERBS = ["牵头制定", "加快推进", "协调解决", "研究出台", "组织开展", "抓紧完成", "会同有关单位落实"]
DECISION_OBJECTS = ["覆盖方案", "专项资金拨付", "用地指标", "电力增容", "试点名单", "实施细则", "考核办法", "培训计划"]


def add_decisions(path: Path, *, seed: int = 0, decisions: int = 500, period_key: str = "2025-09") -> Path:
    """Extend a generated portfolio for the 督办 benchmarks (its 30 × 50 task parts come from ``generate``):
    eight quarterly meetings and ``decisions`` meeting decisions (about 40 % closed, the rest spread around
    today), half of them with progress reported in the department's current return of ``period_key``.
    """
    from app.storage.models import (
        Decision,
        DecisionDepartment,
        DecisionProgress,
        Meeting,
    )

    rng = random.Random(seed + 1)
    db = open_database(Path(path), seed=False).database
    with db.session() as s:
        dept_ids = list(s.scalars(select(Department.id).order_by(Department.id)))
        period_id = s.scalar(select(ReportingPeriod.id).where(ReportingPeriod.key == period_key))
        current = dict(
            s.execute(
                select(Return.department_id, Return.id).where(
                    Return.period_id == period_id, Return.superseded_by_id.is_(None)
                )
            ).all()
        )
        meetings = []
        for n, held in enumerate(
            [date(2024, m, 20) for m in (1, 4, 7, 10)] + [date(2025, m, 20) for m in (1, 4, 7, 10)]
        ):
            meeting = Meeting(held_on=held, title=f"第{n + 1}次联席会议", notes="")
            s.add(meeting)
            meetings.append(meeting)
        s.flush()
        today = date.today()
        for n in range(decisions):
            meeting = meetings[n * len(meetings) // decisions]
            due = meeting.held_on + timedelta(days=rng.randrange(30, 540))
            closed = due < today and rng.random() < 0.6
            decision = Decision(
                meeting_id=meeting.id,
                text=f"{rng.choice(DECISION_VERBS)}{rng.choice(REGIONS)}{rng.choice(PREFIXES)}{rng.choice(DECISION_OBJECTS)}",
                due_date=due,
                status="已办结" if closed else "办理中",
                closed_on=due - timedelta(days=rng.randrange(0, 20)) if closed else None,
                closing_note="已办结" if closed else "",
                evidence="",
                source_text="",
                created_at=datetime.combine(meeting.held_on, datetime.min.time()),
            )
            chosen = rng.sample(dept_ids, rng.choice([1, 1, 1, 2, 3]))
            decision.departments = [DecisionDepartment(department_id=d, sort_order=i) for i, d in enumerate(chosen)]
            s.add(decision)
        s.flush()
        progress = [
            dict(
                decision_id=did,
                department_id=dept_id,
                period_id=period_id,
                return_id=current[dept_id],
                progress_text="正在推进",
                reported_done=False,
                source_sheet="议定事项",
                source_row=4,
            )
            for did, dept_id in s.execute(select(DecisionDepartment.decision_id, DecisionDepartment.department_id))
            if dept_id in current and rng.random() < 0.5
        ]
        if period_id is not None and progress:
            s.execute(insert(DecisionProgress), progress)
    db.dispose()
    return Path(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a large Taizhang portfolio database.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--decisions", type=int, default=500, help="meeting decisions to add (督办; 0 for none)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    generate(args.out, seed=args.seed)
    if args.decisions:
        add_decisions(args.out, seed=args.seed, decisions=args.decisions)
    print(f"generated {args.out} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
