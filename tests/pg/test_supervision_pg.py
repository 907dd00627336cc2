"""Supervised parts on PostgreSQL: the migration, an own-layout task return, edits and the parts listing."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.services import supervision
from app.services.database import open_database
from app.services.supervision import PartEdit
from tests.e2e.test_supervision_quarter import MIIT, MIIT_ROWS, own_layout_return


def test_task_return_and_part_edits_on_postgresql(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(pg_url).database
    try:
        parts = supervision.load_parts(db, "2025-Q3", department=MIIT)
        assert len(parts) == 15 and all(p.role == "responsible" for p in parts)
        first = parts[0]
        supervision.save_part(db, first.part_id, first.version, PartEdit({"contact_person": "李科员"}, {2025: "目标"}))
        result = supervision.assign_projects(db, ["ZD01"], "省发改委")
        assert result.changed == 1
    finally:
        db.dispose()
    path = own_layout_return(tmp_path / "工信厅.xlsx", MIIT_ROWS)
    assert main(["import", "--db", pg_url, str(path)]) == 0
    assert "重点任务 5 项" in capsys.readouterr().out
    db = open_database(pg_url, seed=False).database
    try:
        parts = {p.task_code: p for p in supervision.load_parts(db, "2025-Q3", department=MIIT)}
        counts = supervision.load_part_counts(db, "2025-Q3")
    finally:
        db.dispose()
    assert parts["二(一)1"].contact_person == "李科员" and parts["二(一)1"].year_target == "目标"
    assert parts["二(一)2"].state == "滞后"
    assert (counts.reported, counts.lagging, counts.done) == (5, 1, 1)
