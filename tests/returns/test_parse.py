"""parse_return end to end on the messy returns departments really send."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from app.returns.parse import department_from_filename, parse_return
from app.returns.parsed import ParsedReturn, Severity
from tests.returns.workbooks import HEADERS, simple_return, titled_return


def errors(parsed: ParsedReturn) -> list[str]:
    return [p.message for p in parsed.problems if p.severity is Severity.ERROR]


def warnings(parsed: ParsedReturn) -> list[str]:
    return [p.message for p in parsed.problems if p.severity is Severity.WARNING]


def progress_values(parsed: ParsedReturn) -> list[dict[str, object]]:
    return [row.values for row in parsed.rows.get("progress", [])]


def test_clean_titled_return_reads_rows_department_and_period(tmp_path: Path) -> None:
    path = titled_return(tmp_path / "r.xlsx", [["P1", "长春数据中心", 1000, 100, 300, 0.3, "无"]])
    parsed = parse_return(path)
    assert errors(parsed) == []
    assert (parsed.department, parsed.department_source) == ("省工业和信息化厅", "title")
    assert (parsed.period_key, parsed.period_source) == ("2025-Q3", "title")
    assert progress_values(parsed) == [
        {
            "project_code": "P1",
            "project_name": "长春数据中心",
            "planned_investment": 1000.0,
            "investment_period": 100.0,
            "investment_cumulative": 300.0,
            "progress_pct": 30.0,
            "problems": "无",
        }
    ]
    row = parsed.rows["progress"][0]
    assert (row.sheet, row.row) == ("Sheet1", 4)
    assert row.columns["progress_pct"] == "F"
    assert row.raw["planned_investment"] == "1000"


def test_sha256_is_the_files_digest(tmp_path: Path) -> None:
    path = titled_return(tmp_path / "r.xlsx", [["P1", "x", 1, 1, 1, 1, None]])
    assert parse_return(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_text_numbers_units_and_percent_forms(tmp_path: Path) -> None:
    rows = [
        ["P1", "一", "1,200", "1200万元", "0.35亿元", "60%", None],
        ["P2", "二", "12亿", 50, "3,500,000元", 0.6, None],
        ["P3", "三", 800, "—", None, 60, None],
    ]
    parsed = parse_return(titled_return(tmp_path / "r.xlsx", rows))
    assert errors(parsed) == []
    values = progress_values(parsed)
    assert [v["planned_investment"] for v in values] == [1200.0, 120000.0, 800.0]
    assert [v.get("investment_period") for v in values] == [1200.0, 50.0, None]
    assert [v.get("investment_cumulative") for v in values] == [3500.0, 350.0, None]
    # The column is in percentage points (60): a bare 0.6 there fits neither reading, is read as written
    # and warned about (issue 12: never scaled silently).
    assert [v["progress_pct"] for v in values] == [60.0, 0.6, 60.0]
    assert any(p.row == 5 and "百分点" in p.message for p in parsed.problems)


def test_column_in_yi_yuan_converts_bare_numbers(tmp_path: Path) -> None:
    header = ["项目名称", "计划总投资（亿元）"]
    parsed = parse_return(titled_return(tmp_path / "r.xlsx", [["一", 1.5], ["二", "2000万元"]], header=header))
    assert [v["planned_investment"] for v in progress_values(parsed)] == [15000.0, 2000.0]


def test_percent_column_in_points_reads_1_as_1_percent(tmp_path: Path) -> None:
    header = ["项目名称", "形象进度"]
    parsed = parse_return(titled_return(tmp_path / "r.xlsx", [["一", 1], ["二", 45]], header=header))
    assert [v["progress_pct"] for v in progress_values(parsed)] == [1.0, 45.0]


def milestone_return(path: Path, dates: list[object]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "里程碑"
    ws.append(["填报单位：省发展改革委"])
    ws.append(["报告期：2025年第三季度"])
    ws.append(["项目名称", "里程碑", "计划完成日期", "实际完成日期"])
    for i, value in enumerate(dates):
        ws.append([f"项目{i}", "开工", value, None])
    wb.save(path)
    return path


def test_dates_in_every_form(tmp_path: Path) -> None:
    forms: list[object] = [datetime(2025, 9, 30), "2025-09-30", "2025/9/30", "2025.9", "2025年9月", 45930]
    parsed = parse_return(milestone_return(tmp_path / "m.xlsx", forms))
    assert errors(parsed) == []
    assert [r.values["planned_date"] for r in parsed.rows["milestones"]] == [date(2025, 9, 30)] * len(forms)
    month_only = [p for p in parsed.problems if "最后一天" in p.message]
    assert [(p.row, p.column) for p in month_only] == [(7, "C"), (8, "C")]


def test_bad_values_are_errors_with_row_and_column_letter(tmp_path: Path) -> None:
    rows = [["P1", "一", "约一千万", 1, 1, "150%", None], ["P2", "二", 1, 1, 1, 0.5, None]]
    parsed = parse_return(titled_return(tmp_path / "r.xlsx", rows))
    bad = [(p.sheet, p.row, p.column) for p in parsed.problems if p.severity is Severity.ERROR]
    assert bad == [("Sheet1", 4, "C"), ("Sheet1", 4, "F")]
    assert all(p.file == "r.xlsx" for p in parsed.problems)
    assert "约一千万" in parsed.problems[0].message
    assert parsed.problems[0].where() == "文件 r.xlsx，工作表 Sheet1，第 4 行，C 列"


def test_blank_total_and_notes_rows_are_skipped(tmp_path: Path) -> None:
    rows = [
        ["P1", "一", 100, 10, 10, 0.1, None],
        [None] * 7,
        ["P2", "二", 200, 20, 20, 0.2, None],
        ["小计", None, 300, 30, 30, None, None],
        [None, "合 计", 300, 30, 30, None, None],
        ["注：金额单位为万元。"],
        ["填报人：张三", None, "联系电话：0431-88888888"],
        ["联系电话：13800000000"],
    ]
    parsed = parse_return(titled_return(tmp_path / "r.xlsx", rows))
    assert errors(parsed) == []
    assert [v["project_name"] for v in progress_values(parsed)] == ["一", "二"]


def test_row_with_data_but_no_project_name_is_an_error(tmp_path: Path) -> None:
    parsed = parse_return(titled_return(tmp_path / "r.xlsx", [["P1", None, 100, 10, 10, 0.1, None]]))
    assert [(p.row, p.column) for p in parsed.problems if p.severity is Severity.ERROR] == [(4, "B")]


def test_hidden_rows_are_read_with_a_warning(tmp_path: Path) -> None:
    path = titled_return(tmp_path / "r.xlsx", [["P1", "一", 1, 1, 1, 1, None], ["P2", "二", 1, 1, 1, 1, None]])
    wb = openpyxl.load_workbook(path)
    wb.active.row_dimensions[5].hidden = True
    wb.save(path)
    parsed = parse_return(path)
    assert len(parsed.rows["progress"]) == 2
    hidden = [p for p in parsed.problems if "隐藏行" in p.message]
    assert len(hidden) == 1 and hidden[0].row == 5 and hidden[0].severity is Severity.WARNING


def test_hidden_data_sheet_is_not_read_but_warned(tmp_path: Path) -> None:
    path = titled_return(tmp_path / "r.xlsx", [["P1", "一", 1, 1, 1, 1, None]])
    wb = openpyxl.load_workbook(path)
    old = wb.copy_worksheet(wb.active)
    old.title = "上期"
    old.sheet_state = "hidden"
    wb.save(path)
    parsed = parse_return(path)
    assert len(parsed.rows["progress"]) == 1
    assert any(p.sheet == "上期" and "隐藏" in p.message for p in parsed.problems)


def test_a_simple_formula_without_cached_value_is_computed_with_a_warning(tmp_path: Path) -> None:
    path = titled_return(tmp_path / "r.xlsx", [["P1", "一", 100, 10, "=D4*2", 0.5, None]])
    parsed = parse_return(path)
    assert errors(parsed) == []
    formula = [p for p in parsed.problems if "公式" in p.message]
    assert [(p.row, p.column, p.severity) for p in formula] == [(4, "E", Severity.WARNING)]
    assert "算出 20" in formula[0].message
    assert parsed.rows["progress"][0].values["investment_cumulative"] == 20.0


def test_a_formula_this_app_cannot_compute_stays_blank_with_a_warning(tmp_path: Path) -> None:
    path = titled_return(tmp_path / "r.xlsx", [["P1", "一", 100, 10, "=VLOOKUP(D4,Sheet2!A:B,2,0)", 0.5, None]])
    parsed = parse_return(path)
    formula = [p for p in parsed.problems if "公式" in p.message]
    assert [(p.row, p.column, p.severity) for p in formula] == [(4, "E", Severity.WARNING)]
    assert "investment_cumulative" not in parsed.rows["progress"][0].values


def test_extra_columns_are_ignored_with_a_warning(tmp_path: Path) -> None:
    header = [*HEADERS, "联系人"]
    parsed = parse_return(titled_return(tmp_path / "r.xlsx", [["P1", "一", 1, 1, 1, 1, None, "张三"]], header=header))
    assert [(p.column, p.severity) for p in parsed.problems if "联系人" in p.message] == [("H", Severity.WARNING)]


def test_missing_required_column_is_an_error(tmp_path: Path) -> None:
    header = ["项目编号", "计划总投资（万元）", "形象进度"]
    parsed = parse_return(titled_return(tmp_path / "r.xlsx", [["P1", 1, 1]], header=header))
    assert any("缺少必填列" in m and "项目名称" in m for m in errors(parsed))


def test_what_the_title_visibly_says_wins_over_the_hidden_meta_sheet_and_every_claim_is_kept(tmp_path: Path) -> None:
    path = titled_return(tmp_path / "省发改委_2025年二季度.xlsx", [["P1", "一", 1, 1, 1, 1, None]])
    wb = openpyxl.load_workbook(path)
    meta = wb.create_sheet("_taizhang")
    meta.append(["template_version", "1"])
    meta.append(["department", "省通信管理局"])
    meta.append(["period", "2025-Q1"])
    meta.sheet_state = "hidden"
    wb.save(path)
    parsed = parse_return(path)
    assert (parsed.department, parsed.department_source) == ("省工业和信息化厅", "title")
    assert (parsed.period_key, parsed.period_source) == ("2025-Q3", "title")
    assert parsed.template_version == "1"
    assert parsed.department_claims == {"title": "省工业和信息化厅", "filename": "省发改委", "meta": "省通信管理局"}
    assert parsed.period_claims == {"title": "2025-Q3", "filename": "2025-Q2", "meta": "2025-Q1"}


def test_file_name_gives_department_and_period_when_the_sheet_does_not(tmp_path: Path) -> None:
    parsed = parse_return(simple_return(tmp_path / "省发改委_2025年三季度.xlsx", [["P1", "一", 1, 1, 1, 1, None]]))
    assert (parsed.department, parsed.department_source) == ("省发改委", "filename")
    assert (parsed.period_key, parsed.period_source) == ("2025-Q3", "filename")


def test_arguments_are_the_last_resort(tmp_path: Path) -> None:
    path = simple_return(tmp_path / "return.xlsx", [["P1", "一", 1, 1, 1, 1, None]])
    parsed = parse_return(path, department="省通信管理局", period="2025-Q3")
    assert (parsed.department, parsed.department_source) == ("省通信管理局", "argument")
    assert (parsed.period_key, parsed.period_source) == ("2025-Q3", "argument")
    assert errors(parsed) == []


def test_an_argument_overrides_the_file_and_the_file_s_claims_stay_for_validation(tmp_path: Path) -> None:
    path = titled_return(tmp_path / "r.xlsx", [["P1", "一", 1, 1, 1, 1, None]])
    parsed = parse_return(path, department="省通信管理局", period="2025-Q2")
    assert (parsed.department, parsed.department_source) == ("省通信管理局", "argument")
    assert (parsed.period_key, parsed.period_source) == ("2025-Q2", "argument")
    assert parsed.department_claims["title"] == "省工业和信息化厅" and parsed.period_claims["title"] == "2025-Q3"


def test_unknown_department_and_period_are_left_for_validation_to_report(tmp_path: Path) -> None:
    parsed = parse_return(simple_return(tmp_path / "return.xlsx", [["P1", "一", 1, 1, 1, 1, None]]))
    assert (parsed.department, parsed.period_key) == (None, None)
    assert (parsed.department_source, parsed.period_source) == ("", "")
    assert errors(parsed) == []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("2025年第三季度", "2025-Q3"),
        ("2025年三季度", "2025-Q3"),
        ("2025-Q3", "2025-Q3"),
        ("2025年1-9月", "2025-Q3"),
        ("2025年1—6月", "2025-Q2"),
        ("2025年1-8月", "2025-08"),
        ("2025年9月", "2025-09"),
        ("2025年上半年", "2025-H1"),
    ],
)
def test_period_from_title_text(tmp_path: Path, text: str, key: str) -> None:
    parsed = parse_return(titled_return(tmp_path / "r.xlsx", [["P1", "一", 1, 1, 1, 1, None]], period_text=text))
    assert parsed.period_key == key


@pytest.mark.parametrize(
    ("stem", "department"),
    [
        ("省发改委_2025年三季度", "省发改委"),
        ("2025Q3-省工业和信息化厅-项目进展", "省工业和信息化厅"),
        ("省通信管理局2025年第三季度", "省通信管理局"),
        ("项目进展表", None),
    ],
)
def test_department_from_file_name(stem: str, department: str | None) -> None:
    assert department_from_filename(stem) == department


def test_several_sheets_of_one_return(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目进展"
    ws.append(["项目名称", "形象进度"])
    ws.append(["数据中心", "60%"])
    members = wb.create_sheet("新增计划成员")
    members.append(["所属计划", "企业名称", "统一社会信用代码", "计入年度"])
    members.append(["示范企业", "某科技有限公司", "91350100M000100Y43", "2025年"])
    wb.create_sheet("填报说明").append(["请按说明填写"])
    wb.save(tmp_path / "省工信厅_2025Q3.xlsx")
    parsed = parse_return(tmp_path / "省工信厅_2025Q3.xlsx")
    assert errors(parsed) == [] and warnings(parsed) == []
    assert parsed.rows["members"][0].values == {
        "programme": "示范企业",
        "member_name": "某科技有限公司",
        "credit_code": "91350100M000100Y43",
        "year_counted": 2025,
    }


def test_workbook_without_any_known_table_is_refused(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "电话"])
    wb.save(tmp_path / "x.xlsx")
    assert any("没有可识别的报表" in m for m in errors(parse_return(tmp_path / "x.xlsx")))


def test_a_bug_in_a_stage_becomes_a_problem_not_an_exception(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import app.returns.parse as parse_module

    def explode(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(parse_module, "read_values", explode)
    parsed = parse_return(titled_return(tmp_path / "r.xlsx", [["P1", "一", 1, 1, 1, 1, None]]))
    assert any("内部错误" in m for m in errors(parsed))


def test_csv_return_in_gbk(tmp_path: Path) -> None:
    path = tmp_path / "省发改委_2025年三季度.csv"
    path.write_bytes('项目名称,累计完成投资（万元）,形象进度\r\n长春数据中心,"1,200",60%\r\n'.encode("gbk"))
    parsed = parse_return(path)
    assert errors(parsed) == []
    expected = {"project_name": "长春数据中心", "investment_cumulative": 1200.0, "progress_pct": 60.0}
    assert progress_values(parsed) == [expected]


def test_vertically_merged_department_applies_to_every_row_it_covers(tmp_path: Path) -> None:
    header = ["项目名称", "责任单位", "累计完成投资（万元）"]
    path = titled_return(
        tmp_path / "r.xlsx", [["一", "省工信厅", 10], ["二", None, 20], ["三", "省发改委", 30]], header=header
    )
    wb = openpyxl.load_workbook(path)
    wb.active.merge_cells("B4:B5")
    wb.save(path)
    parsed = parse_return(path)
    assert [v.get("department") for v in progress_values(parsed)] == ["省工信厅", "省工信厅", "省发改委"]


def test_vertically_merged_amount_is_not_copied(tmp_path: Path) -> None:
    header = ["项目名称", "计划总投资（万元）"]
    path = titled_return(tmp_path / "r.xlsx", [["一", 100], ["二", None]], header=header)
    wb = openpyxl.load_workbook(path)
    wb.active.merge_cells("B4:B5")
    wb.save(path)
    assert [v.get("planned_investment") for v in progress_values(parse_return(path))] == [100.0, None]


def test_header_repeated_on_each_printed_page_is_skipped(tmp_path: Path) -> None:
    rows = [["P1", "一", 1, 1, 1, 1, None], HEADERS, ["P2", "二", 2, 2, 2, 1, None]]
    parsed = parse_return(titled_return(tmp_path / "r.xlsx", rows))
    assert errors(parsed) == []
    assert [v["project_name"] for v in progress_values(parsed)] == ["一", "二"]


def test_table_wide_unit_in_the_title_applies_to_money_columns_without_their_own(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["重点项目进展情况表（单位：亿元）"])
    ws.append(["填报单位：省发展改革委", None, "报告期：2025年第三季度"])
    ws.append(["项目名称", "计划总投资", "累计完成投资（万元）"])
    ws.append(["数据中心", 1.5, 3000])
    wb.save(tmp_path / "r.xlsx")
    values = progress_values(parse_return(tmp_path / "r.xlsx"))
    assert values == [{"project_name": "数据中心", "planned_investment": 15000.0, "investment_cumulative": 3000.0}]


def test_fill_in_date_in_the_footer_is_not_taken_for_the_period(tmp_path: Path) -> None:
    rows = [["P1", "一", 1, 1, 1, 1, "预计完成时间：2026年6月"], ["填报时间：2025年10月8日"]]
    path = titled_return(tmp_path / "r.xlsx", rows, period_text="2025年第三季度")
    assert parse_return(path).period_key == "2025-Q3"
    wb = openpyxl.load_workbook(path)
    wb.active["E2"] = None  # no 报告期 in the title any more
    wb.active["A1"] = "重点项目进展情况表"
    wb.save(path)
    assert parse_return(path).period_key is None


def test_two_sheets_of_the_same_table_are_merged_with_a_warning(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    for title, name in (("长春市", "数据中心"), ("吉林市", "云平台")):
        ws = wb.create_sheet(title)
        ws.append(["项目名称", "形象进度"])
        ws.append([name, "50%"])
    del wb["Sheet"]
    wb.save(tmp_path / "省工信厅_2025Q3.xlsx")
    parsed = parse_return(tmp_path / "省工信厅_2025Q3.xlsx")
    assert [(r.sheet, r.values["project_name"]) for r in parsed.rows["progress"]] == [
        ("长春市", "数据中心"),
        ("吉林市", "云平台"),
    ]
    assert any("已合并读取" in m for m in warnings(parsed))
