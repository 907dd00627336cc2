"""Reading the office's own ledger: years, as-of date, units, sections, totals and notes, returns told apart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.domain.money import MoneyUnit
from app.returns.fields import META_SHEET
from app.returns.ledger_adopt import parse_as_of, parse_years, period_for_as_of, read_ledger
from tests.ledger_book import ledger_workbook


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2016-2019", date(2016, 1, 1), date(2019, 12, 31)),
        ("2015—2027年", date(2015, 1, 1), date(2027, 12, 31)),
        ("2016年-2019年", date(2016, 1, 1), date(2019, 12, 31)),
        ("2018.3-2020.6", date(2018, 3, 1), date(2020, 6, 30)),
        ("２０１７～２０１８", date(2017, 1, 1), date(2018, 12, 31)),
        ("2025年", date(2025, 1, 1), date(2025, 12, 31)),
        (2024, date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_build_years_as_ledgers_write_them_give_start_and_end(text: object, start: date, end: date) -> None:
    assert parse_years(text) == (start, end)


@pytest.mark.parametrize("text", ["2019-2016", "近期", "20-21", ""])
def test_build_years_that_make_no_sense_are_not_guessed(text: str) -> None:
    assert parse_years(text) is None


def test_as_of_date_comes_from_a_title_and_gives_the_quarter_or_month() -> None:
    assert parse_as_of("重点项目台账（截至2025年6月底）") == date(2025, 6, 30)
    assert parse_as_of("截止到2025年5月20日") == date(2025, 5, 20)
    assert parse_as_of("重点项目台账") is None
    assert period_for_as_of(date(2025, 6, 30)).key == "2025-Q2"
    assert period_for_as_of(date(2025, 5, 31)).key == "2025-05"


def test_office_ledger_reads_rows_units_and_date_and_skips_total_and_footer(tmp_path: Path) -> None:
    read = read_ledger(ledger_workbook(tmp_path / "台账.xlsx"))
    assert not read.errors and not read.is_return
    assert read.as_of == date(2025, 6, 30)
    assert read.unit is MoneyUnit.YI and not read.unstated_units
    assert [r.name for r in read.rows] == [
        "省数据灾备中心（二期）",
        "中国联通东北数据中心",
        "长春新区智能网联汽车测试场",
        "吉林省智慧农业云平台",
    ]
    first, second, _third, fourth = read.rows
    assert first.values["planned_investment"] == 32000.0  # 3.2 亿元 under 单位：亿元
    assert first.values["investment_cumulative"] == 28000.0  # 累计完成 under the merged 投资完成情况
    assert first.values["progress_pct"] == 85.0
    assert second.values["planned_start"] == date(2015, 1, 1) and second.values["planned_end"] == date(2027, 12, 31)
    assert second.values["progress_pct"] == 60.0  # 0.6 in a column of percents
    assert fourth.values["planned_investment"] == 8000.0  # "8000万元" keeps its own unit


def test_money_columns_without_a_unit_are_named(tmp_path: Path) -> None:
    read = read_ledger(ledger_workbook(tmp_path / "台账.xlsx", unit_line=None))
    assert [u.column for u in read.unstated_units] == ["F", "G", "H"]
    answered = read_ledger(tmp_path / "台账.xlsx", unit=MoneyUnit.YI)
    assert answered.rows[0].values["planned_investment"] == 32000.0


def test_section_rows_are_headings_not_projects(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["一、信息基础设施", None, None, None, None, None, None, None, None, None, None],
        [1, "中国联通东北数据中心", "省通信管理局", "长春市", "2015-2027", 12, 1, 6, "60%", "", ""],
    ]
    read = read_ledger(ledger_workbook(tmp_path / "台账.xlsx", rows=rows))
    assert not read.errors
    assert [r.name for r in read.rows] == ["中国联通东北数据中心"]
    assert read.rows[0].section == "一、信息基础设施"


def test_a_return_made_from_the_template_is_said_to_be_a_return(tmp_path: Path) -> None:
    path = ledger_workbook(tmp_path / "省工信厅_2025Q3.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    meta = wb.create_sheet(META_SHEET)
    meta.append(["template_version", "1"])
    meta.sheet_state = "hidden"
    wb.save(path)
    read = read_ledger(path)
    assert read.is_return and "部门报表" in read.return_reason and "导入报表" in read.return_reason


def test_a_return_with_its_department_line_and_period_columns_is_said_to_be_a_return(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["填报单位：省工业和信息化厅", None, "报告期：2025年第三季度"])
    ws.append(["项目名称", "本期完成投资（万元）", "累计完成投资（万元）", "形象进度（%）"])
    ws.append(["省数据灾备中心二期工程", 100, 2000, "60%"])
    path = tmp_path / "return.xlsx"
    wb.save(path)
    assert read_ledger(path).is_return


def test_a_workbook_without_a_ledger_table_is_refused_with_a_reason(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["会议纪要"])
    path = tmp_path / "notes.xlsx"
    wb.save(path)
    read = read_ledger(path)
    assert read.errors and "没有找到台账表" in read.errors[0].message
