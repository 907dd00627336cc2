"""Small rules behind the printed material: empty answers, finished projects, table tokens, even pages."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.schedule import MilestoneFacts, ScheduleFacts, lag_reasons
from app.domain.text import is_empty_answer
from app.reports.content import IssueLine, Table, group_issues
from app.reports.table_layout import column_widths, min_em, tokens
from app.reports.typography import page_number_outer_right, page_number_text


@pytest.mark.parametrize(
    "text", ["无", "暂无", "没有", "无。", "暂无需要协调解决的问题", "无需协调", "不涉及", "—", "N/A"]
)
def test_nothing_answers_are_empty(text: str) -> None:
    assert is_empty_answer(text)


@pytest.mark.parametrize("text", ["无人机产业园用地指标不足", "暂无资金到位，需协调", "无法按期开工", "没有资金"])
def test_real_problems_are_not_empty(text: str) -> None:
    assert not is_empty_answer(text)


def test_finished_project_is_never_behind_even_with_an_overdue_milestone() -> None:
    milestone = MilestoneFacts("竣工验收", date(2025, 6, 30), None)
    late = ScheduleFacts(date(2024, 1, 1), date(2025, 6, 30), 60.0, (milestone,))
    assert lag_reasons(late, date(2025, 9, 30))
    done = ScheduleFacts(date(2024, 1, 1), date(2025, 6, 30), 100.0, (milestone,))
    assert lag_reasons(done, date(2025, 9, 30)) == []
    quota_met = ScheduleFacts(date(2024, 1, 1), date(2025, 6, 30), None, (milestone,), finished=True)
    assert lag_reasons(quota_met, date(2025, 9, 30)) == []


def test_issues_group_by_department_and_merge_repeats() -> None:
    groups = group_issues(
        [
            IssueLine("请协调电力增容", "省发展改革委", "项目甲"),
            IssueLine("请协调土地指标", "省商务厅", "项目乙"),
            IssueLine("请协调电力增容。", "省发展改革委", "项目丙"),
        ]
    )
    assert [g.department for g in groups] == ["省发展改革委", "省商务厅"]
    assert groups[0].items == [("请协调电力增容", ["项目甲", "项目丙"])]


@pytest.mark.parametrize("value", ["2024.03", "100%", "在建（滞后）", "1,234,567", "未填报（滞后）", "互联网产业规模"])
def test_values_are_one_unbreakable_token(value: str) -> None:
    assert tokens(value) == [value]


def test_long_text_breaks_only_between_whole_pieces() -> None:
    assert tokens("2024.03–2026.06") == ["2024.03–2026.06"]  # a date range stays whole
    assert tokens("省工业和信息化厅牵头") == list("省工业和信息化厅牵头")
    assert "（2024年）" in tokens("3545.6（2024年）")


def test_columns_are_at_least_as_wide_as_their_widest_value() -> None:
    table = Table(["项目", "形象进度", "状态"], [["某某项目" * 5, "100%", "在建（滞后）"]], [5, 1, 1])
    widths = column_widths(table, 440, 12)
    assert widths[1] >= 12 * min_em("100%") and widths[2] >= 12 * min_em("在建（滞后）")
    assert abs(sum(widths) - 440) < 0.01


def test_page_numbers_are_dashed_and_sit_at_the_outer_corner() -> None:
    assert page_number_text(7) == "— 7 —"
    assert page_number_outer_right(1) and not page_number_outer_right(2)


def test_rows_spread_evenly_over_pages() -> None:
    from app.ui.report_gantt import rows_per_page_even

    assert rows_per_page_even(10, 20, 30) == [10]
    counts = rows_per_page_even(62, 28, 30)
    assert sum(counts) == 62 and max(counts) - min(counts) <= 2 and min(counts) > 10
