"""总览: projects by status, projects behind schedule with reasons, returns received, indicators vs targets.

Every item opens its detail. Signals: open_project(int) for a project, open_status(str) for the ledger filtered
to a status, open_view(str) for another view (``returns``, ``indicators``), open_indicator(int), loaded().
Charts are drawn after the numbers, once matplotlib has been imported off the GUI thread.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.periods import Period, latest_closed_quarter
from app.services.dashboard import Dashboard, IndicatorProgress, load_dashboard
from app.services.ledger import STATUSES
from app.storage.db import Database
from app.storage.errors import KnownError
from app.ui.ops import QueryOp
from app.ui.period_box import label_of
from app.ui.tasks import run_in_background

ID_ROLE = Qt.ItemDataRole.UserRole + 1
MAX_CHARTS = 12
CHART_COLUMNS = 4
# Rows of the lagging and returns lists shown before they scroll: enough to read, small enough that every
# headline chart still fits a 1280×800 window without scrolling.
LIST_ROWS = 5
ROW_HEIGHT = 22


class DashboardView(QWidget):
    """The overview a clerk sees first. Signals: open_project(int), open_status(str), open_view(str),
    open_indicator(int), loaded()."""

    open_project = Signal(int)
    open_status = Signal(str)
    open_view = Signal(str)
    open_indicator = Signal(int)
    open_supervision = Signal(str)
    loaded = Signal()
    charts_drawn = Signal()

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.period_key = latest_closed_quarter(date.today()).key
        self.dashboard: Dashboard | None = None
        self._relays: list[Any] = []
        self._charts_ready = False
        self._charts_asked = False  # matplotlib's import is queued once, however often the numbers reload
        self._started = False

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.busy.hide()
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.busy)

        self.status_box = QGroupBox("项目状态")
        self.status_layout = QHBoxLayout(self.status_box)
        self.status_layout.setContentsMargins(6, 2, 6, 4)
        self.status_buttons: dict[str, QPushButton] = {}

        # Meeting decisions (议定事项): each count opens the 督办 view filtered to it.
        self.decisions_box = QGroupBox("议定事项")
        decisions_layout = QHBoxLayout(self.decisions_box)
        decisions_layout.setContentsMargins(6, 2, 6, 4)
        self.decision_buttons: dict[str, QPushButton] = {}
        for key, tip, colour in (
            ("open", "办理中的议定事项", ""),
            ("yellow", "距完成时限不超过提醒天数的议定事项", "#b54708"),
            ("red", "已逾期未办结的议定事项", "#b42318"),
            ("closed", "本报告期内办结销号的议定事项", "#067647"),
        ):
            button = QPushButton()
            button.setMinimumSize(84, 30)
            button.setToolTip(f"在督办中查看{tip}")
            if colour:
                button.setStyleSheet(f"color: {colour};")
            button.clicked.connect(lambda _c=False, k=key: self.open_supervision.emit(k))
            decisions_layout.addWidget(button)
            self.decision_buttons[key] = button

        self.behind_model = QStandardItemModel(self)
        self.behind_model.setHorizontalHeaderLabels(["编号", "项目", "牵头单位", "滞后原因"])
        self.behind_view = QTableView()
        self.behind_view.setModel(self.behind_model)
        self.behind_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.behind_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.behind_view.verticalHeader().hide()
        self.behind_view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.behind_view.horizontalHeader().setStretchLastSection(True)
        self.behind_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.behind_view.setColumnWidth(0, 70)
        self.behind_view.setColumnWidth(1, 220)
        self.behind_view.setColumnWidth(2, 130)
        # activated covers double-click and Enter (connecting doubleClicked too would open the project twice).
        self.behind_view.activated.connect(self._open_behind)
        self.behind_box = QGroupBox("滞后项目")
        behind_layout = QVBoxLayout(self.behind_box)
        behind_layout.setContentsMargins(6, 4, 6, 6)
        self.behind_none = QLabel("本期没有滞后项目。")
        self.behind_none.setStyleSheet("color: #067647;")
        self.behind_none.hide()
        behind_layout.addWidget(self.behind_none)
        behind_layout.addWidget(self.behind_view)

        self.returns_label = QLabel()
        self.returns_label.setStyleSheet("font-size: 14px; font-weight: bold;")
        self.returns_model = QStandardItemModel(self)
        self.returns_model.setHorizontalHeaderLabels(["部门", "本期报表"])
        self.returns_view = QTableView()
        self.returns_view.setModel(self.returns_model)
        self.returns_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.returns_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.returns_view.verticalHeader().hide()
        self.returns_view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.returns_view.horizontalHeader().setStretchLastSection(True)
        self.returns_view.setColumnWidth(0, 170)
        self.returns_view.activated.connect(lambda _i: self.open_view.emit("returns"))
        open_returns = QPushButton("打开报表填报…")
        open_returns.clicked.connect(lambda: self.open_view.emit("returns"))
        self.returns_box = QGroupBox("报表收取")
        returns_layout = QVBoxLayout(self.returns_box)
        returns_layout.setContentsMargins(6, 4, 6, 6)
        returns_head = QHBoxLayout()
        returns_head.addWidget(self.returns_label, 1)
        returns_head.addWidget(open_returns)
        returns_layout.addLayout(returns_head)
        # The task parts each department owes (督办): how many reported, are still owed, lag.
        self.parts_label = QLabel()
        self.parts_label.setTextFormat(Qt.TextFormat.RichText)
        self.parts_label.setToolTip("按职责分工，每个任务的每个责任单位每期报送一次进展")
        returns_layout.addWidget(self.parts_label)
        returns_layout.addWidget(self.returns_view, 1)
        # Both lists show a few rows and scroll; on a quiet period they no longer eat the charts' room.
        list_height = ROW_HEIGHT * (LIST_ROWS + 1) + 6
        for table in (self.behind_view, self.returns_view):
            table.setMinimumHeight(ROW_HEIGHT * 3 + 6)
            table.setMaximumHeight(list_height)

        self.charts_box = QGroupBox("指标与目标")
        self.charts_box.setMinimumHeight(240)
        self.charts_grid = QGridLayout()
        self.charts_grid.setContentsMargins(0, 0, 0, 0)
        self.charts_grid.setSpacing(4)
        charts_inner = QWidget()
        charts_inner.setLayout(self.charts_grid)
        # The scroll area only matters in a window smaller than the default: the charts shrink to fit first.
        self.charts_scroll = QScrollArea()
        self.charts_scroll.setWidgetResizable(True)
        self.charts_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.charts_scroll.setWidget(charts_inner)
        self.charts_note = QLabel("正在准备图表…")
        self.charts_note.setStyleSheet("color: #475467;")
        charts_layout = QVBoxLayout(self.charts_box)
        charts_layout.setContentsMargins(6, 4, 6, 6)
        charts_layout.setSpacing(2)
        charts_layout.addWidget(self.charts_note)
        charts_layout.addWidget(self.charts_scroll, 1)
        self.canvases: list[Any] = []

        self.upper = QSplitter(Qt.Orientation.Horizontal)
        self.upper.addWidget(self.behind_box)
        self.upper.addWidget(self.returns_box)
        self.upper.setStretchFactor(0, 3)
        self.upper.setStretchFactor(1, 2)
        self.upper.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.upper)
        self.splitter.addWidget(self.charts_box)
        self.splitter.setChildrenCollapsible(False)
        # The lists keep their few rows; every extra pixel goes to the charts.
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)

        from app.ui.widgets.readiness_banner import ReadinessBanner

        self.readiness = ReadinessBanner(database, self)
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        top.insertWidget(1, self.readiness, 2)
        layout.addLayout(top)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_box, 3)
        status_row.addWidget(self.decisions_box, 2)
        layout.addLayout(status_row)
        layout.addWidget(self.splitter, 1)
        # Load on the next turn of the event loop, not here: the main window calls set_period right after
        # construction, and loading the default period first would fetch (and title) the wrong period.
        QTimer.singleShot(0, self, self._first_load)

    # --- contract ---------------------------------------------------------------------------------------

    def set_period(self, period_key: str) -> None:
        """Show the overview for ``period_key``."""
        if period_key != self.period_key or not self._started:
            self.period_key = period_key
            self.refresh()

    def _first_load(self) -> None:
        if not self._started:
            self.refresh()

    def refresh(self) -> None:
        """Reload the numbers off the GUI thread."""
        self._started = True
        self.busy.show()
        db, key = self.database, self.period_key
        QueryOp(parent=self, op=lambda: load_dashboard(db, key), success=self._on_loaded).failure(
            self._on_failed
        ).finally_(self.busy.hide).serial("load").run_in_background()

    # --- filling ----------------------------------------------------------------------------------------

    def _on_failed(self, exc: BaseException) -> None:
        self.title.setText(exc.message if isinstance(exc, KnownError) else f"总览载入失败：{exc}")

    def _on_loaded(self, dash: Dashboard) -> None:
        self.dashboard = dash
        # After the numbers, not beside them: the first-day line must not hold up any view's first load.
        QTimer.singleShot(0, lambda: self.readiness.set_period(dash.period_key))
        try:
            label = Period.parse(dash.period_key).label
        except ValueError:
            label = dash.period_key
        self.title.setText(f"总览 · {label}")
        self._fill_statuses(dash)
        self._fill_behind(dash)
        self._fill_returns(dash)
        self._fill_decisions(dash)
        if self._charts_ready:
            self._draw_charts()
        elif not self._charts_asked:
            # matplotlib (~1 s to import) loads on the worker after the numbers are painted, not before.
            self._charts_asked = True
            QTimer.singleShot(0, self, self._preload_charts)
        self.loaded.emit()

    def _preload_charts(self) -> None:
        from app.ui.widgets import chart_canvas

        self._relays.append(
            run_in_background(chart_canvas.preload, self._on_charts_ready, self._on_charts_failed, parent=self)
        )

    def _fill_statuses(self, dash: Dashboard) -> None:
        while self.status_layout.count():
            item = self.status_layout.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.status_buttons = {}
        total = QLabel(f"共 {dash.project_total} 个项目")
        total.setStyleSheet("font-size: 14px; font-weight: bold; padding-right: 12px;")
        self.status_layout.addWidget(total)
        ordered = [s for s in STATUSES if s in dash.status_counts] + sorted(
            s for s in dash.status_counts if s not in STATUSES
        )
        for status in ordered:
            button = QPushButton(f"{status}  {dash.status_counts[status]}")
            button.setMinimumSize(90, 30)
            button.setToolTip(f"在项目台账中查看状态为「{status}」的项目")
            button.clicked.connect(lambda _c=False, s=status: self.open_status.emit(s))
            self.status_layout.addWidget(button)
            self.status_buttons[status] = button
        behind = QPushButton(f"滞后  {len(dash.behind)}")
        behind.setMinimumSize(90, 30)
        behind.setStyleSheet("color: #b42318;")
        behind.setToolTip("在项目台账中只看滞后项目")
        behind.clicked.connect(lambda: self.open_status.emit("滞后"))
        self.status_layout.addWidget(behind)
        self.status_buttons["滞后"] = behind
        self.status_layout.addStretch(1)

    def _fill_decisions(self, dash: Dashboard) -> None:
        c = dash.decisions
        self.decisions_box.setVisible(c is not None)
        if c is None:
            return
        for key, text in (
            ("open", f"办理中  {c.open}"),
            ("yellow", f"临近到期  {c.due_soon}"),
            ("red", f"已逾期  {c.overdue}"),
            ("closed", f"本期办结  {c.closed_in_period}"),
        ):
            self.decision_buttons[key].setText(text)

    def _fill_behind(self, dash: Dashboard) -> None:
        self.behind_model.removeRows(0, self.behind_model.rowCount())
        for b in dash.behind:
            cells = [QStandardItem(b.code), QStandardItem(b.name), QStandardItem(b.lead_department)]
            reason = QStandardItem("；".join(b.reasons))
            reason.setToolTip("\n".join(b.reasons))
            reason.setForeground(QColor("#b42318"))
            cells.append(reason)
            for cell in cells:
                cell.setData(b.id, ID_ROLE)
            self.behind_model.appendRow(cells)
        self.behind_box.setTitle(f"滞后项目（{len(dash.behind)} 个）")
        self.behind_none.setVisible(not dash.behind)

    def _fill_returns(self, dash: Dashboard) -> None:
        self.returns_model.removeRows(0, self.returns_model.rowCount())
        for d in dash.departments:
            name = QStandardItem(d.name)
            word = d.state or ("已报" if d.received else "未报")
            state = QStandardItem(word)
            state.setForeground(QColor("#067647") if word == "已报" else QColor("#b42318"))
            self.returns_model.appendRow([name, state])
        parts = dash.parts
        if parts.total:
            self.parts_label.setText(
                f"重点任务分工 {parts.total} 项：已报 <b>{parts.reported}</b>，"
                f"<span style='color:#b42318'>未报 <b>{parts.owed}</b></span>，"
                f"<span style='color:#b42318'>滞后 <b>{parts.lagging}</b></span>，已完成 {parts.done}"
            )
        self.parts_label.setVisible(bool(parts.total))
        expected = len(dash.departments)
        if expected:
            self.returns_label.setText(f"本期已收到 {dash.returns_received} / {expected} 个部门的报表")
        else:
            self.returns_label.setText("尚未指定任何项目的牵头单位，无应报部门")

    def _open_behind(self, index: QModelIndex) -> None:
        if index.isValid():
            project_id = index.data(ID_ROLE)
            if project_id is not None:
                self.open_project.emit(int(project_id))

    # --- charts -----------------------------------------------------------------------------------------

    def _on_charts_ready(self, _ok: object) -> None:
        self._charts_ready = True
        self._draw_charts()

    def _on_charts_failed(self, exc: BaseException, tb: str) -> None:
        self._charts_asked = False  # try again with the next reload
        self.charts_note.setText(f"图表无法显示：{exc}")

    def _draw_charts(self) -> None:
        from app.ui.widgets.chart_canvas import make_canvas, new_figure

        dash = self.dashboard
        if dash is None:
            return
        for canvas in self.canvases:
            self.charts_grid.removeWidget(canvas)
            canvas.deleteLater()
        self.canvases = []
        shown = [i for i in dash.indicators if i.target_value is not None][:MAX_CHARTS]
        without = sum(1 for i in dash.indicators if i.target_value is None)
        note = f"共 {len(dash.indicators)} 项指标，{len(shown)} 项有数值目标"
        if without:
            note += f"（其余 {without} 项为增长率或是否类目标，见「指标」）"
        self.charts_note.setText(note + "。点击图表查看指标。")
        columns = min(CHART_COLUMNS, max(len(shown), 1))
        for n, ind in enumerate(shown):
            figure = new_figure(2.6, 1.3)
            self._plot(figure, ind)
            canvas = make_canvas(figure)
            # Small minimum so three rows of four fit under the lists at 1280×800; the figure follows the cell.
            canvas.setMinimumSize(200, 104)  # three rows fit 1280×800 beside the decisions line
            canvas.setToolTip(f"{ind.name}：" + "；".join(f"{t.document}：{t.wording}" for t in ind.targets))
            canvas.setCursor(Qt.CursorShape.PointingHandCursor)
            canvas.mpl_connect("button_press_event", lambda _e, i=ind.id: self.open_indicator.emit(i))
            self.charts_grid.addWidget(canvas, n // columns, n % columns)
            self.canvases.append(canvas)
        self.charts_drawn.emit()

    @staticmethod
    def _plot(figure: Any, ind: IndicatorProgress) -> None:
        ax = figure.add_subplot()
        labels = [f"{t.year}年目标·{t.document}" for t in ind.targets]
        raw: list[float | None] = [t.value for t in ind.targets]
        labels.append(f"实际（{label_of(ind.actual_period)}）" if ind.actual_period else "实际")
        raw.append(ind.actual_value)
        values = [v or 0.0 for v in raw]
        top = ind.target_value
        reached = ind.actual_value is not None and top is not None and ind.actual_value >= top
        colors = ["#98a2b3"] * len(ind.targets) + ["#067647" if reached else "#d92d20"]
        bars = ax.barh(labels, values, color=colors, height=0.6)
        title = f"{ind.name}（{ind.unit}）" if ind.unit else ind.name
        # Centred over the whole figure, not the axes: the bar labels push the axes right and cut long names.
        figure.suptitle(title, fontsize=9 if len(title) <= 14 else 8)
        ax.tick_params(labelsize=7)
        # Each bar carries its value, so the x axis would only cost height.
        ax.xaxis.set_visible(False)
        ax.invert_yaxis()
        for bar, value, original in zip(bars, values, raw, strict=True):
            text = "暂无" if original is None else f"{value:,.4g}"
            ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {text}", va="center", fontsize=7)
        ax.set_xlim(0, max(values) * 1.35 or 1)
        ax.spines[["top", "right", "bottom"]].set_visible(False)
