"""导入报表: pick files or a folder (or drop them), check them in the background, confirm warnings, import.

Nothing is written until the clerk presses 导入: the check (preview) only reads. Each file is then imported
whole, in its own transaction; a file with errors is never imported, a file with warnings only when ticked.

Signals: previewed(list) after each check; committed(list) with the FileOutcomes after an import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import returns as returns_service
from app.services.returns import FileOutcome, FilePreview, OutcomeStatus, Verdict, collect_files
from app.storage.db import Database
from app.ui import read_only
from app.ui.dialogs.column_dialog import ColumnDialog
from app.ui.dialogs.identity_dialog import IdentityDialog
from app.ui.models.returns_models import (
    F_FILE,
    F_IMPORT,
    P_MESSAGE,
    FilePreviewModel,
    ProblemModel,
    Role,
)
from app.ui.ops import CollectionOp, QueryOp
from app.ui.period_box import label_of, period_from_text

FILE_FILTER = "报表文件 (*.xlsx *.xlsm *.xls *.csv *.ods *.et);;所有文件 (*)"


def _sortable(model: Any, parent: QWidget) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(Role.SORT)
    return proxy


class ImportWizard(QDialog):
    """The import wizard. Signals: previewed(list), committed(list), progressed(int, int, str)."""

    previewed = Signal(list)
    committed = Signal(list)
    progressed = Signal(int, int, str)  # emitted from the worker; Qt queues it to the GUI thread

    def __init__(self, database: Database, parent: QWidget | None = None, period_key: str | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.files: list[Path] = []
        self.overrides: dict[Path, tuple[str | None, str | None]] = {}  # chosen per file (指定单位/报告期)
        self.column_choices: dict[Path, dict[tuple[str, str], str]] = {}  # 处理未识别的列, per file
        self.busy = False
        self._relay: Any = None
        self.setWindowTitle(self.tr("导入报表"))
        self.setAcceptDrops(True)
        self.resize(1120, 720)

        intro = QLabel(
            self.tr(
                "选择各单位报回的报表（可多选，也可选择整个文件夹，或把文件拖到这里）。"
                "程序先检查，不写入；确认后才导入。有错误的文件整份不导入，有警告的文件需勾选确认。"
            )
        )
        intro.setWordWrap(True)
        self.add_files_button = QPushButton(self.tr("添加文件…"))
        self.add_files_button.setToolTip(self.tr("选择一个或多个报表文件（Ctrl+O）"))
        self.add_folder_button = QPushButton(self.tr("添加文件夹…"))
        self.add_folder_button.setToolTip(self.tr("选择文件夹，导入其中全部报表（Ctrl+Shift+O）"))
        self.clear_button = QPushButton(self.tr("清空"))
        self.file_count = QLabel(self.tr("尚未选择文件"))
        self.department_box = QComboBox()
        self.department_box.setEditable(True)
        self.department_box.addItem("")
        QueryOp(
            parent=self, op=lambda: returns_service.department_names(database), success=self.department_box.addItems
        ).run_in_background()
        self.department_box.setMinimumWidth(180)
        self.department_box.setToolTip(self.tr("只在文件中、文件名中都没有写明填报单位时使用"))
        # Left empty on purpose: a period given here is only a fallback, and one that differs from the file's
        # own would raise a warning on every file of another period.
        self.period_edit = QLineEdit()
        example = period_key or "2025-Q3"
        self.period_edit.setPlaceholderText(self.tr("如 {label}").format(label=label_of(example)))
        self.period_edit.setMinimumWidth(140)
        self.period_edit.setMaximumWidth(160)
        self.period_edit.setToolTip(
            self.tr("只在文件中、文件名中都没有写明报告期时使用；可填 {label} 或 {key}").format(
                label=label_of(example), key=example
            )
        )
        # Short text, the rule in the tooltip: the row of options must fit the dialog's width.
        self.strict_box = QCheckBox(self.tr("严格模式"))
        self.strict_box.setToolTip(self.tr("严格模式：有警告的文件也不导入"))
        self.recheck_button = QPushButton(self.tr("重新检查"))

        pick_row = QHBoxLayout()
        for w in (self.add_files_button, self.add_folder_button, self.clear_button, self.file_count):
            pick_row.addWidget(w)
        pick_row.addStretch(1)
        pick_row.addWidget(QLabel(self.tr("未写明时的填报单位：")))
        pick_row.addWidget(self.department_box)
        pick_row.addWidget(QLabel(self.tr("报告期：")))
        pick_row.addWidget(self.period_edit)
        pick_row.addWidget(self.strict_box)
        pick_row.addWidget(self.recheck_button)

        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.file_model = FilePreviewModel(self)
        self.file_proxy = _sortable(self.file_model, self)
        self.file_table = QTableView()
        self.file_table.setModel(self.file_proxy)
        self.file_table.setSortingEnabled(True)
        self.file_table.sortByColumn(F_FILE, Qt.SortOrder.AscendingOrder)
        self.file_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.file_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.file_table.verticalHeader().hide()
        header = self.file_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(F_FILE, QHeaderView.ResizeMode.Stretch)

        self.problem_model = ProblemModel(self)
        self.problem_proxy = _sortable(self.problem_model, self)
        self.problem_table = QTableView()
        self.problem_table.setModel(self.problem_proxy)
        self.problem_table.setSortingEnabled(True)
        self.problem_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problem_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.problem_table.setWordWrap(True)
        self.problem_table.verticalHeader().hide()
        pheader = self.problem_table.horizontalHeader()
        pheader.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        pheader.setSectionResizeMode(P_MESSAGE, QHeaderView.ResizeMode.Stretch)
        self.problem_title = QLabel(self.tr("问题"))
        self.copy_button = QPushButton(self.tr("复制问题"))
        self.copy_button.setToolTip(self.tr("复制所选问题（未选择时复制全部），可粘贴到 Excel 或微信"))
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setMaximumBlockCount(2000)
        self.detail.setPlaceholderText(self.tr("选择一个文件查看结论；导入后这里显示与旧报表相比的变化"))

        problems_box = QWidget()
        pl = QVBoxLayout(problems_box)
        pl.setContentsMargins(0, 0, 0, 0)
        ph = QHBoxLayout()
        ph.addWidget(self.problem_title)
        ph.addStretch(1)
        ph.addWidget(self.copy_button)
        pl.addLayout(ph)
        pl.addWidget(self.problem_table)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(problems_box)
        lower.addWidget(self.detail)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.file_table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)

        self.confirm_all_button = QPushButton(self.tr("确认全部警告"))
        self.identity_button = QPushButton(self.tr("指定单位/报告期…"))
        self.columns_button = QPushButton(self.tr("处理未识别的列…"))
        self.columns_button.setToolTip(self.tr("所选文件有不认识的列且有内容：指定对应的栏目或确认忽略后才能导入"))
        self.identity_button.setToolTip(self.tr("为所选文件指定填报单位和报告期（文件中各处写法不一致或没有写明时）"))
        self.import_button = QPushButton(self.tr("导入所选文件"))
        read_only.writes(self.import_button, self.confirm_all_button)
        self.close_button = QPushButton(self.tr("关闭"))
        # Enter checks again, never imports: importing writes the database and takes an explicit click
        # (or Alt+I) after the check. No other button may become the default by taking the focus.
        for button in (self.add_files_button, self.add_folder_button, self.clear_button, self.copy_button,
                       self.confirm_all_button, self.identity_button, self.columns_button, self.import_button,
                       self.close_button):  # fmt: skip
            button.setAutoDefault(False)
            button.setDefault(False)
        self.recheck_button.setDefault(True)
        self.import_button.setText(self.tr("导入所选文件(&I)"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_all_button)
        buttons.addWidget(self.identity_button)
        buttons.addWidget(self.columns_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(pick_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self.add_files_button.clicked.connect(self.choose_files)
        self.add_folder_button.clicked.connect(self.choose_folder)
        self.clear_button.clicked.connect(self.clear)
        self.recheck_button.clicked.connect(self.run_preview)
        self.strict_box.toggled.connect(lambda _on: self.run_preview())
        self.copy_button.clicked.connect(self.copy_problems)
        self.confirm_all_button.clicked.connect(self.confirm_all)
        self.identity_button.clicked.connect(self.choose_identity)
        self.columns_button.clicked.connect(self.choose_columns)
        self.import_button.clicked.connect(self.run_commit)
        self.close_button.clicked.connect(self.reject)
        self.file_table.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        self.file_model.dataChanged.connect(lambda *_: self._update_buttons())
        self.progressed.connect(self._on_progress)
        QShortcut(QKeySequence.StandardKey.Copy, self.problem_table, self.copy_problems)
        QShortcut(QKeySequence.StandardKey.Open, self, self.choose_files)
        QShortcut(QKeySequence("Ctrl+Shift+O"), self, self.choose_folder)
        self._update_buttons()

    # --- choosing files ----------------------------------------------------------------------------------

    def choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(self, self.tr("选择报表文件"), "", FILE_FILTER)
        if names:
            self.add_paths([Path(n) for n in names])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择存放报表的文件夹"))
        if folder:
            self.add_paths([Path(folder)])

    def add_paths(self, paths: list[Path]) -> None:
        """Add files (folders are expanded to their spreadsheets) and check them all again."""
        found, missing = collect_files(paths)
        known = {p.resolve() for p in self.files}
        self.files.extend(p for p in found if p.resolve() not in known)
        notes = missing + returns_service.unread_files(paths)
        if notes:
            self.status.setText("；".join(notes))
        self.run_preview()

    def clear(self) -> None:
        self.files = []
        self.overrides = {}
        self.column_choices = {}
        self.file_model.set_rows([])
        self.problem_model.set_rows([])
        self.detail.clear()
        self.status.clear()
        self._update_buttons()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and not self.busy:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)

    # --- checking (preview) ------------------------------------------------------------------------------

    def options(self) -> tuple[str | None, str | None, bool]:
        department = self.department_box.currentText().strip() or None
        period_text = self.period_edit.text().strip()
        period = None
        if period_text:
            try:
                period = period_from_text(period_text)
            except ValueError as exc:
                QMessageBox.warning(self, self.tr("报告期格式不正确"), str(exc))
                return department, None, self.strict_box.isChecked()
        return department, period, self.strict_box.isChecked()

    def run_preview(self) -> None:
        """Read and check every chosen file in the background; nothing is written."""
        if self.busy or not self.files:
            self._update_buttons()
            return
        department, period, strict = self.options()
        files = list(self.files)
        overrides = dict(self.overrides)
        column_choices = {p: dict(c) for p, c in self.column_choices.items()}
        database = self.database
        self._set_busy(True, self.tr("正在检查 {n} 个文件……").format(n=len(files)), len(files))

        progressed = self.progressed.emit
        QueryOp(
            parent=self,
            op=lambda: returns_service.preview(
                database,
                files,
                strict=strict,
                progress=progressed,
                overrides=overrides,
                fallback=(department, period),
                column_choices=column_choices,
            ),
            success=self._previews_ready,
        ).abandoned(self._failed).finally_(self._idle).run_in_background()

    def _previews_ready(self, previews: list[FilePreview]) -> None:
        self._set_busy(False)
        self.file_model.set_rows(previews)
        self._show_problems([p for item in previews for p in item.problems], self.tr("全部文件的问题（{n} 条）"))
        counts = {v: sum(1 for p in previews if p.verdict is v) for v in Verdict}
        ready = counts[Verdict.WILL_IMPORT] + counts[Verdict.SUPERSEDES]
        self.status.setText(
            self.tr(
                "检查完毕（尚未写入）：可导入 {a} 个，有警告待确认 {w} 个，已导入过 {d} 个，有错误不能导入 {b} 个。"
            ).format(a=ready, w=counts[Verdict.WARNINGS], d=counts[Verdict.ALREADY_IMPORTED], b=counts[Verdict.BLOCKED])
        )
        unknown = [
            p
            for p in previews
            if p.verdict is Verdict.BLOCKED and (p.validated.department is None or p.validated.period is None)
        ]
        if unknown:
            self.status.setText(
                self.status.text()
                + self.tr("其中 {n} 个文件无法确定填报单位或报告期：请在上方选择后点「重新检查」。").format(
                    n=len(unknown)
                )
            )
        self.file_table.resizeColumnsToContents()
        self.file_table.horizontalHeader().setSectionResizeMode(F_FILE, QHeaderView.ResizeMode.Stretch)
        self._update_buttons()
        self.previewed.emit(previews)

    def _failed(self, exc: BaseException) -> None:
        """After the standard message (locked database with 重试, a Chinese KnownError, or a bug report)."""
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        self.status.setText(self.tr("出错，数据库未改动：{m}").format(m=message))

    def _idle(self) -> None:
        if self.busy:
            self._set_busy(False)

    def _on_progress(self, done: int, total: int, name: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        if name:
            self.progress.setFormat(f"%v / %m  {name}")

    # --- confirming and importing ------------------------------------------------------------------------

    def choose_identity(self, dialog: IdentityDialog | None = None) -> bool:
        """Choose the department and period of the selected file, then check again; True when chosen."""
        indexes = self.file_table.selectionModel().selectedRows()
        if self.busy or not indexes:
            return False
        item: FilePreview = self.file_proxy.data(indexes[0], Role.ROW)
        parsed = item.validated.parsed
        current = self.overrides.get(item.path, (item.department_name, item.validated.period.key
                                                 if item.validated.period else parsed.period_key or ""))  # fmt: skip
        if dialog is None:
            dialog = IdentityDialog(
                item.file_name,
                [self.department_box.itemText(i) for i in range(1, self.department_box.count())],
                list(parsed.department_claims.values()),
                list(parsed.period_claims.values()),
                (current[0] or "", current[1] or ""),
                self,
            )
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        self.overrides[item.path] = dialog.choice()
        self.run_preview()
        return True

    def choose_columns(self, dialog: ColumnDialog | None = None) -> bool:
        """Map or ignore the selected file's unknown columns, then check again; True when decided."""
        indexes = self.file_table.selectionModel().selectedRows()
        if self.busy or not indexes:
            return False
        item: FilePreview = self.file_proxy.data(indexes[0], Role.ROW)
        if not item.unmapped_columns:
            return False
        if dialog is None:
            options = {sheet: returns_service.column_options(key) for sheet, _h, key, _l in item.unmapped_columns}
            columns = [(sheet, header, letter) for sheet, header, _key, letter in item.unmapped_columns]
            dialog = ColumnDialog(item.file_name, columns, options, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        self.column_choices.setdefault(item.path, {}).update(dialog.choices())
        self.run_preview()
        return True

    def confirm_all(self) -> None:
        self.file_model.confirm_all()
        self._update_buttons()

    def run_commit(self) -> None:
        """Import the ticked files, each in its own transaction, in the background."""
        rows = self.file_model.selected_rows()
        if self.busy or not rows:
            return
        # Blocked files go along so their refusal is logged (the view shows the department as 被拒).
        rows += [r for r, p in enumerate(self.file_model.rows) if p.verdict is Verdict.BLOCKED]
        chosen = [self.file_model.rows[r] for r in rows]
        database = self.database
        self._set_busy(True, self.tr("正在导入 {n} 个文件……").format(n=len(chosen)), len(chosen))

        progressed = self.progressed.emit

        def done(outcomes: list[FileOutcome]) -> None:
            self._committed(dict(zip(rows, outcomes, strict=True)))

        CollectionOp(
            parent=self,
            op=lambda: returns_service.commit(database, chosen, confirmed_warnings=True, progress=progressed),
            success=done,
        ).changes("returns").abandoned(self._failed).finally_(self._idle).run_in_background()

    def _committed(self, outcomes: dict[int, FileOutcome]) -> None:
        self._set_busy(False)
        self.file_model.set_outcomes(outcomes)
        results = list(outcomes.values())
        imported = sum(1 for o in results if o.status is OutcomeStatus.IMPORTED)
        already = sum(1 for o in results if o.status is OutcomeStatus.ALREADY_IMPORTED)
        refused = sum(1 for o in results if o.status is OutcomeStatus.REFUSED)
        failed = sum(1 for o in results if o.status is OutcomeStatus.FAILED)
        self.status.setText(
            self.tr(
                "导入完成：已导入 {i} 个，已导入过 {a} 个，有错误未导入 {r} 个，失败 {f} 个。未勾选的文件没有导入。"
            ).format(i=imported, a=already, r=refused, f=failed)
        )
        lines = []
        for o in results:
            lines.append(f"{o.file_name}：{o.message}")
            if o.change_summary:
                lines.extend(f"    {line}" for line in o.change_summary.splitlines())
        self.detail.setPlainText("\n".join(lines))
        self._update_buttons()
        self.committed.emit(results)

    def reject(self) -> None:
        # Closing mid-job would destroy the relay the worker reports to; an import is also never cut short.
        if self.busy:
            self.status.setText(self.tr("正在处理，请稍候；完成后再关闭。"))
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:
            event.ignore()
            self.status.setText(self.tr("正在处理，请稍候；完成后再关闭。"))
            return
        super().closeEvent(event)

    # --- helpers ---------------------------------------------------------------------------------------------

    def _set_busy(self, busy: bool, message: str = "", total: int = 0) -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        if busy:
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(0)
            self.progress.setFormat("%v / %m")
            self.status.setText(message)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_rows = self.file_model.rowCount() > 0
        committed = bool(self.file_model.outcomes)
        for w in (self.add_files_button, self.add_folder_button, self.clear_button, self.recheck_button):
            w.setEnabled(not self.busy)
        self.recheck_button.setEnabled(not self.busy and bool(self.files) and not committed)
        self.import_button.setEnabled(not self.busy and not committed and bool(self.file_model.selected_rows()))
        waiting = self.file_model.unconfirmed_warnings()
        self.confirm_all_button.setEnabled(not self.busy and not committed and waiting > 0)
        selected = self.file_table.selectionModel().selectedRows()
        self.identity_button.setEnabled(not self.busy and not committed and bool(selected))
        unmapped = bool(selected) and bool(self.file_proxy.data(selected[0], Role.ROW).unmapped_columns)
        self.columns_button.setEnabled(not self.busy and not committed and unmapped)
        self.copy_button.setEnabled(self.problem_model.rowCount() > 0)
        self.file_count.setText(
            self.tr("已选 {n} 个文件").format(n=len(self.files)) if self.files else self.tr("尚未选择文件")
        )
        if has_rows and waiting and not self.busy and not committed:
            self.import_button.setToolTip(
                self.tr("有 {n} 个文件有警告未确认：勾选即表示已阅读并确认").format(n=waiting)
            )
        else:
            self.import_button.setToolTip("")

    def _show_selected(self) -> None:
        indexes = self.file_table.selectionModel().selectedRows()
        if not indexes:
            problems = [p for item in self.file_model.rows for p in item.problems]
            self._show_problems(problems, self.tr("全部文件的问题（{n} 条）"))
            return
        item: FilePreview = self.file_proxy.data(indexes[0], Role.ROW)
        self._show_problems(item.problems, self.tr("「{f}」的问题（{n} 条）").replace("{f}", item.file_name))
        source_row = self.file_proxy.mapToSource(indexes[0]).row()
        outcome = self.file_model.outcomes.get(source_row)
        text = [item.verdict_text()]
        if outcome is None and item.pending_changes:
            text += ["", "与现行报表相比，导入后将变化：", item.pending_changes]
        if outcome is not None:
            text.append(outcome.message)
            if outcome.change_summary:
                text.append("与被替换的报表相比：")
                text.append(outcome.change_summary)
        self.detail.setPlainText("\n".join(text))
        self._update_buttons()

    def _show_problems(self, problems: list[Any], title: str) -> None:
        self.problem_model.set_rows(problems)
        self.problem_title.setText(title.format(n=len(problems)))
        self.problem_table.resizeRowsToContents()

    def copy_problems(self) -> None:
        """Copy the selected problems (all when none is selected) as tab-separated text with a header row."""
        selected = self.problem_table.selectionModel().selectedRows()
        rows = sorted(self.problem_proxy.mapToSource(i).row() for i in selected) or list(
            range(self.problem_model.rowCount())
        )
        header = "\t".join(self.problem_model.headerData(c, Qt.Orientation.Horizontal) for c in range(6))
        QGuiApplication.clipboard().setText(header + "\n" + self.problem_model.as_text(rows))
        self.status.setText(self.tr("已复制 {n} 条问题").format(n=len(rows)))

    def tick(self, file_name: str, checked: bool = True) -> bool:
        """Tick (confirm) or untick one file by name; used by keyboard users' scripts and tests."""
        for r, item in enumerate(self.file_model.rows):
            if item.file_name == file_name:
                state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
                return self.file_model.setData(
                    self.file_model.index(r, F_IMPORT), state, Qt.ItemDataRole.CheckStateRole
                )
        return False
