"""设置 → 单位名录与更名: departments with former names and short forms; record a renaming or a merger."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import departments as service
from app.storage.db import Database
from app.ui import read_only
from app.ui.dialogs.buttons import button_row, close_row
from app.ui.ops import CollectionOp, QueryOp

COLUMNS = ("单位", "曾用名", "简称/别名", "任务", "项目", "指标", "状态")


class DepartmentsDialog(QDialog):
    """The office's departments as they are called today, with their history; 记录更名 / 记录合并 move duties."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.lines: list[service.DepartmentLine] = []
        self.setWindowTitle("单位名录与更名")
        self.resize(980, 560)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.show_retired = QCheckBox("显示已更名或合并的原单位")
        self.show_retired.toggled.connect(lambda _on: self._fill())
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setStyleSheet("color: #475467;")
        self.history.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rename = QPushButton("记录更名(&R)…")
        rename.setToolTip("某单位自某日起改称新名称：现有任务、项目、指标移交新名称，原报表和历史保留原名（Ctrl+R）")
        rename.clicked.connect(lambda: self.record(merge=False))
        merge = QPushButton("记录合并(&M)…")
        merge.setToolTip("几个单位自某日起合并为一个单位：各自的现有职责移交合并后的单位（Ctrl+M）")
        merge.clicked.connect(lambda: self.record(merge=True))
        for keys, is_merge in (("Ctrl+R", False), ("Ctrl+M", True)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda m=is_merge: self.record(merge=m))
            read_only.writes(shortcut)
        read_only.writes(rename, merge)  # on a read-only database the names are only shown
        close = close_row(self)
        buttons = QHBoxLayout()
        buttons.addWidget(rename)
        buttons.addWidget(merge)
        buttons.addWidget(self.show_retired)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "报表按单位现名称报送。文件中的旧名称、简称（如 省卫计委）按下表对应到现名称，导入时会说明对应关系；"
            "对应不上的名称不会被猜测，会列出相近的单位供核对。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.history)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        """Reload the departments and the renaming history on the database worker."""
        database = self.database
        QueryOp(
            parent=self,
            op=lambda: (service.list_departments(database), service.list_successions(database)),
            success=self._loaded,
        ).serial("load").run_in_background()

    def _loaded(self, result: tuple[list[service.DepartmentLine], list[service.SuccessionLine]]) -> None:
        self.lines, history = result
        self._fill()
        shown = [
            f"{h.effective_from:%Y-%m-%d} {h.old_name} → {h.new_name}（{h.kind_label}，"
            f"{'内置对照表' if h.builtin else h.recorded_by}）"
            for h in history[-8:]
        ]
        self.history.setText("更名记录：" + "；".join(shown) if shown else "尚无更名记录。")

    def _fill(self) -> None:
        rows = [d for d in self.lines if d.current or self.show_retired.isChecked()]
        self.table.setRowCount(len(rows))
        for r, d in enumerate(rows):
            status = "现用" if d.current else f"{d.successor_since:%Y-%m-%d}起由{d.successor}承接"
            values = (
                d.name,
                "、".join(d.former_names),
                "、".join(d.aliases),
                str(d.tasks),
                str(d.projects),
                str(d.indicators),
                status,
            )
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if not d.current:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(r, c, item)

    def current_names(self) -> list[str]:
        """Departments that exist today, in the office's order."""
        return [d.name for d in self.lines if d.current]

    def record(self, *, merge: bool) -> None:
        """Ask for a renaming (or merger) and record it on the database worker; say what moved."""
        selected = self.table.selectionModel().selectedRows()
        rows = [d for d in self.lines if d.current or self.show_retired.isChecked()]
        preselect = rows[selected[0].row()].name if selected else ""
        form = SuccessionForm(self.current_names(), merge=merge, preselect=preselect, parent=self)
        if form.exec() != QDialog.DialogCode.Accepted:
            return
        olds, new, since, note = form.values()
        database = self.database

        def write() -> service.SuccessionResult:
            if merge:
                return service.merge_departments(database, olds, new, since, note=note)
            return service.rename_department(database, olds[0], new, since, note=note)

        CollectionOp(parent=self, op=write).changes("departments").success(self._recorded).run_in_background()

    def _recorded(self, result: service.SuccessionResult) -> None:
        QMessageBox.information(self, "单位名录", result.summary())
        self.refresh()


class SuccessionForm(QDialog):
    """记录更名 / 记录合并: old department(s), the new name, the date it took effect and a note."""

    def __init__(self, names: list[str], *, merge: bool, preselect: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.merge = merge
        self.setWindowTitle("记录合并" if merge else "记录更名")
        self.setMinimumWidth(460)
        form = QFormLayout()
        self.old_combo: QComboBox | None = None
        self.old_list: QListWidget | None = None
        if merge:
            self.old_list = QListWidget()
            for name in names:
                item = QListWidgetItem(name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if name == preselect else Qt.CheckState.Unchecked)
                self.old_list.addItem(item)
            self.old_list.itemChanged.connect(lambda _i: self.validate())
            form.addRow("合并的原单位(&O)：", self.old_list)
        else:
            self.old_combo = QComboBox()
            self.old_combo.addItems(names)
            if preselect in names:
                self.old_combo.setCurrentText(preselect)
            form.addRow("原单位(&O)：", self.old_combo)
        self.new_edit = QLineEdit()
        self.new_edit.setPlaceholderText("全称，如 省卫生健康委员会")
        self.new_edit.textChanged.connect(lambda _t: self.validate())
        form.addRow("合并后名称(&N)：" if merge else "新名称(&N)：", self.new_edit)
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        today = date.today()
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.date_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        form.addRow("生效日期(&D)：", self.date_edit)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("如 机构改革方案文号（可不填）")
        form.addRow("说明(&S)：", self.note_edit)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c0392b;")
        hint = QLabel("记录后，原单位现有的任务、项目和指标移交新单位；原单位已交的报表和历史记录保留原名称。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #667085;")
        self.buttons = button_row(self, "记录", saves=True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.validate()

    def olds(self) -> list[str]:
        if self.old_combo is not None:
            return [self.old_combo.currentText()]
        assert self.old_list is not None
        items = [self.old_list.item(i) for i in range(self.old_list.count())]
        return [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]

    def validate(self) -> bool:
        """Allow 记录 only with a new name and (for a merger) at least two departments ticked."""
        problem = ""
        if self.merge and len(self.olds()) < 2:
            problem = "请勾选至少两个合并的原单位"
        elif not self.new_edit.text().strip():
            problem = "请填写新名称"
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
        return not problem

    def values(self) -> tuple[list[str], str, date, str]:
        """(old names, new name, effective date, note)."""
        d = self.date_edit.date()
        return self.olds(), self.new_edit.text().strip(), date(d.year(), d.month(), d.day()), self.note_edit.text()
