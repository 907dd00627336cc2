"""The project form: edits saved through the service, undo/redo audited, validation beside fields, stale edits."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox

from app.services import projects
from app.storage.db import Database
from app.ui.dialogs.project_form import ProjectFormDialog
from tests.ui.desk_helpers import VALID_CODE, activate, screenshot, settle


@pytest.fixture
def form(qtbot, db: Database) -> ProjectFormDialog:
    dialog = ProjectFormDialog(db, 4)
    qtbot.addWidget(dialog)
    dialog.resize(900, 640)
    settle()
    return dialog


@pytest.fixture
def programme_form(qtbot, db: Database) -> ProjectFormDialog:
    dialog = ProjectFormDialog(db, 9)
    qtbot.addWidget(dialog)
    dialog.resize(900, 640)
    settle()
    return dialog


def _type(form: ProjectFormDialog, field: str, text: str) -> bool:
    """Type into a field and leave it; wait until the save (or refusal) is shown. True when it went ahead."""
    widget = form.fields[field]
    if isinstance(widget, QComboBox):
        widget.setEditText(text)
    else:
        assert isinstance(widget, QLineEdit)
        widget.setText(text)
    went_ahead = form.commit_field(field)
    settle()
    return went_ahead


def test_edit_is_saved_with_audit_entry(form: ProjectFormDialog, db: Database) -> None:
    assert _type(form, "planned_investment", "120,000")
    assert projects.load_project(db, 4).values["planned_investment"] == 120000.0
    entry = projects.audit_for_project(db, 4)[0]
    assert (entry.field, entry.old_value, entry.new_value) == ("planned_investment", "", "120000")


def test_undo_restores_value_through_service_and_audits_it(form: ProjectFormDialog, db: Database) -> None:
    _type(form, "region", "长春市")
    form.undo_stack.undo()
    settle()
    assert projects.load_project(db, 4).values["region"] == "白城市"
    assert form.fields["region"].currentText() == "白城市"
    entry = projects.audit_for_project(db, 4)[0]
    assert (entry.old_value, entry.new_value) == ("长春市", "白城市")


def test_redo_reapplies_edit(form: ProjectFormDialog, db: Database) -> None:
    _type(form, "region", "长春市")
    form.undo_stack.undo()
    settle()
    form.undo_stack.redo()
    settle()
    assert projects.load_project(db, 4).values["region"] == "长春市"


def test_ctrl_z_in_form_undoes(form: ProjectFormDialog, db: Database, qtbot) -> None:
    from PySide6.QtCore import Qt

    _type(form, "region", "长春市")
    activate(qtbot, form)
    qtbot.keyClick(form, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle()
    assert projects.load_project(db, 4).values["region"] == "白城市"


def test_bad_date_message_sits_beside_field(form: ProjectFormDialog, db: Database) -> None:
    assert not _type(form, "planned_end", "2025-02-30")
    assert form.errors["planned_end"].text() == "“2025-02-30”不是存在的日期"
    assert projects.audit_for_project(db, 4) == []


def test_end_before_start_is_refused(form: ProjectFormDialog) -> None:
    _type(form, "planned_start", "2025-06-01")
    assert not _type(form, "planned_end", "2025-01-01")
    assert "早于" in form.errors["planned_end"].text()


def test_duplicate_code_is_refused_beside_field(form: ProjectFormDialog, db: Database) -> None:
    _type(form, "code", "ZD01")
    assert "已被其他项目使用" in form.errors["code"].text()
    assert form.undo_stack.count() == 0
    assert projects.load_project(db, 4).values["code"] == "ZD04"


def _answer_boxes(monkeypatch, button_text: str | None) -> list[QMessageBox]:
    """Answer every QMessageBox the form opens with the button of ``button_text`` (None: close it unanswered)."""
    seen: list[QMessageBox] = []

    def exec_(box: QMessageBox) -> int:
        seen.append(box)
        for b in box.buttons():
            if b.text() == button_text:
                b.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return seen


def _someone_else_sets(db_path, field: str, value) -> None:  # type: ignore[no-untyped-def]
    other = Database(db_path)
    projects.update_project(other, 4, projects.load_project(other, 4).version, {field: value})
    other.dispose()


def test_stale_edit_is_refused_and_shows_both_values(
    form: ProjectFormDialog, db_path, db: Database, monkeypatch
) -> None:
    boxes = _answer_boxes(monkeypatch, "保留对方的值")
    _someone_else_sets(db_path, "planned_investment", 35000.0)
    _type(form, "planned_investment", "40000")
    settle()
    assert boxes, "the clerk was not told"
    text = boxes[0].text() + boxes[0].informativeText()
    assert "您填写的：40,000" in text and "现在数据库中的：35,000" in text
    assert "重新应用我的修改" in [b.text() for b in boxes[0].buttons()]
    assert projects.load_project(db, 4).values["planned_investment"] == 35000.0
    assert form.fields["planned_investment"].text() == "35000"
    assert form.undo_stack.count() == 0


def test_stale_edit_can_be_applied_again(form: ProjectFormDialog, db_path, db: Database, monkeypatch) -> None:
    _answer_boxes(monkeypatch, "重新应用我的修改")
    _someone_else_sets(db_path, "region", "吉林市")
    _type(form, "region", "长春市")
    settle()
    settle()
    assert projects.load_project(db, 4).values["region"] == "长春市"
    assert form.fields["region"].currentText() == "长春市"
    assert form.undo_stack.count() == 1  # the re-applied edit, undoable back to 吉林市


def test_closing_with_an_invalid_date_asks_and_can_go_back(
    qtbot, form: ProjectFormDialog, db: Database, monkeypatch
) -> None:
    boxes = _answer_boxes(monkeypatch, "返回修改")
    form.show()
    widget = form.fields["planned_start"]
    widget.setText("2025-13-01")
    form.commit_field("planned_start")
    form.reject()
    assert boxes and "计划开工" in boxes[0].text() and "2025-13-01" in boxes[0].text()
    assert form.isVisible()
    boxes2 = _answer_boxes(monkeypatch, "放弃并关闭")
    form.reject()
    assert boxes2 and not form.isVisible()
    assert projects.load_project(db, 4).values["planned_start"] != "2025-13-01"


def test_closing_right_after_typing_waits_for_the_save(qtbot, form: ProjectFormDialog, db: Database) -> None:
    form.show()
    form.fields["planned_investment"].setText("777")
    form.commit_field("planned_investment")
    form.reject()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10_000)
    assert projects.load_project(db, 4).values["planned_investment"] == 777.0


def test_milestone_add_and_undo(form: ProjectFormDialog, db: Database) -> None:
    form.milestones_tab.name_edit.setText("开工")
    form.milestones_tab.date_edit.setText("2024-05-01")
    assert form.milestones_tab.add_from_inputs()
    settle()
    assert [m.name for m in projects.load_project(db, 4).milestones] == ["开工"]
    form.undo_stack.undo()
    settle()
    assert projects.load_project(db, 4).milestones == []
    assert form.milestone_model.rowCount() == 0


def test_milestone_cell_edit_sets_actual_date(form: ProjectFormDialog, db: Database) -> None:
    form.milestones_tab.name_edit.setText("开工")
    form.milestones_tab.add_from_inputs()
    settle()
    index = form.milestone_model.index(0, 2)
    assert form.milestone_model.setData(index, "2024-06-01")
    settle()
    assert str(projects.load_project(db, 4).milestones[0].actual_date) == "2024-06-01"


def test_member_with_wrong_check_character_shows_message(programme_form: ProjectFormDialog, db: Database) -> None:
    wrong = VALID_CODE[:17] + ("0" if VALID_CODE[17] != "0" else "1")
    programme_form.members_tab.name_edit.setText("吉林某科技有限公司")
    programme_form.members_tab.code_edit.setText(wrong)
    assert not programme_form.members_tab.add_from_inputs()
    assert "校验位" in programme_form.members_tab.errors["credit_code"].text()
    assert projects.load_project(db, 9).members == []


def test_member_is_registered_and_audited(programme_form: ProjectFormDialog, db: Database) -> None:
    programme_form.members_tab.name_edit.setText("吉林某科技有限公司")
    programme_form.members_tab.code_edit.setText(VALID_CODE.lower())
    programme_form.members_tab.year_edit.setText("2024")
    assert programme_form.members_tab.add_from_inputs()
    settle()
    members = projects.load_project(db, 9).members
    assert [(m.name, m.credit_code, m.year_counted) for m in members] == [("吉林某科技有限公司", VALID_CODE, 2024)]
    assert programme_form.audit_model.rowCount() >= 2


def test_members_tab_hidden_for_key_project(form: ProjectFormDialog) -> None:
    assert not form.tabs.isTabVisible(form.members_tab_index)


def test_form_models_pass_model_tester(programme_form: ProjectFormDialog, qtmodeltester) -> None:
    programme_form.members_tab.name_edit.setText("吉林某科技有限公司")
    programme_form.members_tab.add_from_inputs()
    settle()
    programme_form.milestones_tab.name_edit.setText("认定")
    programme_form.milestones_tab.add_from_inputs()
    settle()
    for model in (programme_form.member_model, programme_form.milestone_model, programme_form.audit_model):
        qtmodeltester.check(model)


def test_screenshots_of_form(programme_form: ProjectFormDialog, form: ProjectFormDialog, artifacts_dir) -> None:
    _type(form, "planned_start", "2024-03-01")
    form.milestones_tab.name_edit.setText("主体完工")
    form.milestones_tab.date_edit.setText("2025-06-30")
    form.milestones_tab.add_from_inputs()
    settle()
    form.show()
    screenshot(form, artifacts_dir, "project_form")
    form.tabs.setCurrentIndex(3)
    screenshot(form, artifacts_dir, "project_form_audit")
    programme_form.members_tab.name_edit.setText("吉林某科技有限公司")
    programme_form.members_tab.code_edit.setText(VALID_CODE)
    programme_form.members_tab.add_from_inputs()
    settle()
    programme_form.show()
    programme_form.tabs.setCurrentIndex(programme_form.members_tab_index)
    screenshot(programme_form, artifacts_dir, "project_form_members")


def test_escape_saves_field_being_edited(form: ProjectFormDialog, db: Database, qtbot) -> None:
    activate(qtbot, form)
    notes = form.fields["notes"]
    notes.setFocus()
    qtbot.waitUntil(notes.hasFocus)
    notes.setPlainText("待核实投资额")
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    settle()
    assert projects.load_project(db, 4).values["notes"] == "待核实投资额"


def test_undo_past_delete_reaches_earlier_milestone_edit(form: ProjectFormDialog, db: Database, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    form.milestones_tab.name_edit.setText("开工")
    form.milestones_tab.add_from_inputs()
    settle()
    form.milestone_model.setData(form.milestone_model.index(0, 2), "2024-06-01")
    settle()
    form.milestones_tab.view.setCurrentIndex(form.milestone_model.index(0, 0))
    form.milestones_tab.delete_selected()
    settle()
    form.undo_stack.undo()  # the milestone comes back under a new id
    settle()
    form.undo_stack.undo()  # the actual date edit still finds it
    settle()
    assert [(m.name, m.actual_date) for m in projects.load_project(db, 4).milestones] == [("开工", None)]
    form.undo_stack.undo()
    settle()
    assert projects.load_project(db, 4).milestones == []
    for _ in range(3):
        form.undo_stack.redo()
        settle()
    assert projects.load_project(db, 4).milestones == []
    assert form.undo_stack.count() == 3


def test_form_says_why_project_is_behind(qtbot, db: Database) -> None:
    from datetime import date

    projects.add_milestone(db, 2, "开工", date(2020, 1, 1))
    dialog = ProjectFormDialog(db, 2)
    qtbot.addWidget(dialog)
    settle()
    assert "开工" in dialog.lag_label.text()


def test_lag_line_clears_when_milestone_done(qtbot, db: Database) -> None:
    from datetime import date

    projects.add_milestone(db, 2, "开工", date(2020, 1, 1))
    dialog = ProjectFormDialog(db, 2)
    qtbot.addWidget(dialog)
    settle()
    dialog.milestone_model.setData(dialog.milestone_model.index(0, 2), "2020-01-05")
    settle()
    assert dialog.lag_label.text() == ""


def _milestone_due_mid_q3(db: Database) -> None:
    """Project 2 behind only by a milestone due 15 Aug 2025 (no plan span, so elapsed time plays no part)."""
    from datetime import date

    projects.update_project(db, 2, projects.load_project(db, 2).version, {"planned_start": None, "planned_end": None})
    projects.add_milestone(db, 2, "主体完工", date(2025, 8, 15))


@pytest.mark.parametrize("period_key, behind", [("2025-Q2", False), ("2025-Q3", True)])
def test_form_lag_line_agrees_with_the_ledger_row_of_its_period(
    qtbot, db: Database, period_key: str, behind: bool
) -> None:
    from app.services.ledger import load_ledger

    _milestone_due_mid_q3(db)
    dialog = ProjectFormDialog(db, 2, period_key=period_key)
    qtbot.addWidget(dialog)
    settle()
    row = next(r for r in load_ledger(db, period_key, with_members=False).rows if r.id == 2)
    assert row.behind is behind
    assert ("主体完工" in dialog.lag_label.text()) is behind
    assert all(reason in dialog.lag_label.text() for reason in row.lag_reasons)


def test_form_without_a_period_judges_lag_for_the_latest_closed_quarter(qtbot, db: Database) -> None:
    from datetime import date

    from app.domain.periods import latest_closed_quarter

    dialog = ProjectFormDialog(db, 2)
    qtbot.addWidget(dialog)
    settle()
    assert dialog.period == latest_closed_quarter(date.today())


def test_main_window_opens_the_form_for_its_current_period(qtbot, db: Database, monkeypatch) -> None:
    from app.ui.main_window import MainWindow

    opened: list[ProjectFormDialog] = []
    monkeypatch.setattr(ProjectFormDialog, "exec", lambda self: opened.append(self) or 0)
    win = MainWindow(db)
    qtbot.addWidget(win)
    settle()  # the status bar's period list comes from the database worker
    key = win.period_combo.itemData(2)
    win.set_period(key)
    win.open_project(2)
    assert [d.period.key for d in opened] == [key]
    win.close()


def test_undo_and_redo_are_marked_in_the_change_record(form: ProjectFormDialog, db: Database, artifacts_dir) -> None:
    _type(form, "region", "长春市")
    form.undo_stack.undo()
    settle()
    form.undo_stack.redo()
    settle()
    actions = [a.action for a in projects.audit_for_project(db, 4)[:3]]
    assert actions == ["redo", "undo", "update"]
    model = form.audit_model
    form.reload()
    settle()
    words = [model.index(r, 3).data() for r in range(min(3, model.rowCount()))]
    assert words[:3] == ["↷ 重做", "↶ 撤销", "修改"]
    assert model.index(0, 3).data(Qt.ItemDataRole.ForegroundRole) is not None
