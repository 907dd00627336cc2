"""Versions of Taizhang and the libraries it runs on: 帮助 → 关于, the self-test and the build's version info."""

from __future__ import annotations

import platform
from importlib import metadata

import app

# The runtime distributions a clerk's copy is built from (installer/requirements.lock pins them); PySide6
# first because Qt problems are the ones an IT person asks about.
RUNTIME_DISTRIBUTIONS = (
    "PySide6-Essentials",
    "SQLAlchemy",
    "alembic",
    "openpyxl",
    "python-calamine",
    "xlrd",
    "python-docx",
    "matplotlib",
    "numpy",
    "pypinyin",
    "psycopg",
)


def app_version() -> str:
    """Taizhang's own version (the one the installer and the executables carry)."""
    return app.__version__


def component_versions() -> list[tuple[str, str]]:
    """(name, version) of Python and each runtime library; "未安装" for an optional one that is absent."""
    found = [("Python", platform.python_version())]
    for name in RUNTIME_DISTRIBUTIONS:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, "未安装"))
    return found


def versions_line() -> str:
    """One line for the version resource and the log: "台账 0.1.0；Python 3.11.7，PySide6-Essentials 6.8.1 …"."""
    parts = "，".join(f"{name} {version}" for name, version in component_versions())
    return f"台账 {app_version()}；{parts}"
