"""One working period for the whole window: chosen anywhere, every view follows; imports offer to switch."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from app.storage.db import Database
from app.ui.main_window import MainWindow
from tests.ui.desk_helpers import settle

VIEWS = ("dashboard", "ledger", "gantt", "returns", "indicators", "meetings")


def _window(qtbot, db: Database) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(db)
    qtbot.addWidget(win)
    for key in VIEWS:
        win.show_view(key)
    settle()
    return win


def test_a_period_chosen_in_one_view_is_every_views_period(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    win = _window(qtbot, db)
    returns = win.view("returns")
    returns.period_chosen.emit("2024-Q2")  # as the 报表填报 period box does for a clerk's choice
    settle()
    assert win.period_key == "2024-Q2" and win.period_combo.currentText() == "2024年第二季度"
    for key in ("dashboard", "ledger", "gantt", "returns", "indicators", "meetings"):
        assert win.view(key).period_key == "2024-Q2", key  # type: ignore[attr-defined]
    assert win.view("dashboard").title.text() == "总览 · 2024年第二季度"  # type: ignore[attr-defined]
    win.close()


def test_after_importing_another_periods_returns_the_app_offers_to_switch(qtbot, db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def yes(*args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(args[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    win = _window(qtbot, db)
    before = win.period_key
    assert before != "2023-Q3"
    assert win.view("returns").offer_period("2023-Q3")  # type: ignore[attr-defined]
    settle()
    assert asked and "2023年第三季度" in asked[0]
    assert win.period_key == "2023-Q3"
    assert all(win.view(k).period_key == "2023-Q3" for k in VIEWS)  # type: ignore[attr-defined]
    win.close()
