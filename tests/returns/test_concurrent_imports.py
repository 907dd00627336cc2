"""Imports racing each other from several processes (two clerks, two PCs) leave one current return each."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from app.storage.db import Database
from app.storage.models import ReportingPeriod, Return
from tests.returns.helpers import FAGAI, GONGXIN, department_workbook

PROCESSES = 4
ROUNDS = 6  # 4 × 6 = 24 imports, in 6 staggered races of 4
SIDES = [(GONGXIN, "ZD01", "省数据灾备中心二期工程"), (FAGAI, "ZD05", "延边州云计算和数据产业基地")]
QUARTERS = ["2023年第一季度", "2023年第二季度", "2023年第三季度", "2023年第四季度", "2024年第一季度", "2024年第二季度"]


def test_staggered_concurrent_imports_leave_one_current_return_per_department_and_period(
    ledger: Database, tmp_path: Path
) -> None:
    race_imports(ledger, str(ledger.path), tmp_path)


def race_imports(ledger: Database, target: str, tmp_path: Path) -> None:
    """24 imports from 4 processes in 6 staggered races, each opening a new period; checks the outcome."""
    jobs: list[list[str]] = [[] for _ in range(PROCESSES)]
    start = time.time() + 6  # time for every process to start and read its first file
    for r, quarter in enumerate(QUARTERS):
        for p in range(PROCESSES):
            department, code, name = SIDES[p % 2]
            path = department_workbook(
                tmp_path / f"r{r}p{p}.xlsx",
                department=department,
                period=quarter,
                projects=[(code, name, 100.0 + r * 10 + p, 10 + r + p, f"第 {r} 轮，第 {p} 个进程")],
            )
            # Staggered by a few milliseconds: the commits overlap, but not in the same order every round.
            jobs[p].append(f"{path}={start + r * 1.5 + (p * 7 % 5) * 0.004}")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.returns.race_worker", target, *job],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for job in jobs
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        assert "Traceback" not in err, err
        results.extend(json.loads(line) for line in out.splitlines() if line.startswith("{"))
    assert len(results) == PROCESSES * ROUNDS
    assert all(r["status"] == "imported" for r in results), [r for r in results if r["status"] != "imported"]
    with ledger.sessions() as s:
        duplicates = s.execute(
            select(Return.department_id, Return.period_id, func.count())
            .where(Return.superseded_by_id.is_(None))
            .group_by(Return.department_id, Return.period_id)
            .having(func.count() > 1)
        ).all()
        assert duplicates == []
        periods = s.scalars(select(ReportingPeriod.key).where(ReportingPeriod.key.like("202%-Q%"))).all()
        assert len(periods) == len(set(periods))
        current = s.scalar(select(func.count()).select_from(Return).where(Return.superseded_by_id.is_(None)))
        total = s.scalar(select(func.count()).select_from(Return))
    assert total == PROCESSES * ROUNDS
    assert current == 2 * ROUNDS  # two departments, one current return each per quarter
