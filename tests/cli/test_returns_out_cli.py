"""`taizhang template`, `taizhang missing` and `taizhang summary` as a clerk's script runs them.

Run in-process through app.cli.main (same parser, exit codes and output) to keep the suite fast;
test_cli_basics covers the real `python -m app` entry point.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from app.cli import main
from app.returns.fields import META_SHEET
from app.storage.db import Database
from tests.returns.outdata import INDUSTRY, REFORM, TELECOM, build_scenario


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    def run(*args: str) -> Result:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return Result(code, out.out, out.err)

    return run


@pytest.fixture
def scenario_db(db_path: Path) -> Path:
    database = Database(db_path)
    build_scenario(database)
    database.dispose()
    return db_path


def test_template_for_every_department_writes_one_file_each(
    run_cli: Callable[..., Result], scenario_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "模板 输出"
    result = run_cli("template", "--db", str(scenario_db), "--period", "2025-Q3", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "共导出模板 3 份" in result.stdout
    assert "[1/3] 省工业和信息化厅" in result.stdout
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(f"{d}_2025年第三季度.xlsx" for d in (INDUSTRY, REFORM, TELECOM))


def test_template_for_one_department_by_alias(
    run_cli: Callable[..., Result], scenario_db: Path, tmp_path: Path
) -> None:
    result = run_cli(
        "template", "--db", str(scenario_db), "--period", "2025-Q3", "--department", "省工信厅", "--out", str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    wb = openpyxl.load_workbook(tmp_path / f"{INDUSTRY}_2025年第三季度.xlsx")
    assert wb[META_SHEET]["B2"].value == INDUSTRY


def test_template_for_unknown_department_exits_1_with_close_names(
    run_cli: Callable[..., Result], scenario_db: Path, tmp_path: Path
) -> None:
    result = run_cli(
        "template", "--db", str(scenario_db), "--period", "2025-Q3", "--department", "发改委", "--out", str(tmp_path)
    )
    assert result.returncode == 1
    assert "找不到单位“发改委”" in result.stderr and "省发展改革委" in result.stderr
    assert "Traceback" not in result.stderr


def test_template_without_period_is_a_usage_error(
    run_cli: Callable[..., Result], scenario_db: Path, tmp_path: Path
) -> None:
    result = run_cli("template", "--db", str(scenario_db), "--out", str(tmp_path))
    assert result.returncode == 2
    assert "用法错误" in result.stderr


def test_missing_prints_who_has_not_returned_and_writes_files(
    run_cli: Callable[..., Result], scenario_db: Path, tmp_path: Path
) -> None:
    xlsx, txt = tmp_path / "名单.xlsx", tmp_path / "通知.txt"
    result = run_cli(
        "missing", "--db", str(scenario_db), "--period", "2025-Q3", "--out", str(xlsx), "--notice", str(txt)
    )
    assert result.returncode == 0, result.stderr
    assert "应报 3 个单位，已报 2 个" in result.stdout
    assert f"1. {REFORM}：尚未报送（应报重点项目 2 个）；联系人 李四，电话 0431-88880002" in result.stdout
    assert f"1. {INDUSTRY}：" in result.stdout and "2 条警告" in result.stdout
    assert "报送截止日期：2025年10月15日" in result.stdout
    assert xlsx.exists() and txt.read_bytes().decode("utf-8-sig").startswith("催报通知")


def test_summary_writes_the_ledger(run_cli: Callable[..., Result], scenario_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "汇总.xlsx"
    result = run_cli("summary", "--db", str(scenario_db), "--period", "2025-Q3", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "重点项目 8 个（本期已填报 2 个）" in result.stdout
    assert openpyxl.load_workbook(out).sheetnames[0] == "项目台账"


def test_summary_into_missing_folder_exits_1_in_chinese(
    run_cli: Callable[..., Result], scenario_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "没有这个文件夹" / "汇总.xlsx"
    result = run_cli("summary", "--db", str(scenario_db), "--period", "2025-Q3", "--out", str(out))
    assert result.returncode == 1
    assert "文件夹不存在" in result.stderr
