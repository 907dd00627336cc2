"""The Gantt view: zoom levels (screenshots), grouping, drag-edits with undo and audit, baselines, Ctrl+wheel."""

from __future__ import annotations

import sys
import types
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select, update

from app.domain.timeline import Zoom
from app.services import gantt as service
from app.services.gantt import Grouping
from app.storage.db import Database
from app.storage.models import AuditEntry, Milestone, Project
from app.ui.views.gantt_view import GanttView
from tests.gantt_sample import TODAY, add_sample_schedules
from tests.ui.desk_helpers import settle

# Exact scenarios on the first twelve projects (see tests/first_portfolio.py).
pytestmark = pytest.mark.usefixtures("first_portfolio")


@pytest.fixture
def view(qtbot, db: Database, monkeypatch) -> GanttView:  # type: ignore[no-untyped-def]
    # A modal warning would hang an offscreen test: fail instead (tests that expect one patch it themselves).
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: pytest.fail(f"unexpected warning: {a[2]}"))
    add_sample_schedules(db)
    v = GanttView(db)
    qtbot.addWidget(v)
    v.resize(1400, 640)
    v.today = TODAY
    with qtbot.waitSignal(v.loaded, timeout=10_000):
        v.refresh()
    v.show()
    qtbot.waitExposed(v)
    return v


def _row_index(view: GanttView, code: str) -> int:
    assert view.data is not None
    return next(i for i, r in enumerate(view.data.rows) if r.code == code)


def _drag(qtbot, view: GanttView, start: QPoint, end: QPoint) -> None:  # type: ignore[no-untyped-def]
    vp = view.chart.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    mid = QPoint((start.x() + end.x()) // 2, start.y())
    qtbot.mouseMove(vp, mid)
    qtbot.mouseMove(vp, end)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)


@pytest.mark.parametrize("zoom", list(Zoom))
def test_each_zoom_level_draws_its_chinese_header(qtbot, view: GanttView, artifacts_dir: Path, zoom: Zoom) -> None:  # type: ignore[no-untyped-def]
    view.chart.set_zoom(zoom)
    view.chart.scroll_to_date(TODAY)
    assert view.chart.timeline.zoom is zoom
    assert view.zoom_actions[zoom].isChecked()
    top, bottom = view.chart.timeline.header(0, view.chart.timeline.width)
    expected = {Zoom.WEEK: "日", Zoom.MONTH: "月", Zoom.QUARTER: "季度", Zoom.YEAR: "年"}[zoom]
    assert all(c.label.endswith(expected) for c in bottom)
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    assert view.grab().save(str(shots / f"gantt_{zoom.value}.png"))
    if zoom is Zoom.MONTH:
        assert view.grab().save(str(shots / "gantt.png"))


def test_grouping_by_department_puts_a_heading_over_its_rows(view: GanttView) -> None:
    view.grouping.setCurrentIndex(view.grouping.findData(Grouping.DEPARTMENT))
    lines = view.chart.painter.lines  # type: ignore[union-attr]
    headings = [ln.label for ln in lines if ln.is_group]
    assert "省通信管理局" in headings and "省发展改革委" in headings
    telecom = headings.index("省通信管理局")
    assert [ln for ln in lines if ln.is_group][telecom].count == 3


def test_clicking_a_group_heading_collapses_and_expands_it(qtbot, view: GanttView) -> None:  # type: ignore[no-untyped-def]
    view.grouping.setCurrentIndex(view.grouping.findData(Grouping.DEPARTMENT))
    chart = view.chart
    before = len(chart.painter.lines)  # type: ignore[union-attr]
    pos = QPoint(40, int(chart.style_.header_height + chart.style_.row_height / 2))
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    collapsed = len(chart.painter.lines)  # type: ignore[union-attr]
    assert collapsed < before
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert len(chart.painter.lines) == before  # type: ignore[union-attr]


def test_dragging_a_bar_end_saves_the_plan_and_undo_restores_it_with_both_audited(qtbot, view: GanttView) -> None:  # type: ignore[no-untyped-def]
    chart = view.chart
    chart.set_zoom(Zoom.MONTH)
    row = _row_index(view, "ZD06")
    line = chart.line_of_row(row)
    end = date(2026, 3, 31)
    chart.scroll_to_date(end)
    chart.scroll_to_line(line)
    start = chart.body_point(end + timedelta(days=1), line)
    start.setX(int(round(start.x() - chart.timeline.px_per_day / 2)))  # the bar's right edge
    target = QPoint(start.x() + int(30 * chart.timeline.px_per_day), start.y())
    _drag(qtbot, view, start, target)
    settle()
    with view.database.session() as s:
        moved = s.scalar(select(Project.planned_end).where(Project.code == "ZD06"))
        assert moved is not None and (moved - end).days == 30
    assert view.undo_stack.count() == 1
    view.undo_stack.undo()
    settle()
    with view.database.session() as s:
        assert s.scalar(select(Project.planned_end).where(Project.code == "ZD06")) == end
        audit = s.execute(
            select(AuditEntry.old_value, AuditEntry.new_value).where(AuditEntry.field == "planned_end")
        ).all()
    assert audit == [(end.isoformat(), moved.isoformat()), (moved.isoformat(), end.isoformat())]
    assert view.data.rows[row].planned_end == end  # type: ignore[union-attr]


def test_dragging_a_milestone_moves_its_planned_date_and_undo_redo_follow(qtbot, view: GanttView) -> None:  # type: ignore[no-untyped-def]
    chart = view.chart
    chart.set_zoom(Zoom.WEEK)
    row = _row_index(view, "ZD07")
    line = chart.line_of_row(row)
    planned = date(2026, 3, 31)  # 坐席上线, not done yet
    chart.scroll_to_date(planned)
    chart.scroll_to_line(line)
    start = chart.body_point(planned, line)
    target = QPoint(start.x() + int(14 * chart.timeline.px_per_day), start.y())
    _drag(qtbot, view, start, target)
    settle()
    with view.database.session() as s:
        new = s.scalar(select(Milestone.planned_date).where(Milestone.name == "坐席上线"))
    assert new == planned + timedelta(days=14)
    view.undo_stack.undo()
    settle()
    view.undo_stack.redo()
    settle()
    with view.database.session() as s:
        assert s.scalar(select(Milestone.planned_date).where(Milestone.name == "坐席上线")) == new
        assert s.scalar(select(Milestone.version).where(Milestone.name == "坐席上线")) == 4


def test_an_edit_on_a_stale_row_is_refused_in_chinese(qtbot, view: GanttView, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    with view.database.session() as s:
        s.execute(update(Project).where(Project.code == "ZD06").values(version=Project.version + 1))
    row = _row_index(view, "ZD06")
    view.chart.span_dragged.emit(row, date(2024, 4, 1), date(2026, 3, 31), date(2024, 4, 1), date(2026, 5, 31))
    settle()
    assert shown and "刚被其他人修改" in shown[0]
    assert view.undo_stack.count() == 0


def test_ctrl_wheel_zooms_in_around_the_cursor(view: GanttView) -> None:
    chart = view.chart
    chart.set_zoom(Zoom.QUARTER)
    before = chart.timeline.px_per_day
    pos = QPointF(chart.style_.name_width + 200, 100)
    event = QWheelEvent(
        pos,
        chart.viewport().mapToGlobal(pos),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(chart.viewport(), event)
    assert chart.timeline.px_per_day == pytest.approx(before * 1.25**2)


def test_fit_to_window_shows_the_whole_range(view: GanttView) -> None:
    view.fit_action.trigger()
    assert view.chart.timeline.width <= view.chart.body_width
    assert view.chart.horizontalScrollBar().maximum() == 0


def test_tooltip_of_a_late_project_gives_the_reason(view: GanttView) -> None:
    painter = view.chart.painter
    assert painter is not None
    row = _row_index(view, "ZD04")
    line = view.chart.line_of_row(row)
    hit = painter.hit(-100, painter.geometry.y_of(line) + 20)
    assert hit is not None and hit.row == row
    text = painter.tooltip(hit)
    assert "滞后原因" in text and "开工" in text and "逾期" in text


def test_saved_baseline_shows_and_lists_the_slip_after_an_edit(qtbot, view: GanttView, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.save_baseline("2025年初计划")
    assert view.baseline_combo.currentText() == "2025年初计划"
    assert view.data.baseline is not None and view.chart.painter.show_baseline  # type: ignore[union-attr]
    row = _row_index(view, "ZD04")
    view.chart.span_dragged.emit(row, date(2024, 7, 1), date(2027, 12, 31), date(2024, 7, 1), date(2028, 3, 31))
    settle()
    slips = service.baseline_slips(view.database, view.baseline_id(), view.selection())  # type: ignore[arg-type]
    assert [(s.project_code, s.item, s.days) for s in slips] == [("ZD04", "计划完成", 91)]
    view.chart.set_zoom(Zoom.QUARTER)
    view.chart.scroll_to_date(date(2024, 1, 1))
    (artifacts_dir / "screenshots").mkdir(parents=True, exist_ok=True)
    assert view.grab().save(str(artifacts_dir / "screenshots" / "gantt_baseline.png"))


def test_double_click_opens_the_project_form(qtbot, view: GanttView, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    opened: list[int] = []

    class FakeForm:
        def __init__(self, database, project_id, parent=None, period_key=None):  # type: ignore[no-untyped-def]
            opened.append(project_id)

        def exec(self) -> int:
            return 0

    module = types.ModuleType("app.ui.dialogs.project_form")
    module.ProjectFormDialog = FakeForm  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.ui.dialogs.project_form", module)
    chart = view.chart
    row = _row_index(view, "ZD03")
    line = chart.line_of_row(row)
    chart.scroll_to_line(line)
    pos = chart.body_point(TODAY, line)
    pos.setX(60)
    qtbot.mouseDClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert opened == [view.data.rows[row].project_id]  # type: ignore[union-attr]


def test_view_exports_pdf_with_its_paper_and_page_width_and_a_png(view: GanttView, tmp_path: Path) -> None:
    view.paper.setCurrentText("A3")
    view.pages_wide.setValue(2)
    assert view.export_pdf(str(tmp_path / "g.pdf")) == 2
    assert "共 2 页" in view.status.text()
    assert view.export_png(str(tmp_path / "g.png"))
    assert (tmp_path / "g.png").stat().st_size > 10_000


def test_a_very_long_print_asks_first(view: GanttView, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def no(_parent, _title, text, *args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", no)
    view.data.rows = view.data.rows * 40  # type: ignore[union-attr]
    view.chart.set_zoom(Zoom.WEEK)
    view.pages_wide.setValue(0)  # at the screen's scale, not fitted to the page width
    assert view.export_pdf(str(tmp_path / "long.pdf")) == 0
    assert asked and "页" in asked[0]
    assert not (tmp_path / "long.pdf").exists()


def test_print_preview_renders_the_same_pages_as_the_pdf_export(view: GanttView, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    from tests.ui.test_gantt_export import pdf_pages_text

    opened: list[QPrintPreviewDialog] = []
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    view.pages_wide.setValue(3)
    view.print_preview()
    assert opened and opened[0].windowTitle().startswith("打印预览")
    printer = view._printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printed = view.render_to(printer)
    exported = view.export_pdf(str(tmp_path / "export.pdf"))
    assert printed == exported == 3
    assert len(pdf_pages_text(tmp_path / "printed.pdf")) == 3


def test_shift_wheel_scrolls_in_time_and_today_brings_today_back(view: GanttView) -> None:
    chart = view.chart
    chart.set_zoom(Zoom.WEEK)
    h = chart.horizontalScrollBar()
    before = h.value()
    pos = QPointF(chart.style_.name_width + 100, 100)
    event = QWheelEvent(
        pos,
        chart.viewport().mapToGlobal(pos),
        QPoint(0, 0),
        QPoint(0, -240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ShiftModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(chart.viewport(), event)
    assert h.value() == before + 240
    view.today_action.trigger()
    today_x = chart.timeline.x_of(TODAY) - h.value()
    assert 0 < today_x < chart.body_width / 2


def test_deleting_the_selected_baseline_after_confirmation(qtbot, view: GanttView, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.save_baseline("2025年初计划")
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.delete_baseline_action.trigger()
    assert view.baseline_combo.count() == 1 and view.baseline_id() is None
    assert view.data is not None and view.data.baseline is None


def test_picking_a_department_narrows_the_chart(qtbot, view: GanttView) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: bool(view._choices), timeout=10_000)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.selection_kind.setCurrentIndex(view.selection_kind.findData("department"))
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.selection_value.setCurrentText("省通信管理局")
        view.selection_value.activated.emit(view.selection_value.currentIndex())
    assert view.data is not None and [r.code for r in view.data.rows] == ["ZD06", "ZD07", "ZD08"]
    assert "牵头单位：省通信管理局" in view.status.text()


def test_two_edits_of_one_project_undo_in_turn(view: GanttView) -> None:
    row = _row_index(view, "ZD06")
    start, end = date(2024, 4, 1), date(2026, 3, 31)
    view.chart.span_dragged.emit(row, start, end, start, date(2026, 4, 30))
    settle()
    view.chart.span_dragged.emit(row, start, date(2026, 4, 30), start, date(2026, 5, 31))
    settle()
    view.undo_stack.undo()
    settle()
    view.undo_stack.undo()
    settle()
    with view.database.session() as s:
        assert s.scalar(select(Project.planned_end).where(Project.code == "ZD06")) == end
        assert s.scalar(select(Project.version).where(Project.code == "ZD06")) == 5
    view.undo_stack.redo()
    settle()
    view.undo_stack.redo()
    settle()
    with view.database.session() as s:
        assert s.scalar(select(Project.planned_end).where(Project.code == "ZD06")) == date(2026, 5, 31)


def test_set_period_shades_another_reporting_period(qtbot, view: GanttView) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.set_period("2025-Q3")
    assert view.data is not None
    assert (view.data.period_start, view.data.period_end) == (date(2025, 7, 1), date(2025, 9, 30))
    assert "2025年第三季度" in view.status.text()


def test_slips_dialog_lists_each_moved_date(qtbot, view: GanttView, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from app.ui.views.gantt_view import SlipsDialog

    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.save_baseline("2025年初计划")
    row = _row_index(view, "ZD04")
    view.chart.span_dragged.emit(row, date(2024, 7, 1), date(2027, 12, 31), date(2024, 9, 1), date(2028, 3, 31))
    settle()
    slips = service.baseline_slips(view.database, view.baseline_id(), view.selection())  # type: ignore[arg-type]
    dialog = SlipsDialog("2025年初计划", slips, view)
    qtbot.addWidget(dialog)
    model = dialog.model
    cells = [[model.item(r, c).text() for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert cells == [
        ["ZD04", "中国北方云基地白城云计算中心", "计划完成", "2027-12-31", "2028-03-31", "推迟 91"],
        ["ZD04", "中国北方云基地白城云计算中心", "计划开始", "2024-07-01", "2024-09-01", "推迟 62"],
    ]
    dialog.show()
    assert dialog.grab().save(str(artifacts_dir / "screenshots" / "gantt_slips.png"))


def test_closing_a_view_while_it_loads_is_harmless(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    from app.ui.tasks import database_pool

    view = GanttView(db)
    view.deleteLater()
    del view
    qtbot.wait(10)
    assert database_pool().waitForDone(10_000)
    qtbot.wait(50)  # the finished job's signal is delivered (or dropped) here


def test_plans_are_drawn_before_progress_arrives(qtbot, view: GanttView) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[bool, str, bool]] = []

    def at_plans() -> None:
        row = next(r for r in view.data.rows if r.code == "ZD05")  # type: ignore[union-attr]
        seen.append((view.data.progress_loaded, view.status.text(), row.actual_start is None))  # type: ignore[union-attr]

    view.plans_shown.connect(at_plans)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    assert seen == [(False, "全部项目：共 12 个项目；正在载入实际进度……", True)]
    zd05 = next(r for r in view.data.rows if r.code == "ZD05")  # type: ignore[union-attr]
    assert view.data.progress_loaded and zd05.actual_start == date(2025, 1, 1)  # type: ignore[union-attr]
    assert any("形象进度" in reason for reason in zd05.lag_reasons)


def test_scope_value_box_says_what_to_choose(view: GanttView) -> None:  # type: ignore[no-untyped-def]
    line_edit = view.selection_value.lineEdit()
    assert not view.selection_value.isEnabled() and line_edit.placeholderText() == "（无需选择）"
    view.selection_kind.setCurrentIndex(view.selection_kind.findData("department"))
    assert view.selection_value.isEnabled() and line_edit.placeholderText() == "选择牵头单位…"


def _bar_middle(view: GanttView, row: int) -> QPoint:
    """A point on the planned bar's middle that is neither an end nor a milestone (scrolled into view)."""
    chart = view.chart
    plan = view.data.rows[row]  # type: ignore[union-attr]
    assert plan.planned_start and plan.planned_end
    line = chart.line_of_row(row)
    chart.scroll_to_line(line)
    middle = plan.planned_start + (plan.planned_end - plan.planned_start) / 2
    chart.scroll_to_date(middle)
    for offset in range(0, 200, 3):
        for day in (middle + timedelta(days=offset), middle - timedelta(days=offset)):
            pos = chart.body_point(day, line)
            hit, _ = chart.hit_at(pos)
            if hit is not None and hit.kind == "bar":
                return pos
    raise AssertionError("no free spot on the bar")


def test_dragging_a_bar_middle_shifts_start_and_end_together_in_one_undo_step(qtbot, view: GanttView) -> None:  # type: ignore[no-untyped-def]
    chart = view.chart
    chart.set_zoom(Zoom.MONTH)
    row = _row_index(view, "ZD06")
    old_start, old_end = view.data.rows[row].planned_start, view.data.rows[row].planned_end  # type: ignore[union-attr]
    assert old_start and old_end
    grab = _bar_middle(view, row)
    target = QPoint(grab.x() + int(round(45 * chart.timeline.px_per_day)), grab.y())
    _drag(qtbot, view, grab, target)
    settle()
    with view.database.session() as s:
        start, end = s.execute(select(Project.planned_start, Project.planned_end).where(Project.code == "ZD06")).one()
        assert (start - old_start).days == (end - old_end).days == 45
        audited = set(s.scalars(select(AuditEntry.field).where(AuditEntry.entity == "project")))
    assert audited == {"planned_start", "planned_end"}
    assert view.undo_stack.count() == 1
    assert "平移" in view.undo_stack.undoText()
    view.undo_stack.undo()
    settle()
    with view.database.session() as s:
        back = s.execute(select(Project.planned_start, Project.planned_end).where(Project.code == "ZD06")).one()
    assert tuple(back) == (old_start, old_end)
    assert (view.data.rows[row].planned_start, view.data.rows[row].planned_end) == (old_start, old_end)  # type: ignore[union-attr]


def test_dragging_a_bar_of_a_project_changed_elsewhere_is_refused(qtbot, view: GanttView, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    chart = view.chart
    chart.set_zoom(Zoom.MONTH)
    row = _row_index(view, "ZD06")
    old = (view.data.rows[row].planned_start, view.data.rows[row].planned_end)  # type: ignore[union-attr]
    with view.database.session() as s:
        s.execute(update(Project).where(Project.code == "ZD06").values(version=Project.version + 1))
    grab = _bar_middle(view, row)
    _drag(qtbot, view, grab, QPoint(grab.x() + int(round(45 * chart.timeline.px_per_day)), grab.y()))
    settle()
    assert shown and "刚被其他人修改" in shown[0]
    assert view.undo_stack.count() == 0
    with view.database.session() as s:
        now = s.execute(select(Project.planned_start, Project.planned_end).where(Project.code == "ZD06")).one()
    assert tuple(now) == old


def test_down_and_up_keys_move_the_row_selection_past_group_headings(
    qtbot, view: GanttView, artifacts_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    view.grouping.setCurrentIndex(view.grouping.findData(Grouping.DEPARTMENT))
    chart = view.chart
    chart.setFocus()
    lines = chart.painter.lines  # type: ignore[union-attr]
    projects = [ln.row for ln in lines if not ln.is_group]
    assert lines[0].is_group
    qtbot.keyClick(chart, Qt.Key.Key_Down)
    assert chart.painter.selected_row == projects[0]  # type: ignore[union-attr]
    second_heading = next(i for i, ln in enumerate(lines) if ln.is_group and i > 0)
    for _ in range(second_heading - 1):  # walk down to the first row of the second group, over its heading
        qtbot.keyClick(chart, Qt.Key.Key_Down)
    assert chart.painter.selected_row == lines[second_heading + 1].row  # type: ignore[union-attr]
    qtbot.keyClick(chart, Qt.Key.Key_Up)
    assert chart.painter.selected_row == lines[second_heading - 1].row  # type: ignore[union-attr]
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    view.grab().save(str(shots / "gantt_keyboard_selection.png"))


def test_down_key_scrolls_the_selected_row_into_view(qtbot, view: GanttView) -> None:  # type: ignore[no-untyped-def]
    chart = view.chart
    chart.resize(chart.width(), 200)  # only a few lines fit
    chart.setFocus()
    count = len(chart.painter.lines)  # type: ignore[union-attr]
    for _ in range(count + 2):  # past the last line: the selection stays on it
        qtbot.keyClick(chart, Qt.Key.Key_Down)
    last = chart.painter.lines[-1]  # type: ignore[union-attr]
    assert chart.painter.selected_row == last.row  # type: ignore[union-attr]
    v = chart.verticalScrollBar()
    assert v.value() == v.maximum() > 0


def test_enter_opens_the_project_form_of_the_row_selected_by_keyboard(qtbot, view: GanttView, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    opened: list[int] = []

    class FakeForm:
        def __init__(self, database, project_id, parent=None, period_key=None):  # type: ignore[no-untyped-def]
            opened.append(project_id)

        def exec(self) -> int:
            return 0

    module = types.ModuleType("app.ui.dialogs.project_form")
    module.ProjectFormDialog = FakeForm  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.ui.dialogs.project_form", module)
    chart = view.chart
    chart.verticalScrollBar().setValue(0)
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Down)
    qtbot.keyClick(chart, Qt.Key.Key_Down)
    second = [ln.row for ln in chart.painter.lines if not ln.is_group][1]  # type: ignore[union-attr]
    assert chart.painter.selected_row == second  # type: ignore[union-attr]
    qtbot.keyClick(chart, Qt.Key.Key_Return)
    assert opened == [view.data.rows[second].project_id]  # type: ignore[union-attr]


def test_left_and_right_keys_scroll_in_time(qtbot, view: GanttView) -> None:  # type: ignore[no-untyped-def]
    chart = view.chart
    chart.set_zoom(Zoom.WEEK)
    chart.setFocus()
    h = chart.horizontalScrollBar()
    h.setValue(h.maximum() // 2)
    middle = h.value()
    qtbot.keyClick(chart, Qt.Key.Key_Right)
    assert h.value() > middle
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    assert h.value() < middle


def test_choosing_another_working_period_shades_it_and_scrolls_to_it(qtbot, view: GanttView) -> None:  # type: ignore[no-untyped-def]
    chart = view.chart
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.set_period("2024-Q1")
    start_x = chart.timeline.x_of(date(2024, 1, 1)) - chart.horizontalScrollBar().value()
    assert 0 <= start_x < chart.body_width  # the period is on screen, not today (2025-11)
    assert view.data is not None and view.data.period_label == "2024年第一季度"


def test_dragging_a_bar_end_shows_the_date_under_the_cursor(qtbot, view: GanttView, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    chart = view.chart
    chart.set_zoom(Zoom.MONTH)
    row = _row_index(view, "ZD06")
    line = chart.line_of_row(row)
    end = date(2026, 3, 31)
    chart.scroll_to_date(end)
    chart.scroll_to_line(line)
    start = chart.body_point(end + timedelta(days=1), line)
    start.setX(int(round(start.x() - chart.timeline.px_per_day / 2)))
    target = QPoint(start.x() + int(30 * chart.timeline.px_per_day), start.y())
    vp = chart.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(vp, target)
    moved = chart.data.rows[row].planned_end  # type: ignore[union-attr]
    assert chart.drag_text == f"计划完工 {moved:%Y-%m-%d}（+30 天）"
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    assert view.grab().save(str(shots / "gantt-drag-dates.png"))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=target)
    assert chart.drag_text == ""
    settle()
