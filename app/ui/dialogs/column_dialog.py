"""Decide what the unknown columns of one return are: one of the table's columns, or ignored."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.ui.dialogs.buttons import button_row

IGNORE = ""


class ColumnDialog(QDialog):
    """One row per unknown column with content: a choice of the table's columns, or 忽略此列."""

    def __init__(
        self,
        file_name: str,
        columns: list[tuple[str, str, str]],  # (sheet, header, letter)
        options: dict[str, list[tuple[str, str]]],  # sheet → (field name, title)
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("处理未识别的列"))
        intro = QLabel(
            self.tr("「{f}」中以下各列不是本表的栏目，但有内容。请指定每一列对应的栏目，或确认忽略（其内容不导入）。")
            .replace("{f}", file_name)
        )  # fmt: skip
        intro.setWordWrap(True)
        form = QFormLayout()
        self.boxes: dict[tuple[str, str], QComboBox] = {}
        for sheet, header, letter in columns:
            box = QComboBox()
            box.addItem(self.tr("忽略此列（内容不导入）"), IGNORE)
            for name, title in options.get(sheet, []):
                box.addItem(title, name)
            self.boxes[(sheet, header)] = box
            form.addRow(self.tr("{s} 表 {c} 列“{h}”：").replace("{s}", sheet).replace("{c}", letter)
                        .replace("{h}", header), box)  # fmt: skip
        buttons = button_row(self, self.tr("确定并重新检查"), self.tr("取消"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.adjustSize()

    def choose(self, sheet: str, header: str, field_name: str) -> None:
        """Select ``field_name`` ("" to ignore) for one column; for keyboard scripts and tests."""
        box = self.boxes[(sheet, header)]
        box.setCurrentIndex(box.findData(field_name))

    def choices(self) -> dict[tuple[str, str], str]:
        """(sheet, header) → field name, or "" for ignored."""
        return {key: str(box.currentData()) for key, box in self.boxes.items()}
