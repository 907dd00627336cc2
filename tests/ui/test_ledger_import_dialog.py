"""文件 → 导入现有台账…: the dry run shown row by row, the unit question, a tie to pick, import, Ctrl+Z."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox
from sqlalchemy import func, select

from app.services import ledger_import as svc
from app.storage.db import Database
from app.storage.models import Project
from app.ui.dialogs.ledger_import_dialog import COL_ACTION, LedgerImportDialog
from app.ui.main_window import MainWindow
from tests.ledger_book import ledger_workbook
from tests.ui.desk_helpers import LOAD_TIMEOUT_MS, screenshot


def _planned(qtbot, dialog: LedgerImportDialog, action) -> svc.LedgerPlan:
    with qtbot.waitSignal(dialog.planned, timeout=LOAD_TIMEOUT_MS) as blocker:
        action()
    return blocker.args[0]


def _project_count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Project)) or 0


def test_dry_run_shows_each_match_with_its_score(qtbot, db: Database, tmp_path: Path, artifacts_dir: Path) -> None:
    dialog = LedgerImportDialog(db)
    qtbot.addWidget(dialog)
    plan = _planned(qtbot, dialog, lambda: dialog.set_file(ledger_workbook(tmp_path / "台账.xlsx")))
    assert dialog.table.rowCount() == 4
    box = dialog.table.cellWidget(0, COL_ACTION)
    assert isinstance(box, QComboBox) and "ZD01 省数据灾备中心二期工程" in box.currentText()
    assert dialog.table.item(0, 3).text() == "0.97"
    assert "长春新区管委会" in [dialog.departments.item(i).text() for i in range(dialog.departments.count())]
    assert "ZD01 省数据灾备中心二期工程（相似度 0.97）" in dialog.listing.toPlainText()
    assert dialog.import_button.isEnabled() and plan.importable
    dialog.resize(1000, 680)
    dialog.show()
    qtbot.waitExposed(dialog)
    screenshot(dialog, artifacts_dir, "ledger-import-dry-run")


def test_units_not_stated_are_asked_before_import(qtbot, db: Database, tmp_path: Path) -> None:
    dialog = LedgerImportDialog(db)
    qtbot.addWidget(dialog)
    _planned(qtbot, dialog, lambda: dialog.set_file(ledger_workbook(tmp_path / "台账.xlsx", unit_line=None)))
    assert dialog.unit_widget.isEnabled() and "F 列“总投资”" in dialog.unit_question.text()
    assert not dialog.import_button.isEnabled()
    plan = _planned(qtbot, dialog, lambda: dialog.unit_box.setCurrentIndex(dialog.unit_box.findData("亿元")))
    assert plan.importable and dialog.import_button.isEnabled()


def test_a_tie_is_shown_and_the_clerk_picks(qtbot, db: Database, tmp_path: Path) -> None:
    rows: list[list[object]] = [[1, "数据中心", "省通信管理局", "长春市", "2016-2019", 1, 0.1, 0.5, "50%", "", ""]]
    dialog = LedgerImportDialog(db)
    qtbot.addWidget(dialog)
    _planned(qtbot, dialog, lambda: dialog.set_file(ledger_workbook(tmp_path / "台账.xlsx", rows=rows)))
    box = dialog.table.cellWidget(0, COL_ACTION)
    assert "同样接近多个项目" in box.currentText()
    assert not dialog.import_button.isEnabled()
    target = next(i for i in range(box.count()) if "吉林市江南数据中心" in box.itemText(i))
    plan = _planned(qtbot, dialog, lambda: box.setCurrentIndex(target))
    assert plan.rows[0].action == svc.Action.UPDATE and plan.rows[0].project_label.startswith("ZD03")


def test_a_return_is_said_to_be_a_return(qtbot, db: Database, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["填报单位：省工业和信息化厅"])
    ws.append(["项目名称", "本期完成投资（万元）", "形象进度（%）"])
    ws.append(["省数据灾备中心二期工程", 100, "60%"])
    wb.save(tmp_path / "r.xlsx")
    dialog = LedgerImportDialog(db)
    qtbot.addWidget(dialog)
    _planned(qtbot, dialog, lambda: dialog.set_file(tmp_path / "r.xlsx"))
    assert "部门报表" in dialog.summary.text() and not dialog.import_button.isEnabled()


def test_import_from_the_main_window_is_undone_with_ctrl_z(qtbot, db: Database, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    window = MainWindow(db)
    qtbot.addWidget(window)
    before = _project_count(db)
    assert window.adopt_ledger_action.text() == "导入现有台账…"
    window.adopt_ledger_action.trigger()
    dialog = window.ledger_import_dialog
    _planned(qtbot, dialog, lambda: dialog.set_file(ledger_workbook(tmp_path / "台账.xlsx")))
    with qtbot.waitSignal(dialog.imported, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert _project_count(db) == before + 2
    assert window.current_key() == "ledger"
    assert window.undo_action.isEnabled() and "导入现有台账" in window.undo_action.text()
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: _project_count(db) == before, timeout=LOAD_TIMEOUT_MS)
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: _project_count(db) == before + 2, timeout=LOAD_TIMEOUT_MS)
    window.close()
