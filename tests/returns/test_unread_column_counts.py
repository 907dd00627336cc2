"""A column that is not part of the return is reported with how many of its rows hold something."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from app.returns.parse import parse_return


def _return_with(tmp_path: Path, extra: dict[str, list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目进展"
    ws.append(["2025年第三季度重点项目进展情况表"])
    ws.append(["填报单位：省工业和信息化厅", None, None, "报告期：2025年第三季度"])
    ws.append(["项目编号", "项目名称", "形象进度（%）", "本期进展情况", *extra])
    cells = list(extra.values())
    for i in range(max(map(len, cells))):
        ws.append([f"JL-{i:03d}", f"项目{i}", 0.5, "推进中", *(c[i] if i < len(c) else None for c in cells)])
    path = tmp_path / "return.xlsx"
    wb.save(path)
    return path


def _messages(path: Path) -> list[str]:
    return [p.message for p in parse_return(path).problems]


def test_rows_holding_something_in_an_unread_column_are_counted(tmp_path: Path) -> None:
    path = _return_with(
        tmp_path,
        {
            "联系人": ["张三", "   ", None, "李四", "", "王五"],  # text only: blanks and spaces are not content
            "内部编号": ["A1", 0, None, "  ", 12.5, "b"],  # mixed: a 0 is something the department wrote
            "审核意见": [None, "  ", "", None, None, None],  # nothing at all
        },
    )
    messages = _messages(path)
    assert any("列“联系人”不是本表的栏目，其中有 3 行内容未被读取" in m for m in messages), messages
    assert any("列“内部编号”不是本表的栏目，其中有 4 行内容未被读取" in m for m in messages), messages
    assert any("列“审核意见”不是本表的栏目，且没有内容，已忽略" in m for m in messages), messages
