"""Read-only mode in the GUI: every edit and import affordance is marked once and greyed out with the reason.

A database may only be read when the server grants the login read access only, or the file is read-only
(``Database.read_only_reason``); the op runner then refuses every write (``app.ui.ops.set_read_only``). So that
nothing is half-tried, the clerk must not be offered a write in the first place:

- actions, buttons, shortcuts and editor widgets that edit or import call ``writes(...)`` once, where they are
  built; while the database may only be read they are disabled, their tooltip says why, and a guard keeps them
  disabled whatever the owner's own enable logic says later (selection changes, undo stacks);
- item models whose cells save call ``editable(flags)``: no inline editing, no ticking;
- widgets that edit by dragging ask ``may_write()`` before a drag starts and report ``drag_edits_enabled()``;
- keys that would edit (Delete) call ``refused(widget)``, which says why in the status bar and returns True.

``tests/ui/test_read_only_walk.py`` opens the main window on a read-only database, walks every view and the
dialogs it reaches, and fails on any enabled affordance that tries to write.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import QWidget

from app.ui.ops import read_only_reason

WRITES = "taizhangWrites"  # dynamic property on every marked affordance (what the walk test looks for)
_TIP = "taizhangTip"  # the tooltip an affordance had before it was greyed out
Affordance = QAction | QWidget | QShortcut
_marked: list[Affordance] = []


def may_write() -> bool:
    """True unless the open database may only be read."""
    return not read_only_reason()


def tip() -> str:
    """The tooltip of a greyed-out affordance ("" when writes are allowed)."""
    reason = read_only_reason()
    return f"只读：{reason}" if reason else ""


def writes(*affordances: Affordance) -> None:
    """Mark actions, buttons, shortcuts or editors that write: greyed out with the reason while read-only."""
    for item in affordances:
        if item.property(WRITES):
            continue
        item.setProperty(WRITES, True)
        _marked.append(item)
        if isinstance(item, QAction):
            item.enabledChanged.connect(lambda _on, a=item: _keep_grey(a))
        elif isinstance(item, QWidget):
            item.installEventFilter(_guard())
        if not may_write():
            _grey(item)


def editable(flags: Qt.ItemFlag) -> Qt.ItemFlag:
    """``flags`` of a cell that saves when edited or ticked, without editing and ticking while read-only."""
    if may_write():
        return flags
    return flags & ~(Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable)


def refused(widget: QWidget | None) -> bool:
    """For keys and gestures that would write: while read-only say why in the status bar and return True."""
    if may_write():
        return False
    window = widget.window() if widget is not None else None
    bar = getattr(window, "statusBar", None)
    if callable(bar):
        bar().showMessage(f"{tip()}，不能修改", 6000)
    return True


def apply() -> None:
    """Grey out (or give back) every marked affordance after the read-only reason changed."""
    _marked[:] = [item for item in _marked if shiboken6.isValid(item)]
    for item in _marked:
        if may_write():
            _restore(item)
        else:
            _grey(item)


def _grey(item: Affordance) -> None:
    if item.property(_TIP) is None:
        item.setProperty(_TIP, item.toolTip() if not isinstance(item, QShortcut) else "")
    item.setEnabled(False)
    if not isinstance(item, QShortcut):
        item.setToolTip(tip())
        item.setStatusTip(tip())


def _restore(item: Affordance) -> None:
    old = item.property(_TIP)
    if old is None:
        return  # never greyed out
    item.setProperty(_TIP, None)
    item.setEnabled(True)
    if not isinstance(item, QShortcut):
        item.setToolTip(str(old))
        item.setStatusTip("")


def _keep_grey(item: QAction | QWidget) -> None:
    if not may_write() and shiboken6.isValid(item) and item.isEnabled():
        item.setEnabled(False)


class _Guard(QObject):
    """Puts a marked widget back to disabled when its owner enables it while the database may only be read."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.EnabledChange and isinstance(watched, QWidget) and not may_write():
            if not watched.testAttribute(Qt.WidgetAttribute.WA_ForceDisabled):
                watched.setEnabled(False)
                watched.setToolTip(tip())
        return False


_guard_object: _Guard | None = None


def _guard() -> _Guard:
    global _guard_object
    if _guard_object is None or not shiboken6.isValid(_guard_object):
        _guard_object = _Guard()
    return _guard_object
