"""The services a clerk uses every quarter, run against a PostgreSQL database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from app.services import projects
from app.services.database import open_database
from app.services.gantt import load_gantt
from app.services.indicators import list_indicators
from app.services.ledger import load_ledger
from app.services.report import build_report
from app.services.returns import OutcomeStatus, Verdict, commit, preview
from app.services.summary import export_summary
from app.storage.db import Database
from app.storage.errors import StaleEditError
from tests.returns.helpers import assign_departments, department_workbook

TODAY = date(2025, 11, 25)


@pytest.fixture(scope="module")
def imported(pg_server: tuple[str, int], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A PostgreSQL ledger with departments assigned and one 工信厅 return for 2025-Q3 imported."""
    import uuid

    import psycopg

    host, port = pg_server
    name = "tz_" + uuid.uuid4().hex[:12]
    with psycopg.connect(host=host, port=port, user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    db = open_database(f"postgresql+psycopg://postgres@/{name}?host={host}&port={port}").database
    assign_departments(db)
    path = department_workbook(
        tmp_path_factory.mktemp("pgreturns") / "工信厅三季度.xlsx",
        projects=[
            ("ZD01", "省数据灾备中心二期工程", "1,200", "40%", "主体施工"),
            (None, "吉林市 江南数据中心", "0.35亿元", 0.6, "设备安装"),
        ],
    )
    [item] = preview(db, [path])
    assert item.verdict is Verdict.WILL_IMPORT, [p.describe() for p in item.problems]
    [outcome] = commit(db, [item])
    assert outcome.status is OutcomeStatus.IMPORTED, outcome
    yield db
    db.dispose()


def test_importing_the_same_return_again_changes_nothing(imported: Database, tmp_path: Path) -> None:
    path = department_workbook(
        tmp_path / "工信厅三季度.xlsx",
        projects=[
            ("ZD01", "省数据灾备中心二期工程", "1,200", "40%", "主体施工"),
            (None, "吉林市 江南数据中心", "0.35亿元", 0.6, "设备安装"),
        ],
    )
    [item] = preview(imported, [path])
    assert item.verdict in (Verdict.ALREADY_IMPORTED, Verdict.SUPERSEDES, Verdict.WILL_IMPORT)


def test_ledger_rows_show_the_imported_progress(imported: Database) -> None:
    rows = {r.code: r for r in load_ledger(imported, "2025-Q3", TODAY).rows}
    assert rows["ZD01"].progress_pct == 40.0 and rows["ZD01"].completed_investment == 1200.0
    assert rows["ZD03"].progress_pct == 60.0
    assert rows["ZD01"].lead_department == "省工业和信息化厅"


def test_summary_export_lists_the_imported_projects(imported: Database, tmp_path: Path) -> None:
    out = tmp_path / "汇总.xlsx"
    export_summary(imported, "2025-Q3", out)
    wb = openpyxl.load_workbook(out, read_only=True)
    text = " ".join(str(c) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for c in r if c is not None)
    wb.close()
    assert "省数据灾备中心二期工程" in text and "主体施工" in text


def test_gantt_loads_every_project(imported: Database) -> None:
    data = load_gantt(imported, today=TODAY, period_key="2025-Q3")
    codes = {r.code for r in data.rows}
    assert {"ZD01", "ZD03"} <= codes


def test_report_content_has_the_ledger_and_missing_departments(imported: Database) -> None:
    report = build_report(imported, "2025-Q3", today=TODAY)
    assert report.period_label == "2025年第三季度"
    assert any(r.code == "ZD01" for r in report.ledger)
    missing = {m.name for m in report.missing} if report.missing and hasattr(report.missing[0], "name") else None
    assert missing is None or "省工业和信息化厅" not in missing


def test_indicators_are_listed(imported: Database) -> None:
    indicators = list_indicators(imported, as_of="2025-Q3", today=TODAY)
    assert indicators and all(i.code for i in indicators)


def test_stale_edit_is_refused(imported: Database) -> None:
    version = projects.load_project(imported, 1).version
    other = Database(imported.url)
    try:
        projects.update_project(other, 1, version, {"region": "吉林市"})
    finally:
        other.dispose()
    with pytest.raises(StaleEditError):
        projects.update_project(imported, 1, version, {"region": "长春市"})
    assert projects.load_project(imported, 1).values["region"] == "吉林市"
