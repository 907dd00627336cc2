"""总览: counts by status, behind-schedule list, returns received, indicator charts; items open their detail."""

from __future__ import annotations

from datetime import date

import pytest

from app.services import projects
from app.storage.db import Database
from app.ui.views.dashboard_view import DashboardView
from tests.ui.desk_helpers import open_loaded, screenshot


@pytest.fixture
def dashboard(qtbot, db: Database) -> DashboardView:
    projects.add_milestone(db, 2, "开工", date(2020, 1, 1))
    view = open_loaded(qtbot, DashboardView, db)
    view.resize(1130, 760)
    return view


def test_status_counts_cover_every_project(dashboard: DashboardView) -> None:
    assert dashboard.status_buttons["未填报"].text() == "未填报\n12"


def test_behind_project_listed_with_reason(dashboard: DashboardView) -> None:
    assert dashboard.behind_model.rowCount() == 1
    assert "开工" in dashboard.behind_model.index(0, 3).data()


def test_behind_project_opens_its_form(dashboard: DashboardView, qtbot) -> None:
    with qtbot.waitSignal(dashboard.open_project) as blocker:
        dashboard.behind_view.activated.emit(dashboard.behind_model.index(0, 1))
    assert blocker.args == [2]


def test_status_button_opens_ledger_filter(dashboard: DashboardView, qtbot) -> None:
    with qtbot.waitSignal(dashboard.open_status) as blocker:
        dashboard.status_buttons["滞后"].click()
    assert blocker.args == ["滞后"]


def test_returns_line_counts_departments(dashboard: DashboardView, qtbot, db: Database) -> None:
    detail = projects.load_project(db, 1)
    projects.update_project(db, 1, detail.version, {"lead_department_id": detail.departments[0][0]})
    with qtbot.waitSignal(dashboard.loaded, timeout=10_000):
        dashboard.refresh()
    assert dashboard.returns_label.text() == "本期已收到 0 / 1 个部门的报表"


def test_set_period_reloads_for_that_period(dashboard: DashboardView, qtbot) -> None:
    with qtbot.waitSignal(dashboard.loaded, timeout=10_000):
        dashboard.set_period("2024-Q4")
    assert dashboard.title.text() == "总览 · 2024年第四季度"


def test_indicator_charts_are_drawn(dashboard: DashboardView, qtbot, artifacts_dir) -> None:
    if not dashboard.canvases:
        with qtbot.waitSignal(dashboard.charts_drawn, timeout=20_000):
            pass
    numeric = [i for i in dashboard.dashboard.indicators if i.target_value is not None]
    assert len(dashboard.canvases) == min(len(numeric), 12) > 0
    dashboard.show()
    screenshot(dashboard, artifacts_dir, "dashboard")


def test_chart_click_opens_indicator(dashboard: DashboardView, qtbot) -> None:
    if not dashboard.canvases:
        with qtbot.waitSignal(dashboard.charts_drawn, timeout=20_000):
            pass
    with qtbot.waitSignal(dashboard.open_indicator):
        canvas = dashboard.canvases[0]
        canvas.button_press_event(10, 10, 1) if hasattr(canvas, "button_press_event") else _click(canvas)


def _click(canvas) -> None:
    from matplotlib.backend_bases import MouseEvent

    MouseEvent("button_press_event", canvas, 10, 10, button=1)._process()


def test_enter_on_behind_list_opens_project_once(dashboard: DashboardView, qtbot) -> None:
    from PySide6.QtCore import Qt

    opened: list[int] = []
    dashboard.open_project.connect(opened.append)
    dashboard.show()
    dashboard.behind_view.setCurrentIndex(dashboard.behind_model.index(0, 0))
    qtbot.keyClick(dashboard.behind_view, Qt.Key.Key_Return)
    assert opened == [2]
