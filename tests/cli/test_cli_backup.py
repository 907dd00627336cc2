"""`taizhang backup`, `backups` and `restore` as a clerk's script would use them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.cli import main


def _rename_projects(path: Path, name: str) -> None:
    conn = sqlite3.connect(str(path))
    conn.execute("UPDATE projects SET name = ?", (name,))
    conn.commit()
    conn.close()


def _a_project_name(path: Path) -> str:
    conn = sqlite3.connect(str(path))
    try:
        return str(conn.execute("SELECT name FROM projects ORDER BY id").fetchone()[0])
    finally:
        conn.close()


def test_backup_then_backups_lists_it(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backup", "--db", str(db_path)]) == 0
    assert "已备份到" in capsys.readouterr().out
    assert main(["backups", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "手动备份" in out and "manual.db" in out


def test_backup_to_a_chosen_file(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "交接" / "台账备份.db"
    out.parent.mkdir()
    assert main(["backup", "--db", str(db_path), "--out", str(out)]) == 0
    assert out.exists()
    assert main(["backup", "--db", str(db_path), "--out", str(out)]) == 1
    assert "不会覆盖" in capsys.readouterr().err


def test_restore_with_yes_brings_the_backup_back(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = _a_project_name(db_path)
    saved = tmp_path / "saved.db"
    main(["backup", "--db", str(db_path), "--out", str(saved)])
    _rename_projects(db_path, "误改")
    assert main(["restore", "--db", str(db_path), str(saved), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "恢复前的内容已备份到" in out
    assert _a_project_name(db_path) == original


def test_restore_without_yes_and_no_terminal_changes_nothing(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "saved.db"
    main(["backup", "--db", str(db_path), "--out", str(saved)])
    _rename_projects(db_path, "保留")
    assert main(["restore", "--db", str(db_path), str(saved)]) == 1
    assert "--yes" in capsys.readouterr().err
    assert _a_project_name(db_path) == "保留"


def test_restore_of_a_file_that_is_not_a_database_is_refused(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_text("hello", encoding="utf-8")
    assert main(["restore", "--db", str(db_path), str(bogus), "--yes"]) == 1
    assert "不是台账数据库" in capsys.readouterr().err


def test_backup_of_a_missing_database_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backup", "--db", str(tmp_path / "none.db")]) == 1
    assert "不存在" in capsys.readouterr().err
