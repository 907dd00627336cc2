"""The application icon (resources/icons, drawn by scripts/make_icon.py) for every window."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from app.resources import resource


def app_icon() -> QIcon:
    """The 台账 icon at every size the .ico carries (16–256 px), with the 256 px PNG as a fallback."""
    icon = QIcon()
    for name in ("taizhang.ico", "taizhang.png"):
        node = resource("icons", name)
        if node.is_file():
            icon.addFile(str(node))
    return icon
