"""MeetingsView: create a meeting, edit and reorder issues with undo, export the report."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.services import meetings
from app.storage.db import Database
from app.ui.models.meeting_models import IssueColumn
from app.ui.views.meetings_view import MeetingsView
from tests.reports.seed_returns import CLOUD_ISSUE, PERIOD, POWER_ISSUE, Seeded, seed_quarter
from tests.ui.desk_helpers import settle


@pytest.fixture
def quarter(db: Database) -> Seeded:
    return seed_quarter(db)


@pytest.fixture
def view(qtbot: QtBot, db: Database, quarter: Seeded) -> MeetingsView:
    v = MeetingsView(db)
    v.set_period(PERIOD)
    qtbot.addWidget(v)
    v.resize(1100, 720)
    v.show()
    settle()
    return v


@pytest.fixture
def no_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Message boxes record their text instead of blocking."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: shown.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    return shown


def test_new_meeting_is_listed_and_selected(view: MeetingsView, db: Database) -> None:
    view.new_meeting()
    settle()
    mid = view.current_meeting_id
    assert mid is not None
    assert meetings.get_meeting(db, mid).period_key == PERIOD
    assert view.meeting_model.rowCount() == 1


def test_saving_the_editor_stores_title_and_attendance(view: MeetingsView, db: Database, quarter: Seeded) -> None:
    view.new_meeting()
    settle()
    mid = view.current_meeting_id
    assert mid is not None
    view.title_edit.setText("第三季度联席会议")
    for row in range(view.department_model.rowCount()):
        item = view.department_model.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == quarter.it_id:
            item.setCheckState(Qt.CheckState.Checked)
    view.save_meeting()
    settle()
    saved = meetings.get_meeting(db, mid)
    assert saved.title == "第三季度联席会议" and saved.attendee_ids == [quarter.it_id]


def test_edit_issue_text_then_undo_restores_it(view: MeetingsView, db: Database, artifacts_dir: Path) -> None:
    view.new_meeting()
    settle()
    mid = view.current_meeting_id
    assert mid is not None
    view.gather_issues()
    settle()
    model = view.issue_model
    assert [r.text for r in model.rows] == [POWER_ISSUE, CLOUD_ISSUE]
    model.setData(model.index(0, IssueColumn.TEXT), "电力增容已对接，请省能源局督办")
    settle()
    assert meetings.list_issues(db, mid)[0].text == "电力增容已对接，请省能源局督办"
    shots = artifacts_dir / "screenshots"
    shots.mkdir(exist_ok=True)
    view.grab().save(str(shots / "meetings_view.png"))
    view.undo_stack.undo()
    settle()
    assert meetings.list_issues(db, mid)[0].text == POWER_ISSUE
    assert model.rows[0].text == POWER_ISSUE
    view.undo_stack.redo()
    settle()
    assert meetings.list_issues(db, mid)[0].text == "电力增容已对接，请省能源局督办"


def test_unticking_an_issue_is_undoable(view: MeetingsView, db: Database) -> None:
    view.new_meeting()
    settle()
    mid = view.current_meeting_id
    assert mid is not None
    view.gather_issues()
    settle()
    model = view.issue_model
    model.setData(model.index(1, IssueColumn.INCLUDED), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    settle()
    assert meetings.list_issues(db, mid)[1].included is False
    view.undo_stack.undo()
    settle()
    assert meetings.list_issues(db, mid)[1].included is True


def test_moving_an_issue_down_and_undoing(view: MeetingsView, db: Database) -> None:
    view.new_meeting()
    settle()
    mid = view.current_meeting_id
    assert mid is not None
    view.gather_issues()
    settle()
    view.issue_table.setCurrentIndex(view.issue_model.index(0, IssueColumn.TEXT))
    view.move_issue(1)
    settle()
    assert [i.text for i in meetings.list_issues(db, mid)] == [CLOUD_ISSUE, POWER_ISSUE]
    view.undo_stack.undo()
    settle()
    assert [i.text for i in meetings.list_issues(db, mid)] == [POWER_ISSUE, CLOUD_ISSUE]


def test_emptied_issue_text_is_refused_in_chinese(view: MeetingsView, no_dialogs: list[str]) -> None:
    view.new_meeting()
    settle()
    view.gather_issues()
    settle()
    view.issue_model.setData(view.issue_model.index(0, IssueColumn.TEXT), "  ")
    settle()
    assert view.undo_stack.count() == 0
    assert "不能为空" in no_dialogs[0]


def test_export_pdf_writes_the_edited_report(
    view: MeetingsView, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view.new_meeting()
    settle()
    view.gather_issues()
    settle()
    view.issue_model.setData(view.issue_model.index(0, IssueColumn.TEXT), "电力增容问题请省能源局协调")
    settle()
    target = tmp_path / "会议材料.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF 文件 (*.pdf)"))
    with qtbot.waitSignal(view.exported, timeout=30_000) as blocker:
        view.export_pdf()
    assert blocker.args == [str(target)]
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "电力增容问题请省能源局协调" in unicodedata.normalize("NFKC", text).replace(" ", "").replace("\n", "")


def test_export_word_writes_a_docx(
    view: MeetingsView, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "材料"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(view.exported, timeout=30_000):
        view.export_docx()
    assert (tmp_path / "材料.docx").stat().st_size > 10_000


def test_issue_model_passes_the_qt_model_tester(view: MeetingsView, qtmodeltester: object) -> None:
    view.new_meeting()
    settle()
    view.gather_issues()
    settle()
    qtmodeltester.check(view.issue_model)  # type: ignore[attr-defined]
    qtmodeltester.check(view.meeting_model)  # type: ignore[attr-defined]


def test_removing_an_issue_after_confirmation(view: MeetingsView, db: Database, no_dialogs: list[str]) -> None:
    view.new_meeting()
    settle()
    mid = view.current_meeting_id
    assert mid is not None
    view.gather_issues()
    settle()
    view.issue_table.setCurrentIndex(view.issue_model.index(0, IssueColumn.TEXT))
    view.remove_issue()
    settle()
    assert [i.text for i in meetings.list_issues(db, mid)] == [CLOUD_ISSUE]


def test_delete_meeting_empties_the_editor(view: MeetingsView, db: Database, no_dialogs: list[str]) -> None:
    view.new_meeting()
    settle()
    view.delete_meeting()
    settle()
    assert meetings.list_meetings(db) == [] and view.current_meeting_id is None


def test_print_preview_paints_the_report_onto_the_printer(
    view: MeetingsView, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    out = tmp_path / "preview.pdf"

    def fake_exec(dialog: QPrintPreviewDialog) -> int:
        # Instead of showing the dialog, ask for the pages the way it would, on a printer that writes a PDF.
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        dialog.paintRequested.emit(printer)
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    view.new_meeting()
    settle()
    view.print_preview()
    qtbot.waitUntil(lambda: out.exists() and out.stat().st_size > 10_000, timeout=30_000)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "A4" in info or "595" in info


def test_export_to_a_locked_file_says_so_in_chinese(
    view: MeetingsView, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_dialogs: list[str]
) -> None:
    import app.reports.docx_render as docx_render

    def locked(*_a: object, **_k: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(docx_render, "export_docx", locked)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "a.docx"), ""))
    with qtbot.waitSignal(view.failed, timeout=30_000) as blocker:
        view.export_docx()
    assert "正在被" in blocker.args[0]


def test_without_meetings_an_empty_state_replaces_the_editor(
    view: MeetingsView, qtbot: QtBot, artifacts_dir: Path
) -> None:
    qtbot.waitExposed(view)
    assert view.meeting_model.rowCount() == 0
    assert "尚无会议" in view.empty_label.text() and view.empty_label.isVisible()
    assert not view.date_edit.isVisible() and not view.period_combo.isVisible()  # no 2000年1月1日 placeholder
    (artifacts_dir / "screenshots").mkdir(exist_ok=True)
    view.grab().save(str(artifacts_dir / "screenshots" / "meetings_empty.png"))
    qtbot.mouseClick(view.empty_new_btn, Qt.MouseButton.LeftButton)
    settle()
    assert view.meeting_model.rowCount() == 1
    assert view.date_edit.isVisible() and not view.empty_label.isVisible()


def test_saved_attendance_shows_ticked_after_a_reload(view: MeetingsView, db: Database, quarter: Seeded) -> None:
    from datetime import date

    mid = meetings.create_meeting(db, date(2025, 10, 20), "第三季度联席会议", PERIOD, [quarter.it_id])
    view.refresh()
    settle()
    view.refresh()  # a second reload (another window saved) must show the same ticks
    settle()
    ticked = [
        view.department_model.item(r).data(Qt.ItemDataRole.UserRole)
        for r in range(view.department_model.rowCount())
        if view.department_model.item(r).checkState() == Qt.CheckState.Checked
    ]
    assert view.current_meeting_id == mid and ticked == [quarter.it_id]


def test_saving_before_the_attendance_is_shown_keeps_the_saved_attendance(
    view: MeetingsView, db: Database, quarter: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    mid = meetings.create_meeting(db, date(2025, 10, 20), "第三季度联席会议", PERIOD, [quarter.it_id])
    monkeypatch.setattr(meetings, "list_departments", lambda _db: [])  # the tick list did not load
    view.refresh()
    settle()
    view.title_edit.setText("第三季度联席会议（改）")
    view.save_meeting()
    settle()
    saved = meetings.get_meeting(db, mid)
    assert saved.title == "第三季度联席会议（改）" and saved.attendee_ids == [quarter.it_id]
