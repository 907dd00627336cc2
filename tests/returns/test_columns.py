"""Headers → fields: renamed, reordered, missing and extra columns."""

from __future__ import annotations

import pytest

from app.domain.money import MoneyUnit
from app.returns.columns import map_columns, match_header
from app.returns.fields import MEMBERS, PROGRESS


def columns_of(headers: list[str]) -> dict[str, int]:
    mapping = map_columns([[h] for h in headers], PROGRESS)
    return {name: b.index for name, b in mapping.bindings.items()}


@pytest.mark.parametrize("header", ["形象进度(%)", "形象进度（%）", "完成进度", "进度", "形象\n进度", "工程进度（％）"])
def test_progress_column_renamed_within_reason(header: str) -> None:
    assert columns_of(["项目名称", header])["progress_pct"] == 1


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("累计已完成投资（万元）", "investment_cumulative"),
        ("开工以来累计完成投资", "investment_cumulative"),
        ("本年度完成投资（亿元）", "investment_period"),
        ("计划总投资额", "planned_investment"),
        ("总投资（万元）", "planned_investment"),
        ("责任部门", "department"),
        ("所在市(州)", "region"),
        ("存在的困难和问题", "problems"),
        ("需要协调解决的问题", "coordination_needed"),
        ("下一步工作计划", "next_steps"),
        ("项目\n编号", "project_code"),
    ],
)
def test_common_renamings_are_understood(header: str, field: str) -> None:
    mapping = map_columns([["项目名称"], [header]], PROGRESS)
    assert mapping.bindings[field].index == 1


def test_reordered_columns_are_found_where_they_are() -> None:
    found = columns_of(["累计完成投资（万元）", "存在问题", "项目名称", "项目编号"])
    assert found == {"investment_cumulative": 0, "problems": 1, "project_name": 2, "project_code": 3}


def test_extra_columns_are_listed_but_serial_number_is_silent() -> None:
    mapping = map_columns([["序号"], ["项目名称"], ["联系人"], ["形象进度"]], PROGRESS)
    assert mapping.extra == [(2, "联系人")]


def test_optional_columns_may_be_missing_but_required_ones_are_reported() -> None:
    assert map_columns([["项目名称"], ["形象进度"]], PROGRESS).missing_required == []
    missing = map_columns([["项目编号"], ["形象进度"]], PROGRESS).missing_required
    assert [f.name for f in missing] == ["project_name"]


def test_header_with_a_different_unit_matches_and_keeps_the_unit() -> None:
    mapping = map_columns([["项目名称"], ["计划总投资（亿元）"]], PROGRESS)
    binding = mapping.bindings["planned_investment"]
    assert binding.index == 1 and binding.unit is MoneyUnit.YI


def test_longer_header_containing_a_synonym_matches() -> None:
    assert columns_of(["项目名称", "本期完成投资额（万元）"])["investment_period"] == 1


def test_exact_match_beats_a_contained_one() -> None:
    # "进展情况" is progress_text exactly; "项目进展情况" also contains "项目" (project_name).
    found = columns_of(["项目名称", "项目进展情况"])
    assert found == {"project_name": 0, "progress_text": 1}


def test_each_column_is_bound_to_one_field_only() -> None:
    mapping = map_columns([["项目名称"], ["进度"], ["形象进度"]], PROGRESS)
    assert mapping.bindings["progress_pct"].index == 2  # the exact synonym wins, the other is extra
    assert mapping.extra == [(1, "进度")]


def test_two_row_header_candidates_take_the_sub_header_and_the_parents_unit() -> None:
    mapping = map_columns(
        [
            ["项目名称"],
            ["总投资", "投资情况（亿元）总投资", "投资情况（亿元）"],
            ["累计完成", "投资情况（亿元）累计完成", "投资情况（亿元）"],
        ],
        PROGRESS,
    )
    assert mapping.bindings["planned_investment"].unit is MoneyUnit.YI
    assert mapping.bindings["investment_cumulative"].index == 2
    assert mapping.bindings["investment_cumulative"].header == "投资情况（亿元）/累计完成"


def test_no_match_for_unrelated_text() -> None:
    assert match_header("联系电话", PROGRESS) == []


def test_member_sheet_headers() -> None:
    mapping = map_columns([["所属计划"], ["企业名称"], ["统一社会信用代码"], ["计入年度"]], MEMBERS)
    assert set(mapping.bindings) == {"programme", "member_name", "credit_code", "year_counted"}


def test_project_code_and_name_under_a_department_s_own_titles() -> None:
    # 项目编码 holds codes (ZD01): read as the name, every code would be "not in the ledger".
    assert columns_of(["项目编码", "项目名", "形象进度"]) == {"project_code": 0, "project_name": 1, "progress_pct": 2}
