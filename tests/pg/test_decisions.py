"""Meeting decisions and the circular against a PostgreSQL database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.services import decisions, meetings
from app.services.circular import build_circular
from app.services.database import open_database
from app.services.supervision_board import load_board
from app.storage.errors import KnownError


def test_decisions_closing_and_the_circular_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    from app.reports.circular_docx import export_circular_docx

    db = open_database(pg_url).database
    try:
        mid = meetings.create_meeting(db, date(2025, 10, 20), "第三季度联席会议", "2025-Q3")
        late = decisions.add_decision_by_names(
            db, "制定5G覆盖方案", ["省通信管理局", "省工信厅"], date(2025, 10, 31), mid
        )
        soon = decisions.add_decision_by_names(db, "拨付专项资金", ["省商务厅"], date(2025, 11, 8), mid)
        rows = {r.id: r for r in decisions.list_decisions(db, today=date(2025, 11, 5))}
        assert rows[late].light.name == "RED" and rows[soon].light.name == "YELLOW"
        decisions.close_decision(db, soon, "已拨付", closed_on=date(2025, 11, 6))
        with pytest.raises(KnownError, match="未作改动"):
            decisions.close_decision(db, soon, "再次")
        board = load_board(db, "2025-Q4", today=date(2025, 11, 5))
        assert board.counts.closed_in_period == 1 and board.counts.overdue == 1
        content = build_circular(db, "2025-Q3", date(2025, 11, 5))
        telecom = next(d for d in content.departments if d.name == "省通信管理局")
        assert [o.id for o in telecom.overdue] == [late]
        export_circular_docx(content, tmp_path / "通报.docx")
    finally:
        db.dispose()
