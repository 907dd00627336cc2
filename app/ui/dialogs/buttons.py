"""The button row every dialog ends with: OK and Cancel (or a lone 关闭) in Chinese, wired to the dialog.

A row whose OK saves to the database is made with ``saves=True``: on a read-only database its OK button is
greyed out with the reason (``app.ui.read_only``), so the dialog only shows.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox

from app.ui import read_only

_OK = QDialogButtonBox.StandardButton.Ok
_CANCEL = QDialogButtonBox.StandardButton.Cancel
_CLOSE = QDialogButtonBox.StandardButton.Close


def button_row(
    dialog: QDialog,
    ok: str = "确定",
    cancel: str = "取消",
    *,
    on_ok: Callable[[], object] | None = None,
    saves: bool = False,
) -> QDialogButtonBox:
    """OK (``ok``, calls ``on_ok`` or accepts) and Cancel (``cancel``, rejects) for ``dialog``."""
    box = QDialogButtonBox(_OK | _CANCEL)
    box.button(_OK).setText(ok)
    box.button(_CANCEL).setText(cancel)
    box.accepted.connect(on_ok or dialog.accept)
    box.rejected.connect(dialog.reject)
    if saves:
        read_only.writes(box.button(_OK))
    return box


def close_row(dialog: QDialog, text: str = "关闭") -> QDialogButtonBox:
    """A lone 关闭 button that closes ``dialog``."""
    box = QDialogButtonBox(_CLOSE)
    box.button(_CLOSE).setText(text)
    box.rejected.connect(dialog.reject)
    return box
