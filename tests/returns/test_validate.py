"""Checks a parsed return gets before anything is written: errors block, warnings ask for confirmation."""

from __future__ import annotations

from datetime import date

from app.returns.parsed import ParsedReturn, Severity
from app.returns.validate import LedgerState, ValidatedReturn, credit_code_problem, make_strict, validate
from app.services.returns import commit, preview_parsed
from app.storage.db import Database
from tests.returns.helpers import FAGAI, parsed, progress_row, row

VALID_CODE = "91222201JURQ283FQU"
OTHER_CODE = "91227364FLCR63F0WL"


def check(db: Database, item: ParsedReturn) -> ValidatedReturn:
    with db.sessions() as s:
        return validate(item, LedgerState.load(s))


def messages(result: ValidatedReturn, severity: Severity) -> list[str]:
    return [p.message for p in result.problems if p.severity is severity]


def test_unknown_project_is_an_error_with_location_and_candidates(ledger: Database) -> None:
    result = check(ledger, parsed(progress=[progress_row(5, "北方云基地白城数据中心", progress_pct=30.0)]))
    [problem] = result.errors
    assert (problem.sheet, problem.row, problem.column) == ("项目进展", 5, "B")
    assert "找不到" in problem.message and "ZD04 中国北方云基地白城云计算中心" in problem.message
    assert result.progress == []


def test_unknown_department_is_an_error_naming_close_departments(ledger: Database) -> None:
    result = check(ledger, parsed(department="省工业信息化厅", progress=[progress_row(5, code="ZD01")]))
    assert any("不在单位名录中" in m and "省工业和信息化厅" in m for m in messages(result, Severity.ERROR))


def test_missing_period_is_an_error_asking_for_period_option(ledger: Database) -> None:
    result = check(ledger, parsed(period=None, progress=[progress_row(5, code="ZD01")]))
    assert any("--period" in m for m in messages(result, Severity.ERROR))


def test_progress_above_100_and_negative_money_are_errors(ledger: Database) -> None:
    result = check(
        ledger,
        parsed(progress=[progress_row(5, code="ZD01", progress_pct=120.0, investment_cumulative=-5.0)]),
    )
    columns = {p.column for p in result.errors}
    assert columns == {"H", "G"}


def test_project_of_another_department_is_a_warning(ledger: Database) -> None:
    result = check(ledger, parsed(progress=[progress_row(5, code="ZD05", progress_pct=10.0)]))
    assert not result.has_errors
    assert any(FAGAI in m for m in messages(result, Severity.WARNING))


def _accept_previous(ledger: Database, **values: float) -> None:
    earlier = parsed("q2.xlsx", period="2025-Q2", progress=[progress_row(4, code="ZD01", **values)])
    outcomes = commit(ledger, preview_parsed(ledger, [earlier]))
    assert outcomes[0].ok, outcomes[0].message


def test_cumulative_investment_falling_against_previous_period_is_a_warning(ledger: Database) -> None:
    _accept_previous(ledger, investment_cumulative=1200.0, progress_pct=40.0)
    result = check(ledger, parsed(progress=[progress_row(5, code="ZD01", investment_cumulative=1000.0)]))
    [warning] = result.warnings
    assert "2025年第二季度" in warning.message and "1,200" in warning.message and warning.column == "G"


def test_progress_going_backwards_is_a_warning(ledger: Database) -> None:
    _accept_previous(ledger, investment_cumulative=1200.0, progress_pct=40.0)
    result = check(ledger, parsed(progress=[progress_row(5, code="ZD01", progress_pct=35.0)]))
    assert [p.column for p in result.warnings] == ["H"]


def test_progress_moving_forward_raises_nothing(ledger: Database) -> None:
    _accept_previous(ledger, investment_cumulative=1200.0, progress_pct=40.0)
    result = check(
        ledger, parsed(progress=[progress_row(5, code="ZD01", progress_pct=45.0, investment_cumulative=1300.0)])
    )
    assert result.problems == []


def test_moved_milestone_actual_date_is_a_warning(ledger: Database) -> None:
    first = parsed("m1.xlsx", milestones=[row("里程碑", 3, project_code="ZD01", project_name="省数据灾备中心二期工程",
                                             milestone_name="开工", actual_date=date(2025, 7, 1))])  # fmt: skip
    assert commit(ledger, preview_parsed(ledger, [first]))[0].ok
    moved = parsed("m2.xlsx", milestones=[row("里程碑", 3, project_code="ZD01", project_name="省数据灾备中心二期工程",
                                             milestone_name="开工", actual_date=date(2025, 8, 15))])  # fmt: skip
    result = check(ledger, moved)
    assert any("2025-07-01" in m and "2025-08-15" in m for m in messages(result, Severity.WARNING))


def test_unknown_milestone_is_a_warning_not_silently_added(ledger: Database) -> None:
    item = parsed(milestones=[row("里程碑", 3, project_code="ZD01", project_name="x", milestone_name="设备安装")])
    result = check(ledger, item)
    assert any("新里程碑" in m for m in messages(result, Severity.WARNING))


def test_credit_code_check_character() -> None:
    assert credit_code_problem(VALID_CODE) is None
    assert "校验位" in (credit_code_problem(VALID_CODE[:-1] + "A") or "")
    assert "18 位" in (credit_code_problem("9122") or "")


def test_member_with_wrong_credit_code_is_an_error(ledger: Database) -> None:
    member = row("新增计划成员", 4, programme="“两化”深度融合示范企业", member_name="吉林某科技有限公司",
                 credit_code=VALID_CODE[:-1] + "A")  # fmt: skip
    result = check(ledger, parsed(members=[member]))
    [error] = result.errors
    assert error.column == "C" and "校验位" in error.message


def test_same_enterprise_from_another_department_is_flagged(ledger: Database) -> None:
    first = parsed("a.xlsx", members=[row("新增计划成员", 4, programme="JH02", member_name="吉林甲公司",
                                          credit_code=VALID_CODE)])  # fmt: skip
    assert commit(ledger, preview_parsed(ledger, [first]))[0].ok
    again = parsed("b.xlsx", department=FAGAI, period="2026-Q1",
                   members=[row("新增计划成员", 7, programme="两化深度融合示范企业", member_name="吉林甲公司（更名）",
                                credit_code=VALID_CODE.lower())])  # fmt: skip
    result = check(ledger, again)
    [warning] = result.warnings
    assert "省工业和信息化厅" in warning.message and "2025年" in warning.message and warning.row == 7


def test_same_enterprise_by_name_without_code_is_flagged(ledger: Database) -> None:
    first = parsed("a.xlsx", members=[row("新增计划成员", 4, programme="JH01", member_name="长春 试验区")])
    assert commit(ledger, preview_parsed(ledger, [first]))[0].ok
    again = parsed(
        "b.xlsx", period="2026-Q1", members=[row("新增计划成员", 4, programme="JH01", member_name="长春试验区")]
    )
    assert any("重复计数" in m for m in messages(check(ledger, again), Severity.WARNING))


def test_member_repeated_in_the_same_file_is_counted_once(ledger: Database) -> None:
    members = [
        row("新增计划成员", 4, programme="JH02", member_name="吉林甲公司", credit_code=VALID_CODE),
        row("新增计划成员", 5, programme="JH02", member_name="吉林甲公司", credit_code=VALID_CODE),
        row("新增计划成员", 6, programme="JH02", member_name="吉林乙公司", credit_code=OTHER_CODE),
    ]
    result = check(ledger, parsed(members=members))
    assert len(result.members) == 2
    assert [p.row for p in result.warnings] == [5]


def test_strict_turns_warnings_into_errors(ledger: Database) -> None:
    result = make_strict(check(ledger, parsed(progress=[progress_row(5, code="ZD05", progress_pct=10.0)])))
    assert result.has_errors and not result.warnings


def test_unknown_indicator_is_an_error_with_candidates(ledger: Database) -> None:
    result = check(ledger, parsed(indicators=[row("指标数据", 3, indicator_name="互联网网民数", value=10.0)]))
    assert any("互联网网民数量" in m for m in messages(result, Severity.ERROR))


def test_period_that_has_not_started_is_a_warning(ledger: Database) -> None:
    result = check(ledger, parsed(period="2099-Q1", progress=[progress_row(5, code="ZD01", progress_pct=1.0)]))
    assert any("尚未开始" in m for m in messages(result, Severity.WARNING))


def test_member_already_counted_in_the_same_year_is_flagged_and_not_counted_again(ledger: Database) -> None:
    first = parsed("a.xlsx", members=[row("新增计划成员", 4, programme="JH02", member_name="吉林甲公司",
                                          credit_code=VALID_CODE, year_counted=2025)])  # fmt: skip
    assert commit(ledger, preview_parsed(ledger, [first]))[0].ok
    member = row("新增计划成员", 4, programme="JH02", member_name="吉林甲公司", credit_code=VALID_CODE)
    again = parsed("b.xlsx", period="2025-Q4", members=[member])
    result = check(ledger, again)
    assert result.members == []
    assert any("不再重复计入" in m for m in messages(result, Severity.WARNING))


def test_missing_department_already_reported_by_the_reader_is_not_repeated(ledger: Database) -> None:
    from app.returns.parsed import Problem

    item = parsed(department=None, progress=[progress_row(5, code="ZD01")])
    item.problems.append(Problem(item.file_name, "无法确定填报单位：文件中没有填写“填报单位”"))
    result = check(ledger, item)
    assert sum("填报单位" in m for m in messages(result, Severity.ERROR)) == 1


def test_project_row_left_empty_is_a_warning_and_not_imported(ledger: Database) -> None:
    result = check(ledger, parsed(progress=[progress_row(5, code="ZD01", project_name="省数据灾备中心二期工程"),
                                            progress_row(6, code="ZD02", progress_pct=10.0)]))  # fmt: skip
    assert [p.project_label for p in result.progress] == ["ZD02 中石油吉林数据中心"]
    assert [(p.row, "漏报" in p.message) for p in result.warnings] == [(5, True)]
