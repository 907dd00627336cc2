"""The ledger, project-editing and dashboard services: locking, audit, members, lag."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from app.domain import credit_code
from app.services import projects
from app.services.dashboard import load_dashboard, period_choices
from app.services.ledger import load_ledger, task_subtree
from app.services.watch import ChangeWatcher
from app.storage.db import Database
from app.storage.errors import KnownError, StaleEditError
from app.storage.models import Project
from app.storage.portfolio import read_portfolio

VALID_CODE = "91220101MA0000000" + credit_code.check_character("91220101MA0000000")


def _programme_id(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(Project.id).where(Project.kind == "programme").order_by(Project.id).limit(1))


def test_ledger_lists_every_seeded_project(db: Database) -> None:
    ledger = load_ledger(db, "2025-Q3")
    assert {r.code for r in ledger.rows} >= {"ZD01", "JH04"}
    assert ledger.documents and ledger.tasks


def test_task_subtree_contains_descendants(db: Database) -> None:
    ledger = load_ledger(db)
    section = next(t for t in ledger.tasks if t.parent_id is None)
    subtree = task_subtree(ledger.tasks, section.id)
    assert any(t.parent_id == section.id and t.id in subtree for t in ledger.tasks)


def test_update_project_writes_audit_entry(db: Database) -> None:
    version = projects.load_project(db, 1).version
    projects.update_project(db, 1, version, {"region": "长春市"})
    audit = projects.audit_for_project(db, 1)
    assert (audit[0].field, audit[0].old_value, audit[0].new_value) == ("region", "", "长春市")
    assert audit[0].user


def test_update_project_bumps_version(db: Database) -> None:
    version = projects.load_project(db, 1).version
    assert projects.update_project(db, 1, version, {"status": "在建"}) == version + 1


def test_stale_edit_is_refused_and_not_written(db: Database, db_path) -> None:
    version = projects.load_project(db, 1).version
    other = Database(db_path)
    projects.update_project(other, 1, version, {"region": "吉林市"})
    other.dispose()
    with pytest.raises(StaleEditError):
        projects.update_project(db, 1, version, {"region": "长春市"})
    assert projects.load_project(db, 1).values["region"] == "吉林市"


def test_duplicate_project_code_is_refused(db: Database) -> None:
    assert "code" in projects.check_project_values(db, 1, {"code": "ZD02"})


def test_member_with_bad_check_character_is_refused(db: Database) -> None:
    pid = _programme_id(db)
    bad = VALID_CODE[:17] + ("0" if VALID_CODE[17] != "0" else "1")
    with pytest.raises(KnownError, match="校验位"):
        projects.add_member(db, pid, "吉林某科技有限公司", bad)


def test_member_add_and_delete_are_audited(db: Database) -> None:
    pid = _programme_id(db)
    member = projects.add_member(db, pid, "吉林某科技有限公司", VALID_CODE, "长春市", 2024)
    projects.delete_member(db, member.id, member.version)
    actions = [a.action for a in projects.audit_for_project(db, pid)]
    assert actions[0] == "delete" and "create" in actions


def test_milestone_edit_is_version_checked(db: Database) -> None:
    row = projects.add_milestone(db, 1, "开工", date(2024, 3, 1))
    projects.update_milestone(db, row.id, row.version, {"actual_date": date(2024, 3, 5)})
    with pytest.raises(StaleEditError):
        projects.update_milestone(db, row.id, row.version, {"name": "开工仪式"})


def test_overdue_milestone_marks_project_behind(db: Database) -> None:
    projects.add_milestone(db, 1, "开工", date(2024, 3, 1))
    row = next(r for r in load_ledger(db, today=date(2025, 1, 1)).rows if r.id == 1)
    assert row.behind and "开工" in row.lag_reasons[0]


def test_parse_date_accepts_chinese_form() -> None:
    assert projects.parse_date("2025年3月31日") == date(2025, 3, 31)


def test_parse_date_rejects_impossible_date() -> None:
    with pytest.raises(ValueError):
        projects.parse_date("2025-02-30")


def test_dashboard_counts_every_project_by_status(db: Database) -> None:
    dash = load_dashboard(db, "2025-Q3")
    assert sum(dash.status_counts.values()) == dash.project_total == len(read_portfolio()["projects"])


def test_period_choices_start_with_latest_closed_quarter(db: Database) -> None:
    assert period_choices(db, date(2025, 11, 1))[0][0] == "2025-Q3"


def test_watcher_sees_commit_from_other_connection(db: Database, db_path) -> None:
    watcher = ChangeWatcher(db_path)
    assert not watcher.changed()
    with db.session() as s:
        s.execute(update(Project).where(Project.id == 1).values(notes="x"))
    assert watcher.changed()
    assert not watcher.changed()
    watcher.close()


def test_has_portfolio_true_for_seeded_file(db_path) -> None:
    from app.services.startup import has_portfolio

    assert has_portfolio(db_path)


def test_has_portfolio_false_for_missing_file(tmp_path) -> None:
    from app.services.startup import has_portfolio

    assert not has_portfolio(tmp_path / "none.db")


def test_complete_builtin_portfolio_adds_nothing_to_seeded_db(db: Database) -> None:
    from app.services.startup import complete_builtin_portfolio

    assert complete_builtin_portfolio(db) == 0


def test_lag_is_judged_at_period_end(db: Database) -> None:
    projects.add_milestone(db, 1, "开工", date(2024, 3, 1))
    before = next(r for r in load_ledger(db, "2023-Q4").rows if r.id == 1)
    after = next(r for r in load_ledger(db, "2024-Q2").rows if r.id == 1)
    assert not before.behind and after.behind
