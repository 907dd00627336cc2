"""PySide6's per-import source check, made cheap (app/ui/import_hook.py): same answers, without inspect."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import pytest

from app.ui import import_hook


def _module(path: Path) -> ModuleType:
    module = ModuleType("sample")
    module.__file__ = str(path)
    return module


def _never(module: ModuleType) -> bool:
    raise AssertionError(f"the slow check ran for {module.__file__}")


def test_a_source_file_is_searched_for_pyside6(tmp_path: Path) -> None:
    check = import_hook._fast_check(_never)
    (tmp_path / "uses.py").write_text("from PySide6.QtCore import Qt\n", encoding="utf-8")
    (tmp_path / "plain.py").write_text("import os\n", encoding="utf-8")
    assert check(_module(tmp_path / "uses.py")) is True
    assert check(_module(tmp_path / "plain.py")) is False


def test_the_bundle_s_bare_pyc_modules_are_answered_without_the_slow_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    check = import_hook._fast_check(_never)
    (tmp_path / "compiled.pyc").write_bytes(b"\x00" * 16)
    assert check(_module(tmp_path / "compiled.pyc")) is False


def test_a_pyc_module_outside_the_bundle_keeps_the_original_check(tmp_path: Path) -> None:
    asked: list[str] = []

    def original(module: ModuleType) -> bool:
        asked.append(str(module.__file__))
        return False

    check = import_hook._fast_check(original)
    assert check(_module(tmp_path / "compiled.pyc")) is False
    assert asked == [str(tmp_path / "compiled.pyc")]
