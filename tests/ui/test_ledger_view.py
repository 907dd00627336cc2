"""项目台账: filters, pinyin search, sorting, column chooser, opening and deleting."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.services import projects
from app.storage.db import Database
from app.ui.models.ledger_model import COL_CODE, COL_PLANNED, COL_PROGRESS, COL_REGION, LedgerRole
from app.ui.views.ledger_view import LedgerView, NodeKind, TreeRole
from tests.ui.desk_helpers import VALID_CODE, open_loaded, reload, screenshot

# Exact scenarios on the first twelve projects (see tests/first_portfolio.py).
pytestmark = pytest.mark.usefixtures("first_portfolio")


def _codes(view: LedgerView) -> list[str]:
    return [view.proxy.index(r, COL_CODE).data() for r in range(view.proxy.rowCount())]


@pytest.fixture
def ledger(qtbot, db: Database) -> LedgerView:
    view = open_loaded(qtbot, LedgerView, db)
    view.resize(1280, 760)
    return view


def test_ledger_lists_every_seeded_project(ledger: LedgerView, artifacts_dir) -> None:
    assert len(_codes(ledger)) == 12
    ledger.show()
    screenshot(ledger, artifacts_dir, "ledger")


def test_pinyin_initials_find_data_centres(ledger: LedgerView) -> None:
    ledger.search.setText("sjzx")
    names = [ledger.proxy.index(r, 1).data() for r in range(ledger.proxy.rowCount())]
    assert names and all("数据中心" in n for n in names)


def test_full_pinyin_search_matches(ledger: LedgerView) -> None:
    ledger.search.setText("yunjisuan")
    assert "ZD04" in _codes(ledger)


def test_search_by_code(ledger: LedgerView) -> None:
    ledger.search.setText("jh0")
    assert _codes(ledger) == ["JH01", "JH02", "JH03", "JH04"]


def test_region_filter(ledger: LedgerView, qtbot) -> None:
    ledger.region.setCurrentText("延边州")
    assert _codes(ledger) == ["ZD05"]


def test_status_filter(ledger: LedgerView, qtbot, db: Database) -> None:
    # 暂停 is a status a clerk sets; the others follow the period's returns (app.domain.project_status).
    projects.update_project(db, 2, projects.load_project(db, 2).version, {"status": "暂停"})
    reload(qtbot, ledger)
    ledger.status.setCurrentText("暂停")
    assert _codes(ledger) == ["ZD02"]


def test_department_filter(ledger: LedgerView, qtbot, db: Database) -> None:
    detail = projects.load_project(db, 3)
    dept_id, dept_name = detail.departments[0]
    projects.update_project(db, 3, detail.version, {"lead_department_id": dept_id})
    reload(qtbot, ledger)
    ledger.department.setCurrentText(dept_name)
    assert _codes(ledger) == ["ZD03"]


def test_behind_only_shows_overdue_project(ledger: LedgerView, qtbot, db: Database) -> None:
    projects.add_milestone(db, 1, "开工", date(2020, 3, 1))
    reload(qtbot, ledger)
    ledger.behind_only.setChecked(True)
    assert _codes(ledger) == ["ZD01"]
    assert "开工" in ledger.proxy.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)


def test_tree_task_selection_filters_projects(ledger: LedgerView) -> None:
    index = ledger._find_node(NodeKind.PROJECT, 9)
    assert index is not None
    ledger.tree.setCurrentIndex(index.parent())  # the task 三(二)1 that holds JH01
    assert _codes(ledger) == ["JH01"]


def test_tree_all_projects_clears_task_filter(ledger: LedgerView) -> None:
    ledger.tree.setCurrentIndex(ledger._find_node(NodeKind.PROJECT, 9).parent())
    ledger.tree.setCurrentIndex(ledger.tree_model.index(0, 0))
    assert len(_codes(ledger)) == 12


def test_sorting_by_code_descending(ledger: LedgerView) -> None:
    ledger.table.sortByColumn(COL_CODE, Qt.SortOrder.DescendingOrder)
    assert _codes(ledger)[0] == "ZD08"


def test_hidden_column_is_remembered(ledger: LedgerView, qtbot, db: Database) -> None:
    ledger.set_column_visible(COL_REGION, False)
    second = open_loaded(qtbot, LedgerView, db)
    assert second.table.isColumnHidden(COL_REGION)


def test_enter_opens_current_project(ledger: LedgerView, qtbot) -> None:
    ledger.show()
    ledger.select_project(4)
    ledger.table.setFocus()
    with qtbot.waitSignal(ledger.open_project) as blocker:
        qtbot.keyClick(ledger.table, Qt.Key.Key_Return)
    assert blocker.args == [4]


def test_delete_on_project_is_refused_with_explanation(ledger: LedgerView, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    ledger.select_project(1)
    ledger.delete_current()
    assert shown and "不删除项目" in shown[0]


def test_delete_member_asks_then_undo_restores_it(ledger: LedgerView, qtbot, db: Database, monkeypatch) -> None:
    projects.add_member(db, 9, "吉林示范科技有限公司", VALID_CODE, "长春市", 2024)
    reload(qtbot, ledger)
    asked: list[str] = []

    def yes(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    ledger.show()
    ledger.tree.expand(ledger._find_node(NodeKind.PROJECT, 9))  # members are filled on expansion
    member = next(i for i in ledger._walk() if i.data(TreeRole.KIND) == NodeKind.MEMBER)
    ledger.tree.setCurrentIndex(member)
    with qtbot.waitSignal(ledger.loaded, timeout=10_000):
        qtbot.keyClick(ledger.tree, Qt.Key.Key_Delete)
    assert asked and projects.load_project(db, 9).members == []
    with qtbot.waitSignal(ledger.loaded, timeout=10_000):
        ledger.undo_stack.undo()
    assert [m.name for m in projects.load_project(db, 9).members] == ["吉林示范科技有限公司"]
    actions = [a.action for a in projects.audit_for_project(db, 9)]  # newest first
    assert actions[0] == "undo" and "delete" in actions  # the re-created member is marked as an undo


def test_ledger_models_pass_model_tester(ledger: LedgerView, qtmodeltester) -> None:
    qtmodeltester.check(ledger.model)
    qtmodeltester.check(ledger.proxy)


def test_rows_carry_project_id_role(ledger: LedgerView) -> None:
    assert ledger.proxy.index(0, 0).data(LedgerRole.PROJECT_ID) is not None


def test_typing_over_table_searches(ledger: LedgerView, qtbot) -> None:
    ledger.show()
    qtbot.keyClicks(ledger.table, "s")
    assert ledger.search.text() == "s"


def test_column_width_is_remembered(ledger: LedgerView, qtbot, db: Database) -> None:
    ledger.table.setColumnWidth(COL_REGION, 173)
    qtbot.waitUntil(lambda: not ledger._header_timer.isActive(), timeout=3000)
    second = open_loaded(qtbot, LedgerView, db)
    assert second.table.columnWidth(COL_REGION) == 173


@pytest.fixture
def ledger_with_returns(qtbot, db: Database) -> LedgerView:
    from tests.returns.outdata import build_scenario

    build_scenario(db)
    view = LedgerView(db)
    qtbot.addWidget(view)
    view.resize(1124, 723)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.set_period("2025-Q3")
    return view


def _row_of(view: LedgerView, code: str) -> int:
    return _codes(view).index(code)


def test_money_is_right_aligned_with_thousands_separators(ledger_with_returns: LedgerView, artifacts_dir) -> None:
    view = ledger_with_returns
    view.show()
    screenshot(view, artifacts_dir, "ledger_with_returns")
    row = _row_of(view, "ZD05")
    planned = view.proxy.index(row, COL_PLANNED)
    assert planned.data() == "12,345.5"
    assert view.proxy.index(_row_of(view, "ZD01"), COL_PLANNED).data() == "50,000"
    assert planned.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_progress_shows_as_percent(ledger_with_returns: LedgerView) -> None:
    view = ledger_with_returns
    assert view.proxy.index(_row_of(view, "ZD01"), COL_PROGRESS).data() == "35%"


def test_lagging_row_is_red_across_the_row_with_reason_in_tooltip(ledger_with_returns: LedgerView) -> None:
    view = ledger_with_returns
    row = _row_of(view, "ZD01")
    for column in range(view.proxy.columnCount()):
        index = view.proxy.index(row, column)
        assert index.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b42318", column
        assert "主体开工" in index.data(Qt.ItemDataRole.ToolTipRole)
    on_time = view.proxy.index(_row_of(view, "ZD02"), COL_CODE)
    assert on_time.data(Qt.ItemDataRole.ForegroundRole) is None


def test_planned_investment_sorts_by_amount_and_the_count_follows_the_search(ledger_with_returns: LedgerView) -> None:
    view = ledger_with_returns
    view.table.sortByColumn(COL_PLANNED, Qt.SortOrder.DescendingOrder)
    amounts = [view.proxy.index(r, COL_PLANNED).data(LedgerRole.SORT) for r in range(view.proxy.rowCount())]
    assert amounts == sorted(amounts, reverse=True) and amounts[0] >= 50_000  # by amount, not as text
    assert not view.proxy.flags(view.proxy.index(0, COL_PLANNED)) & Qt.ItemFlag.ItemIsEditable
    view.search.setText("ZD0")
    shown = view.proxy.rowCount()
    behind = sum(1 for r in range(shown) if view.proxy.index(r, 0).data(LedgerRole.BEHIND))
    assert view.count_label.text() == f"显示 {shown} / {view.model.rowCount()} 个项目，滞后 {behind} 个" and behind
