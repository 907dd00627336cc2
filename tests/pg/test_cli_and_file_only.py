"""`taizhang --db postgresql+psycopg://…` from the command line, and the SQLite-file-only features degrading."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.services import backups as backup_service
from app.services.database import open_database
from app.services.watch import ChangeWatcher
from app.storage.backup import backup_before, daily_backup
from app.storage.errors import KnownError


def test_init_then_info_through_the_command_line(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--db", pg_url]) == 0
    assert main(["info", "--db", pg_url]) == 0
    assert "重点项目" in capsys.readouterr().out


def test_import_and_missing_through_the_command_line(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.returns.helpers import assign_departments, department_workbook

    db = open_database(pg_url).database
    assign_departments(db)
    db.dispose()
    path = department_workbook(tmp_path / "工信厅.xlsx", projects=[("ZD01", "省数据灾备中心二期工程", 100, 10, "开工")])
    assert main(["import", "--db", pg_url, str(path)]) == 0
    assert main(["missing", "--db", pg_url, "--period", "2025-Q3"]) == 0
    out = capsys.readouterr().out
    assert "省发展改革委" in out


@pytest.mark.parametrize("command", [["backup"], ["backups"], ["restore", "x.db", "--yes"]])
def test_file_backups_refuse_a_server_database_in_chinese(
    pg_url: str, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command[0], "--db", pg_url, *command[1:]]) == 1
    err = capsys.readouterr().err
    assert "pg_dump" in err and "Traceback" not in err


def test_automatic_backups_are_skipped_for_a_server_database(pg_url: str) -> None:
    db = open_database(pg_url).database
    try:
        assert backup_before(db, "import") is None
        assert daily_backup(db) is None
        with pytest.raises(KnownError, match="pg_dump"):
            backup_service.database_file(db)
    finally:
        db.dispose()


def test_change_watcher_is_a_no_op_for_a_server_database(pg_url: str) -> None:
    db = open_database(pg_url).database
    try:
        watcher = ChangeWatcher(db.path)
        assert not watcher.changed()
        watcher.close()
    finally:
        db.dispose()
