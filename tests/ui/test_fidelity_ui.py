"""The GUI side of portfolio fidelity: department renamings, the organisation's name, related and chosen targets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.services import departments as department_service
from app.services import indicators as indicator_service
from app.services import settings as settings_service
from app.storage.db import Database
from app.storage.models import AuditEntry, Department
from app.ui.dialogs.actual_dialog import ActualDialog
from app.ui.dialogs.departments_dialog import DepartmentsDialog, SuccessionForm
from app.ui.dialogs.settings_dialog import SettingsDialog
from app.ui.views.indicators_view import IndicatorsView
from tests.ui.desk_helpers import settle


def test_departments_dialog_shows_todays_names_with_former_ones_and_records_a_renaming(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch, artifacts_dir: Path
) -> None:
    dialog = DepartmentsDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=5000)
    names = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert names["省文化和旅游厅"] == "省文化厅、省旅游发展委"
    assert "省卫生计生委" not in names  # renamed away: shown only with 显示已更名或合并的原单位
    assert "2018-10-18 省卫生计生委 → 省卫生健康委员会" in dialog.history.text()
    dialog.grab().save(str(artifacts_dir / "departments_dialog.png"))

    monkeypatch.setattr(SuccessionForm, "exec", lambda self: int(QDialog.DialogCode.Accepted))
    monkeypatch.setattr(SuccessionForm, "values", lambda self: (["省教育厅"], "省教育委员会", date(2024, 3, 1), "测试"))
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: said.append(text))
    dialog.record(merge=False)
    qtbot.waitUntil(lambda: bool(said), timeout=5000)
    assert said[0].startswith("已记录：省教育厅 更名为 省教育委员会（新建单位）")
    assert department_service.resolve_name(db, "省教育厅").name == "省教育委员会"


def test_succession_form_needs_a_new_name_and_two_departments_to_merge(qtbot: QtBot) -> None:
    form = SuccessionForm(["省工商局", "省质监局", "省教育厅"], merge=True, preselect="省工商局")
    qtbot.addWidget(form)
    form.new_edit.setText("省市场监督管理厅")
    assert not form.validate() and "至少两个" in form.problem.text()
    assert form.old_list is not None
    form.old_list.item(1).setCheckState(form.old_list.item(0).checkState())
    assert form.validate()
    assert form.values()[0] == ["省工商局", "省质监局"]


def test_settings_dialog_saves_the_organisation_name(qtbot: QtBot, db: Database, artifacts_dir: Path) -> None:
    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=5000)
    dialog.edits[settings_service.ORGANISATION_SETTING].setText("吉林省互联网经济发展联席会议")
    dialog.grab().save(str(artifacts_dir / "settings_dialog.png"))
    dialog.save()
    qtbot.waitUntil(lambda: dialog.result() == int(QDialog.DialogCode.Accepted), timeout=5000)
    values = {v.spec.key: v.value for v in settings_service.list_settings(db)}
    assert values[settings_service.ORGANISATION_SETTING] == "吉林省互联网经济发展联席会议"


def _view(qtbot: QtBot, db: Database) -> IndicatorsView:
    view = IndicatorsView(db)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        pass
    view.resize(1280, 820)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_recording_3g4g_users_offers_and_records_mobile_broadband_users_in_one_undo_step(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _view(qtbot, db)
    zb07 = indicator_service.indicator_id_by_code(db, "ZB07")
    zb12 = indicator_service.indicator_id_by_code(db, "ZB12")
    view.select_indicator(zb07)

    def fake_exec(dialog: ActualDialog) -> int:
        assert dialog.related_box is not None and "移动宽带用户普及率" in dialog.related_box.text()
        dialog.period_edit.setText("2019")
        assert dialog.value_edit is not None
        dialog.value_edit.setText("86")
        dialog.related_box.setChecked(True)
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(ActualDialog, "exec", fake_exec)
    view.add_actual()
    settle(qtbot)  # both figures are written on the database worker
    assert [a.value for a in indicator_service.get_indicator(db, zb12).actuals] == [86.0]
    assert [a.value for a in indicator_service.get_indicator(db, zb07).actuals] == [86.0]
    view.undo_stack.undo()
    settle(qtbot)
    assert indicator_service.get_indicator(db, zb07).actuals == ()
    assert indicator_service.get_indicator(db, zb12).actuals == ()


def test_broadband_shows_both_targets_and_the_clerk_chooses_the_reported_one(
    qtbot: QtBot, db: Database, artifacts_dir: Path
) -> None:
    view = _view(qtbot, db)
    zb06 = indicator_service.indicator_id_by_code(db, "ZB06")
    view.select_indicator(zb06)
    assert view.reported_combo.isVisible() and view.reported_combo.count() == 2
    assert view.reported_combo.currentData() == "infoconsumption-2018"
    assert "不同目标" in view.detail_label.text() and "〔报告口径〕" in view.detail_label.text()
    view.grab().save(str(artifacts_dir / "indicators_disagreement.png"))
    view.reported_combo.setCurrentIndex(view.reported_combo.findData("guidance-2015"))
    view._reported_chosen()
    qtbot.waitUntil(
        lambda: indicator_service.get_indicator(db, zb06).reported_document_key == "guidance-2015", timeout=5000
    )
    with db.session() as s:
        assert s.scalars(select(AuditEntry).where(AuditEntry.field == "reported_document_id")).first() is not None
    view.undo_stack.undo()
    qtbot.waitUntil(
        lambda: indicator_service.get_indicator(db, zb06).reported_document_key == "infoconsumption-2018",
        timeout=5000,
    )
    with db.session() as s:
        assert s.scalars(select(Department).where(Department.name == "省广播电视局")).one()
