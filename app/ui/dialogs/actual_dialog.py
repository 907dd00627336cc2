"""Dialog to enter or correct an indicator's actual value by hand, with the problems shown beside each field."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.periods import latest_closed_quarter
from app.services import indicators as service
from app.services.indicators import ActualData, IndicatorData
from app.storage.db import Database
from app.ui.dialogs.buttons import button_row
from app.ui.period_box import add_period, current_period, new_period_box, select_period

ERROR_STYLE = "color: #c0392b;"


class ActualDialog(QDialog):
    """录入实际值 / 修改实际值. ``values()`` gives (period key text, value text, source note) once accepted."""

    def __init__(
        self,
        database: Database,
        indicator: IndicatorData,
        actual: ActualData | None = None,
        *,
        default_period: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.indicator = indicator
        self.actual = actual
        self.setWindowTitle("修改实际值" if actual else "录入实际值")
        self.setMinimumWidth(520)

        unit = f"（{indicator.unit}）" if indicator.unit else ""
        heading = QLabel(f"<b>{indicator.name}</b>{unit}")
        # Recent years and quarters to pick by name; any other period can be typed (2025年9月 or 2025-09).
        self.period_box = new_period_box(editable=True)
        self.period_box.setToolTip("全年数选年份（2025年）；季度、月度数选或输入 2025年第三季度、2025年9月")
        for key in _recent_periods(date.today()):
            add_period(self.period_box, key)
        line_edit = self.period_box.lineEdit()
        assert line_edit is not None  # the box is editable
        self.period_edit: QLineEdit = line_edit
        self.period_edit.setPlaceholderText("如 2025年 或 2025年第三季度、2025年9月")
        start = actual.period_key if actual else default_period
        if start:
            select_period(self.period_box, start)
        else:
            self.period_box.setCurrentIndex(-1)
        self.value_combo: QComboBox | None = None
        self.value_edit: QLineEdit | None = None
        if indicator.is_milestone:
            self.value_combo = QComboBox()
            self.value_combo.addItems(["已实现", "未实现"])
            if actual is not None and actual.value is not None and actual.value < 0.5:
                self.value_combo.setCurrentIndex(1)
            value_widget: QWidget = self.value_combo
        else:
            self.value_edit = QLineEdit(indicator.format_value(actual.value).replace(",", "") if actual else "")
            self.value_edit.setPlaceholderText(f"数值{unit}")
            value_widget = self.value_edit
        self.source_edit = QLineEdit(actual.source if actual else "")
        self.source_edit.setPlaceholderText("如：2025年统计公报、省通信管理局函")
        self.period_error = QLabel()
        self.value_error = QLabel()
        for label in (self.period_error, self.value_error):
            label.setStyleSheet(ERROR_STYLE)
            label.setWordWrap(True)

        grid = QGridLayout()
        grid.addWidget(QLabel("报告期(&P)："), 0, 0)
        grid.addWidget(self.period_box, 0, 1)
        grid.addWidget(self.period_error, 0, 2)
        grid.addWidget(QLabel("实际值(&V)："), 1, 0)
        grid.addWidget(value_widget, 1, 1)
        grid.addWidget(self.value_error, 1, 2)
        grid.addWidget(QLabel("来源说明(&S)："), 2, 0)
        grid.addWidget(self.source_edit, 2, 1, 1, 2)
        grid.setColumnStretch(2, 1)
        for i in range(3):
            label = grid.itemAtPosition(i, 0).widget()
            assert isinstance(label, QLabel)
            label.setBuddy(grid.itemAtPosition(i, 1).widget())

        self.buttons = button_row(self, "保存", saves=True)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(grid)
        note = QLabel("来自报表的实际值不能在此修改；同一报告期的手工录入值优先于报表值。")
        note.setStyleSheet("color: #666666;")
        layout.addWidget(note)
        # An indicator measuring the same users in the same statistics (3G/4G用户普及率 / 移动宽带用户普及率):
        # the figure is offered for it too, never copied without the clerk ticking the box.
        self.related_box: QCheckBox | None = None
        if indicator.related_id is not None and actual is None:
            self.related_box = QCheckBox(f"同时记入相关指标“{indicator.related_label}”（同一统计口径）(&R)")
            self.related_box.setToolTip(indicator.note)
            layout.addWidget(self.related_box)
        layout.addWidget(self.buttons)

        self.period_edit.textChanged.connect(self.validate)
        if self.value_edit is not None:
            self.value_edit.textChanged.connect(self.validate)
        self.validate()

    def also_related(self) -> bool:
        """True when the clerk asked to record the same figure for the related indicator."""
        return self.related_box is not None and self.related_box.isChecked()

    def value_text(self) -> str:
        if self.value_combo is not None:
            return self.value_combo.currentText()
        assert self.value_edit is not None
        return self.value_edit.text()

    def validate(self) -> bool:
        """Check the fields, show each problem beside its field, and allow 保存 only when there is none."""
        # Against the indicator as loaded (no database call per keystroke); the save checks again.
        problems = service.entry_problems(
            self.indicator,
            self.period_edit.text(),
            self.value_text(),
            exclude_id=self.actual.id if self.actual else None,
        )
        self.period_error.setText(problems.get("period", ""))
        self.value_error.setText(problems.get("value", ""))
        ok = not problems
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        return ok

    def accept(self) -> None:
        if self.validate():
            super().accept()

    def values(self) -> tuple[str, str, str]:
        """(period key — 2025 for a typed or chosen 2025年 —, value text, source note)."""
        try:
            period = current_period(self.period_box)
        except ValueError:
            period = self.period_edit.text().strip()  # the service refuses it with its own message
        return period, self.value_text().strip(), self.source_edit.text().strip()


def _recent_periods(today: date) -> list[str]:
    """The last six full years, then the last four closed quarters: what a clerk enters most."""
    years = [str(today.year - n) for n in range(1, 7)]
    quarters = []
    q = latest_closed_quarter(today)
    for _ in range(4):
        quarters.append(q.key)
        q = q.previous()
    return years + quarters
