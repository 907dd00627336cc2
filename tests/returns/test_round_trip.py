"""Template (returns-out) → filled by the test → import (this branch) → summary (returns-out).

Skipped until the template and summary services are merged next to the importer.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from app.services.returns import OutcomeStatus, commit, preview
from app.storage.db import Database


def _column(ws, header: str) -> int:  # type: ignore[no-untyped-def]
    for row in ws.iter_rows(min_row=1, max_row=10):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.replace("\n", "") == header:
                return int(cell.column)
    raise AssertionError(f"no column {header}")


def test_template_filled_by_a_department_imports_and_reaches_the_summary(ledger: Database, tmp_path: Path) -> None:
    from app.services.summary import export_summary
    from app.services.templates import export_templates

    [written] = export_templates(ledger, "2025-Q3", tmp_path / "templates", department="省工业和信息化厅")
    wb = load_workbook(written.path)
    ws = wb["项目进展"]
    cum, pct, text = (_column(ws, h) for h in ("累计完成投资（万元）", "形象进度（%）", "本期进展情况"))
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    ws.cell(rows["ZD01"], cum).value = "1,200"
    ws.cell(rows["ZD01"], pct).value = "40%"
    ws.cell(rows["ZD01"], text).value = "主体施工"
    filled = tmp_path / "工信厅报回.xlsx"
    wb.save(filled)

    [item] = preview(ledger, [filled])
    assert item.importable, [p.describe() for p in item.problems]
    # the department filled one project; the others are flagged as not reported, never imported blank
    assert all("漏报" in p.message for p in item.validated.warnings)
    [outcome] = commit(ledger, [item])
    assert outcome.status is OutcomeStatus.IMPORTED

    out = tmp_path / "汇总.xlsx"
    export_summary(ledger, "2025-Q3", out)
    summary = load_workbook(out)
    found = [
        [c.value for c in row]
        for sheet in summary.worksheets
        for row in sheet.iter_rows()
        if any(c.value == "省数据灾备中心二期工程" for c in row)
    ]
    assert any(1200 in values and "主体施工" in values for values in found), found
