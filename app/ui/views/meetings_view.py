"""会议 view: meetings, their attendance, the 需协调解决的问题 list (editable, undoable) and the printed report.

Signals: exported(str path), failed(str message), loaded() after each reload is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QObject,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel, QUndoCommand, QUndoStack
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.periods import Period, PeriodKind, latest_closed_quarter
from app.services import meetings
from app.services.meetings import MeetingData
from app.storage.db import Database
from app.storage.errors import KnownError
from app.ui import read_only
from app.ui.commands.base import forget_failed
from app.ui.commands.meeting_commands import IssueEditCommand, IssueMoveCommand
from app.ui.models.meeting_models import IssueColumn, IssueTableModel, MeetingListModel
from app.ui.ops import CollectionOp, OpQueue, QueryOp


class _ProgressRelay(QObject):
    """Carries a background render's progress to the GUI thread. Signals: moved(int done, int total, str step)."""

    moved = Signal(int, int, str)


def _quarters(around: Period, before: int = 12, after: int = 4) -> list[Period]:
    p = around
    for _ in range(before):
        p = p.previous()
    out = []
    for _ in range(before + after + 1):
        out.append(p)
        p = p.next()
    return out[::-1]


class MeetingsView(QWidget):
    """Meetings and the report printed for them."""

    exported = Signal(str)
    failed = Signal(str)
    loaded = Signal()

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.undo_stack = QUndoStack(self)
        self.current_meeting_id: int | None = None
        self.period_key = latest_closed_quarter(date.today()).key
        self._relays: list[Any] = []
        self._progress: QProgressDialog | None = None
        self._attendance_of: int | None = None  # the meeting whose attendance the ticks show
        self.queue = OpQueue()  # issue edits reach the database in the order they were made
        self._build_ui()
        self.refresh()

    # ------------------------------------------------------------------ layout
    def _build_ui(self) -> None:
        self.meeting_model = MeetingListModel(self)
        self.meeting_list = QListView()
        self.meeting_list.setModel(self.meeting_model)
        self.meeting_list.selectionModel().currentChanged.connect(self._meeting_chosen)
        new_btn = QPushButton("新建会议")
        new_btn.setToolTip("新建一次联席会议（Ctrl+N）")
        new_btn.clicked.connect(self.new_meeting)
        self.new_btn = new_btn
        self.delete_btn = QPushButton("删除会议")
        self.delete_btn.clicked.connect(self.delete_meeting)
        left = QVBoxLayout()
        left.addWidget(QLabel("会议"))
        left.addWidget(self.meeting_list)
        row = QHBoxLayout()
        row.addWidget(new_btn)
        row.addWidget(self.delete_btn)
        left.addLayout(row)
        left_box = QWidget()
        left_box.setLayout(left)

        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy年M月d日")
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("如：2025年第三季度联席会议")
        self.period_combo = QComboBox()
        for p in _quarters(latest_closed_quarter(date.today())):
            self.period_combo.addItem(p.label, p.key)
        self.department_model = QStandardItemModel(self)
        self.department_list = QListView()
        self.department_list.setModel(self.department_model)
        self.department_list.setMaximumHeight(214)  # eight rows of three: every department without scrolling
        # Several columns of check boxes: twenty-odd departments fit without scrolling.
        self.department_list.setFlow(QListView.Flow.LeftToRight)
        self.department_list.setWrapping(True)
        self.department_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.department_list.setGridSize(QSize(190, 26))  # a check box row is ~24 px: 22 clipped the first row
        self.save_btn = QPushButton("保存会议")
        self.save_btn.setToolTip("保存会议信息（Ctrl+S）")
        self.save_btn.clicked.connect(self.save_meeting)
        form = QFormLayout()
        form.addRow("会议日期", self.date_edit)
        form.addRow("会议名称", self.title_edit)
        form.addRow("报告期", self.period_combo)
        all_btn = QPushButton("全选")
        all_btn.clicked.connect(lambda: self._check_all_departments(True))
        none_btn = QPushButton("全不选")
        none_btn.clicked.connect(lambda: self._check_all_departments(False))
        pick_row = QHBoxLayout()
        pick_row.addWidget(all_btn)
        pick_row.addWidget(none_btn)
        pick_row.addStretch(1)
        form.addRow("参会单位", self.department_list)
        form.addRow("", pick_row)
        form.addRow("", self.save_btn)
        self.meeting_box = QGroupBox("会议信息")
        self.meeting_box.setLayout(form)

        self.issue_model = IssueTableModel(self)
        self.issue_model.edit_requested.connect(self._issue_edit_requested)
        self.issue_table = QTableView()
        self.issue_table.setModel(self.issue_model)
        self.issue_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.issue_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.issue_table.setWordWrap(True)
        header = self.issue_table.horizontalHeader()
        header.setSectionResizeMode(IssueColumn.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(IssueColumn.INCLUDED, QHeaderView.ResizeMode.ResizeToContents)
        self.issue_table.setColumnWidth(IssueColumn.DEPARTMENT, 140)
        self.issue_table.setColumnWidth(IssueColumn.PROJECT, 180)
        gather_btn = QPushButton("从报表汇总")
        gather_btn.setToolTip("把本报告期各单位报表中填写的“需协调解决的问题”加入清单（已有的保留修改）")
        gather_btn.clicked.connect(self.gather_issues)
        add_btn = QPushButton("新增")
        add_btn.clicked.connect(self.add_issue)
        up_btn = QPushButton("上移")
        up_btn.setToolTip("上移（Alt+↑）")
        up_btn.clicked.connect(lambda: self.move_issue(-1))
        down_btn = QPushButton("下移")
        down_btn.setToolTip("下移（Alt+↓）")
        down_btn.clicked.connect(lambda: self.move_issue(1))
        remove_btn = QPushButton("删除")
        remove_btn.setToolTip("从清单中删除所选问题（Delete）")
        remove_btn.clicked.connect(self.remove_issue)
        new_decision_btn = QPushButton("新增议定事项…")
        new_decision_btn.setToolTip("登记本次会议的议定事项（责任单位、完成时限），在“督办”中跟踪办理")
        new_decision_btn.clicked.connect(self.add_decision)
        decision_btn = QPushButton("转为议定事项…")
        decision_btn.setToolTip("把所选问题登记为本次会议的议定事项（保留来源），在“督办”中跟踪办理")
        decision_btn.clicked.connect(self.issue_to_decision)
        self.issue_edit_buttons = (gather_btn, add_btn, remove_btn, up_btn, down_btn, decision_btn, new_decision_btn)
        # Two rows, the list's own buttons over the decisions': seven in one row would not fit a 1024-px desk.
        issue_buttons, decision_buttons = QHBoxLayout(), QHBoxLayout()
        for b in self.issue_edit_buttons[:5]:
            issue_buttons.addWidget(b)
        for b in self.issue_edit_buttons[5:]:
            decision_buttons.addWidget(b)
        issue_buttons.addStretch(1)
        decision_buttons.addStretch(1)
        issues_layout = QVBoxLayout()
        issues_layout.addWidget(self.issue_table)
        issues_layout.addLayout(issue_buttons)
        issues_layout.addLayout(decision_buttons)
        self.issue_box = QGroupBox("需协调解决的问题（双击修改文字，勾选决定是否列入材料）")
        self.issue_box.setLayout(issues_layout)

        self.internal_edit = QLineEdit()
        self.margin_spin = QDoubleSpinBox()
        self.margin_spin.setRange(0, 100)
        self.margin_spin.setSuffix(" 个百分点")
        self.margin_spin.setDecimals(0)
        settings_btn = QPushButton("保存设置")
        settings_btn.clicked.connect(self.save_settings)
        self.settings_btn = settings_btn
        settings_form = QHBoxLayout()
        settings_form.addWidget(QLabel("密级标注"))
        settings_form.addWidget(self.internal_edit, 2)
        settings_form.addWidget(QLabel("滞后判定阈值"))
        settings_form.addWidget(self.margin_spin)
        settings_form.addWidget(settings_btn)
        settings_box = QGroupBox("材料设置")
        settings_box.setLayout(settings_form)

        self.preview_btn = QPushButton("打印预览")
        self.print_btn = QPushButton("打印")
        self.pdf_btn = QPushButton("导出PDF")
        self.docx_btn = QPushButton("导出Word")
        self.preview_btn.clicked.connect(self.print_preview)
        self.print_btn.clicked.connect(self.print_report)
        self.pdf_btn.clicked.connect(self.export_pdf)
        self.docx_btn.clicked.connect(self.export_docx)
        out_row = QHBoxLayout()
        out_row.addStretch(1)
        for b in (self.preview_btn, self.print_btn, self.pdf_btn, self.docx_btn):
            out_row.addWidget(b)

        # With no meeting selected the editor would show placeholder dates: show what to do instead.
        self.empty_label = QLabel(
            "尚无会议。点击「新建会议」为本报告期建立一次联席会议，\n再汇总各单位报表中需协调解决的问题。"
        )
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("font-size: 14px; color: #475467;")
        empty_new_btn = QPushButton("新建会议")
        empty_new_btn.setToolTip("新建一次联席会议（Ctrl+N）")
        empty_new_btn.setMinimumWidth(160)
        empty_new_btn.clicked.connect(self.new_meeting)
        self.empty_new_btn = empty_new_btn
        empty_layout = QVBoxLayout()
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addWidget(empty_new_btn, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)
        self.empty_page = QWidget()
        self.empty_page.setLayout(empty_layout)
        editor_layout = QVBoxLayout()
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(self.meeting_box)
        editor_layout.addWidget(self.issue_box, 1)
        self.editor_page = QWidget()
        self.editor_page.setLayout(editor_layout)
        self.editor_stack = QStackedWidget()
        self.editor_stack.addWidget(self.empty_page)
        self.editor_stack.addWidget(self.editor_page)

        right = QVBoxLayout()
        right.addWidget(self.editor_stack, 1)
        right.addWidget(settings_box)
        right.addLayout(out_row)
        right_box = QWidget()
        right_box.setLayout(right)

        splitter = QSplitter()
        splitter.addWidget(left_box)
        splitter.addWidget(right_box)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([280, 820])
        outer = QVBoxLayout(self)
        outer.addWidget(splitter)

        for keys, slot in (
            (QKeySequence.StandardKey.New, self.new_meeting),
            (QKeySequence.StandardKey.Save, self.save_meeting),
            (QKeySequence.StandardKey.Print, self.print_report),
            ("Alt+Up", lambda: self.move_issue(-1)),
            ("Alt+Down", lambda: self.move_issue(1)),
            (QKeySequence.StandardKey.Delete, self.remove_issue),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            if keys != QKeySequence.StandardKey.Print:
                read_only.writes(shortcut)
        # Everything that changes a meeting, its issues or the report settings: greyed out on a read-only database.
        read_only.writes(
            self.new_btn, self.empty_new_btn, self.delete_btn, self.save_btn, self.settings_btn, all_btn, none_btn,
            *self.issue_edit_buttons, self.date_edit, self.title_edit, self.period_combo, self.department_list,
            self.internal_edit, self.margin_spin,
        )  # fmt: skip

    # ------------------------------------------------------------------ contract with the main window
    def refresh(self) -> None:
        """Reload meetings, departments and settings from the database (on the worker; a reload asked for
        while one runs is run once more after it)."""
        database = self.database
        QueryOp(
            parent=self,
            op=lambda: (
                meetings.list_meetings(database),
                meetings.list_departments(database),
                meetings.report_settings(database),
            ),
            success=self._show_loaded,
        ).serial("load").run_in_background()

    def _show_loaded(self, loaded: tuple[list[MeetingData], list[tuple[int, str]], Any]) -> None:
        meeting_rows, departments, settings = loaded
        keep = self.current_meeting_id
        self.meeting_model.set_rows(meeting_rows)
        self._attendance_of = None  # the ticks below belong to no meeting until one is shown
        self.department_model.clear()
        for dept_id, name in departments:
            item = QStandardItem(name)
            item.setCheckable(True)
            item.setSizeHint(QSize(186, 24))  # taller than the text so the check box is not clipped at the top
            item.setEditable(False)
            item.setData(dept_id, Qt.ItemDataRole.UserRole)
            self.department_model.appendRow(item)
        self.internal_edit.setText(settings.internal_line)
        self.margin_spin.setValue(settings.lag_margin_pct)
        rows = self.meeting_model.rows
        target = next((i for i, m in enumerate(rows) if m.id == keep), 0 if rows else None)
        if target is None:
            self._show_meeting(None)
        else:
            self.meeting_list.setCurrentIndex(self.meeting_model.index(target))
            self._show_meeting(rows[target])
        self.loaded.emit()

    def set_period(self, period_key: str) -> None:
        """The period chosen in the main window: the default for new meetings."""
        self.period_key = period_key

    # ------------------------------------------------------------------ meetings
    def _meeting_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._show_meeting(self.meeting_model.rows[current.row()])

    def _show_meeting(self, meeting: MeetingData | None) -> None:
        if meeting is None or meeting.id != self.current_meeting_id:
            self.undo_stack.clear()  # commands refer to one meeting's issues
        self.current_meeting_id = meeting.id if meeting else None
        has = meeting is not None
        for w in (self.meeting_box, self.issue_box):
            w.setEnabled(has)
        self.delete_btn.setEnabled(has)
        self.editor_stack.setCurrentWidget(self.editor_page if has else self.empty_page)
        if meeting is None:
            self.title_edit.clear()
            self.issue_model.set_rows([])
            return
        self.date_edit.setDate(QDate(meeting.held_on.year, meeting.held_on.month, meeting.held_on.day))
        self.title_edit.setText(meeting.title)
        self._select_period(meeting.period_key)
        chosen = set(meeting.attendee_ids)
        for row in range(self.department_model.rowCount()):
            item = self.department_model.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        # Only now do the ticks show this meeting's attendance: a save before this point must not write them.
        self._attendance_of = meeting.id if self.department_model.rowCount() else None
        self.reload_issues()

    def reload_issues(self) -> None:
        """Load the current meeting's issues (on the worker)."""
        mid = self.current_meeting_id
        if mid is None:
            return
        database = self.database

        def show(rows: list[Any]) -> None:
            if self.current_meeting_id == mid:
                self.issue_model.set_rows(rows)
                self.issue_table.resizeRowsToContents()

        QueryOp(parent=self, op=lambda: meetings.list_issues(database, mid), success=show).serial(
            "issues"
        ).run_in_background()

    def _select_period(self, key: str) -> None:
        i = self.period_combo.findData(key)
        if i < 0 and key:
            self.period_combo.insertItem(0, Period.parse(key).label, key)
            i = 0
        self.period_combo.setCurrentIndex(max(i, 0))

    def _check_all_departments(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for row in range(self.department_model.rowCount()):
            self.department_model.item(row).setCheckState(state)

    def _attendees(self) -> list[int]:
        out = []
        for row in range(self.department_model.rowCount()):
            item = self.department_model.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def new_meeting(self) -> None:
        """Create a meeting for the current period, dated today, and select it (``loaded`` when shown)."""
        try:
            period = Period.parse(self.period_key)
        except ValueError:
            period = latest_closed_quarter(date.today())
        if period.kind is not PeriodKind.QUARTER:
            period = latest_closed_quarter(date.today())
        title = f"{period.label}联席会议"
        database = self.database

        def created(mid: int) -> None:
            self.current_meeting_id = mid
            self.refresh()
            self.title_edit.setFocus()
            self.title_edit.selectAll()

        CollectionOp(
            parent=self, op=lambda: meetings.create_meeting(database, date.today(), title, period.key), success=created
        ).changes("meetings").run_in_background()

    def save_meeting(self) -> None:
        """Store the editor's date, title, period and attendance."""
        if self.current_meeting_id is None:
            return
        qd = self.date_edit.date()
        mid = self.current_meeting_id
        database = self.database
        held_on = date(qd.year(), qd.month(), qd.day())
        title, period_key = self.title_edit.text(), str(self.period_combo.currentData())
        # Ticks not (yet) showing this meeting's attendance are never saved: that would wipe the attendance.
        attendees = self._attendees() if self._attendance_of == mid else None
        CollectionOp(
            parent=self,
            op=lambda: meetings.update_meeting(
                database, mid, held_on=held_on, title=title, period_key=period_key, attendee_ids=attendees
            ),
            success=lambda _saved: self.refresh(),
        ).changes("meetings").run_in_background()

    def delete_meeting(self) -> None:
        """Delete the selected meeting after confirmation."""
        if self.current_meeting_id is None:
            return
        answer = QMessageBox.question(self, "删除会议", "删除该会议及其问题清单？此操作不能撤销。")
        if answer != QMessageBox.StandardButton.Yes:
            return
        mid = self.current_meeting_id
        database = self.database

        def deleted(_none: None) -> None:
            self.current_meeting_id = None
            self.refresh()

        CollectionOp(parent=self, op=lambda: meetings.delete_meeting(database, mid), success=deleted).changes(
            "meetings"
        ).run_in_background()

    # ------------------------------------------------------------------ issues
    def gather_issues(self) -> None:
        """Add the period's issues from the returns to the list."""
        if self.current_meeting_id is None:
            return
        mid = self.current_meeting_id
        before = len(self.issue_model.rows)
        database = self.database

        def gathered(rows: list[Any]) -> None:
            self.issue_model.set_rows(rows)
            self.issue_table.resizeRowsToContents()
            added = len(rows) - before
            self._status(f"新增 {added} 条问题" if added else "报表中没有新的需协调解决的问题")

        CollectionOp(parent=self, op=lambda: meetings.gather_issues(database, mid), success=gathered).changes(
            "meetings"
        ).run_in_background()

    def add_issue(self) -> None:
        """Add an issue typed by the clerk and start editing its text."""
        if self.current_meeting_id is None:
            return
        mid = self.current_meeting_id
        database = self.database

        def added(result: tuple[int, list[Any]]) -> None:
            new_id, rows = result
            self.issue_model.set_rows(rows)
            row = self.issue_model.row_of(int(new_id))
            self.issue_table.edit(self.issue_model.index(row, IssueColumn.TEXT))

        def work() -> tuple[int, list[Any]]:
            new_id = meetings.add_issue(database, mid, "（请填写问题）")
            return new_id, meetings.list_issues(database, mid)

        CollectionOp(parent=self, op=work, success=added).changes("meetings").run_in_background()

    def remove_issue(self) -> None:
        """Delete the selected issue after confirmation (to leave it out of print only, untick it)."""
        index = self.issue_table.currentIndex()
        if not index.isValid() or self.current_meeting_id is None:
            return
        row = self.issue_model.rows[index.row()]
        answer = QMessageBox.question(
            self, "删除问题", f"从清单中删除“{row.text[:30]}”？\n（只是不想打印的，取消勾选“列入材料”即可。）"
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        mid = self.current_meeting_id
        database = self.database
        self.undo_stack.clear()  # earlier commands may refer to the deleted row

        def work() -> list[Any]:
            meetings.delete_issue(database, row.id)
            return meetings.list_issues(database, mid)

        CollectionOp(parent=self, op=work, success=self.issue_model.set_rows).changes("meetings").run_in_background()

    def _issue_edit_requested(self, issue_id: int, field: str, value: Any) -> None:
        row = self.issue_model.rows[self.issue_model.row_of(issue_id)]
        old = row.text if field == "text" else row.included
        if field == "text" and not str(value).strip():
            self._error("问题内容不能为空；如不需要打印，请取消勾选“列入材料”。")
            return
        self.undo_stack.push(IssueEditCommand(self, issue_id, field, old, value))

    def move_issue(self, delta: int) -> None:
        """Move the selected issue up (-1) or down (+1), undoably."""
        index = self.issue_table.currentIndex()
        if not index.isValid():
            return
        row = index.row()
        new_row = row + delta
        if not 0 <= new_row < len(self.issue_model.rows):
            return
        self.undo_stack.push(IssueMoveCommand(self, self.issue_model.rows[row].id, row, new_row))

    def _decision_choices(self) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        departments = [
            (int(item.data(Qt.ItemDataRole.UserRole)), item.text())
            for item in (self.department_model.item(r) for r in range(self.department_model.rowCount()))
        ]
        return departments, [(m.id, f"{m.held_on:%Y-%m-%d} {m.title}") for m in self.meeting_model.rows]

    def issue_to_decision(self) -> None:
        """Make the selected issue a decision of this meeting in one step (undoable)."""
        from app.ui.meeting_decisions import issue_to_decision

        index = self.issue_table.currentIndex()
        issue = self.issue_model.rows[index.row()] if index.isValid() else None
        departments, meetings_list = self._decision_choices()
        issue_to_decision(self, self, self.database, issue, departments, meetings_list, self.current_meeting_id)

    def add_decision(self) -> None:
        """Record a decision of this meeting (undoable); it is followed up in the 督办 view."""
        from app.ui.meeting_decisions import add_meeting_decision

        departments, meetings_list = self._decision_choices()
        add_meeting_decision(self, self, self.database, departments, meetings_list, self.current_meeting_id)

    def save_settings(self) -> None:
        """Store the 内部资料 line and the lag margin."""
        database, line, margin = self.database, self.internal_edit.text(), self.margin_spin.value()
        CollectionOp(parent=self, op=lambda: meetings.save_report_settings(database, line, margin)).changes(
            "meetings"
        ).run_in_background()

    # ------------------------------------------------------------------ the report
    def _report_period(self) -> str:
        if self.current_meeting_id is not None:
            return str(self.period_combo.currentData() or self.period_key)
        return self.period_key

    def _build_then(self, what: str, then: Callable[[Any], None]) -> None:
        """Build the report's content on the database worker, with a progress dialog, then call ``then``."""
        from app.services.report import build_report

        db, period, mid = self.database, self._report_period(), self.current_meeting_id
        self._busy(f"正在{what}…")

        def done(content: Any) -> None:
            self._idle()
            try:
                then(content)
            except KnownError as exc:
                self._error(exc.message)

        QueryOp(parent=self, op=lambda: build_report(db, period, mid), success=done).failure(
            self._background_failed
        ).finally_(self._idle).run_in_background()

    def _progress_relay(self, what: str) -> _ProgressRelay:
        """Show the progress dialog; the relay carries the worker's progress to it."""
        self._busy(f"正在{what}…")
        relay = _ProgressRelay(self)
        relay.moved.connect(self._progress_moved)
        self._relays.append(relay)
        return relay

    def _export(self, op: QueryOp[Any], path: str) -> None:
        """Run an export op (it reports progress through a relay); say where the file went."""

        def done(_: Any) -> None:
            self._idle()
            self._status(f"已导出：{path}")
            self.exported.emit(path)

        op.success(done).failure(self._background_failed).finally_(self._idle).run_in_background()

    def _progress_moved(self, done: int, total: int, step: str) -> None:
        progress = self._progress
        if progress is not None:
            # A modal QProgressDialog.setValue processes events, which may deliver the job's end (_idle drops
            # self._progress), so the label goes first and the local reference keeps the dialog alive.
            progress.setLabelText(f"{step}（{done}/{total}）…")
            progress.setMaximum(total)
            progress.setValue(done)

    def export_pdf(self) -> None:
        """Ask for a file name and write the report as PDF in the background."""
        path = self._ask_path("导出PDF", "PDF 文件 (*.pdf)", ".pdf")
        if not path:
            return
        from app.services.report import build_report
        from app.ui.report_render import export_pdf

        db, period, mid = self.database, self._report_period(), self.current_meeting_id
        # The progress signal is emitted on the worker thread and delivered, queued, on the GUI thread.
        moved = self._progress_relay("生成PDF").moved
        self._export(QueryOp(parent=self, op=lambda: export_pdf(build_report(db, period, mid), path, moved.emit)), path)

    def export_docx(self) -> None:
        """Ask for a file name and write the report as .docx in the background."""
        path = self._ask_path("导出Word", "Word 文档 (*.docx)", ".docx")
        if not path:
            return
        from app.reports.docx_render import export_docx
        from app.services.report import build_report
        from app.ui.report_gantt import gantt_png_pages

        db, period, mid = self.database, self._report_period(), self.current_meeting_id
        moved = self._progress_relay("生成Word文档").moved
        self._export(
            QueryOp(
                parent=self,
                op=lambda: export_docx(build_report(db, period, mid), path, moved.emit, gantt_png_pages),
            ),
            path,
        )

    def print_preview(self) -> None:
        """Build the report in the background, then show it in a print-preview dialog."""

        def show(content: Any) -> None:
            from app.ui.report_render import print_report

            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            dialog = QPrintPreviewDialog(printer, self)
            dialog.setWindowTitle("打印预览 — 联席会议材料")
            images: dict[str, Any] = {}  # the dialog repaints on every page-setup change: draw charts once
            dialog.paintRequested.connect(lambda p: print_report(content, p, images=images))
            dialog.resize(1000, 800)
            dialog.exec()

        self._build_then("准备打印预览", show)

    def print_report(self) -> None:
        """Build the report in the background, then print it through the print dialog."""

        def show(content: Any) -> None:
            from app.ui.report_render import print_report

            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            dialog = QPrintDialog(printer, self)
            dialog.setWindowTitle("打印联席会议材料")
            if dialog.exec() == QPrintDialog.DialogCode.Accepted:
                print_report(content, printer)

        self._build_then("准备打印", show)

    def _ask_path(self, title: str, filter_text: str, suffix: str) -> str:
        period = Period.parse(self._report_period()).label if self._report_period() else ""
        suggested = str(Path.home() / f"联席会议材料_{period}{suffix}")
        path, _ = QFileDialog.getSaveFileName(self, title, suggested, filter_text)
        if path and not path.lower().endswith(suffix):
            path += suffix
        return path

    # ------------------------------------------------------------------ feedback
    # --- the undo stack's host (app.ui.commands.base.CommandHost)
    def after_write(self) -> None:
        """An issue edit was saved: nothing else on this page depends on it."""

    def drop_command(self, command: QUndoCommand, exc: BaseException, *, undoing: bool) -> None:
        """An issue edit failed and was not retried: take it off the stack, show the saved issues."""
        forget_failed(self.undo_stack, self.queue, command, exc, undoing=undoing)
        self.reload_issues()

    def _busy(self, text: str) -> None:
        self._progress = QProgressDialog(text, "", 0, 0, self)
        self._progress.setWindowTitle("请稍候")
        self._progress.setCancelButton(None)
        self._progress.setMinimumDuration(300)
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        for b in (self.preview_btn, self.print_btn, self.pdf_btn, self.docx_btn):
            b.setEnabled(False)

    def _idle(self) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
        for b in (self.preview_btn, self.print_btn, self.pdf_btn, self.docx_btn):
            b.setEnabled(True)

    def _background_failed(self, exc: BaseException, tb: str = "") -> None:
        self._idle()
        if isinstance(exc, KnownError):
            self._error(exc.message)
        elif isinstance(exc, PermissionError):
            self._error("无法写入文件：文件可能正在被 Word 或 PDF 阅读器打开，请关闭后重试，或换一个文件名。")
        elif isinstance(exc, OSError):
            self._error(f"无法写入文件：{exc}")
        else:
            import logging

            logging.getLogger("taizhang").error("report failed: %s\n%s", exc, tb)
            self._error(f"生成材料时出错：{exc}")

    def _error(self, message: str) -> None:
        self.failed.emit(message)
        QMessageBox.warning(self, "会议材料", message)

    def _status(self, text: str) -> None:
        window = self.window()
        bar = getattr(window, "statusBar", None)
        if callable(bar):
            bar().showMessage(text, 5000)
