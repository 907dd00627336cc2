"""Dialogs for one meeting decision (议定事项): add or edit it, and close it (办结销号).

They hold no database access: the caller passes the departments and meetings to offer and saves the
values read back (through a CollectionOp, as an undoable command).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.ui import read_only
from app.ui.dialogs.buttons import button_row


@dataclass(frozen=True)
class DecisionValues:
    """What the edit dialog returns."""

    text: str
    department_ids: tuple[int, ...]
    due: date
    meeting_id: int | None
    source_text: str


@dataclass(frozen=True)
class ClosingValues:
    """What the closing dialog returns."""

    note: str
    evidence: str
    closed_on: date


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class DecisionDialog(QDialog):
    """Add or edit a decision: text, responsible departments (one or more), due date, meeting, source."""

    def __init__(
        self,
        departments: list[tuple[int, str]],
        meetings: list[tuple[int, str]],
        values: DecisionValues | None = None,
        parent: QWidget | None = None,
        *,
        title: str = "新增议定事项",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(560, 560)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText("如：由省通信管理局牵头，于11月底前制定测试区5G覆盖方案")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setFixedHeight(90)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("筛选单位（可输入拼音首字母）")
        self.filter_edit.setClearButtonEnabled(True)
        self.department_list = QListWidget()
        for dept_id, name in departments:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, dept_id)
            self.department_list.addItem(item)
        self.filter_edit.textChanged.connect(self._filter_departments)
        self.department_list.itemChanged.connect(lambda _i: self._show_chosen())
        self.chosen_label = QLabel()
        self.chosen_label.setWordWrap(True)
        self.chosen_label.setStyleSheet("color: #475467;")
        self.due_edit = QDateEdit()
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setDisplayFormat("yyyy年M月d日")
        self.meeting_combo = QComboBox()
        self.meeting_combo.addItem("（不属于某次会议）", None)
        for mid, label in meetings:
            self.meeting_combo.addItem(label, mid)
        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText("如：领导批示、某单位报表中的需协调解决的问题（可不填）")
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b42318;")
        self.error_label.setWordWrap(True)

        form = QFormLayout()
        form.addRow("议定事项", self.text_edit)
        dept_box = QVBoxLayout()
        dept_box.addWidget(self.filter_edit)
        dept_box.addWidget(self.department_list)
        dept_box.addWidget(self.chosen_label)
        dept_widget = QWidget()
        dept_widget.setLayout(dept_box)
        dept_box.setContentsMargins(0, 0, 0, 0)
        form.addRow("责任单位", dept_widget)
        form.addRow("完成时限", self.due_edit)
        form.addRow("所属会议", self.meeting_combo)
        form.addRow("来源", self.source_edit)
        buttons = button_row(self, "保存", saves=True)
        # On a read-only database the dialog only shows the decision.
        read_only.writes(self.text_edit, self.department_list, self.due_edit, self.meeting_combo, self.source_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        if values is None:
            self.due_edit.setDate(_qdate(date.today()))
        else:
            self.text_edit.setPlainText(values.text)
            self.due_edit.setDate(_qdate(values.due))
            chosen = set(values.department_ids)
            for row in range(self.department_list.count()):
                item = self.department_list.item(row)
                if item.data(Qt.ItemDataRole.UserRole) in chosen:
                    item.setCheckState(Qt.CheckState.Checked)
            index = self.meeting_combo.findData(values.meeting_id)
            self.meeting_combo.setCurrentIndex(max(0, index))
            self.source_edit.setText(values.source_text)
        self._show_chosen()
        self.text_edit.setFocus()

    def set_meeting(self, meeting_id: int | None) -> None:
        """Preselect the meeting a new decision belongs to."""
        self.meeting_combo.setCurrentIndex(max(0, self.meeting_combo.findData(meeting_id)))

    def _filter_departments(self, text: str) -> None:
        from app.domain.pinyin import matches

        for row in range(self.department_list.count()):
            item = self.department_list.item(row)
            item.setHidden(not matches(text, item.text()))

    def _chosen(self) -> list[int]:
        out = []
        for row in range(self.department_list.count()):
            item = self.department_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def _show_chosen(self) -> None:
        names = [
            self.department_list.item(r).text()
            for r in range(self.department_list.count())
            if self.department_list.item(r).checkState() == Qt.CheckState.Checked
        ]
        self.chosen_label.setText("已选：" + ("、".join(names) if names else "（请勾选至少一个责任单位）"))

    def values(self) -> DecisionValues:
        """The values as entered."""
        mid = self.meeting_combo.currentData()
        return DecisionValues(
            text=self.text_edit.toPlainText().strip(),
            department_ids=tuple(self._chosen()),
            due=_pydate(self.due_edit.date()),
            meeting_id=int(mid) if mid is not None else None,
            source_text=self.source_edit.text().strip(),
        )

    def accept(self) -> None:
        """Refuse, in the dialog, a decision without text or department; keep it open to fix."""
        v = self.values()
        if not v.text:
            self.error_label.setText("请填写议定事项内容。")
            self.text_edit.setFocus()
            return
        if not v.department_ids:
            self.error_label.setText("议定事项必须指定至少一个责任单位。")
            self.filter_edit.setFocus()
            return
        super().accept()


class CloseDialog(QDialog):
    """办结销号: the closing note (required), the evidence and the day."""

    def __init__(self, decision_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("办结销号")
        self.resize(480, 320)
        shown = QLabel(decision_text)
        shown.setWordWrap(True)
        shown.setStyleSheet("font-weight: bold;")
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText("办结情况，如：方案已于11月28日印发")
        self.note_edit.setTabChangesFocus(True)
        self.evidence_edit = QLineEdit()
        self.evidence_edit.setPlaceholderText("佐证材料：文件名、文号等（可不填）")
        self.date_edit = QDateEdit(_qdate(date.today()))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy年M月d日")
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b42318;")
        form = QFormLayout()
        form.addRow("议定事项", shown)
        form.addRow("办结情况", self.note_edit)
        form.addRow("佐证材料", self.evidence_edit)
        form.addRow("销号日期", self.date_edit)
        buttons = button_row(self, "销号", saves=True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.note_edit.setFocus()

    def values(self) -> ClosingValues:
        """The values as entered."""
        return ClosingValues(
            self.note_edit.toPlainText().strip(), self.evidence_edit.text().strip(), _pydate(self.date_edit.date())
        )

    def accept(self) -> None:
        """Refuse closing without a note."""
        if not self.values().note:
            self.error_label.setText("办结销号须填写办结情况说明。")
            self.note_edit.setFocus()
            return
        super().accept()
