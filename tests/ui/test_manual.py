"""The user manual: F1 opens it with every screenshot resolved, the screenshots regenerate, the bundle ships it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from app.storage.db import Database
from app.ui.dialogs.manual_viewer import ManualViewer, manual_file
from app.ui.main_window import MainWindow
from tests.conftest import REPO_ROOT

MANUAL = REPO_ROOT / "docs" / "用户手册.md"


def _images() -> list[str]:
    return re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", MANUAL.read_text(encoding="utf-8"))


def test_manual_covers_a_quarter_from_first_start_to_printed_material() -> None:
    text = MANUAL.read_text(encoding="utf-8")
    for step in ("首次使用向导", "导入现有台账", "导出填报模板", "导入报表", "催报", "汇总表", "会议报告", "打印"):
        assert step in text
    assert _images() and all((MANUAL.parent / name).is_file() for name in _images())


def test_f1_opens_the_manual_with_its_pictures(qtbot, db: Database) -> None:
    window = MainWindow(db)
    qtbot.addWidget(window)
    assert manual_file() == MANUAL
    window.manual_action.trigger()
    viewer = window.manual_viewer
    assert viewer.isVisible() and viewer.missing_images() == []
    document = viewer.browser.document()
    for name in _images():
        image = document.resource(QTextDocument.ResourceType.ImageResource, document.baseUrl().resolved(name))
        assert image is not None and not image.isNull(), name
    assert viewer.contents.count() >= 8
    assert "首次使用向导" in viewer.browser.toPlainText()
    viewer.close()
    window.close()


def test_manual_search_finds_text(qtbot) -> None:
    viewer = ManualViewer()
    qtbot.addWidget(viewer)
    viewer.find_edit.setText("重新应用我的修改")
    qtbot.keyClick(viewer.find_edit, Qt.Key.Key_Return)
    assert viewer.browser.textCursor().selectedText() == "重新应用我的修改"


def test_screenshot_script_regenerates_every_picture_the_manual_shows(
    qtbot, tmp_path: Path, seeded_template: Path
) -> None:
    sys.path.insert(0, str(REPO_ROOT / "scripts"))
    try:
        import manual_screenshots
    finally:
        sys.path.remove(str(REPO_ROOT / "scripts"))
    written = {p.name for p in manual_screenshots.render(tmp_path, seeded=seeded_template, charts=False)}
    wanted = {Path(name).name for name in _images()}
    assert wanted <= written
    assert set(manual_screenshots.SHOTS) == written
    for name in wanted:
        assert (tmp_path / name).stat().st_size > 10_000  # a real picture, not a blank grab


def test_bundle_ships_the_manual_and_its_pictures() -> None:
    spec = (REPO_ROOT / "installer" / "taizhang.spec").read_text(encoding="utf-8")
    assert "用户手册.md" in spec and 'tree("docs/manual", "docs/manual")' in spec


def test_f1_key_opens_the_manual_from_the_indicators_view(qtbot, db: Database) -> None:
    from tests.ui.desk_helpers import activate

    window = MainWindow(db)
    qtbot.addWidget(window)
    activate(qtbot, window)
    view = window.show_view("indicators")
    view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert getattr(window, "manual_viewer", None) is not None and window.manual_viewer.isVisible()
    window.manual_viewer.close()
    window.close()
