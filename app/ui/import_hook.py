"""Make PySide6's per-import check cheap: it read every imported module's source through ``inspect``.

Importing PySide6 replaces ``__import__`` with a hook that, after each new module, asks whether the module's
source mentions "PySide6" (for the opt-in ``from __feature__ import snake_case``). It does so with
``inspect.getsource``, which tokenises the whole file into ``linecache``: about 0.1 s of CPU over the ~300
modules the window's start imports (SQLAlchemy's large files most of all). Reading the file's bytes answers the
same question in a fraction of that. In the frozen bundle, modules collected as bare ``.pyc`` files have no
source to search (the original check, which says no for them too, costs ~0.06 ms each in the bundle). Other
modules without a ``.py`` file (built-in, extensions) keep the original check. Must run before the first
``PySide6`` import; does nothing if shiboken's internals differ.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType


def install() -> bool:
    """Replace shiboken's source check with a byte search; True when installed (or already installed)."""
    import shiboken6  # noqa: F401 - sets up shibokensupport.feature, before any PySide6 module is loaded

    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original):
        return False
    if getattr(original, "_taizhang_fast", False):
        return True
    feature._mod_uses_pyside = _fast_check(original)
    return True


def _fast_check(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    frozen = bool(getattr(sys, "frozen", False))

    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if frozen and isinstance(path, str) and path.endswith(".pyc"):
            return False  # the bundle ships no sources: nothing there can opt in to a PySide6 feature
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except FileNotFoundError:
                if frozen:
                    return False  # in the bundle's archive: PyInstaller has no source to give inspect either
            except OSError:
                pass
        return original(module)

    mod_uses_pyside._taizhang_fast = True  # type: ignore[attr-defined]
    return mod_uses_pyside
