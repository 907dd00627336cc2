"""Main window: shortcuts switch views, a view that fails to start says why, period, undo, changes, files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from app.services import projects
from app.storage.db import Database
from app.storage.portfolio import read_portfolio
from app.ui import main_window as mw
from app.ui.main_window import VIEWS, BrokenViewPage, MainWindow, ViewSpec
from app.ui.settings import Settings
from tests.ui.desk_helpers import LOAD_TIMEOUT_MS, activate, screenshot, settle


@pytest.fixture
def window(qtbot, db: Database) -> MainWindow:
    win = MainWindow(db)
    settle()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    yield win
    win.close()


def _loaded_view(qtbot, window: MainWindow, key: str):
    view = window.view(key)
    if getattr(view, "ledger", True) is None or getattr(view, "dashboard", True) is None:
        with qtbot.waitSignal(view.loaded, timeout=LOAD_TIMEOUT_MS):
            pass
    return window.show_view(key)


@pytest.mark.parametrize("number, key", [(n + 1, spec.key) for n, spec in enumerate(VIEWS)])
def test_ctrl_number_switches_view(window: MainWindow, qtbot, number: int, key: str) -> None:
    activate(qtbot, window)
    other = "ledger" if key == "dashboard" else "dashboard"
    window.show_view(other)
    qtbot.keyClick(window, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == key


def test_a_view_that_fails_to_start_leaves_the_window_usable(window: MainWindow, monkeypatch) -> None:
    def broken(_database: Database) -> None:
        raise RuntimeError("数据库已损坏")

    spec = ViewSpec("gantt", "甘特图", broken, "Ctrl+3", "甘特图")  # type: ignore[arg-type]
    monkeypatch.setattr(mw, "VIEWS", tuple(spec if s.key == "gantt" else s for s in VIEWS))
    page = window.show_view("gantt")
    assert isinstance(page, BrokenViewPage)
    assert window.show_view("ledger") is not page


def test_a_missing_view_module_fails_loudly_instead_of_hiding(window: MainWindow, monkeypatch) -> None:
    def renamed(_database: Database) -> None:
        from app.ui.views import no_such_view  # type: ignore[attr-defined]  # noqa: F401

    spec = ViewSpec("gantt", "甘特图", renamed, "Ctrl+3", "甘特图")  # type: ignore[arg-type]
    monkeypatch.setattr(mw, "VIEWS", tuple(spec if s.key == "gantt" else s for s in VIEWS))
    with pytest.raises(ImportError):
        window.show_view("gantt")


def test_ctrl_f_focuses_ledger_search(window: MainWindow, qtbot) -> None:
    activate(qtbot, window)
    ledger = _loaded_view(qtbot, window, "ledger")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert ledger.search.hasFocus()


def test_status_bar_names_database_and_period(window: MainWindow, db: Database) -> None:
    assert str(db.path) in window.db_label.text()
    assert window.period_combo.currentText().endswith("季度")


def test_period_choice_reaches_views_and_is_remembered(window: MainWindow, qtbot) -> None:
    dashboard = _loaded_view(qtbot, window, "dashboard")
    key = window.period_combo.itemData(2)
    with qtbot.waitSignal(dashboard.loaded, timeout=LOAD_TIMEOUT_MS):
        window.set_period(key)
    assert dashboard.period_key == key
    assert Settings().last_period == key


def test_undo_group_follows_current_view(window: MainWindow, qtbot) -> None:
    ledger = _loaded_view(qtbot, window, "ledger")
    assert window.undo_group.activeStack() is ledger.undo_stack


def test_external_change_refreshes_current_view(window: MainWindow, qtbot, db_path: Path) -> None:
    ledger = _loaded_view(qtbot, window, "ledger")
    other = Database(db_path)
    projects.update_project(other, 1, projects.load_project(other, 1).version, {"region": "四平市"})
    other.dispose()
    assert window.check_for_changes()
    qtbot.waitUntil(lambda: ledger.model.rows[ledger.model.row_of(1)].region == "四平市", timeout=LOAD_TIMEOUT_MS)


def test_status_click_on_dashboard_filters_ledger(window: MainWindow, qtbot) -> None:
    _loaded_view(qtbot, window, "dashboard")
    ledger = window.view("ledger")
    with qtbot.waitSignal(ledger.loaded, timeout=LOAD_TIMEOUT_MS):
        pass
    window.show_ledger_status("未填报")
    assert window.current_key() == "ledger"
    assert ledger.status.currentText() == "未填报"


def test_backup_writes_a_readable_copy(window: MainWindow, qtbot, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "backup.db"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.backup_database()
    qtbot.waitUntil(lambda: not window.busy.isVisible() and target.exists(), timeout=LOAD_TIMEOUT_MS)
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM projects").fetchone()[0] == len(read_portfolio()["projects"])


def test_open_database_switches_and_is_remembered(window: MainWindow, qtbot, seeded_template: Path, tmp_path) -> None:
    other = tmp_path / "other.db"
    other.write_bytes(seeded_template.read_bytes())
    with qtbot.waitSignal(window.database_switched, timeout=LOAD_TIMEOUT_MS):
        window.switch_database(str(other))
    assert window.database.path == other.resolve()
    assert Settings().recent_databases[0] == str(other.resolve())


def test_window_layout_is_remembered(window: MainWindow, qtbot, db: Database) -> None:
    window.show_view("ledger")
    window.close()
    again = MainWindow(db)
    qtbot.addWidget(again)
    assert again.current_key() == "ledger"
    assert Settings().geometry is not None
    again.close()


def test_screenshot_main_window(window: MainWindow, qtbot, artifacts_dir) -> None:
    dashboard = _loaded_view(qtbot, window, "dashboard")
    window.show()
    if not dashboard.canvases:
        with qtbot.waitSignal(dashboard.charts_drawn, timeout=20_000):
            pass
    screenshot(window, artifacts_dir, "main_window")
    _loaded_view(qtbot, window, "ledger")
    screenshot(window, artifacts_dir, "main_window_ledger")


def test_new_database_is_created_and_seeded(window: MainWindow, qtbot, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "新台账.db"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(window.database_switched, timeout=30_000):
        window.new_database()
    assert projects.load_project(window.database, 1).values["code"] == "ZD01"
    assert str(target) in window.db_label.text()


def test_unreadable_file_is_refused_with_message(window: MainWindow, qtbot, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    bad = tmp_path / "not.db"
    bad.write_text("这不是数据库")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    before = window.database
    window.switch_database(str(bad))
    qtbot.waitUntil(lambda: bool(shown), timeout=LOAD_TIMEOUT_MS)
    assert "不是台账数据库" in shown[0] and window.database is before


@pytest.mark.parametrize(
    ("action_name", "tab"), [("templates_action", 0), ("missing_action", 1), ("summary_action", 2)]
)
def test_returns_menu_opens_the_output_dialog_on_its_tab(
    window: MainWindow, monkeypatch, action_name: str, tab: int
) -> None:
    from app.ui.dialogs.returns_out import ReturnsOutDialog

    seen: list[tuple[int, str]] = []
    monkeypatch.setattr(
        ReturnsOutDialog,
        "exec",
        lambda self: seen.append((self.tabs.currentIndex(), self.period_box.currentData())) or 0,
    )
    getattr(window, action_name).trigger()
    assert seen and seen[0][0] == tab
    assert seen[0][1] == window.period_key


def test_backups_menu_opens_the_backups_dialog(window: MainWindow, monkeypatch) -> None:
    from app.ui.dialogs.backups_dialog import BackupsDialog

    opened: list[BackupsDialog] = []
    monkeypatch.setattr(BackupsDialog, "exec", lambda self: opened.append(self) or 0)
    window.backups_action.trigger()
    assert len(opened) == 1


def test_views_load_once_for_the_main_windows_period(qtbot, db: Database, monkeypatch) -> None:
    from datetime import date

    from app.domain.periods import latest_closed_quarter
    from app.services import returns as returns_service
    from app.ui.views import dashboard_view

    remembered = latest_closed_quarter(date.today()).previous().key  # not the views' own default
    Settings().last_period = remembered
    # Windows left by earlier tests may still reload their own databases: count loads of this one only.
    dashboard_loads: list[str] = []
    returns_loads: list[str] = []
    real_dashboard, real_overview = dashboard_view.load_dashboard, returns_service.period_overview
    monkeypatch.setattr(
        dashboard_view, "load_dashboard", lambda d, k: (d is db and dashboard_loads.append(k)) or real_dashboard(d, k)
    )
    monkeypatch.setattr(
        returns_service, "period_overview", lambda d, k: (d is db and returns_loads.append(k)) or real_overview(d, k)
    )
    win = MainWindow(db)
    qtbot.addWidget(win)
    dashboard = win.show_view("dashboard")
    titles: list[str] = []
    dashboard.title.setText = lambda text, _set=dashboard.title.setText: titles.append(text) or _set(text)
    with qtbot.waitSignal(dashboard.loaded, timeout=LOAD_TIMEOUT_MS):
        pass
    win.show_view("returns")
    qtbot.wait(50)  # any deferred first load would have run by now
    assert dashboard_loads == [remembered] and returns_loads == [remembered]
    assert titles == [f"总览 · {win.period_combo.currentText()}"]
    win.close()


def test_period_chosen_in_returns_view_becomes_the_status_bar_period_with_one_load(
    qtbot, db: Database, monkeypatch
) -> None:
    from app.services import returns as returns_service
    from app.ui.period_box import select_period

    win = MainWindow(db)
    settle()
    qtbot.addWidget(win)
    returns = win.show_view("returns")
    qtbot.wait(20)
    loads: list[str] = []
    real_overview = returns_service.period_overview
    monkeypatch.setattr(
        returns_service, "period_overview", lambda d, k: (d is db and loads.append(k)) or real_overview(d, k)
    )
    wanted = win.period_combo.itemData(3)
    assert wanted != win.period_key
    select_period(returns.period_box, wanted)
    returns.period_box.activated.emit(returns.period_box.currentIndex())
    settle()
    assert win.period_key == wanted == returns.period_key
    assert Settings().last_period == wanted
    assert loads == [wanted]  # the view's choice and the main window's answer load the period once
    win.close()


def test_month_typed_in_returns_view_joins_the_status_bar_periods(qtbot, db: Database) -> None:
    win = MainWindow(db)
    settle()
    qtbot.addWidget(win)
    returns = win.show_view("returns")
    returns.period_box.setEditText("2025-08")
    returns._period_chosen()
    settle()
    assert win.period_key == "2025-08" == returns.period_key
    assert win.period_combo.currentText() == "2025年8月"
    win.close()


def test_status_bar_period_is_shown_in_returns_view_box(window: MainWindow, qtbot) -> None:
    from app.ui.period_box import current_period

    returns = window.show_view("returns")
    wanted = window.period_combo.itemData(2)
    window.period_combo.setCurrentIndex(2)
    settle()
    assert returns.period_key == wanted == current_period(returns.period_box)


def test_dashboard_fits_the_default_window_without_scrolling(window: MainWindow, qtbot, artifacts_dir) -> None:
    from tests.ui.test_dashboard_view import _assert_everything_fits

    window.show()
    view = _loaded_view(qtbot, window, "dashboard")
    if not view.canvases:
        with qtbot.waitSignal(view.charts_drawn, timeout=20_000):
            pass
    qtbot.wait(50)
    assert window.size().width() == 1280 and window.size().height() == 800
    _assert_everything_fits(view)
    screenshot(window, artifacts_dir, "main_window_dashboard")
