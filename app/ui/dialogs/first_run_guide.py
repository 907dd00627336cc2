"""首次使用向导: organisation name, reporting period, the existing ledger or lead departments, contacts.

Non-modal, four steps; each step is saved when the clerk moves on (CollectionOp), and where the clerk is
is remembered in the database, so 稍后继续 closes it and the next opening resumes at the same step.

Signals: adopt_ledger() asks the main window for 导入现有台账…; open_view(str) shows a view (``ledger``);
open_project(int) opens a project's form (to pick its lead department);
period_chosen(str) sets the window's period; saved(str) after a step's answers are stored (the step key).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.periods import Period
from app.services import first_run as svc
from app.services.dashboard import period_choices
from app.storage.db import Database
from app.ui import read_only
from app.ui.ops import CollectionOp, QueryOp

DUE_DAYS_AFTER_PERIOD = 10  # returns are usually due ten days after the quarter ends


def _page(title: str, text: str) -> tuple[QWidget, QVBoxLayout]:
    page = QWidget()
    layout = QVBoxLayout(page)
    heading = QLabel(title)
    heading.setStyleSheet("font-size: 15px; font-weight: bold;")
    layout.addWidget(heading)
    explain = QLabel(text)
    explain.setWordWrap(True)
    layout.addWidget(explain)
    return page, layout


class FirstRunGuide(QDialog):
    """The 首次使用 guide. Signals: adopt_ledger(), open_view(str), open_project(int), period_chosen(str), saved(str),
    loaded()."""

    adopt_ledger = Signal()
    open_view = Signal(str)
    open_project = Signal(int)
    period_chosen = Signal(str)
    saved = Signal(str)
    loaded = Signal()

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.state = svc.GuideState()
        self.contacts: list[svc.ContactRow] = []
        self.setWindowTitle("首次使用向导")
        self.resize(820, 560)

        self.steps = QListWidget()
        self.steps.setFixedWidth(170)
        for i, key in enumerate(svc.STEPS):
            self.steps.addItem(QListWidgetItem(f"{i + 1}. {svc.STEP_LABELS[key]}"))
        self.steps.currentRowChanged.connect(self._go)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._organisation_page())
        self.pages.addWidget(self._period_page())
        self.pages.addWidget(self._ledger_page())
        self.pages.addWidget(self._contacts_page())

        self.back_button = QPushButton("上一步")
        self.back_button.clicked.connect(lambda: self._move(-1))
        self.next_button = QPushButton("保存，下一步")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.save_and_next)
        self.skip_button = QPushButton("跳过此步")
        self.skip_button.clicked.connect(self.skip)
        later = QPushButton("稍后继续")
        later.setToolTip("关闭向导；下次从 文件 → 首次使用向导 打开时回到这一步")
        later.clicked.connect(self.close)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(later)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)

        body = QHBoxLayout()
        body.addWidget(self.steps)
        body.addWidget(self.pages, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)
        read_only.writes(QShortcut(QKeySequence("Ctrl+Return"), self, self.save_and_next), self.next_button)
        self.load()

    # --- pages --------------------------------------------------------------------------------------------

    def _organisation_page(self) -> QWidget:
        page, layout = _page(
            "单位名称",
            "会议材料封面写机构名称；填报模板、汇总表和催报通知的落款写办公室名称和联系人。",
        )
        self.organisation_edit = QLineEdit()
        self.office_edit = QLineEdit()
        self.office_contact_edit = QLineEdit()
        self.office_contact_edit.setPlaceholderText("如 联系人：王某，电话：0431-88888888")
        form = QFormLayout()
        form.addRow("机构名称：", self.organisation_edit)
        form.addRow("办公室名称：", self.office_edit)
        form.addRow("办公室联系人：", self.office_contact_edit)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    def _period_page(self) -> QWidget:
        page, layout = _page(
            "报告期",
            "选择要收集报表的季度，并设定各单位报送的截止日期；总览、催报和会议报告都按这一期显示。",
        )
        self.period_box = QComboBox()
        self.period_box.currentIndexChanged.connect(self._period_picked)
        self.due_edit = QDateEdit()
        self.due_edit.setDisplayFormat("yyyy-MM-dd")
        self.due_edit.setCalendarPopup(True)
        form = QFormLayout()
        form.addRow("报告期：", self.period_box)
        form.addRow("报送截止日期：", self.due_edit)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    def _ledger_page(self) -> QWidget:
        page, layout = _page(
            "现有台账与牵头单位",
            "每个项目要有牵头单位，程序才知道该向谁收报表。办公室已有 Excel 台账的，导入即可一并带入"
            "各项目的牵头单位、计划和截至台账日期的进展；没有的，在项目台账中逐个打开项目，选择“牵头单位”。",
        )
        self.lead_summary = QLabel("")
        self.lead_summary.setWordWrap(True)
        self.lead_list = QListWidget()
        self.lead_list.setToolTip("双击（或回车）打开项目，选择牵头单位")
        self.lead_list.itemActivated.connect(lambda item: self.open_project.emit(item.data(Qt.ItemDataRole.UserRole)))
        adopt = QPushButton("导入现有台账…")
        adopt.clicked.connect(self.adopt_ledger.emit)
        to_ledger = QPushButton("到项目台账中指定…")
        to_ledger.setToolTip("打开项目台账：双击项目打开表单，在“牵头单位”中选择")
        to_ledger.clicked.connect(lambda: self.open_view.emit("ledger"))
        again = QPushButton("重新检查")
        again.clicked.connect(self.load)
        row = QHBoxLayout()
        row.addWidget(adopt)
        row.addWidget(to_ledger)
        row.addStretch(1)
        row.addWidget(again)
        layout.addWidget(self.lead_summary)
        layout.addWidget(self.lead_list, 1)
        layout.addLayout(row)
        return page

    def _contacts_page(self) -> QWidget:
        page, layout = _page(
            "各单位联系人",
            "催报名单和催报通知会写上各单位的联系人和电话。报送单位（牵头项目或负责指标的单位）排在前面。",
        )
        self.contacts_table = QTableWidget(0, 3)
        self.contacts_table.setHorizontalHeaderLabels(["单位", "联系人", "电话"])
        self.contacts_table.verticalHeader().setVisible(False)
        self.contacts_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        header = self.contacts_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.contacts_table.setColumnWidth(1, 120)
        self.contacts_table.setColumnWidth(2, 150)
        layout.addWidget(self.contacts_table, 1)
        return page

    # --- loading ------------------------------------------------------------------------------------------

    def load(self) -> None:
        """Read everything the steps show (on the database worker)."""
        database = self.database

        def job() -> dict[str, Any]:
            return {
                "state": svc.load_guide_state(database),
                "organisation": svc.load_organisation(database),
                "periods": period_choices(database),
                "default_period": svc.default_period().key,
                "without_lead": svc.projects_without_lead(database),
                "contacts": svc.department_contacts(database),
            }

        QueryOp(parent=self, op=job, success=self._show).serial("load").run_in_background()

    def _show(self, data: dict[str, Any]) -> None:
        first = not self.contacts and self.period_box.count() == 0
        self.state = data["state"]
        org: svc.Organisation = data["organisation"]
        if first:
            self.organisation_edit.setText(org.organisation)
            self.office_edit.setText(org.office_name)
            self.office_contact_edit.setText(org.office_contact)
            self.period_box.blockSignals(True)
            for key, label in data["periods"]:
                self.period_box.addItem(label, key)
            self.period_box.setCurrentIndex(max(0, self.period_box.findData(data["default_period"])))
            self.period_box.blockSignals(False)
            self._period_picked()
        without = data["without_lead"]
        self.lead_summary.setText(
            f"还有 {len(without)} 个项目没有牵头单位：" if without else "✓ 每个项目都已有牵头单位。"
        )
        self.lead_list.clear()
        for project_id, label in without:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, project_id)
            self.lead_list.addItem(item)
        self.contacts = data["contacts"]
        if first:
            self._fill_contacts()
        self._mark_steps()
        if first:
            self.steps.setCurrentRow(min(self.state.step, len(svc.STEPS) - 1))
        self.loaded.emit()

    def _fill_contacts(self) -> None:
        self.contacts_table.setRowCount(len(self.contacts))
        for i, c in enumerate(self.contacts):
            name = QTableWidgetItem(c.name + ("" if c.expected else "（非报送单位）"))
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.contacts_table.setItem(i, 0, name)
            self.contacts_table.setItem(i, 1, QTableWidgetItem(c.contact_person))
            self.contacts_table.setItem(i, 2, QTableWidgetItem(c.contact_phone))

    def _mark_steps(self) -> None:
        done = {
            "organisation": bool(self.organisation_edit.text().strip()),
            "period": "period" not in self.state.skipped and self.state.step > 1,
            "ledger": self.lead_list.count() == 0,
            "contacts": all(c.contact_person and c.contact_phone for c in self.contacts if c.expected),
        }
        for i, key in enumerate(svc.STEPS):
            mark = "✓ " if done[key] else ("– " if key in self.state.skipped else "")
            self.steps.item(i).setText(f"{mark}{i + 1}. {svc.STEP_LABELS[key]}")

    def _period_picked(self) -> None:
        key = self.period_box.currentData()
        if not key:
            return
        period = Period.parse(key)
        database = self.database

        def show_due(due: date | None) -> None:
            day = due or period.end + timedelta(days=DUE_DAYS_AFTER_PERIOD)
            self.due_edit.setDate(QDate(day.year, day.month, day.day))

        QueryOp(parent=self, op=lambda: svc.period_due(database, key), success=show_due).run_in_background()

    # --- moving -------------------------------------------------------------------------------------------

    def current_step(self) -> str:
        return svc.STEPS[self.pages.currentIndex()]

    def _go(self, index: int) -> None:
        if 0 <= index < len(svc.STEPS):
            self.pages.setCurrentIndex(index)
            self.back_button.setEnabled(index > 0)
            last = index == len(svc.STEPS) - 1
            self.next_button.setText("保存，完成" if last else "保存，下一步")
            self.status.setText("")

    def _move(self, delta: int) -> None:
        index = self.pages.currentIndex() + delta
        if 0 <= index < len(svc.STEPS):
            self.steps.setCurrentRow(index)
        self._remember(finished=False)

    def skip(self) -> None:
        """Leave this step for later; it stays listed as missing on the dashboard."""
        key = self.current_step()
        if key not in self.state.skipped:
            self.state.skipped.append(key)
        if self.pages.currentIndex() == len(svc.STEPS) - 1:
            self._remember(finished=True)
            self.accept()
            return
        self._move(1)

    def save_and_next(self) -> None:
        """Store this step's answers, then go on (or finish on the last step)."""
        key = self.current_step()
        database = self.database
        op: Any
        if key == "organisation":
            org, office, contact = (
                self.organisation_edit.text(),
                self.office_edit.text(),
                self.office_contact_edit.text(),
            )
            op = lambda: svc.set_organisation(database, org, office, contact)  # noqa: E731
        elif key == "period":
            period_key = self.period_box.currentData()
            qdate = self.due_edit.date()
            due = date(qdate.year(), qdate.month(), qdate.day())
            op = lambda: svc.set_reporting_period(database, period_key, due)  # noqa: E731
        elif key == "contacts":
            edits = self._contact_edits()
            op = lambda: [svc.set_department_contact(database, *e) for e in edits]  # noqa: E731
        else:
            op = lambda: None  # noqa: E731 — the ledger step saves through its own dialogs
        if key in self.state.skipped:
            self.state.skipped.remove(key)
        self.next_button.setEnabled(False)
        CollectionOp(parent=self, op=op).changes("settings").success(lambda _r: self._saved(key)).finally_(
            lambda: self.next_button.setEnabled(True)
        ).run_in_background()

    def _contact_edits(self) -> list[tuple[int, int, str, str]]:
        edits = []
        for i, c in enumerate(self.contacts):
            person = self._cell(i, 1)
            phone = self._cell(i, 2)
            if (person, phone) != (c.contact_person, c.contact_phone):
                edits.append((c.id, c.version, person, phone))
        return edits

    def _cell(self, row: int, column: int) -> str:
        item = self.contacts_table.item(row, column)
        return item.text().strip() if item is not None else ""

    def _saved(self, key: str) -> None:
        self.saved.emit(key)
        if key == "period":
            self.period_chosen.emit(self.period_box.currentData())
        last = self.pages.currentIndex() == len(svc.STEPS) - 1
        if last:
            self._remember(finished=True)
            self.accept()
            return
        self.state.step = self.pages.currentIndex() + 1
        self.steps.setCurrentRow(self.state.step)
        self._remember(finished=False)
        self.status.setText(f"已保存：{svc.STEP_LABELS[key]}")
        self._mark_steps()

    def _remember(self, *, finished: bool) -> None:
        if not read_only.may_write():
            return  # nothing can be saved: the guide only shows
        self.state.step = self.pages.currentIndex()
        self.state.finished = self.state.finished or finished
        state, database = self.state, self.database
        CollectionOp(parent=self, op=lambda: svc.save_guide_state(database, state)).changes(
            "settings"
        ).run_in_background()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._remember(finished=False)
        super().closeEvent(event)
