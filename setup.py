"""Build hook: the wheel carries db/migrations as app/_migrations (Alembic reads revisions as source files).

Metadata and everything else live in pyproject.toml. db/migrations stays where `alembic.ini` and the developer
workflow expect it (top level, beside app/); only the built package gets a copy, which
app.storage.migrate.migrations_dir() finds when no checkout is around. The folder has no __init__.py on
purpose: it is data, and the self-test's walk over the app's modules must not import env.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithMigrations(build_py):
    """build_py that also copies db/migrations (env.py, script.py.mako, versions/*.py) into app/_migrations."""

    def run(self) -> None:
        super().run()
        source = ROOT / "db" / "migrations"
        target = Path(self.build_lib) / "app" / "_migrations"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithMigrations})
