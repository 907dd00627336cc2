"""Row kinds: which rows are data, totals, notes or examples."""

from __future__ import annotations

import pytest

from app.returns.values import row_kind


@pytest.mark.parametrize(
    "row",
    [
        ["合计", None, 300],
        ["合 计", None, 300],
        [None, "全省合计", 300],
        ["小计：", 12],
        ["总计（万元）", 12],
        ["", "", "其中："],
        ["一、合计"],
    ],
)
def test_total_rows(row: list[object]) -> None:
    assert row_kind(row) == "total"


@pytest.mark.parametrize(
    "row",
    [
        ["注：金额单位为万元"],
        ["注1：本表由各单位填报"],
        ["填报人：张三", None, "联系电话：0431-88888888"],
        ["联系电话：13800000000"],
        ["填报单位（盖章）：省工信厅"],
        ["单位负责人:", "李四"],
        ["说明：" + "本表所列项目为省级重点项目" * 5],
    ],
)
def test_note_rows(row: list[object]) -> None:
    assert row_kind(row) == "note"


@pytest.mark.parametrize(
    "row",
    [
        [1, "合计", 3],  # starts with a serial number: a project row, whatever its name
        ["P1", "总计算中心建设项目", 100],
        ["P2", "统计监测平台", 100],
        ["P3", "手机(APP)政务服务平台", 10],
        ["P4", "电话服务中心", 10],
        ["P5", "注册服务平台", 10],
        ["累计完成投资超亿元的数据中心项目"],
    ],
)
def test_data_rows_that_look_a_little_like_totals_or_notes(row: list[object]) -> None:
    assert row_kind(row) == "data"


def test_example_row() -> None:
    assert row_kind(["示例", "某某数据中心", 100]) == "example"
