"""Every undo command saves through OpCommand, so a refused save never leaves a step the database lacks."""

from __future__ import annotations

import importlib
import pkgutil

from PySide6.QtGui import QUndoCommand

import app.ui
from app.ui.commands.base import OpCommand


def _all(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _all(sub)
    return found


def test_every_undo_command_of_the_gui_is_an_op_command() -> None:
    for module in pkgutil.walk_packages(app.ui.__path__, "app.ui."):
        importlib.import_module(module.name)
    commands = {c for c in _all(QUndoCommand) if c.__module__.startswith("app.ui.")}
    assert len(commands) > 20  # the walk found the views' and dialogs' commands
    assert sorted(f"{c.__module__}.{c.__qualname__}" for c in commands if not issubclass(c, OpCommand)) == []
