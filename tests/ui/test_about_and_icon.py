"""帮助 → 关于 names the version and the library versions; every window carries the 台账 icon at 16–256 px."""

from __future__ import annotations

from importlib import metadata

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QMessageBox

import app
from app.storage.db import Database
from app.ui.app_icon import app_icon
from app.ui.main_window import MainWindow


def test_about_names_taizhang_and_the_library_versions_an_it_person_asks_for(
    qtbot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "about", lambda _parent, title, text: shown.append((title, text)))
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.about_action.trigger()
    ((title, text),) = shown
    assert title == "关于台账"
    assert f"<b>台账</b> {app.__version__}" in text
    assert f"PySide6-Essentials {metadata.version('PySide6-Essentials')}" in text
    assert f"SQLAlchemy {metadata.version('SQLAlchemy')}" in text
    assert "Windows 10/11 64 位" in text
    window.close()


def test_the_icon_has_every_size_from_16_to_256_pixels(qapp: QApplication) -> None:
    icon = app_icon()
    assert not icon.isNull()
    sizes = {(s.width(), s.height()) for s in icon.availableSizes()}
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= sizes
    small = icon.pixmap(QSize(16, 16)).toImage()
    assert small.width() == 16 and small.pixelColor(8, 8).alpha() > 0  # drawn, not a blank square
