"""Unexpected errors in the GUI: logged with their traceback and shown in a dialog, never swallowed."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from app.logging_setup import configure_logging
from app.ui import crash
from app.ui.qt_chinese import install_qt_chinese


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """Install the crash handler with the dialog replaced by a recorder; restore the hooks afterwards."""
    calls: list[tuple[str, str, str]] = []
    monkeypatch.setattr(crash, "show_crash_dialog", lambda *args: calls.append(args))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    crash.install_crash_handler()
    return calls


def _log_text(home: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return (home / "logs" / "taizhang.log").read_text(encoding="utf-8")


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_shows_the_dialog_and_is_logged(
    qtbot: QtBot, shown: list[tuple[str, str, str]], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    configure_logging(folder=home / "logs")
    button = QPushButton("导入")
    qtbot.addWidget(button)

    def broken_slot() -> None:
        raise ValueError("报表第3行缺少项目编码")

    button.clicked.connect(broken_slot)
    button.click()

    assert len(shown) == 1
    headline, summary, details = shown[0]
    assert headline == "ValueError: 报表第3行缺少项目编码"
    assert "broken_slot" in details and "台账" in summary and headline in summary
    assert "broken_slot" in _log_text(home)


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_thread_is_shown_on_the_gui_thread(qtbot: QtBot, shown: list[tuple[str, str, str]]) -> None:
    def work() -> None:
        raise RuntimeError("后台任务失败")

    thread = threading.Thread(target=work, name="worker")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=2000)
    assert "RuntimeError: 后台任务失败" == shown[0][0]
    assert "线程：worker" in shown[0][1]


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_timer_callback_is_shown(qtbot: QtBot, shown: list[tuple[str, str, str]]) -> None:
    QTimer.singleShot(0, lambda: 1 / 0)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=2000)
    assert shown[0][0].startswith("ZeroDivisionError")


def test_copy_button_puts_the_summary_on_the_clipboard(qtbot: QtBot, artifacts_dir: Path) -> None:
    assert install_qt_chinese()  # the dialog's own "显示详细信息…" button comes from Qt's translation
    summary = crash.error_summary("KeyError: 'project_id'", "Traceback (most recent call last):\n  …\n")
    box = crash.build_crash_box("KeyError: 'project_id'", summary, "Traceback …")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    (artifacts_dir / "screenshots").mkdir(parents=True, exist_ok=True)
    box.grab().save(str(artifacts_dir / "screenshots" / "crash_dialog.png"))
    box.property("copy_button").click()
    clipboard = QApplication.clipboard()
    assert clipboard is not None
    assert clipboard.text() == summary
    assert "意外错误报告" in summary and "KeyError" in summary
