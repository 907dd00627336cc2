"""The dashboard's 首次使用 line: what is still missing before the period's returns can be collected.

Hidden when nothing is missing. 继续设置… opens the first-run guide through the main window's action.
Signals: loaded(object) with the Readiness after each check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from app.storage.db import Database
from app.ui.ops import QueryOp, op_signals

if TYPE_CHECKING:
    from app.services.first_run import Readiness


class ReadinessBanner(QFrame):
    """A one-line checklist above the dashboard. Signals: loaded(object)."""

    loaded = Signal(object)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.period_key = ""
        self.readiness: Readiness | None = None
        self.setObjectName("readiness_banner")
        self.setStyleSheet("#readiness_banner { background: #fff7e6; border: 1px solid #f5c26b; border-radius: 4px; }")
        self.text = QLabel("")
        # One line beside the title: it clips rather than pushing the dashboard's charts down.
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.button = QPushButton("继续设置…")
        self.button.setToolTip("打开首次使用向导")
        self.button.clicked.connect(self.open_guide)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 0, 2, 0)
        row.addWidget(self.text, 1)
        row.addWidget(self.button)
        self.hide()
        op_signals().changed.connect(self._changed)

    def set_period(self, period_key: str) -> None:
        """Check again for ``period_key``."""
        self.period_key = period_key
        self.refresh()

    def refresh(self) -> None:
        if not self.period_key:
            return
        database, key = self.database, self.period_key

        def check() -> Readiness:
            # Imported here, on the worker, when the first check runs (after the dashboard's numbers): the
            # first-run service pulls in the report's content and the meetings service.
            from app.services.first_run import readiness

            return readiness(database, key)

        QueryOp(parent=self, op=check, success=self._show).serial("readiness").failure(
            lambda _e: None
        ).run_in_background()

    def _changed(self, _tag: Any) -> None:
        self.refresh()

    def _show(self, result: Readiness) -> None:
        self.readiness = result
        self.text.setText(result.short_sentence())
        self.setToolTip(result.sentence())
        self.setVisible(not result.ready)
        self.loaded.emit(result)

    def open_guide(self) -> None:
        action = getattr(self.window(), "first_run_action", None)
        if action is not None:
            action.trigger()

