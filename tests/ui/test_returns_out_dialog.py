"""The 报表输出 dialog: export templates, chase missing returns, export the summary — as a clerk clicks."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.storage.db import Database
from app.ui.dialogs.returns_out import ReturnsOutDialog
from tests.returns.outdata import INDUSTRY, REFORM, build_scenario

SCREENSHOTS = "screenshots"


@pytest.fixture
def dialog(db: Database, qtbot: QtBot) -> ReturnsOutDialog:
    build_scenario(db)
    dlg = ReturnsOutDialog(db, "2025-Q3")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.department_box.count() > 1)
    return dlg


def _shot(dlg: ReturnsOutDialog, artifacts_dir: Path, name: str) -> None:
    folder = artifacts_dir / SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    dlg.grab().save(str(folder / name))


def test_dialog_offers_expected_departments_first(dialog: ReturnsOutDialog) -> None:
    items = [dialog.department_box.itemText(i) for i in range(dialog.department_box.count())]
    assert items[:4] == ["（全部应报单位）", INDUSTRY, REFORM, "省通信管理局"]
    assert "2025-Q2" in [dialog.period_box.itemData(i) for i in range(dialog.period_box.count())]
    assert "2025年第二季度" in [dialog.period_box.itemText(i) for i in range(dialog.period_box.count())]
    assert dialog.period_box.currentText() == "2025年第三季度"
    assert dialog.period_label.text() == "2025-07-01 至 2025-09-30"


def test_export_all_templates_writes_files_and_lists_them(
    dialog: ReturnsOutDialog, qtbot: QtBot, tmp_path: Path, artifacts_dir: Path
) -> None:
    dialog.folder_edit.setText(str(tmp_path))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.open_folder_button.isEnabled(), timeout=20_000)
    assert len(list(tmp_path.glob("*.xlsx"))) == 3
    assert f"{INDUSTRY}_2025年第三季度.xlsx" in dialog.template_log.toPlainText()
    assert dialog.status.text() == "已导出模板 3 份。"
    _shot(dialog, artifacts_dir, "returns_out_templates.png")


def test_existing_file_is_not_overwritten_and_the_clerk_is_told(
    dialog: ReturnsOutDialog, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / f"{REFORM}_2025年第三季度.xlsx").write_bytes(b"filled")
    shown: list[str] = []
    monkeypatch.setattr("app.ui.dialogs.returns_out.QMessageBox.warning", lambda _p, _t, text: shown.append(text))
    dialog.folder_edit.setText(str(tmp_path))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert "已有同名文件" in shown[0]
    assert dialog.export_button.isEnabled()


def test_missing_tab_lists_departments_and_drafts_the_notice(
    dialog: ReturnsOutDialog, qtbot: QtBot, artifacts_dir: Path
) -> None:
    dialog.tabs.setCurrentIndex(ReturnsOutDialog.TAB_MISSING)
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.chase_model.rowCount() == 2, timeout=20_000)
    assert dialog.chase_model.item(0, 0).text() == REFORM
    assert dialog.chase_model.item(0, 3).text() == "李四"
    assert dialog.notice_edit.toPlainText().startswith("催报通知")
    assert dialog.copy_button.isEnabled()
    _shot(dialog, artifacts_dir, "returns_out_missing.png")


def test_save_list_and_notice_use_the_chosen_files(
    dialog: ReturnsOutDialog, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.save_list_button.isEnabled(), timeout=20_000)
    targets = iter([str(tmp_path / "名单.xlsx"), str(tmp_path / "通知.txt")])
    monkeypatch.setattr("app.ui.dialogs.returns_out.QFileDialog.getSaveFileName", lambda *a, **k: (next(targets), ""))
    dialog.notice_edit.setPlainText("催报通知（已修改）")
    dialog.save_list_button.click()
    dialog.save_notice_button.click()
    assert (tmp_path / "名单.xlsx").exists()
    assert (tmp_path / "通知.txt").read_bytes().decode("utf-8-sig") == "催报通知（已修改）"


def test_summary_tab_exports_the_ledger(
    dialog: ReturnsOutDialog, qtbot: QtBot, tmp_path: Path, artifacts_dir: Path
) -> None:
    dialog.tabs.setCurrentIndex(ReturnsOutDialog.TAB_SUMMARY)
    out = tmp_path / "汇总.xlsx"
    dialog.summary_edit.setText(str(out))
    dialog.summary_button.click()
    qtbot.waitUntil(lambda: dialog.open_summary_button.isEnabled(), timeout=20_000)
    assert out.exists()
    assert "重点项目 8 个（本期已填报 2 个）" in dialog.summary_result.text()
    _shot(dialog, artifacts_dir, "returns_out_summary.png")


def test_bad_period_is_refused_before_any_work(dialog: ReturnsOutDialog, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("app.ui.dialogs.returns_out.QMessageBox.warning", lambda _p, _t, text: shown.append(text))
    dialog.period_box.setCurrentText("2025年秋")
    dialog.summary_button.click()
    assert shown and "报告期格式不正确" in shown[0]
    assert dialog.summary_button.isEnabled()


def test_typed_period_key_or_label_is_read_as_the_period(dialog: ReturnsOutDialog) -> None:
    dialog.period_box.setEditText("2025-Q2")
    assert dialog._period() == "2025-Q2"
    dialog.period_box.setEditText("2025年上半年")
    assert dialog._period() == "2025-H1"


def test_summary_file_name_follows_the_period(dialog: ReturnsOutDialog) -> None:
    assert dialog.summary_edit.text().endswith("重点项目汇总台账_2025年第三季度.xlsx")
    dialog.period_box.setCurrentText("2025-Q2")
    assert dialog.summary_edit.text().endswith("重点项目汇总台账_2025年第二季度.xlsx")
