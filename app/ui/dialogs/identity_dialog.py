"""Choose the department and period of one return whose title, file name and hidden meta sheet disagree."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.domain.periods import Period
from app.ui.dialogs.buttons import button_row


class IdentityDialog(QDialog):
    """Pick one department and one period for a file; the candidates the file itself names come first."""

    def __init__(
        self,
        file_name: str,
        departments: list[str],
        department_claims: list[str],
        period_claims: list[str],
        current: tuple[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("指定单位和报告期"))
        intro = QLabel(
            self.tr("「{f}」的标题、文件名或模板隐藏信息写法不一致。请选择这份报表真正的填报单位和报告期；"
                    "选择后重新检查，导入时以所选为准。").replace("{f}", file_name)
        )  # fmt: skip
        intro.setWordWrap(True)
        self.department_box = QComboBox()
        self.department_box.setEditable(True)
        for name in dict.fromkeys([*department_claims, *departments]):
            self.department_box.addItem(name)
        if current[0]:
            self.department_box.setCurrentText(current[0])
        self.period_box = QComboBox()
        self.period_box.setEditable(True)
        for key in dict.fromkeys(period_claims):
            try:
                self.period_box.addItem(Period.parse(key).label, key)
            except ValueError:
                continue
        if current[1]:
            index = self.period_box.findData(current[1])
            if index >= 0:
                self.period_box.setCurrentIndex(index)
        form = QFormLayout()
        form.addRow(self.tr("填报单位："), self.department_box)
        form.addRow(self.tr("报告期："), self.period_box)
        buttons = button_row(self, self.tr("确定并重新检查"), self.tr("取消"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.adjustSize()

    def choice(self) -> tuple[str | None, str | None]:
        """(department, period key) as chosen; a period typed as a label is read as one."""
        department = self.department_box.currentText().strip() or None
        key = self.period_box.currentData()
        text = self.period_box.currentText().strip()
        if key is None or self.period_box.itemText(self.period_box.currentIndex()) != text:
            key = text or None
        return department, key
