"""One word for each return status: 总览 says what 报表填报 says (被拒, not 未报送, for a refused file)."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select

from app.returns.commit import REFUSAL_ENTITY
from app.services.dashboard import load_dashboard
from app.services.returns import ReturnState, period_overview
from app.storage.db import Database
from app.storage.models import AuditEntry, Department
from app.ui.views.dashboard_view import DashboardView
from tests.ui.desk_helpers import open_loaded

PERIOD = "2025-Q3"


def _refuse(db: Database, name: str) -> None:
    with db.session() as s:
        dept_id = s.scalar(select(Department.id).where(Department.name == name))
        s.add(
            AuditEntry(
                at=datetime(2025, 10, 5, 9, 0), user="clerk", entity=REFUSAL_ENTITY, entity_id=dept_id,
                field=PERIOD, old_value="省工信厅.xlsx", new_value=json.dumps({"errors": ["缺少项目名称列"]}),
                action="refuse",
            )
        )  # fmt: skip


def test_dashboard_and_returns_view_use_the_same_word_for_each_department(qtbot, db: Database) -> None:
    _refuse(db, "省工业和信息化厅")
    words = {s.department_name: s.state.value for s in period_overview(db, PERIOD).statuses}
    assert words["省工业和信息化厅"] == ReturnState.REFUSED.value
    dash = load_dashboard(db, PERIOD)
    assert {d.name: d.state for d in dash.departments} == {
        n: w for n, w in words.items() if n in {d.name for d in dash.departments}
    }
    view = open_loaded(qtbot, DashboardView, db)
    view.set_period(PERIOD)
    qtbot.waitUntil(lambda: view.dashboard is not None and view.dashboard.period_key == PERIOD, timeout=10_000)
    shown = {
        view.returns_model.item(r, 0).text(): view.returns_model.item(r, 1).text()
        for r in range(view.returns_model.rowCount())
    }
    assert shown["省工业和信息化厅"] == "被拒"
    assert set(shown.values()) <= {state.value for state in ReturnState}
