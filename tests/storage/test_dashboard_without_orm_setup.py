"""总览, the first view, reads table columns only: loading it never configures the ORM's mappers (≈ 0.1 s of
every start-up before the first paint), and its department words are those of the ORM-loaded 报表填报 view."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.domain.periods import Period
from app.services.dashboard import load_dashboard
from app.services.decisions import add_decision, close_decision
from app.services.period_entries import received_return_facts, received_returns
from app.services.return_states import latest_refusal_times, latest_refusals
from app.services.returns import period_overview
from app.services.scope import owing_department_ids, owing_scopes
from app.storage.audit import REFUSAL_ENTITY
from app.storage.db import Database
from app.storage.models import (
    AuditEntry,
    Department,
    DepartmentSuccession,
    Indicator,
    IndicatorActual,
    ProgressEntry,
    Project,
    Return,
    TaskDepartment,
    TaskPartProgress,
)
from app.storage.periods import ensure_reporting_period
from app.storage.successions import retired_department_ids, successions_in_force

PERIOD = "2025-Q3"
TODAY = date(2025, 11, 1)

_LOAD = """
import json, sys
from datetime import date
from app.services.database import open_database
from app.services.dashboard import load_dashboard
from app.storage.models import Base

database = open_database(sys.argv[1], seed=False).database
dash = load_dashboard(database, sys.argv[2], date.fromisoformat(sys.argv[3]))
configured = [m.class_.__name__ for m in Base.registry.mappers if m.configured]
print(json.dumps({
    "configured": configured,
    "states": {d.name: d.state for d in dash.departments},
    "received": dash.returns_received,
    "decisions": [dash.decisions.open, dash.decisions.overdue, dash.decisions.closed_in_period],
    "parts": [dash.parts.reported, dash.parts.lagging],
    "actuals": {i.name: [i.actual_value, i.actual_period] for i in dash.indicators if i.actual_value is not None},
    "counts": dash.status_counts,
}, ensure_ascii=False))
"""


@dataclass(frozen=True)
class Scenario:
    returned: str  # 已报
    unconfirmed: str  # 有警告待确认
    refused: str  # refused, nothing received: 被拒
    refused_later: str  # returned, then a later file refused: 被拒
    refused_before: str  # refused, then a good file: 已报
    retired: str  # merged into ``returned``: no longer listed
    indicator: str


def quarter_with_data(db: Database) -> Scenario:
    """Returns of every kind for 2025-Q3 (monthly and quarterly), refusals, progress, decisions, a merger."""
    with db.session() as s:
        quarter = ensure_reporting_period(s, Period.parse(PERIOD))
        august = ensure_reporting_period(s, Period.parse("2025-08"))
        owing = owing_department_ids(s)
        ordered = s.scalars(select(Department).order_by(Department.sort_order, Department.id))
        depts = [d for d in ordered if d.id in owing]
        a, b, c, d, e, f = depts[:6]

        def filed(dept: Department, period_id: int, day: int, resolved: bool = True) -> Return:
            ret = Return(
                department_id=dept.id,
                period_id=period_id,
                file_name=f"{dept.name}.xlsx",
                sha256=f"{dept.id:064x}",
                imported_at=datetime(2025, 10, day, 9, 0),
                warning_count=0 if resolved else 1,
                warnings_resolved=resolved,
            )
            s.add(ret)
            s.flush()
            return ret

        def refuse(dept: Department, key: str, day: int) -> None:
            s.add(
                AuditEntry(
                    at=datetime(2025, 10, day, 15, 0), user="clerk", entity=REFUSAL_ENTITY, entity_id=dept.id,
                    field=key, old_value="x.xlsx", new_value="{}", action="refuse",
                )
            )  # fmt: skip

        ret_a = filed(a, august.id, 3)  # a month inside the quarter counts for it
        filed(b, quarter.id, 4, resolved=False)
        refuse(c, PERIOD, 5)
        filed(d, quarter.id, 6)
        refuse(d, "2025-08", 7)
        refuse(e, PERIOD, 1)
        filed(e, quarter.id, 8)
        s.add(DepartmentSuccession(old_department_id=f.id, new_department_id=a.id, effective_from=date(2020, 1, 1)))
        project = s.scalar(select(Project).where(Project.code == "ZD01"))
        assert project is not None
        project.lead_department_id = a.id
        s.add(ProgressEntry(project_id=project.id, period_id=august.id, return_id=ret_a.id, progress_pct=40.0))
        part = s.scalars(select(TaskDepartment).where(TaskDepartment.department_id == a.id)).first()
        if part is None:
            part = s.scalars(select(TaskDepartment)).first()
        assert part is not None
        s.add(TaskPartProgress(part_id=part.id, period_id=quarter.id, return_id=ret_a.id, completion="滞后"))
        indicator = s.scalars(select(Indicator).order_by(Indicator.sort_order, Indicator.id)).first()
        assert indicator is not None
        s.add(IndicatorActual(indicator_id=indicator.id, period_key="2025-08", value=12.5, return_id=ret_a.id))
        scenario = Scenario(a.name, b.name, c.name, d.name, e.name, f.name, indicator.name)
        a_id = a.id
    add_decision(db, "完成数据中心选址", [a_id], date(2025, 10, 15))  # overdue on TODAY
    add_decision(db, "出台配套政策", [a_id], date(2026, 3, 31))
    closed = add_decision(db, "召开推进会", [a_id], date(2025, 9, 30))
    close_decision(db, closed, "已召开", closed_on=date(2025, 9, 20))
    return scenario


def load_in_a_fresh_process(database: str) -> dict[str, Any]:
    """What ``load_dashboard`` shows for PERIOD on TODAY, and the mappers configured, from a new interpreter."""
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", _LOAD, database, PERIOD, TODAY.isoformat()],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
        check=True,
    ).stdout
    answer: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return answer


def assert_shows_the_quarter(answer: dict[str, Any], scenario: Scenario) -> None:
    """The reads found the quarter's data: every kind of return, the decisions, the part and the indicator."""
    states = answer["states"]
    assert states[scenario.returned] == "已报"
    assert states[scenario.unconfirmed] == "有警告待确认"
    assert states[scenario.refused] == "被拒"
    assert states[scenario.refused_later] == "被拒"
    assert states[scenario.refused_before] == "已报"
    assert scenario.retired not in states
    assert answer["received"] == 4
    assert answer["decisions"] == [2, 1, 1]
    assert answer["parts"][0] >= 1 and answer["parts"][1] >= 1
    assert answer["actuals"][scenario.indicator] == [12.5, "2025-08"]
    assert sum(answer["counts"].values()) > 0


def assert_agrees_with_the_orm_loaded_services(db: Database, scenario: Scenario) -> None:
    """The dashboard's words and its table reads match the 报表填报 view and the services that load entities."""
    period = Period.parse(PERIOD)
    dash = load_dashboard(db, PERIOD, TODAY)
    overview = {s.department_name: s.state.value for s in period_overview(db, PERIOD).statuses}
    assert {d.name: d.state for d in dash.departments} == {
        name: word for name, word in overview.items() if name in {d.name for d in dash.departments}
    }
    assert {overview[scenario.refused], overview[scenario.unconfirmed]} == {"被拒", "有警告待确认"}
    with db.session() as s:
        facts, entities = received_return_facts(s, period), received_returns(s, period)
        assert {k: tuple(v) for k, v in facts.items()} == {
            k: (r.id, r.imported_at, r.warnings_resolved) for k, r in entities.items()
        }
        assert {d.id for d in dash.departments if d.received} == set(entities)
        assert {k: v.at for k, v in latest_refusal_times(s, period).items()} == {
            k: a.at for k, a in latest_refusals(s, period).items()
        }
        assert owing_department_ids(s) == {sc.department.id for sc in owing_scopes(s)[0]}
        assert retired_department_ids(s) == set(successions_in_force(s, date.today())) != set()


def test_the_dashboard_loads_its_period_without_configuring_the_orm(db: Database, db_path: Path) -> None:
    scenario = quarter_with_data(db)
    db.dispose()
    answer = load_in_a_fresh_process(str(db_path))
    assert answer["configured"] == []
    assert_shows_the_quarter(answer, scenario)


def test_the_dashboards_table_reads_agree_with_the_orm_loaded_services(db: Database) -> None:
    assert_agrees_with_the_orm_loaded_services(db, quarter_with_data(db))
