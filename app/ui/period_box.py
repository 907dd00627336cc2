"""Period pickers: combo boxes show 2025年第三季度 and keep 2025-Q3 as item data; typed keys or labels both work."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QComboBox, QWidget

from app.domain.periods import Period, parse_period_text

FORMAT_HINT = "应为 2025年第三季度、2025-Q3、2025-09、2025-H1 或 2025"


def period_from_text(text: str) -> str:
    """The key of a period typed as a key (2025-Q3) or as its exact label (2025年第三季度); ValueError in Chinese."""
    t = text.strip()
    try:
        return Period.parse(t).key
    except ValueError:
        pass
    # Only the exact label: free-text search would read “2025年秋” as the year 2025.
    found = parse_period_text(t)
    if found is not None and found.label == t.replace(" ", ""):
        return found.key
    raise ValueError(f"报告期格式不正确：“{t}”（{FORMAT_HINT}）")


def label_of(key: str) -> str:
    """2025年第三季度 for 2025-Q3; the text itself when it is not a period key."""
    try:
        return Period.parse(key).label
    except ValueError:
        return key


def new_period_box(parent: QWidget | None = None, *, editable: bool = True) -> QComboBox:
    """A combo box for periods: labels shown, keys as item data; typing a period does not add an item."""
    box = QComboBox(parent)
    box.setEditable(editable)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.setMinimumContentsLength(9)
    box.setToolTip(f"报告期：从列表中选择，或直接输入（{FORMAT_HINT}）")
    return box


def add_period(box: QComboBox, key: str) -> int:
    """The index of ``key``'s item, added at the end when missing."""
    index = box.findData(key)
    if index < 0:
        box.addItem(label_of(key), key)
        index = box.count() - 1
    return index


def select_period(box: QComboBox, key: str) -> None:
    """Show ``key`` (added when not listed) without emitting the box's signals."""
    box.blockSignals(True)
    box.setCurrentIndex(add_period(box, key))
    box.setEditText(box.itemText(box.currentIndex()))
    box.blockSignals(False)


def set_periods(box: QComboBox, keys: Iterable[str], current: str) -> None:
    """Replace the items with ``keys`` (duplicates dropped, order kept) and show ``current``."""
    box.blockSignals(True)
    box.clear()
    for key in dict.fromkeys([current, *keys]):
        box.addItem(label_of(key), key)
    box.blockSignals(False)
    select_period(box, current)


def current_period(box: QComboBox) -> str:
    """The key of the period shown: the chosen item's, or the typed text read as a key or label; ValueError."""
    text = box.currentText().strip()
    index = box.findText(text)
    if index >= 0 and box.itemData(index):
        return str(box.itemData(index))
    return period_from_text(text)
