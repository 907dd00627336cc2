"""Qt's own texts a clerk sees — standard buttons, calendar pop-ups — are Chinese once the translation is loaded."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCalendarWidget, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from app.ui.qt_chinese import install_qt_chinese


def test_standard_buttons_read_queding_and_quxiao(qtbot: QtBot) -> None:
    assert install_qt_chinese()
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Close
    )
    qtbot.addWidget(buttons)
    assert sorted(b.text() for b in buttons.buttons()) == sorted(["确定", "取消", "关闭"])


def test_question_box_buttons_are_chinese(qtbot: QtBot, artifacts_dir: Path) -> None:
    assert install_qt_chinese()
    box = QMessageBox(QMessageBox.Icon.Question, "撤回报表", "撤回省发展改革委的报表「发改委.xlsx」？")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    (artifacts_dir / "screenshots").mkdir(parents=True, exist_ok=True)
    box.grab().save(str(artifacts_dir / "screenshots" / "message_box.png"))
    texts = [b.text().replace("&", "") for b in box.buttons()]
    assert all(not any("a" <= ch.lower() <= "z" for ch in t.split("(")[0]) for t in texts), texts


def test_calendar_pop_up_names_weekdays_in_chinese(qtbot: QtBot) -> None:
    assert install_qt_chinese()
    calendar = QCalendarWidget()
    qtbot.addWidget(calendar)
    assert calendar.locale().language().name == "Chinese"
