"""帮助 → 使用手册 (F1): docs/用户手册.md rendered by QTextBrowser's own Markdown, with its screenshots.

No build step: the Markdown and the PNGs under docs/manual/ ship as they are (installer/taizhang.spec), and
relative image paths resolve against the manual's folder. A table of contents from the ## headings sits on
the left; Ctrl+F finds text.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

MANUAL_NAME = "用户手册.md"
_HEADING_RE = re.compile(r"^(#{2,3})\s+(.+?)\s*$", re.MULTILINE)


def manual_file() -> Path | None:
    """Where the manual is: beside the frozen bundle's data, else in the checkout's docs/; None if absent."""
    roots = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        roots.append(Path(bundle))
    roots.append(Path(__file__).resolve().parents[3])
    for root in roots:
        path = root / "docs" / MANUAL_NAME
        if path.is_file():
            return path
    return None


def headings(markdown: str) -> list[tuple[int, str]]:
    """(level, text) of the manual's ## and ### headings, in order."""
    return [(len(m.group(1)), m.group(2)) for m in _HEADING_RE.finditer(markdown)]


class ManualViewer(QDialog):
    """The user manual in a window of its own (non-modal, so the clerk can follow it while working)."""

    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("使用手册 — 台账")
        self.resize(980, 720)
        self.path = path or manual_file()
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.contents = QListWidget()
        self.contents.setMaximumWidth(260)
        self.contents.currentRowChanged.connect(self._jump)
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("在手册中查找（回车找下一处）")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.returnPressed.connect(self.find_next)
        splitter = QSplitter()
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        top = QHBoxLayout()
        top.addWidget(self.find_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        QShortcut(QKeySequence.StandardKey.Find, self, self.find_edit.setFocus)
        self._headings: list[tuple[int, str]] = []
        self.load()

    def load(self) -> None:
        """Render the manual (or say where it should have been)."""
        if self.path is None or not self.path.is_file():
            self.browser.setMarkdown("# 使用手册\n\n未找到使用手册文件（docs/用户手册.md）。请联系维护人员重新安装。")
            return
        text = self.path.read_text(encoding="utf-8")
        folder = self.path.parent
        self.browser.setSearchPaths([str(folder)])
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(folder) + "/"))
        self.browser.setMarkdown(text)
        self._headings = headings(text)
        self.contents.clear()
        for level, title in self._headings:
            self.contents.addItem(("    " if level == 3 else "") + title)

    def _jump(self, row: int) -> None:
        if not 0 <= row < len(self._headings):
            return
        title = self._headings[row][1]
        self.browser.moveCursor(self.browser.textCursor().MoveOperation.Start)
        self.browser.find(title)
        self.browser.ensureCursorVisible()

    def find_next(self) -> None:
        """Find the search text after the cursor, wrapping to the top once."""
        text = self.find_edit.text()
        if not text:
            return
        if not self.browser.find(text):
            self.browser.moveCursor(self.browser.textCursor().MoveOperation.Start)
            self.browser.find(text, QTextDocument.FindFlag(0))

    def missing_images(self) -> list[str]:
        """Images the manual names that did not load (for the tests: every screenshot must resolve)."""
        if self.path is None:
            return []
        text = self.path.read_text(encoding="utf-8")
        names = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text)
        return [n for n in names if not (self.path.parent / n).is_file()]
