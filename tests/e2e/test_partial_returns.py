"""Departments rarely fill every row: rows left as the template wrote them report nothing and hide nothing."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.services.returns import Verdict, commit, preview
from app.services.templates import export_templates
from app.storage.db import Database
from app.storage.models import ProgressEntry, Project, ReportingPeriod
from tests.e2e.journey import MIIT, PERIOD, TELECOM, assign_departments, fill_miit, template_path
from tests.e2e.people import PROGRESS_SHEET, column_of, fill_progress, header_row, open_template, rows_by_code

# Exact scenarios on the first twelve projects (see tests/first_portfolio.py).
pytestmark = pytest.mark.usefixtures("first_portfolio")

NEXT = "2025-Q4"
NEXT_LABEL = "2025年第四季度"


def _import(database: Database, *files: Path) -> list:
    previews = preview(database, list(files))
    commit(database, previews)
    return previews


def _entries(database: Database, period_key: str) -> dict[str, ProgressEntry]:
    with database.session() as s:
        rows = s.execute(
            select(Project.code, ProgressEntry)
            .join(ProgressEntry, ProgressEntry.project_id == Project.id)
            .join(ReportingPeriod, ReportingPeriod.id == ProgressEntry.period_id)
            .where(ReportingPeriod.key == period_key)
        ).all()
        s.expunge_all()
    return {code: entry for code, entry in rows}


def _q3_then_q4_template(db_path: Path, folder: Path) -> Database:
    assign_departments(db_path)
    database = Database(db_path)
    export_templates(database, PERIOD, folder)
    _import(database, fill_miit(template_path(folder, MIIT), folder / "q3.xlsx", slip=False))
    export_templates(database, NEXT, folder / "q4", MIIT)
    return database


def test_untouched_project_row_records_nothing_and_keeps_last_figures(db_path: Path, tmp_path: Path) -> None:
    database = _q3_then_q4_template(db_path, tmp_path)
    try:
        wb = open_template(tmp_path / "q4" / f"{MIIT}_{NEXT_LABEL}.xlsx")
        fill_progress(wb[PROGRESS_SHEET], {"ZD01": {"累计完成投资（万元）": 4000, "形象进度（%）": 65}})
        wb.save(tmp_path / "q4.xlsx")
        (item,) = _import(database, tmp_path / "q4.xlsx")
        assert [p.row for p in item.problems if "漏报" in p.message] == [5]  # ZD02 left as written: asked about
        assert set(_entries(database, NEXT)) == {"ZD01"}  # …and not imported as an empty report
        export_templates(database, "2026-Q1", tmp_path / "q1", MIIT)
        ws = openpyxl.load_workbook(tmp_path / "q1" / f"{MIIT}_2026年第一季度.xlsx")[PROGRESS_SHEET]
        head = header_row(ws, "项目编号")
        zd02 = rows_by_code(ws, head)["ZD02"]
        assert ws.cell(zd02, column_of(ws, "上期累计完成投资（万元）", head)).value == 5000
    finally:
        database.dispose()


def test_untouched_indicator_row_does_not_block_the_return(db_path: Path, tmp_path: Path) -> None:
    assign_departments(db_path)
    database = Database(db_path)
    try:
        export_templates(database, NEXT, tmp_path, TELECOM)
        wb = open_template(tmp_path / f"{TELECOM}_{NEXT_LABEL}.xlsx")
        fill_progress(wb[PROGRESS_SHEET], {"ZD06": {"累计完成投资（万元）": 3000, "形象进度（%）": 30}})
        wb.save(tmp_path / "tel.xlsx")
        (item,) = preview(database, [tmp_path / "tel.xlsx"])
        assert [p.describe() for p in item.problems] == []
        assert item.contents() == "项目 1 行"
    finally:
        database.dispose()


def test_template_sent_back_unfilled_is_flagged(db_path: Path, tmp_path: Path) -> None:
    assign_departments(db_path)
    database = Database(db_path)
    try:
        export_templates(database, NEXT, tmp_path, TELECOM)
        (item,) = preview(database, [tmp_path / f"{TELECOM}_{NEXT_LABEL}.xlsx"])
        assert item.verdict is Verdict.WARNINGS
        assert any("都与模板相同" in p.message for p in item.problems)
    finally:
        database.dispose()
