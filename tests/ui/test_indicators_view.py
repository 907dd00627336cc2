"""The 指标 view: table with both documents' targets, chart on selection, manual entry with undo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.services import indicators as service
from app.storage.db import Database
from app.storage.models import Indicator
from app.ui.dialogs.actual_dialog import ActualDialog
from app.ui.models.indicator_models import IndicatorTableModel
from app.ui.views.indicators_view import IndicatorsView
from tests.ui.desk_helpers import settle


def _id(db: Database, code: str) -> int:
    with db.session() as s:
        return s.scalars(select(Indicator.id).where(Indicator.code == code)).one()


def _loaded_view(qtbot: QtBot, db: Database) -> IndicatorsView:
    """A new view once its deferred first load has run."""
    view = IndicatorsView(db)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        pass
    return view


def _make_view(qtbot: QtBot, db: Database) -> IndicatorsView:
    view = _loaded_view(qtbot, db)
    view.resize(1280, 820)
    view.show()
    qtbot.waitExposed(view)
    return view


def _fill_dialog(monkeypatch: pytest.MonkeyPatch, period: str, value: str, source: str = "") -> list[ActualDialog]:
    """Make ActualDialog.exec type the given fields and press 保存 instead of waiting for a person."""
    seen: list[ActualDialog] = []

    def fake_exec(dialog: ActualDialog) -> int:
        seen.append(dialog)
        dialog.period_edit.setText(period)
        if dialog.value_edit is not None:
            dialog.value_edit.setText(value)
        else:
            assert dialog.value_combo is not None
            dialog.value_combo.setCurrentText(value)
        dialog.source_edit.setText(source)
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(ActualDialog, "exec", fake_exec)
    return seen


def _column(view: IndicatorsView, column: int) -> list[str]:
    model = view.table_model
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_view_lists_both_broadband_targets_side_by_side(qtbot: QtBot, db: Database, artifacts_dir: Path) -> None:
    ind = _id(db, "ZB06")
    for year, value in (("2015", "40"), ("2016", "45"), ("2017", "49.5"), ("2018", "53"), ("2019", "57.2")):
        service.record_actual(db, ind, year, value, "省通信管理局年报", user="李四")
    view = _make_view(qtbot, db)
    view.set_period("2019")
    settle()
    view.select_indicator(ind)
    rows = [r for r in range(view.table_model.rowCount()) if view.table_model.row_data(r).indicator_id == ind]
    docs = {view.table_model.row_data(r).document: view.table_model.row_data(r).status for r in rows}
    assert docs == {"《关于促进互联网经济发展的指导意见》": "滞后", "《扩大和升级信息消费实施方案》": "达标"}
    screenshots = artifacts_dir / "screenshots"
    screenshots.mkdir(exist_ok=True)
    qtbot.wait(50)
    view.grab().save(str(screenshots / "indicators_view.png"))


def test_status_tooltip_shows_the_rule(qtbot: QtBot, db: Database) -> None:
    view = _make_view(qtbot, db)
    model = view.table_model
    row = model.row_of_indicator(_id(db, "ZB05"))
    tooltip = model.data(model.index(row, IndicatorTableModel.COL_STATUS), Qt.ItemDataRole.ToolTipRole)
    assert "规则：" in tooltip and "达标" in tooltip


def test_selecting_an_indicator_shows_its_chart(qtbot: QtBot, db: Database) -> None:
    view = _make_view(qtbot, db)
    view.table.selectRow(view.table_model.row_of_indicator(_id(db, "ZB05")))
    assert view.canvas is not None
    titles = [ax.get_title() for ax in view.canvas.figure.axes]
    assert titles == ["互联网产业规模（亿元）"]


def test_indicator_without_target_says_so(qtbot: QtBot, db: Database) -> None:
    view = _make_view(qtbot, db)
    assert "（文件未设目标）" in _column(view, IndicatorTableModel.COL_TARGET)


def test_manual_entry_appears_with_its_source_and_undo_removes_it(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _make_view(qtbot, db)
    view.select_indicator(_id(db, "ZB05"))
    _fill_dialog(monkeypatch, "2016", "960", "2016年统计公报")
    view.add_action.trigger()
    settle()
    assert view.actuals_model.rowCount() == 1
    assert "2016年统计公报" in view.actuals_model.actual(0).source_label
    assert view.undo_stack.count() == 1
    view.undo_stack.undo()
    settle()
    assert view.actuals_model.rowCount() == 0
    view.undo_stack.redo()
    settle()
    assert view.actuals_model.rowCount() == 1
    assert view.actuals_model.actual(0).value == 960


def test_ctrl_n_opens_the_entry_dialog(qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    view = _make_view(qtbot, db)
    seen = _fill_dialog(monkeypatch, "2016", "960")
    view.windowHandle().requestActivate()  # the offscreen platform activates only on request
    qtbot.waitUntil(view.isActiveWindow)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    settle()
    assert len(seen) == 1


def test_dialog_shows_problems_beside_the_fields(qtbot: QtBot, db: Database) -> None:
    data = service.get_indicator(db, _id(db, "ZB06"))
    dialog = ActualDialog(db, data, default_period="2016")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.value_edit is not None
    dialog.value_edit.setText("120")
    assert "百分比" in dialog.value_error.text() and not ok.isEnabled()
    dialog.period_edit.setText("去年")
    assert "报告期格式" in dialog.period_error.text()
    dialog.show()
    qtbot.waitExposed(dialog)
    (Path(__file__).resolve().parents[2] / "artifacts" / "screenshots").mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / "indicators_dialog.png"))
    dialog.period_edit.setText("2016")
    dialog.value_edit.setText("48")
    assert dialog.period_error.text() == "" and dialog.value_error.text() == "" and ok.isEnabled()


def test_milestone_dialog_offers_yes_or_no(qtbot: QtBot, db: Database) -> None:
    dialog = ActualDialog(db, service.get_indicator(db, _id(db, "ZB16")), default_period="2020")
    qtbot.addWidget(dialog)
    assert dialog.value_combo is not None and dialog.value_edit is None
    assert dialog.value_text() == "已实现"


def test_edit_and_delete_are_undoable(qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    ind = _id(db, "ZB05")
    service.record_actual(db, ind, "2016", "960", "公报", user="李四")
    view = _make_view(qtbot, db)
    view.select_indicator(ind)
    view.actuals.selectRow(0)
    _fill_dialog(monkeypatch, "2016", "990", "更正")
    view.edit_action.trigger()
    settle()
    assert view.actuals_model.actual(0).value == 990
    view.actuals.selectRow(0)
    view.delete_action.trigger()
    settle()
    assert view.actuals_model.rowCount() == 0
    view.undo_stack.undo()  # the deletion
    settle()
    assert view.actuals_model.actual(0).value == 990
    view.undo_stack.undo()  # the correction, on the row the undo re-created
    settle()
    assert view.actuals_model.actual(0).value == 960
    view.undo_stack.redo()
    settle()
    view.undo_stack.redo()
    settle()
    assert view.actuals_model.rowCount() == 0


def test_actual_from_a_return_cannot_be_edited(qtbot: QtBot, db: Database) -> None:
    from tests.storage.test_indicator_service import _add_return_actual

    _add_return_actual(db, "ZB05", "2019", 1500)
    view = _make_view(qtbot, db)
    view.select_indicator(_id(db, "ZB05"))
    view.actuals.selectRow(0)
    assert "报表" in view.actuals_model.actual(0).source_label
    assert not view.edit_action.isEnabled() and not view.delete_action.isEnabled()


def test_set_period_changes_the_assessment_date(qtbot: QtBot, db: Database) -> None:
    view = _make_view(qtbot, db)
    view.set_period("2018-Q4")
    settle()
    assert view.as_of_label.text() == "评估截至：2018年第四季度"


def test_export_writes_the_indicator_table(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "指标.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    view = _make_view(qtbot, db)
    view.export_action.trigger()
    settle()
    ws = load_workbook(out)["指标"]
    names = [ws.cell(row=r, column=1).value for r in range(3, ws.max_row + 1)]
    assert names.count("固定宽带家庭普及率") == 2


def test_refused_entry_shows_a_chinese_message(qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    view = _make_view(qtbot, db)
    monkeypatch.setattr(ActualDialog, "exec", lambda _d: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(ActualDialog, "values", lambda _d: ("2016", "abc", ""))
    view.add_action.trigger()
    settle()
    assert shown and "不是数字" in shown[0]


def test_item_models_pass_the_model_tester(qtbot: QtBot, db: Database, qtmodeltester: Any) -> None:
    service.record_actual(db, _id(db, "ZB05"), "2016", "960", user="李四")
    view = _make_view(qtbot, db)
    view.select_indicator(_id(db, "ZB05"))
    qtmodeltester.check(view.table_model)
    qtmodeltester.check(view.actuals_model)


def test_delete_key_in_the_actuals_table_deletes_the_manual_actual(qtbot: QtBot, db: Database) -> None:
    service.record_actual(db, _id(db, "ZB05"), "2016", "960", user="李四")
    view = _make_view(qtbot, db)
    view.select_indicator(_id(db, "ZB05"))
    view.windowHandle().requestActivate()
    qtbot.waitUntil(view.isActiveWindow)
    view.actuals.setFocus()
    view.actuals.selectRow(0)
    qtbot.keyClick(view.actuals, Qt.Key.Key_Delete)
    settle()
    assert view.actuals_model.rowCount() == 0
    assert view.undo_stack.undoText() == "删除实际值（2016）"


def test_chart_waits_until_the_view_is_shown(qtbot: QtBot, db: Database) -> None:
    view = _loaded_view(qtbot, db)
    assert view.current_indicator() is not None and view.canvas is None
    view.show()
    qtbot.waitExposed(view)
    assert view.canvas is not None


def test_rules_button_explains_every_kind_of_target(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: shown.append(text))
    view = _make_view(qtbot, db)
    view.rules_action.trigger()
    assert all(word in shown[0] for word in ("数量目标", "增速目标", "节点目标", "手工录入值"))


def test_choosing_the_reporting_department_saves_it_and_undo_clears_it(qtbot: QtBot, db: Database) -> None:
    view = _make_view(qtbot, db)
    broadband = _id(db, "ZB06")
    view.select_indicator(broadband)
    combo = view.department_combo
    assert combo.isEnabled() and combo.currentText() == "（未指定）"
    index = combo.findText("省通信管理局")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    settle()
    assert service.get_indicator(db, broadband).responsible_department == "省通信管理局"
    assert view.current_indicator().id == broadband and combo.currentText() == "省通信管理局"
    assert view.undo_stack.undoText() == "指定报送单位（省通信管理局）"
    view.undo_stack.undo()
    settle()
    assert service.get_indicator(db, broadband).responsible_department == ""
    assert combo.currentText() == "（未指定）"
    view.undo_stack.redo()
    settle()
    assert service.get_indicator(db, broadband).responsible_department == "省通信管理局"


def test_dialog_offers_periods_by_name_and_returns_their_keys(qtbot: QtBot, db: Database) -> None:
    dialog = ActualDialog(db, service.get_indicator(db, _id(db, "ZB06")), default_period="2016")
    qtbot.addWidget(dialog)
    assert dialog.period_box.currentText() == "2016年"
    assert all("-" not in dialog.period_box.itemText(i) for i in range(dialog.period_box.count()))
    assert dialog.values()[0] == "2016"
    box = dialog.period_box
    box.setCurrentIndex(next(i for i in range(box.count()) if box.itemText(i).endswith("季度")))
    assert "-Q" in dialog.values()[0]


def test_view_loads_once_for_the_period_set_right_after_construction(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[str | None] = []
    real = service.list_indicators
    monkeypatch.setattr(
        service,
        "list_indicators",
        lambda d, as_of=None: (d is db and loads.append(as_of)) or real(d, as_of=as_of),
    )
    view = IndicatorsView(db)
    qtbot.addWidget(view)
    view.set_period("2025-Q2")  # as the main window does right after constructing a view
    settle()
    qtbot.wait(50)  # a deferred load of "today" would have run by now
    assert loads == ["2025-Q2"]
    assert view.as_of_label.text() == "评估截至：2025年第二季度"
