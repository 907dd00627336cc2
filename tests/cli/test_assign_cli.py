"""`taizhang assign`: responsible departments in bulk, audited, with Chinese refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli import main
from app.services.supervision import load_parts
from app.storage.db import Database
from app.storage.models import AuditEntry, Department, Project


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


def test_assign_projects_sets_their_responsible_department_and_audits_it(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = _run(
        capsys, "assign", "--db", str(db_path), "--project", "ZD01", "ZD02", "JH01", "--department", "省发改委"
    )
    assert code == 0, text
    assert "已将 3 个项目的牵头单位指定为省发展改革委" in text
    db = Database(db_path)
    try:
        with db.session() as s:
            ndrc = s.scalar(select(Department.id).where(Department.name == "省发展改革委"))
            leads = set(s.scalars(select(Project.lead_department_id).where(Project.code.in_(["ZD01", "ZD02", "JH01"]))))
            audited = s.scalars(select(AuditEntry.project_id).where(AuditEntry.field == "lead_department_id")).all()
    finally:
        db.dispose()
    assert leads == {ndrc} and len(audited) == 3
    code, text = _run(capsys, "missing", "--db", str(db_path), "--period", "2025-Q3")
    assert "省发展改革委：尚未报送（应报重点项目 2 个、定额计划 1 个、重点任务" in text


def test_assign_task_adds_a_part_that_owes_progress(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _run(capsys, "assign", "--db", str(db_path), "--task", "三(一)1", "--department", "省通信管理局")
    assert code == 0, text
    assert "三(一)1 实施宽带普及提速工程 — 省通信管理局" in text
    db = Database(db_path)
    try:
        parts = load_parts(db, "2025-Q3", task="三(一)1")
    finally:
        db.dispose()
    assert [(p.department_name, p.state) for p in parts] == [("省通信管理局", "未报送")]


def test_assign_refuses_unknown_projects_and_departments_without_changing_anything(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = _run(capsys, "assign", "--db", str(db_path), "--project", "ZD01", "ZD99", "--department", "省发改委")
    assert (code, "找不到项目：ZD99" in text) == (1, True)
    code, text = _run(capsys, "assign", "--db", str(db_path), "--project", "ZD01", "--department", "省不存在局")
    assert code == 1 and "找不到单位" in text
    code, text = _run(capsys, "assign", "--db", str(db_path), "--department", "省发改委")
    assert code == 2 and "--project 或 --task" in text
