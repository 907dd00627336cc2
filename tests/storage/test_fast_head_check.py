"""The start-up's schema check without Alembic reads the same head as Alembic, and doubts what it cannot read."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.storage import migrate


def test_line_scan_finds_the_head_alembic_finds() -> None:
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(migrate.alembic_config()).get_heads())
    assert migrate._file_heads() == heads


def test_line_scan_reads_every_shipped_revision_as_the_parser_does() -> None:
    for path in sorted((migrate.migrations_dir() / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert migrate._scan_revision_lines(source) == migrate._parse_revision_lines(source), path.name


def test_a_merge_revision_over_several_lines_is_left_to_the_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "a.py").write_text('revision = "a"\ndown_revision = None\n', encoding="utf-8")
    (versions / "b.py").write_text('revision: str = "b"\ndown_revision: str | None = "a"\n', encoding="utf-8")
    (versions / "c.py").write_text('revision = "c"\ndown_revision = "a"  # a branch\n', encoding="utf-8")
    merge = '"""Merge.\n\nRevision ID: m\n"""\nrevision = "m"\ndown_revision = (\n    "b",\n    "c",\n)\n'
    (versions / "m.py").write_text(merge, encoding="utf-8")
    monkeypatch.setattr(migrate, "migrations_dir", lambda: tmp_path)
    assert migrate._scan_revision_lines(merge) is None
    assert migrate._file_heads() == {"m"}
    (versions / "m.py").unlink()
    assert migrate._file_heads() == {"b", "c"}  # two heads: the start-up check then leaves it to Alembic
