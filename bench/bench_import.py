"""Benchmark: check and import 30 departmental returns with 5,000 rows in all on the large portfolio.

Each of the 30 city departments returns one .xlsx for 2026-01 (the month after the generator's last period):
progress rows for every project it leads, its milestones, and new programme members, so that the 30 files
hold 5,000 data rows. Timed separately: reading the files (parse_return), validating them against the ledger
(LedgerState.load + validate), the whole preview (read + validate), and committing them (one transaction
per file). Targets (issue 3): validating ≤ 2 s, committing ≤ 1 s.

Usage: python -m bench.bench_import [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import func, select

from app.returns.parse import parse_return
from app.returns.validate import LedgerState, validate
from app.services.returns import OutcomeStatus, commit, preview, preview_parsed
from app.storage.db import Database
from app.storage.models import Department, Milestone, ProgrammeMember, ProgressEntry, Project, Return
from bench import floors
from bench.generate_portfolio import credit_code, generate

PERIOD = "2026-01"
TOTAL_ROWS = 5_000


def write_returns(db: Database, out: Path, seed: int = 7) -> tuple[list[Path], int]:
    """One return per city department (30), 5,000 data rows in all; returns the files and the row count."""
    rng = random.Random(seed)
    with db.sessions() as s:
        leads = select(Project.lead_department_id).where(Project.lead_department_id.is_not(None))
        depts = list(s.execute(select(Department.id, Department.name).where(Department.id.in_(leads))))
        projects = list(s.execute(select(Project.id, Project.code, Project.name, Project.lead_department_id)))
        milestones = list(s.execute(select(Milestone.project_id, Milestone.name)))
        programmes = [name for (name,) in s.execute(select(Project.name).where(Project.kind == "programme"))]
        latest = {
            pid: (cum, pct)
            for pid, cum, pct in s.execute(
                select(
                    ProgressEntry.project_id,
                    func.max(ProgressEntry.investment_cumulative),
                    func.max(ProgressEntry.progress_pct),
                ).group_by(ProgressEntry.project_id)
            )
        }
    by_dept: dict[int, list[tuple[int, str, str]]] = {}
    for pid, code, name, dept in projects:
        if dept is not None:
            by_dept.setdefault(dept, []).append((pid, code, name))
    ms_by_project: dict[int, list[str]] = {}
    for pid, name in milestones:
        ms_by_project.setdefault(pid, []).append(name)
    base_rows = sum(len(by_dept.get(d, [])) + sum(len(ms_by_project.get(p, [])) for p, *_ in by_dept.get(d, []))
                    for d, _n in depts)  # fmt: skip
    member_total = TOTAL_ROWS - base_rows
    files: list[Path] = []
    rows_written = 0
    for i, (dept_id, dept_name) in enumerate(depts):
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "项目进展"
        ws.append(
            ["项目编号", "项目名称", "本期完成投资（万元）", "累计完成投资（万元）", "形象进度（%）", "本期进展情况"]
        )
        ms = wb.create_sheet("里程碑")
        ms.append(["项目编号", "项目名称", "里程碑", "实际完成日期"])
        for pid, code, name in by_dept.get(dept_id, []):
            step = float(rng.randrange(0, 2000))
            cum, pct = latest.get(pid, (0.0, 0.0))
            ws.append([code, name, step, (cum or 0.0) + step, max(pct or 0.0, rng.randrange(10, 100)), "按计划推进"])
            rows_written += 1
            for ms_name in ms_by_project.get(pid, []):
                ms.append([code, name, ms_name, None])
                rows_written += 1
        mem = wb.create_sheet("新增计划成员")
        mem.append(["所属计划", "企业名称", "统一社会信用代码", "计入年度"])
        share = member_total // len(depts) + (1 if i < member_total % len(depts) else 0)
        for k in range(share):
            mem.append([rng.choice(programmes), f"吉林基准测试企业{i:02d}{k:04d}有限公司", credit_code(rng), 2026])
            rows_written += 1
        meta = wb.create_sheet("_taizhang")
        meta.append(["department", dept_name])
        meta.append(["period", PERIOD])
        meta.sheet_state = "hidden"
        path = out / f"{dept_name}_{PERIOD}.xlsx"
        wb.save(path)
        files.append(path)
    return files, rows_written


def run(keep: Path | None = None, source: Path | None = None) -> dict[str, float]:
    """Run the benchmark once and return its timings in seconds (on a copy of ``source`` when given)."""
    work = Path(tempfile.mkdtemp(prefix="bench_import_"))
    try:
        if source is not None:
            db_path = Path(shutil.copy(source, work / "large.db"))
        else:
            db_path = generate(work / "large.db")
        db = Database(db_path)
        files, rows = write_returns(db, work)
        print(f"{len(files)} returns, {rows} data rows, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB")

        def timed(fn: Any) -> tuple[Any, float, float]:
            """(result, first run, best of 3): the first pays SQLAlchemy's and SQLite's warm-up."""
            times = []
            for _ in range(3):
                t0 = time.perf_counter()
                value = fn()
                times.append(time.perf_counter() - t0)
            return value, times[0], min(times)

        parsed, t_read, t_read_best = timed(lambda: [parse_return(f) for f in files])
        problems = [p for item in parsed for p in item.problems]
        assert not problems, problems[:3]

        def check_all() -> list[Any]:
            with db.sessions() as s:
                state = LedgerState.load(s)
                return [validate(item, state) for item in parsed]

        checked, t_validate, t_validate_best = timed(check_all)
        errors = [p.describe() for c in checked for p in c.errors]
        assert not errors, errors[:3]
        previews, t_preview, t_preview_best = timed(lambda: preview(db, files))

        t0 = time.perf_counter()
        outcomes = commit(db, previews, confirmed_warnings=False)
        t_commit = time.perf_counter() - t0
        assert all(o.status is OutcomeStatus.IMPORTED for o in outcomes), [o.message for o in outcomes][:3]
        with db.sessions() as s:
            members = s.scalar(select(func.count(ProgrammeMember.id)))
            returns = s.scalar(select(func.count(Return.id)))
            columns = len(ProgressEntry.__table__.columns)
        # The floor: the same number of rows, as wide as a progress entry, in one executemany and one commit.
        floor = floors.executemany_rows(columns, rows)
        print(floors.load_line())
        print(floors.ratio_line(f"commit ({len(files)} transactions, {rows} rows)", t_commit, "executemany", floor))
        warnings = sum(len(p.validated.warnings) for p in previews)
        print(f"after commit: {returns} returns, {members} programme members; {warnings} warnings in the batch")

        t0 = time.perf_counter()
        repeat = commit(db, preview_parsed(db, parsed))
        t_repeat = time.perf_counter() - t0
        assert all(o.status is OutcomeStatus.ALREADY_IMPORTED for o in repeat)
        db.dispose()
        timings = {
            "read (parse_return × 30), first run": t_read,
            "read (parse_return × 30), best of 3": t_read_best,
            "validate (ledger load + 30 × validate), first run": t_validate,
            "validate (ledger load + 30 × validate), best of 3": t_validate_best,
            "preview (read + validate, service), first run": t_preview,
            "preview (read + validate, service), best of 3": t_preview_best,
            "commit (30 transactions)": t_commit,
            "re-import the same 30 files (all already imported)": t_repeat,
        }
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            for f in files:
                shutil.copy(f, keep / f.name)
        return timings
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark checking and importing 30 returns.")
    parser.add_argument("--keep", type=Path, help="copy the generated returns into this folder")
    parser.add_argument("--db", type=Path, help="a generated portfolio to work on a copy of (default: generate one)")
    args = parser.parse_args(argv)
    for name, seconds in run(args.keep, args.db).items():
        print(f"{name:55s} {seconds:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
