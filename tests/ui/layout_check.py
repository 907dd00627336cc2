"""Find laid-out widgets that overlap a visible sibling or are squeezed below their minimum size."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenuBar,
    QSplitterHandle,
    QStatusBar,
    QToolBar,
    QWidget,
)

# Widgets whose children Qt itself places on top of each other (scroll bars in corners, toolbar extensions).
_OWN_CHILDREN = (QAbstractScrollArea, QToolBar, QMenuBar, QComboBox, QLineEdit)
_SQUEEZABLE = (QLineEdit, QComboBox, QAbstractButton)


def _name(w: QWidget) -> str:
    text = ""
    for attr in ("text", "placeholderText", "currentText", "title"):
        fn = getattr(w, attr, None)
        if callable(fn):
            try:
                value = fn()
            except TypeError:
                continue
            if isinstance(value, str) and value:
                text = value[:20]
                break
    return f"{type(w).__name__}({w.objectName() or text})"


def layout_problems(root: QWidget) -> list[str]:
    """Every visible widget under ``root`` that overlaps a visible sibling, or is narrower than it can show."""
    problems: list[str] = []
    for parent in [root, *root.findChildren(QWidget)]:
        if not parent.isVisible() or isinstance(parent, _OWN_CHILDREN) or isinstance(parent, QStatusBar):
            continue
        kids = [
            c
            for c in parent.children()
            if isinstance(c, QWidget)
            and c.isVisible()
            and not c.isWindow()
            and not isinstance(c, QSplitterHandle)
            and c.width() > 0
            and c.height() > 0
        ]
        for i, a in enumerate(kids):
            for b in kids[i + 1 :]:
                inter = a.geometry().intersected(b.geometry())
                if inter.width() > 1 and inter.height() > 1:
                    problems.append(f"{_name(a)} overlaps {_name(b)} in {_name(parent)}")
    for w in root.findChildren(QWidget):
        if not w.isVisible() or not isinstance(w, _SQUEEZABLE) or isinstance(w.parent(), _OWN_CHILDREN):
            continue
        if isinstance(w.parent(), QToolBar):
            continue
        hint = w.minimumSizeHint()
        if w.width() + 2 < min(hint.width(), 60 if isinstance(w, QLineEdit) else hint.width()):
            problems.append(f"{_name(w)} squeezed to {w.width()} px (needs {hint.width()})")
    for w in root.findChildren(QLabel):
        if w.isVisible() and not w.wordWrap() and w.text() and w.width() + 2 < w.minimumSizeHint().width():
            if w.sizePolicy().horizontalPolicy().name != "Ignored":
                problems.append(f"{_name(w)} cut to {w.width()} px (needs {w.minimumSizeHint().width()})")
    return problems
