"""The import wizard and the 报表填报 view: nothing written before confirm, blocked files never imported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.services.returns import OutcomeStatus, ReturnState, Verdict, commit, preview_parsed
from app.storage.db import Database
from app.storage.models import Return
from app.ui.dialogs.import_wizard import ImportWizard
from app.ui.models.returns_models import F_VERDICT, P_LEVEL
from app.ui.views.returns_view import ReturnsView
from tests.returns.helpers import FAGAI, assign_departments, department_workbook, parsed, progress_row
from tests.ui.desk_helpers import settle


@pytest.fixture
def ledger(db: Database) -> Database:
    assign_departments(db)
    return db


def return_count(db: Database) -> int:
    with db.sessions() as s:
        return s.scalar(select(func.count(Return.id))) or 0


@pytest.fixture
def three_files(tmp_path: Path) -> list[Path]:
    good = department_workbook(
        tmp_path / "工信厅_2025Q3.xlsx",
        projects=[
            ("ZD01", "省数据灾备中心二期工程", 1200, "40%", "主体施工"),
            ("ZD02", "中石油吉林数据中心", 800, 30, ""),
        ],
    )
    warned = department_workbook(
        tmp_path / "发改委_2025Q3.xlsx",
        department="吉林省发展和改革委员会",
        projects=[
            ("ZD05", "延边州云计算和数据产业基地", 500, 20, ""),
            ("ZD04", "中国北方云基地白城云计算中心", 10, 5, ""),
        ],
    )
    blocked = department_workbook(
        tmp_path / "商务厅_2025Q3.xlsx",
        department="省商务厅",
        projects=[(None, "北方云基地白城数据中心", 10, 120, "")],
    )
    return [good, warned, blocked]


def open_wizard(qtbot: QtBot, ledger: Database, files: list[Path], monkeypatch: pytest.MonkeyPatch) -> ImportWizard:
    wizard = ImportWizard(ledger, period_key="2025-Q3")
    qtbot.addWidget(wizard)
    wizard.show()
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(f) for f in files], ""))
    with qtbot.waitSignal(wizard.previewed, timeout=20_000):
        qtbot.mouseClick(wizard.add_files_button, Qt.MouseButton.LeftButton)
        settle()
    return wizard


def verdicts(wizard: ImportWizard) -> dict[str, Verdict]:
    return {p.file_name: p.verdict for p in wizard.file_model.rows}


def test_wizard_previews_without_writing_then_imports_confirmed_files(
    qtbot: QtBot, ledger: Database, three_files: list[Path], monkeypatch: pytest.MonkeyPatch, artifacts_dir: Path
) -> None:
    wizard = open_wizard(qtbot, ledger, three_files, monkeypatch)
    assert verdicts(wizard) == {
        "工信厅_2025Q3.xlsx": Verdict.WILL_IMPORT,
        "发改委_2025Q3.xlsx": Verdict.WARNINGS,
        "商务厅_2025Q3.xlsx": Verdict.BLOCKED,
    }
    assert return_count(ledger) == 0  # the check wrote nothing
    assert "检查完毕（尚未写入）" in wizard.status.text()
    levels = {wizard.problem_model.display(p, P_LEVEL) for p in wizard.problem_model.rows}
    assert levels == {"错误", "警告"}
    screenshots = artifacts_dir / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    qtbot.wait(50)  # let the layout settle before the screenshot
    wizard.grab().save(str(screenshots / "import_wizard.png"))

    assert wizard.file_model.unconfirmed_warnings() == 1
    assert wizard.tick("发改委_2025Q3.xlsx")
    assert not wizard.tick("商务厅_2025Q3.xlsx")  # a blocked file cannot be ticked
    with qtbot.waitSignal(wizard.committed, timeout=20_000) as blocker:
        qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
        settle()
    outcomes = {o.file_name: o.status for o in blocker.args[0]}
    assert outcomes == {
        "工信厅_2025Q3.xlsx": OutcomeStatus.IMPORTED,
        "发改委_2025Q3.xlsx": OutcomeStatus.IMPORTED,
        "商务厅_2025Q3.xlsx": OutcomeStatus.REFUSED,  # logged as refused, nothing of it written
    }
    assert return_count(ledger) == 2
    with ledger.sessions() as s:
        assert all(s.scalars(select(Return.warnings_resolved)))  # the clerk confirmed them in the wizard
    assert "已导入 2 个" in wizard.status.text()
    qtbot.wait(50)
    wizard.grab().save(str(screenshots / "import_wizard_done.png"))
    row = next(i for i, p in enumerate(wizard.file_model.rows) if p.file_name == "商务厅_2025Q3.xlsx")
    assert wizard.file_model.display(wizard.file_model.rows[row], F_VERDICT) == "未导入（有错误）"


def test_unticked_file_with_warnings_is_not_imported(
    qtbot: QtBot, ledger: Database, three_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = open_wizard(qtbot, ledger, three_files[:2], monkeypatch)
    with qtbot.waitSignal(wizard.committed, timeout=20_000):
        qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
        settle()
    with ledger.sessions() as s:
        assert list(s.scalars(select(Return.file_name))) == ["工信厅_2025Q3.xlsx"]


def test_only_blocked_files_leave_import_disabled(
    qtbot: QtBot, ledger: Database, three_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = open_wizard(qtbot, ledger, three_files[2:], monkeypatch)
    assert not wizard.import_button.isEnabled()
    assert return_count(ledger) == 0


def test_problems_are_copied_as_tab_separated_text(
    qtbot: QtBot, ledger: Database, three_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = open_wizard(qtbot, ledger, three_files[2:], monkeypatch)
    qtbot.mouseClick(wizard.copy_button, Qt.MouseButton.LeftButton)
    settle()
    text = QGuiApplication.clipboard().text()
    assert text.startswith("级别\t文件\t工作表\t行\t列\t问题")
    assert "错误\t商务厅_2025Q3.xlsx\t项目进展\t4\t" in text


def _fill_period(ledger: Database) -> None:
    first = parsed(
        "工信厅_2025Q3.xlsx", progress=[progress_row(4, code="ZD01", progress_pct=40.0, investment_cumulative=1200.0)]
    )
    assert commit(ledger, preview_parsed(ledger, [first]))[0].ok
    second = parsed(
        "工信厅_2025Q3_修订.xlsx",
        progress=[
            progress_row(4, code="ZD01", progress_pct=45.0, investment_cumulative=1300.0),
            progress_row(5, code="ZD02", progress_pct=10.0),
        ],
    )
    assert commit(ledger, preview_parsed(ledger, [second]))[0].ok
    warned = parsed("发改委.xlsx", department=FAGAI, progress=[progress_row(4, code="ZD01", progress_pct=45.0)])
    assert commit(ledger, preview_parsed(ledger, [warned]), confirmed_warnings=False)[0].ok
    refused = parsed("商务厅.xlsx", department="省商务厅", progress=[progress_row(4, "不存在的项目")])
    assert commit(ledger, preview_parsed(ledger, [refused]))[0].status is OutcomeStatus.REFUSED


def test_returns_view_shows_statuses_history_and_change_summary(
    qtbot: QtBot, ledger: Database, artifacts_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill_period(ledger)
    view = ReturnsView(ledger)
    qtbot.addWidget(view)
    view.resize(1200, 720)
    view.show()
    view.set_period("2025-Q3")
    settle()
    states = {s.department_name: s.state for s in view.status_model.rows}
    assert states["省工业和信息化厅"] is ReturnState.RETURNED
    assert states["省发展改革委"] is ReturnState.UNCONFIRMED
    assert states["省商务厅"] is ReturnState.REFUSED
    assert ReturnState.MISSING not in states.values() or states.get("省通信管理局") is ReturnState.MISSING
    assert [h.current for h in view.history_model.rows].count(False) == 1
    superseded = next(r for r, h in enumerate(view.history_model.rows) if not h.current)
    current = next(r for r, h in enumerate(view.history_model.rows) if h.file_name == "工信厅_2025Q3_修订.xlsx")
    assert view.history_model.rows[superseded].superseded_by_file == "工信厅_2025Q3_修订.xlsx"
    view.history_table.selectRow(view.history_proxy.mapFromSource(view.history_model.index(current, 0)).row())
    assert "形象进度 40 → 45" in view.detail.toPlainText()
    assert "被拒 1" in view.summary.text()
    (artifacts_dir / "screenshots").mkdir(parents=True, exist_ok=True)
    qtbot.wait(50)
    view.grab().save(str(artifacts_dir / "screenshots" / "returns_view.png"))

    row = next(r for r, s in enumerate(view.status_model.rows) if s.department_name == "省发展改革委")
    view.status_table.selectRow(view.status_proxy.mapFromSource(view.status_model.index(row, 0)).row())
    assert view.confirm_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(view.confirm_button, Qt.MouseButton.LeftButton)
    settle()
    states = {s.department_name: s.state for s in view.status_model.rows}
    assert states["省发展改革委"] is ReturnState.RETURNED
    view.undo_stack.undo()
    settle()
    states = {s.department_name: s.state for s in view.status_model.rows}
    assert states["省发展改革委"] is ReturnState.UNCONFIRMED


def test_ctrl_i_opens_the_import_wizard(qtbot: QtBot, ledger: Database) -> None:
    view = ReturnsView(ledger)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    settle()
    assert isinstance(view.wizard, ImportWizard) and view.wizard.isVisible()
    view.wizard.close()


def test_import_from_the_view_can_be_undone_and_redone(
    qtbot: QtBot, ledger: Database, three_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    view = ReturnsView(ledger)
    qtbot.addWidget(view)
    view.set_period("2025-Q3")
    settle()
    wizard = view.open_import_wizard()
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(three_files[0])], ""))
    with qtbot.waitSignal(wizard.previewed, timeout=20_000):
        qtbot.mouseClick(wizard.add_files_button, Qt.MouseButton.LeftButton)
        settle()
    with qtbot.waitSignal(view.imported, timeout=20_000):
        qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
        settle()
    wizard.close()
    assert [s.state for s in view.status_model.rows if s.department_name == "省工业和信息化厅"] == [
        ReturnState.RETURNED
    ]
    assert view.undo_stack.undoText() == "导入 1 份报表"
    view.undo_stack.undo()
    settle()
    assert return_count(ledger) == 0
    assert [s.state for s in view.status_model.rows if s.department_name == "省工业和信息化厅"] == [ReturnState.MISSING]
    view.undo_stack.redo()
    settle()
    assert return_count(ledger) == 1


def test_withdraw_button_withdraws_the_selected_current_return(
    qtbot: QtBot, ledger: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill_period(ledger)
    view = ReturnsView(ledger)
    qtbot.addWidget(view)
    view.set_period("2025-Q3")
    settle()
    superseded = next(r for r, h in enumerate(view.history_model.rows) if not h.current)
    view.history_table.selectRow(view.history_proxy.mapFromSource(view.history_model.index(superseded, 0)).row())
    assert not view.withdraw_button.isEnabled()
    current = next(r for r, h in enumerate(view.history_model.rows) if h.file_name == "工信厅_2025Q3_修订.xlsx")
    view.history_table.selectRow(view.history_proxy.mapFromSource(view.history_model.index(current, 0)).row())
    assert view.withdraw_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(view.withdraw_button, Qt.MouseButton.LeftButton)
    settle()
    assert "已撤回「工信厅_2025Q3_修订.xlsx」" in view.detail.toPlainText()
    files = {h.file_name: h.current for h in view.history_model.rows}
    assert files.get("工信厅_2025Q3.xlsx") is True and "工信厅_2025Q3_修订.xlsx" not in files


def test_choosing_a_folder_checks_every_return_in_it(
    qtbot: QtBot, ledger: Database, three_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = ImportWizard(ledger, period_key="2025-Q3")
    qtbot.addWidget(wizard)
    (three_files[0].parent / "说明.txt").write_text("不是报表", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(three_files[0].parent))
    with qtbot.waitSignal(wizard.previewed, timeout=20_000):
        qtbot.mouseClick(wizard.add_folder_button, Qt.MouseButton.LeftButton)
        settle()
    assert sorted(verdicts(wizard)) == sorted(f.name for f in three_files)
    assert wizard.file_count.text() == "已选 3 个文件"


def test_dropped_files_are_checked(qtbot: QtBot, ledger: Database, three_files: list[Path]) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    wizard = ImportWizard(ledger, period_key="2025-Q3")
    qtbot.addWidget(wizard)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in three_files[:2]])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    with qtbot.waitSignal(wizard.previewed, timeout=20_000):
        wizard.dropEvent(event)
    assert sorted(verdicts(wizard)) == sorted(f.name for f in three_files[:2])


def test_a_file_without_department_is_checked_again_with_the_chosen_one(
    qtbot: QtBot, ledger: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "项目进展"
    ws.append(["项目编号", "项目名称", "形象进度（%）"])
    ws.append(["ZD01", "省数据灾备中心二期工程", 30])
    path = tmp_path / "进展.xlsx"
    wb.save(path)
    wizard = open_wizard(qtbot, ledger, [path], monkeypatch)
    assert verdicts(wizard) == {"进展.xlsx": Verdict.BLOCKED}
    assert "无法确定填报单位或报告期" in wizard.status.text()
    assert wizard.period_edit.text() == "" and "2025年第三季度" in wizard.period_edit.placeholderText()
    wizard.department_box.setCurrentText("省工信厅")
    wizard.period_edit.setText("2025-Q3")
    with qtbot.waitSignal(wizard.previewed, timeout=20_000):
        qtbot.mouseClick(wizard.recheck_button, Qt.MouseButton.LeftButton)
        settle()
    assert verdicts(wizard) == {"进展.xlsx": Verdict.WILL_IMPORT}


def test_export_buttons_write_the_chasing_list_and_the_summary(
    qtbot: QtBot, ledger: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill_period(ledger)
    view = ReturnsView(ledger)
    qtbot.addWidget(view)
    view.set_period("2025-Q3")
    settle()
    assert not view.chase_button.isHidden() and not view.summary_button.isHidden()
    targets = iter([str(tmp_path / "催报.xlsx"), str(tmp_path / "汇总.xlsx")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (next(targets), ""))
    qtbot.mouseClick(view.chase_button, Qt.MouseButton.LeftButton)
    settle()
    qtbot.mouseClick(view.summary_button, Qt.MouseButton.LeftButton)
    settle()
    assert (tmp_path / "催报.xlsx").exists() and (tmp_path / "催报.txt").exists()
    assert (tmp_path / "汇总.xlsx").exists()
    assert "已导出汇总表" in view.summary.text()


def test_returns_models_pass_the_qt_model_tester(
    qtmodeltester: Any, qtbot: QtBot, ledger: Database, three_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill_period(ledger)
    view = ReturnsView(ledger)
    qtbot.addWidget(view)
    view.set_period("2025-Q3")
    settle()
    qtmodeltester.check(view.status_model)
    qtmodeltester.check(view.history_model)
    wizard = open_wizard(qtbot, ledger, three_files, monkeypatch)
    qtmodeltester.check(wizard.file_model)
    qtmodeltester.check(wizard.problem_model)


def test_period_box_shows_labels_and_reads_typed_keys_or_labels(
    qtbot: QtBot, ledger: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill_period(ledger)
    view = ReturnsView(ledger)
    qtbot.addWidget(view)
    view.set_period("2025-Q3")
    settle()
    box = view.period_box
    assert box.currentText() == "2025年第三季度" and box.currentData() == "2025-Q3"
    assert all("-" not in box.itemText(i) for i in range(box.count()))
    box.setEditText("2025-Q2")
    box.lineEdit().editingFinished.emit()
    settle()
    assert view.period_key == "2025-Q2" and box.currentText() == "2025年第二季度"
    box.setEditText("2025年第三季度")
    box.lineEdit().editingFinished.emit()
    settle()
    assert view.period_key == "2025-Q3"
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    box.setEditText("2025年秋")
    box.lineEdit().editingFinished.emit()
    settle()
    assert view.period_key == "2025-Q3" and "报告期格式不正确" in shown[0]
    assert box.currentText() == "2025年第三季度"
