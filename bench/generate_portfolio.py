"""Generate a large, realistic portfolio database that every benchmark uses.

Default size: 30 departments, 200 projects (the built-in ones plus generated ones), 800 milestones,
3,000 programme members with valid credit codes, 60 monthly periods (2021-01 … 2025-12), and 100,000 progress
entries: each department's return for each period was resubmitted a few times, and every superseded return keeps
its entries as history (12,000 entries are current, the rest history).

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

from sqlalchemy import insert, select, update

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


def generate(path: Path, *, seed: int = 0, projects: int = 200, months: int = 60, entries: int = 100_000) -> Path:
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
    db.dispose()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a large Taizhang portfolio database.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    generate(args.out, seed=args.seed)
    print(f"generated {args.out} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
