"""Checking a return reads the ledger with table-column queries: a dry run never configures the ORM's mappers
(≈ 0.1 s of every `taizhang import --dry-run`), and its answers are those of the ORM-loaded checks the rest of
the suite makes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl

from app.storage.db import Database

_CHECK = """
import json, sys
from pathlib import Path
from app.services.database import open_database
from app.services.returns import preview
from app.storage.models import Base

database = open_database(sys.argv[1], seed=False).database
[item] = preview(database, [Path(sys.argv[2])])
configured = [m.class_.__name__ for m in Base.registry.mappers if m.configured]
print(json.dumps({"configured": configured, "verdict": item.verdict.value,
                  "problems": [p.message for p in item.problems]}, ensure_ascii=False))
"""


def test_a_dry_run_checks_a_return_without_configuring_the_orm(ledger: Database, db_path: Path, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目进展"
    ws.append(["2025年第三季度重点项目进展情况表"])
    ws.append(["填报单位：省工业和信息化厅", None, None, "报告期：2025年第三季度"])
    ws.append(["项目编号", "项目名称", "累计完成投资（万元）", "形象进度（%）", "本期进展情况"])
    ws.append(["ZD01", None, 1200, 0.4, "主体完工"])
    ws.append(["ZD99", "不存在的项目", 10, 0.1, "开工"])
    path = tmp_path / "省工业和信息化厅2025年三季度.xlsx"
    wb.save(path)
    ledger.dispose()
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", _CHECK, str(db_path), str(path)],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
        check=True,
    ).stdout
    answer = json.loads(out.strip().splitlines()[-1])
    assert answer["configured"] == []
    assert answer["verdict"] == "blocked"  # the unknown project: the check ran against the ledger
    assert any("「不存在的项目」在台账中找不到" in m for m in answer["problems"]), answer["problems"]
    assert not any("ZD01" in m and "找不到" in m for m in answer["problems"])
