"""The CLI as a clerk's script would use it: init, info, exit codes and Chinese messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )


def test_init_then_info_show_the_real_portfolio(tmp_path: Path) -> None:
    db = tmp_path / "台账 数据" / "t.db"
    db.parent.mkdir()
    first = run_cli("init", "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert "新载入" in first.stdout
    info = run_cli("info", "--db", str(db))
    assert info.returncode == 0, info.stderr
    assert "中国北方云基地白城云计算中心" in info.stdout
    assert "每年1000户" in info.stdout
    assert "《扩大和升级信息消费实施方案》" in info.stdout


def test_init_twice_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    run_cli("init", "--db", str(db))
    again = run_cli("init", "--db", str(db))
    assert again.returncode == 0
    assert "无需改动" in again.stdout


def test_info_on_missing_database_is_refused_with_exit_1(tmp_path: Path) -> None:
    result = run_cli("info", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 1
    assert "数据库文件不存在" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_subcommand_is_a_usage_error_with_exit_2() -> None:
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "用法错误" in result.stderr


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_text("this is not sqlite", encoding="utf-8")
    result = run_cli("init", "--db", str(bogus))
    assert result.returncode == 1
    assert "不是台账数据库" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_arguments_and_help_are_explained_in_chinese(capsys) -> None:
    from app.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["summary", "--db", "x.db"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "缺少必需的参数：--period, --out" in err and "the following" not in err
    with pytest.raises(SystemExit):
        main(["summary", "--help"])
    out = capsys.readouterr().out
    assert "显示本说明并退出" in out and "show this help" not in out
