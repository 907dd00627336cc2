"""Unexpected errors in the GUI: log the traceback, show a dialog with a copyable summary, never exit silently.

PySide6 does not let an exception in a slot end the program: it hands it to ``sys.excepthook`` and carries
on, so without this hook a failing button would do nothing at all. Exceptions in Python threads go through
``threading.excepthook`` and are shown on the GUI thread. A native crash (segfault in a library) cannot be
caught; ``faulthandler`` at least writes its Python stack to ``logs/native-crash.log``.
"""

from __future__ import annotations

import faulthandler
import getpass
import logging
import platform
import sys
import threading
import traceback
from datetime import datetime
from types import TracebackType
from typing import IO, Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from app.storage.db import scrub_secrets

log = logging.getLogger("taizhang.crash")

_relay: _Relay | None = None
_showing = False
_native_log: IO[str] | None = None


class _Relay(QObject):
    """Carries an error report from any thread to the GUI thread. Signals: report(str, str, str)."""

    report = Signal(str, str, str)


def install_crash_handler() -> None:
    """Route every unhandled exception (main thread, slots, Python threads) to the log and a dialog."""
    global _relay, _native_log
    app = QApplication.instance()
    if _relay is None and app is not None:
        _relay = _Relay()
        _relay.moveToThread(app.thread())
        _relay.report.connect(_show_on_gui_thread, Qt.ConnectionType.QueuedConnection)
    sys.excepthook = handle_exception
    threading.excepthook = _thread_hook
    # Leave an existing faulthandler alone (python -X faulthandler, pytest): it already reports somewhere.
    if _native_log is None and not faulthandler.is_enabled():
        try:
            from app.paths import log_dir

            _native_log = open(log_dir() / "native-crash.log", "a", encoding="utf-8")  # noqa: SIM115
            faulthandler.enable(_native_log)
        except OSError:
            _native_log = None


def handle_exception(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None, *, thread: str = ""
) -> None:
    """Log one unhandled exception and show it to the clerk (from whichever thread it came)."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    # A server URL in a message may carry a password: it must never reach the log, the dialog or a report.
    details = scrub_secrets("".join(traceback.format_exception(exc_type, exc, tb)))
    headline = scrub_secrets(f"{exc_type.__name__}: {exc}")
    summary = error_summary(headline, details, thread=thread)
    log.critical("unhandled exception%s\n%s", f" in thread {thread}" if thread else "", details)
    app = QApplication.instance()
    if app is None:
        # No GUI (yet): the console is the only place left to tell anyone.
        if sys.stderr is not None:
            print(summary, file=sys.stderr)
        return
    if QThread.currentThread() is app.thread():
        _show_on_gui_thread(headline, summary, details)
    elif _relay is not None:
        _relay.report.emit(headline, summary, details)


def error_summary(headline: str, details: str, *, thread: str = "") -> str:
    """The text the 复制 button puts on the clipboard: enough for whoever supports the office."""
    from app import __version__
    from app.logging_setup import log_file

    lines = [
        f"台账 {__version__} 意外错误报告",
        f"时间：{datetime.now():%Y-%m-%d %H:%M:%S}",
        f"系统：{platform.platform()}；Python {platform.python_version()}",
        f"用户：{_user()}",
        f"日志：{log_file()}",
        f"错误：{headline}",
    ]
    if thread:
        lines.append(f"线程：{thread}")
    return "\n".join(lines) + "\n\n" + details


def build_crash_box(headline: str, summary: str, details: str, parent: QWidget | None = None) -> QMessageBox:
    """The error dialog: what happened in plain Chinese, the traceback under 显示详细信息, a 复制 button."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("台账 — 意外错误")
    box.setText("程序遇到了意外错误，刚才的操作没有完成。\n已保存的数据不受影响；错误详情已写入日志文件。")
    box.setInformativeText(f"{headline}\n\n可点击“复制”把错误报告粘贴给技术支持。")
    box.setDetailedText(details)
    copy_button = box.addButton("复制", QMessageBox.ButtonRole.ActionRole)
    box.addButton("关闭", QMessageBox.ButtonRole.AcceptRole)
    copy_button.clicked.connect(lambda: _copy(summary))
    box.setProperty("copy_button", copy_button)
    return box


def show_crash_dialog(headline: str, summary: str, details: str) -> None:
    """Show the error dialog modally; 复制 copies and keeps it open until 关闭."""
    box = build_crash_box(headline, summary, details, QApplication.activeWindow())
    copy_button: QPushButton = box.property("copy_button")
    while True:
        box.exec()
        if box.clickedButton() is not copy_button:
            break
        # QMessageBox closes on every button; show it again so the clerk can still read or close it.
        box.setInformativeText(f"{headline}\n\n错误报告已复制到剪贴板。")


def _show_on_gui_thread(headline: str, summary: str, details: str) -> None:
    global _showing
    if _showing:  # an error while the dialog is open (a timer, a repaint): logged, not stacked
        return
    _showing = True
    try:
        show_crash_dialog(headline, summary, details)
    except Exception:  # noqa: BLE001 - the dialog itself failed; the log already has the report
        log.exception("could not show the error dialog")
    finally:
        _showing = False


def _thread_hook(args: Any) -> None:
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else "?"
    handle_exception(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback, thread=name)


def _copy(text: str) -> None:
    clipboard = QApplication.clipboard()
    if clipboard is not None:
        clipboard.setText(text)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some service contexts; the report still goes out
        return "?"
