"""`taizhang indicators`: list, record, export and chart from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli.test_cli_basics import run_cli

# Exact scenarios on the first twelve projects (see tests/first_portfolio.py).
pytestmark = pytest.mark.usefixtures("first_portfolio")


def test_record_then_list_shows_the_status_of_both_broadband_targets(db_path: Path) -> None:
    rec = run_cli("indicators", "record", "--db", str(db_path), "--code", "ZB06", "--period", "2020", "--value", "60")
    assert rec.returncode == 0, rec.stderr
    assert "已录入 固定宽带家庭普及率" in rec.stdout
    lines = run_cli("indicators", "list", "--db", str(db_path), "--period", "2021").stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if "固定宽带家庭普及率" in line)
    first = lines[start]
    second = next(line for line in lines[start + 1 :] if "〃" in line)
    # The documents' own words; the 2015 target is listed beside the 2018 one the office reports against.
    assert "目标 2020年达到75%（“十三五”末期）（仅列示，不作报告口径） 《关于促进互联网经济发展的指导意见》" in first
    assert "【滞后】" in first
    assert "目标 2020年达55%以上 《扩大和升级信息消费实施方案》" in second and "【达标】" in second


def test_record_refuses_a_bad_value_with_exit_1(db_path: Path) -> None:
    result = run_cli("indicators", "record", "--db", str(db_path), "--code", "ZB05", "--period", "2016", "--value", "x")
    assert result.returncode == 1
    assert "不是数字" in result.stderr


def test_unknown_indicator_is_refused(db_path: Path) -> None:
    result = run_cli("indicators", "chart", "--db", str(db_path), "--code", "ZB99", "--out", "x.png")
    assert result.returncode == 1 and "ZB99" in result.stderr


def test_export_and_chart_write_files(db_path: Path, tmp_path: Path, artifacts_dir: Path) -> None:
    xlsx = tmp_path / "指标.xlsx"
    assert run_cli("indicators", "export", "--db", str(db_path), "--out", str(xlsx)).returncode == 0
    sheet = load_workbook(xlsx)["指标"]
    assert sheet.max_row == 3 + 21 + 2  # title, note, headers, 21 targets, 2 indicators without one
    baselines = [sheet.cell(row=r, column=3).value for r in range(4, sheet.max_row + 1)]
    assert any(isinstance(v, int | float) for v in baselines)  # numbers stay numbers
    assert not any(isinstance(v, str) and v.replace(".", "").isdigit() for v in baselines)
    assert sheet.print_title_rows == "$1:$3" and sheet.oddFooter.center.text
    png = artifacts_dir / "indicator_chart_cli.png"
    chart = run_cli("indicators", "chart", "--db", str(db_path), "--code", "互联网产业规模", "--out", str(png))
    assert chart.returncode == 0, chart.stderr
    assert png.stat().st_size > 10_000
