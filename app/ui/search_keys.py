"""Keys from a search box into its results: ↓ moves into the list, Enter opens the selection (or the first hit).

One helper for every search box, so the keyboard works the same wherever a clerk types to find something.
From the results, ↑ on the first row goes back to the search box.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class SearchKeys(QObject):
    """Event filter joining a search box to its result view; ``open_selected`` opens the view's current row."""

    def __init__(self, search: QLineEdit, results: QAbstractItemView, open_selected: Callable[[], None]) -> None:
        super().__init__(search)
        self.search = search
        self.results = results
        self.open_selected = open_selected
        search.installEventFilter(self)
        results.installEventFilter(self)

    def _first_row(self) -> bool:
        model = self.results.model()
        if model is None or model.rowCount() == 0:
            return False
        current = self.results.currentIndex()
        if not current.isValid():
            first = model.index(0, 0)
            self.results.setCurrentIndex(first)
            self.results.scrollTo(first)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.modifiers() not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            return False
        key = event.key()
        if watched is self.search:
            if key == Qt.Key.Key_Down:
                if self._first_row():
                    self.results.setFocus(Qt.FocusReason.TabFocusReason)
                return True
            if key in _ENTER:
                if self._first_row():
                    self.open_selected()
                return True
        elif watched is self.results and key == Qt.Key.Key_Up:
            current = self.results.currentIndex()
            if current.isValid() and current.row() == 0 and not current.parent().isValid():
                self.search.setFocus(Qt.FocusReason.TabFocusReason)
                self.search.selectAll()
                return True
        return False
