"""A clerk's first day in the main window: 导入现有台账…, 首次使用…, 帮助 → 使用手册 (F1).

Installed into the main window by one call, so that main_window.py only gains the menu references.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from app.ui import read_only


def install_first_day(window: Any) -> None:
    """Add the first-day actions to ``window``'s 文件 and 帮助 menus."""
    file_menu = window.file_menu
    first = file_menu.actions()[0] if file_menu.actions() else None
    before = next((a for a in file_menu.actions() if a is window.backup_action), first)

    adopt = QAction("导入现有台账…", window)
    adopt.setToolTip("把办公室现有的 Excel 台账导入：匹配内置项目，新增其余项目，记入截至台账日期的进展")
    adopt.setShortcut(QKeySequence("Ctrl+Shift+L"))
    adopt.triggered.connect(lambda: open_ledger_import(window))
    guide = QAction("首次使用向导…", window)
    guide.setToolTip("单位名称、报告期、现有台账、各单位联系人：开始第一个季度前要做的事")
    guide.triggered.connect(lambda: open_first_run_guide(window))
    read_only.writes(adopt, guide)  # both write: greyed out on a read-only database
    for a in (adopt, guide):
        file_menu.insertAction(before, a)
    file_menu.insertSeparator(before)
    window.addAction(adopt)
    window.adopt_ledger_action = adopt
    window.first_run_action = guide

    manual = QAction("使用手册", window)
    manual.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    manual.setToolTip("打开使用手册（F1）")
    manual.triggered.connect(lambda: open_manual(window))
    help_menu = window.help_menu
    help_first = help_menu.actions()[0] if help_menu.actions() else None
    help_menu.insertAction(help_first, manual)
    help_menu.insertAction(help_first, guide)
    help_menu.insertSeparator(help_first)
    window.addAction(manual)
    window.manual_action = manual


def open_ledger_import(window: Any, path: Any = None) -> QWidget:
    """Show the ledger-adoption dialog; a finished import goes on the 项目台账 view's undo stack."""
    from app.ui.dialogs.ledger_import_dialog import LedgerImportCommand, LedgerImportDialog

    dialog = LedgerImportDialog(window.database, window, path=path)

    def imported(result: Any) -> None:
        done, plan = result
        ledger = window.show_view("ledger")
        stack = getattr(ledger, "undo_stack", None)
        if stack is not None:
            stack.push(LedgerImportCommand(ledger, window.database, done, plan))
        if hasattr(ledger, "refresh"):
            ledger.refresh()

    dialog.imported.connect(imported)
    dialog.setModal(True)
    dialog.show()
    window.ledger_import_dialog = dialog
    return dialog


def open_first_run_guide(window: Any) -> QWidget:
    """Show the 首次使用 guide (non-modal: the clerk may leave it and come back)."""
    from app.ui.dialogs.first_run_guide import FirstRunGuide

    existing = getattr(window, "first_run_guide", None)
    if existing is not None and existing.isVisible():
        existing.raise_()
        existing.activateWindow()
        return existing  # type: ignore[no-any-return]
    guide = FirstRunGuide(window.database, window)
    guide.adopt_ledger.connect(lambda: open_ledger_import(window))
    guide.open_view.connect(lambda key: _show_with_hint(window, key))
    guide.open_project.connect(window.open_project)
    guide.period_chosen.connect(window.set_period)
    guide.show()
    window.first_run_guide = guide
    return guide


def _show_with_hint(window: Any, key: str) -> None:
    """Show a view; for the ledger, say how to give projects their lead department in bulk."""
    window.show_view(key)
    if key != "ledger":
        return
    # 编辑 → 指定责任单位… (the supervision work's bulk assignment) when this build has it, else the form.
    if getattr(window, "assign_action", None) is not None:
        hint = "在项目台账中选中项目（可按住 Ctrl 或 Shift 多选），再按 Ctrl+Shift+D（编辑 → 指定责任单位…）"
    else:
        hint = "在项目台账中双击项目，在项目表单的“牵头单位”中选择"
    window.statusBar().showMessage(hint, 30_000)


def open_manual(window: Any) -> QWidget:
    """Show the user manual (F1)."""
    from app.ui.dialogs.manual_viewer import ManualViewer

    existing = getattr(window, "manual_viewer", None)
    if existing is not None and existing.isVisible():
        existing.raise_()
        return existing  # type: ignore[no-any-return]
    viewer = ManualViewer(window)
    viewer.show()
    window.manual_viewer = viewer
    return viewer


def open_guide_if_new(window: Any) -> None:
    """On a database whose guide was never opened, open it once the window is up (the first start)."""
    from app.ui.ops import QueryOp

    database = window.database

    def never_opened() -> bool:
        # Imported here, on the worker, after the first view's load: the first-run service is not light.
        from app.services.first_run import guide_never_opened

        return guide_never_opened(database)

    def answer(new: bool) -> None:
        if new and read_only.may_write():
            open_first_run_guide(window)

    QueryOp(parent=window, op=never_opened, success=answer).failure(lambda _e: None).run_in_background()
