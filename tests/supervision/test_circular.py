"""The circular (情况通报): who returned on time, late or not at all, what lags, which decisions are overdue."""

from __future__ import annotations

import subprocess
import unicodedata
from datetime import date, datetime
from pathlib import Path

from docx import Document
from sqlalchemy import select

from app.reports.circular import LATE, MISSING, ON_TIME
from app.services import decisions
from app.services.circular import build_circular
from app.storage.db import Database
from app.storage.models import Department, Return
from tests.reports.seed_returns import DRC_FILE, Seeded

TODAY = date(2025, 11, 5)


def _seed(db: Database, quarter: Seeded) -> int:
    with db.session() as s:
        late = s.scalar(select(Return).where(Return.file_name == DRC_FILE))
        assert late is not None
        late.imported_at = datetime(2025, 10, 20)  # after the default due date, 10 October
        telecom = s.scalar(select(Department.id).where(Department.name == "省通信管理局"))
    return decisions.add_decision(db, "制定测试区5G覆盖方案", [int(telecom or 0)], date(2025, 10, 31))


def test_circular_sorts_departments_into_on_time_late_and_missing(db: Database, quarter: Seeded) -> None:
    _seed(db, quarter)
    c = build_circular(db, "2025-Q3", TODAY)
    assert [d.name for d in c.of(ON_TIME)] == ["省工业和信息化厅"]
    assert [d.name for d in c.of(LATE)] == ["省发展改革委"]
    assert "省商务厅" in [d.name for d in c.of(MISSING)]
    telecom = next(d for d in c.departments if d.name == "省通信管理局")
    assert [o.text for o in telecom.overdue] == ["制定测试区5G覆盖方案"] and telecom.overdue[0].days_overdue == 5
    assert c.decisions_overdue == 1 and c.lagging_items >= 1


def _docx_text(path: Path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_circular_docx_names_departments_and_overdue_decisions(db: Database, quarter: Seeded, tmp_path: Path) -> None:
    from app.reports.circular_docx import export_circular_docx

    _seed(db, quarter)
    out = tmp_path / "通报.docx"
    export_circular_docx(build_circular(db, "2025-Q3", TODAY), out)
    text = _docx_text(out)
    for said in ("一、总体情况", "二、各单位报送情况", "三、存在的主要问题", "四、下步工作要求"):
        assert said in text
    assert "按时报送的单位（1 个）：省工业和信息化厅" in text
    assert "逾期报送的单位（1 个）：省发展改革委" in text
    assert "省商务厅" in text.split("未报送的单位")[1]
    assert "省通信管理局：制定测试区5G覆盖方案" in text and "已逾期 5 天" in text
    doc = Document(str(out))
    assert any(p.style.name == "Heading 1" and p.text == "一、总体情况" for p in doc.paragraphs)
    assert doc.paragraphs[1].style.name == "Title"


def test_circular_pdf_carries_the_same_facts(db: Database, quarter: Seeded, tmp_path: Path, qapp: object) -> None:
    from app.ui.circular_render import export_circular_pdf

    _seed(db, quarter)
    out = tmp_path / "通报.pdf"
    pages = export_circular_pdf(build_circular(db, "2025-Q3", TODAY), out)
    assert pages >= 1
    raw = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    text = "".join(unicodedata.normalize("NFKC", raw).split())
    assert "按时报送的单位(1个):省工业和信息化厅" in text
    assert "逾期报送的单位(1个):省发展改革委" in text
    assert "省通信管理局:制定测试区5G覆盖方案" in text and "已逾期5天" in text
    assert "四、下步工作要求" in text


def test_circular_names_the_task_parts_reported_lagging(db: Database, quarter: Seeded) -> None:
    from app.storage.models import Task, TaskDepartment, TaskPartProgress
    from tests.reports.seed_returns import IT_FILE

    with db.session() as s:
        part_id, code, title = s.execute(
            select(TaskDepartment.id, Task.code, Task.title)
            .join(Task, Task.id == TaskDepartment.task_id)
            .where(TaskDepartment.department_id == quarter.it_id)
            .limit(1)
        ).one()
        it_return = s.scalar(select(Return.id).where(Return.file_name == IT_FILE))
        s.add(
            TaskPartProgress(
                part_id=part_id,
                period_id=quarter.period_id,
                return_id=it_return,
                progress_text="测试场建设推迟",
                problems="资金未到位",
                completion="滞后",
            )
        )
    c = build_circular(db, "2025-Q3", TODAY)
    it = next(d for d in c.departments if d.name == "省工业和信息化厅")
    assert f"{code} {title}（资金未到位）" in it.lagging
    assert c.supervised_items > 12  # the projects with a department and every task part
