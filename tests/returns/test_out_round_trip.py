"""Round trip: the app's template, filled in as a department would, imports cleanly and shows in the summary.

Needs the importer (app.returns.parse, app.services.returns); skipped where it is not part of the build.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from app.returns.fields import PROGRESS
from app.returns.summary import LEDGER_SHEET
from app.services.chasing import chase_missing_returns
from app.services.summary import export_summary
from app.services.templates import export_templates
from app.storage.db import Database
from tests.returns.outdata import INDUSTRY, build_scenario, soffice_convert

# Exact scenarios on the first twelve projects (see tests/first_portfolio.py).
pytestmark = pytest.mark.usefixtures("first_portfolio")


def _fill(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[PROGRESS.title]
    headers = {c.value: c.column for c in ws[3]}
    values = {
        "ZD01": (300.0, 1600.0, 40.0, "=SUM(1,2)", "用地手续待办"),
        "ZD02": (80.0, 700.5, 15.0, "主体施工", ""),
        "ZD03": (0.0, 0.0, 0.0, "前期工作", ""),
    }
    for row in range(4, 7):
        code = ws.cell(row, headers["项目编号"]).value
        period, cumulative, pct, text, problems = values[code]
        ws.cell(row, headers["本期完成投资（万元）"], period)
        ws.cell(row, headers["累计完成投资（万元）"], cumulative)
        ws.cell(row, headers["形象进度（%）"], pct)
        ws.cell(row, headers["本期进展情况"]).value = text
        ws.cell(row, headers["本期进展情况"]).data_type = "s"  # typed by a clerk as text, e.g. with a quote
        ws.cell(row, headers["存在问题"], problems or None)
    wb.save(path)


def test_filled_template_imports_without_warnings_and_reaches_the_summary(db: Database, tmp_path: Path) -> None:
    from app.services import returns as returns_service

    build_scenario(db)
    [written] = export_templates(db, "2025-Q4", tmp_path, department=INDUSTRY)
    _fill(written.path)
    [preview] = returns_service.preview(db, [written.path])
    assert preview.importable, [p.describe() for p in preview.problems]
    assert not preview.problems, [p.describe() for p in preview.problems]  # the 上期 columns are known
    [outcome] = returns_service.commit(db, [preview])
    assert outcome.ok

    out = tmp_path / "汇总.xlsx"
    export_summary(db, "2025-Q4", out)
    ws = openpyxl.load_workbook(out)[LEDGER_SHEET]
    zd01 = next([c.value for c in row] for row in ws.iter_rows(min_row=4) if row[1].value == "ZD01")
    assert zd01[4:8] == [50000, 300, 1600, 40]
    assert zd01[11:13] == ["=SUM(1,2)", "用地手续待办"]
    with db.session() as s:
        chase = chase_missing_returns(s, "2025-Q4")
    assert INDUSTRY not in [i.department for i in chase.items]


def _rows(preview: object) -> dict[str, list[dict[str, object]]]:
    parsed = preview.validated.parsed  # type: ignore[attr-defined]
    return {key: [r.values for r in rows] for key, rows in parsed.rows.items()}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("fmt", ["xlsx:Calc MS Excel 2007 XML", "xls:MS Excel 97"])
def test_template_resaved_by_libreoffice_imports_the_same(db: Database, tmp_path: Path, fmt: str) -> None:
    from app.services import returns as returns_service

    build_scenario(db)
    [written] = export_templates(db, "2025-Q4", tmp_path / "app", department=INDUSTRY)
    _fill(written.path)
    resaved = soffice_convert(written.path, fmt, tmp_path / "lo")
    original, other = returns_service.preview(db, [written.path, resaved])
    assert other.importable, [p.describe() for p in other.problems]
    assert (other.validated.parsed.department, other.validated.parsed.period_key) == (INDUSTRY, "2025-Q4")
    assert _rows(other) == _rows(original)
