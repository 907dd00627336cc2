"""Database locations: network-share detection on path strings, URLs for any folder name."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.paths import is_network_path
from app.storage.db import database_url, journal_mode_for, sqlite_file


@pytest.mark.parametrize(
    "path",
    [
        r"\\fileserver\联席会议办公室\台账\taizhang.db",
        "//fileserver/share/taizhang.db",
        r"\\?\UNC\fileserver\share\taizhang.db",
        r"\\192.168.1.20\共享\台账.db",
    ],
)
def test_unc_paths_are_network_paths(path: str) -> None:
    assert is_network_path(path)


@pytest.mark.parametrize(
    "path",
    [
        r"C:\Users\张三\AppData\Roaming\Taizhang\taizhang.db",
        r"\\?\C:\数据\taizhang.db",
        "/home/clerk/台账/t.db",
        "t.db",
    ],
)
def test_local_paths_are_not_network_paths(path: str) -> None:
    assert not is_network_path(path)


def test_databases_on_a_share_use_a_rollback_journal_not_wal() -> None:
    assert journal_mode_for(Path(r"\\fileserver\share\taizhang.db")) == "DELETE"
    assert journal_mode_for(Path("/home/clerk/taizhang.db")) == "WAL"


@pytest.mark.parametrize("folder", ["台账 数据", "100%完成", "项目#1", "a@b"])
def test_any_folder_name_survives_the_database_url(tmp_path: Path, folder: str) -> None:
    path = (tmp_path / folder / "台账.db").resolve()
    assert sqlite_file(database_url(path)) == path
