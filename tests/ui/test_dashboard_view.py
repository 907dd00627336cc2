"""总览: counts by status, behind-schedule list, returns received, indicator charts; items open their detail."""

from __future__ import annotations

from datetime import date

import pytest

from app.services import projects
from app.storage.db import Database
from app.ui.views.dashboard_view import DashboardView
from tests.returns.outdata import build_scenario
from tests.ui.desk_helpers import open_loaded, screenshot

# Exact scenarios on the first twelve projects (see tests/first_portfolio.py).
pytestmark = pytest.mark.usefixtures("first_portfolio")

# What the dashboard gets inside a 1280×800 main window (side bar, menus, tool bar and status bar taken off).
DEFAULT_VIEW_SIZE = (1124, 723)


@pytest.fixture
def dashboard(qtbot, db: Database) -> DashboardView:
    projects.add_milestone(db, 2, "开工", date(2020, 1, 1))
    view = open_loaded(qtbot, DashboardView, db)
    view.resize(*DEFAULT_VIEW_SIZE)
    return view


def _charts_drawn(view: DashboardView, qtbot) -> None:
    if not view.canvases:
        with qtbot.waitSignal(view.charts_drawn, timeout=20_000):
            pass


def _fully_visible(widget, root) -> bool:
    """True when ``widget`` lies wholly inside ``root`` and inside any scroll area's viewport on the way."""
    from PySide6.QtCore import QPoint, QRect

    rect = QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())
    if not root.rect().contains(rect):
        return False
    area = root.charts_scroll.viewport()
    if area.isAncestorOf(widget):
        return QRect(area.mapTo(root, QPoint(0, 0)), area.size()).contains(rect)
    return True


def _assert_everything_fits(view: DashboardView) -> None:
    assert view.charts_scroll.verticalScrollBar().maximum() == 0
    assert view.charts_scroll.horizontalScrollBar().maximum() == 0
    for widget in [*view.status_buttons.values(), view.behind_view, view.returns_label, *view.canvases]:
        assert _fully_visible(widget, view), widget


def test_status_counts_cover_every_project(dashboard: DashboardView) -> None:
    assert dashboard.status_buttons["未填报"].text() == "未填报  12"


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
    # The 20 departments the 2018 plan names owe their task parts; the project's department is one of them.
    assert dashboard.returns_label.text() == "本期已收到 0 / 18 个部门的报表"


def test_set_period_reloads_for_that_period(dashboard: DashboardView, qtbot) -> None:
    with qtbot.waitSignal(dashboard.loaded, timeout=10_000):
        dashboard.set_period("2024-Q4")
    assert dashboard.title.text() == "总览 · 2024年第四季度"


def test_indicator_charts_are_drawn(dashboard: DashboardView, qtbot) -> None:
    _charts_drawn(dashboard, qtbot)
    numeric = [i for i in dashboard.dashboard.indicators if i.target_value is not None]
    assert len(dashboard.canvases) == min(len(numeric), 12) > 0


def test_default_window_shows_counts_lists_and_every_chart_without_scrolling(
    dashboard: DashboardView, qtbot, artifacts_dir
) -> None:
    dashboard.show()
    _charts_drawn(dashboard, qtbot)
    qtbot.wait(50)
    _assert_everything_fits(dashboard)
    screenshot(dashboard, artifacts_dir, "dashboard")


def test_dashboard_with_imported_returns_still_fits_default_window(qtbot, db: Database, artifacts_dir) -> None:
    build_scenario(db)
    view = DashboardView(db)
    qtbot.addWidget(view)
    view.resize(*DEFAULT_VIEW_SIZE)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.set_period("2025-Q3")
    view.show()
    _charts_drawn(view, qtbot)
    qtbot.wait(50)
    assert view.dashboard is not None and view.dashboard.returns_received > 0
    _assert_everything_fits(view)
    screenshot(view, artifacts_dir, "dashboard_with_returns")


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


def test_period_without_lagging_projects_says_so(dashboard: DashboardView, qtbot) -> None:
    dashboard.show()
    assert not dashboard.behind_none.isVisible()
    with qtbot.waitSignal(dashboard.loaded, timeout=10_000):
        dashboard.set_period("2019-Q4")  # before the milestone fell due
    assert dashboard.behind_model.rowCount() == 0
    assert dashboard.behind_none.isVisible()
