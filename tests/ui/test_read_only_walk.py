"""On a read-only database nothing offers a write: every view, and every dialog a view opens, is walked.

The main window is opened on a database the clerk may only read, and every affordance the clerk could use is
tried the way a clerk would: each enabled action, button and shortcut is triggered, each context menu opened
and its enabled entries chosen, each editor changed, each cell double-clicked, ticked and sent Delete/F2/Enter;
dialogs that open are walked the same way and accepted when their OK button is enabled (question boxes are
answered 是). Nothing may even try to write: an attempt the op runner refuses ("…，不能保存修改") is a failure
here, as is an editable cell or a drag that edits. The walk knows no view by name, so a new view's or dialog's
write affordance that is not greyed out (``app.ui.read_only.writes`` / ``editable`` / ``may_write``) fails it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QDesktopServices, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewDialog
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QScrollBar,
    QTabBar,
    QToolButton,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.services import decisions, meetings
from app.services import gantt as gantt_service
from app.services import indicators as indicator_service
from app.services.database import open_database
from app.storage.db import Database
from app.ui import ops, read_only
from app.ui.main_window import VIEWS, MainWindow
from tests.reports.seed_returns import PERIOD, seed_quarter
from tests.ui.desk_helpers import settle

# Leaving this database (another file, a server, quitting) is not an edit of it: not tried.
LEAVES_THE_DATABASE = {"退出", "连接服务器数据库…", "新建数据库…", "打开数据库…"}
ROWS_PER_VIEW = 30  # cells looked at per item view (every row kind of the small portfolio is among them)


def _dump(path: Path) -> list[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return list(conn.iterdump())


def seed_every_kind(db: Database) -> None:
    """A returned quarter, a meeting with its issues, a decision, an indicator actual and a Gantt baseline."""
    seed_quarter(db)
    mid = meetings.create_meeting(db, date(2025, 10, 20), "2025年第三季度联席会议", PERIOD)
    meetings.gather_issues(db, mid)
    departments = [d for d, _name in meetings.list_departments(db)]
    decisions.add_decision(db, "由省商务厅牵头梳理示范县名单", departments[:1], date(2025, 12, 31), mid)
    indicator = indicator_service.list_indicators(db)[0]
    indicator_service.record_actual(db, indicator.id, "2024", 1.0, "测试来源")
    gantt_service.save_baseline(db, "一季度基线")


@pytest.fixture
def read_only_path(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A database with something of every kind (meeting, issues, decision, actual, baseline), then read-only."""
    db = Database(db_path)
    seed_every_kind(db)
    db.dispose()
    # Root may write to any file, so the file's mode cannot make it read-only here: the OS says it is.
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode, **kw: False if mode == os.W_OK and Path(p) == db_path else real_access(p, mode)
    )
    yield db_path
    ops.set_read_only("")  # later tests write again


class Walker:
    """Tries every affordance under a widget; records what tried to write and what is editable."""

    def __init__(self, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
        self.qtbot = qtbot
        self.problems: list[str] = []
        self.where = ""
        self.menus: list[QMenu] = []
        self.seen_menus: set[tuple[str, ...]] = set()
        self.depth = 0
        self.dialogs: list[str] = []
        self.tried = 0
        self.skip: tuple[QWidget, ...] = ()
        walker = self

        def refuse(op: Any, reason: str) -> None:  # the runner's refusal: something tried to write
            walker.problems.append(f"{walker.where}: tried to write ({reason})")
            op._end()

        monkeypatch.setattr(ops.QueryOp, "_refuse", refuse)
        monkeypatch.setattr(QDialog, "exec", lambda dialog: walker.dialog(dialog))
        for cls in (QPrintDialog, QFileDialog, QProgressDialog, QPrintPreviewDialog):
            monkeypatch.setattr(cls, "exec", lambda _d: QDialog.DialogCode.Rejected)
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
        for name in ("information", "warning", "critical", "about"):
            monkeypatch.setattr(QMessageBox, name, lambda *a, **k: QMessageBox.StandardButton.Ok)
        monkeypatch.setattr(QMessageBox, "exec", lambda _box: 0)
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([], ""))
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "")
        monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("只读检查", True))

    # --- dialogs ------------------------------------------------------------------------------------------

    def dialog(self, dialog: QDialog) -> int:
        """A dialog opened with exec(): walk it, then accept it if its OK button could be pressed."""
        first_time = type(dialog).__name__ not in self.dialogs  # a dialog opened from several places: walked once
        self.dialogs.append(type(dialog).__name__)
        if self.depth < 2 and first_time:
            outer = self.where
            self.depth += 1
            try:
                settle(self.qtbot)
                self.walk(dialog, f"{outer} › {dialog.windowTitle() or type(dialog).__name__}")
            finally:
                self.depth -= 1
                self.where = outer
        accept = [
            b
            for box in dialog.findChildren(QDialogButtonBox)
            for b in box.buttons()
            if box.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole
        ]
        return int(
            QDialog.DialogCode.Accepted
            if accept and all(b.isEnabled() for b in accept)
            else QDialog.DialogCode.Rejected
        )

    # --- the walk -----------------------------------------------------------------------------------------

    def walk(self, root: QWidget, where: str, skip: tuple[QWidget, ...] = ()) -> None:
        """Try everything under ``root`` but inside ``skip`` (walked already)."""
        outer, self.skip = self.skip, skip
        try:
            self._walk(root, where)
        finally:
            self.skip = outer

    def _walk(self, root: QWidget, where: str) -> None:
        self.where = where
        for view in self._mine(root, QAbstractItemView):
            if shiboken6.isValid(view) and not isinstance(view, QHeaderView):
                self._item_view(view, where)
        for widget in [root, *self._mine(root, QWidget)]:
            if not shiboken6.isValid(widget):
                continue
            self._drag(widget, where)
            if widget.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu and (
                isinstance(widget, QHeaderView) or not isinstance(widget, QAbstractItemView)
            ):
                self._context_menu(widget, widget.rect().center(), f"{where} 右键 {type(widget).__name__}")
        for action in self._actions(root):
            if (
                shiboken6.isValid(action)
                and action.isEnabled()
                and action.menu() is None
                and action.text() not in LEAVES_THE_DATABASE
            ):
                self._try(f"{where} 动作「{action.text()}」", action.trigger)
        for button in self._mine(root, QAbstractButton):
            if (
                shiboken6.isValid(button)
                and self._usable(button)
                and not (isinstance(button, QToolButton) and button.defaultAction())
            ):
                if self._closes(button):
                    continue
                self._try(f"{where} 按钮「{button.text() or button.toolTip()}」", button.click)
        for shortcut in root.findChildren(QShortcut):
            if (
                shiboken6.isValid(shortcut)
                and shortcut.isEnabled()
                and self._in_window(shortcut, root)
                and not any(s.isAncestorOf(shortcut.parent()) for s in self.skip)
            ):
                self._try(f"{where} 快捷键 {shortcut.key().toString()}", shortcut.activated.emit)
        for editor in self._mine(root, QWidget):
            if shiboken6.isValid(editor) and self._usable(editor):
                self._editor(editor, where)

    def _try(self, label: str, fire: Callable[[], object]) -> None:
        self.where = label
        self.tried += 1
        fire()
        settle(self.qtbot)
        self._open_menus(label)
        self._new_windows(label)

    def _open_menus(self, label: str) -> None:
        menus, self.menus = self.menus, []
        for menu in menus:
            signature = tuple(a.text() for a in menu.actions())
            if signature in self.seen_menus:
                continue
            self.seen_menus.add(signature)
            for action in menu.actions():
                if (
                    shiboken6.isValid(action)
                    and action.isEnabled()
                    and not action.isSeparator()
                    and action.menu() is None
                ):
                    self._try(f"{label} 菜单「{action.text()}」", action.trigger)

    def _new_windows(self, label: str) -> None:
        main = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        for window in QApplication.topLevelWidgets():
            if window.isVisible() and window not in main and not isinstance(window, QMenu) and self.depth < 2:
                window.hide()  # walked once, like a dialog
                self.depth += 1
                try:
                    self.walk(window, f"{label} › {window.windowTitle()}")
                finally:
                    self.depth -= 1
                window.close()

    def _item_view(self, view: QAbstractItemView, where: str) -> None:
        model = view.model() if shiboken6.isValid(view) else None
        if model is None:
            return
        label = f"{where} {type(view).__name__}"
        ticked: dict[int, int] = {}  # two ticks a column tell as much as forty
        for index in self._indexes(view):
            flags = model.flags(index)
            enabled = view.isEnabled() and bool(flags & Qt.ItemFlag.ItemIsEnabled)
            if not enabled:
                continue
            if (
                flags & Qt.ItemFlag.ItemIsEditable
                and view.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers
            ):
                self.problems.append(f"{label}: cell ({index.row()}, {index.column()}) can be edited")
            if flags & Qt.ItemFlag.ItemIsUserCheckable and ticked.setdefault(index.column(), 0) < 2:
                ticked[index.column()] += 1
                state = model.data(index, Qt.ItemDataRole.CheckStateRole)
                flipped = Qt.CheckState.Unchecked if state == Qt.CheckState.Checked.value else Qt.CheckState.Checked
                tick = lambda i=index, f=flipped: model.setData(i, f.value, Qt.ItemDataRole.CheckStateRole)  # noqa: E731
                self._try(f"{label} 勾选 ({index.row()}, {index.column()})", tick)
                model.setData(index, state, Qt.ItemDataRole.CheckStateRole)
        menus_before = len(self.seen_menus)
        for n, index in enumerate(self._indexes(view, columns=False)):
            if not view.isEnabled():
                break
            view.setCurrentIndex(index)
            if view.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu:
                view.scrollTo(index)
                self._context_menu(view, view.visualRect(index).center(), f"{label} 右键 行{index.row()}")
            if n < 2 or len(self.seen_menus) > menus_before:  # a row of a new kind: try its keys and clicks too
                menus_before = len(self.seen_menus)
                row = f"{label} 行{index.row()}"
                self._try(f"{row} 双击", lambda i=index: view.doubleClicked.emit(i))
                self._try(f"{row} 激活", lambda i=index: view.activated.emit(i))
                for key in (Qt.Key.Key_Delete, Qt.Key.Key_F2):
                    self._try(f"{row} 键 {key.name}", lambda k=key: QTest.keyClick(view, k))

    def _context_menu(self, widget: QWidget, pos: QPoint, label: str) -> None:
        before = len(self.menus)

        def take_menu() -> None:  # QMenu.exec cannot be patched (an overloaded static): close the popup it shows
            menu = QApplication.activePopupWidget()
            if isinstance(menu, QMenu):
                self.menus.append(menu)
                menu.close()

        QTimer.singleShot(0, take_menu)
        widget.customContextMenuRequested.emit(pos)
        QTest.qWait(1)  # the timer runs here when no menu was shown
        if len(self.menus) > before:
            self._open_menus(label)

    def _drag(self, widget: QWidget, where: str) -> None:
        if isinstance(widget, QAbstractItemView) and widget.isEnabled():
            if widget.dragEnabled() or widget.dragDropMode() != QAbstractItemView.DragDropMode.NoDragDrop:
                self.problems.append(f"{where} {type(widget).__name__}: rows can be dragged")
        drags = getattr(widget, "drag_edits_enabled", None)
        if callable(drags) and drags():
            self.problems.append(f"{where} {type(widget).__name__}: dragging edits")

    def _editor(self, editor: QWidget, where: str) -> None:
        label = f"{where} 输入框 {type(editor).__name__}「{editor.toolTip()[:20]}」"
        if isinstance(editor, QComboBox) and editor.count() > 1:
            other = (editor.currentIndex() + 1) % editor.count()
            self._try(label, lambda: (editor.setCurrentIndex(other), editor.activated.emit(other)))
        elif isinstance(editor, QAbstractSpinBox) and not editor.isReadOnly():
            self._try(label, lambda: (editor.stepBy(1), editor.editingFinished.emit()))
        elif isinstance(editor, QLineEdit) and not editor.isReadOnly() and not self._inside(editor, QComboBox):
            self._try(label, lambda: (editor.editingFinished.emit(), editor.returnPressed.emit()))

    # --- what counts ----------------------------------------------------------------------------------------

    @staticmethod
    def _inside(widget: QWidget, kind: type) -> bool:
        parent = widget.parentWidget()
        while parent is not None:
            if isinstance(parent, kind):
                return True
            parent = parent.parentWidget()
        return False

    def _mine(self, root: QWidget, kind: type) -> list[Any]:
        """``kind`` children of ``root`` that a clerk reaches, not the inner parts of Qt's own widgets."""
        inner = (QComboBox, QCalendarWidget, QAbstractSpinBox, QScrollBar, QTabBar, QMenu)
        window = root.window()
        return [
            w
            for w in root.findChildren(kind)
            # A dialog left as the view's child (a print dialog) is walked when it is opened, not as the view's.
            if (w.window() is window or isinstance(w, QAction | QShortcut))
            and not any(s.isAncestorOf(w) for s in self.skip)
            and not any(self._inside(w, k) for k in inner)
            and not isinstance(w, QScrollBar | QTabBar | QMenu)
        ]

    @staticmethod
    def _usable(widget: QWidget) -> bool:
        return widget.isEnabled() and (widget.isVisible() or not widget.window().isVisible())

    @staticmethod
    def _closes(button: QAbstractButton) -> bool:
        box = button.parentWidget()
        return isinstance(box, QDialogButtonBox) and box.buttonRole(button) == QDialogButtonBox.ButtonRole.RejectRole

    @staticmethod
    def _in_window(obj: QAction | QShortcut, root: QWidget) -> bool:
        parent = obj.parent()
        return isinstance(parent, QWidget) and parent.window() is root.window()

    def _actions(self, root: QWidget) -> list[QAction]:
        found = {
            id(a): a
            for a in root.findChildren(QAction)
            if self._in_window(a, root) and not any(s.isAncestorOf(a.parent()) for s in self.skip)
        }
        for widget in [root, *self._mine(root, QWidget)]:
            for action in widget.actions():
                found.setdefault(id(action), action)
        return list(found.values())

    @staticmethod
    def _indexes(view: QAbstractItemView, *, columns: bool = True) -> list[QModelIndex]:
        model = view.model()
        out: list[QModelIndex] = []

        def width(parent: QModelIndex) -> int:
            if not columns:
                return 1
            try:
                return int(model.columnCount(parent))
            except TypeError:  # a list model (QAbstractListModel keeps columnCount private)
                return 1

        def visit(parent: QModelIndex, depth: int) -> None:
            for row in range(model.rowCount(parent)):
                if len(out) >= ROWS_PER_VIEW * width(parent):
                    return
                first = model.index(row, 0, parent)
                out.extend(model.index(row, c, parent) for c in range(width(parent)))
                if isinstance(view, QTreeView) and depth < 4 and model.hasChildren(first):
                    view.expand(first)  # lazily filled levels (a programme's members) appear on expanding
                    visit(first, depth + 1)

        visit(QModelIndex(), 0)
        return out


def sandbox_exports(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Keep what a walk exports out of the real home and the desktop's file viewer."""
    # Exports (templates, the summary) are reads and go to the suggested folder.
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: True)
    # Writing every department's template workbook is a read of the database that takes seconds: its button is
    # still pressed, the workbooks are not written.
    from app.ui.dialogs import returns_out

    monkeypatch.setattr(returns_out, "export_templates", lambda *a, **k: [])


def walk_every_view(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, database: Database, *, timeout: int = 30_000
) -> Walker:
    """Open the window on ``database``, walk every view, the dialogs they open and the window itself; close it.

    Fails the test if the walk did not reach the views' affordances and their dialogs; the caller checks
    ``problems`` and that nothing changed in the database.
    """
    walker = Walker(qtbot, monkeypatch)
    window = MainWindow(database)
    qtbot.addWidget(window)
    window.timer.stop()
    window.resize(1280, 800)
    window.show()
    window.set_period(PERIOD)
    settle(qtbot, timeout=timeout)
    for spec in VIEWS:
        view = window.show_view(spec.key)
        settle(qtbot, timeout=timeout)
        walker.walk(view, spec.title)
    walker.walk(window, "主窗口", skip=tuple(window.views.values()))
    window.close()
    settle(qtbot, timeout=timeout)
    assert walker.tried > 100  # the walk reached the views' affordances, not just a few
    # Dialogs the views open were walked too (the project form, a decision, the parts of a task, …).
    assert {"ProjectFormDialog", "DecisionDialog", "PartsDialog"} <= set(walker.dialogs)
    return walker


# Context menus pop up on the offscreen platform, which cannot raise them or grab the keyboard.
@pytest.mark.qt_log_ignore("This plugin does not support raise", "This plugin does not support grabbing")
def test_a_read_only_database_offers_no_write_anywhere(
    qtbot: QtBot, read_only_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sandbox_exports(monkeypatch, tmp_path)
    before = _dump(read_only_path)
    database = open_database(read_only_path).database
    assert database.read_only_reason
    try:
        walker = walk_every_view(qtbot, monkeypatch, database)
    finally:
        database.dispose()
    assert walker.problems == []
    assert _dump(read_only_path) == before


def test_greyed_out_affordances_say_why_and_come_back_when_writes_are_allowed(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QPushButton

    button = QPushButton("保存")
    button.setToolTip("保存会议信息")
    qtbot.addWidget(button)
    read_only.writes(button)
    try:
        ops.set_read_only("数据库文件是只读的（没有写入权限）")
        assert not button.isEnabled() and button.toolTip() == "只读：数据库文件是只读的（没有写入权限）"
        button.setEnabled(True)  # a view's own logic (a selection changed) cannot bring it back
        assert not button.isEnabled()
    finally:
        ops.set_read_only("")
    assert button.isEnabled() and button.toolTip() == "保存会议信息"
