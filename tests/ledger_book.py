"""An office-style ledger workbook, built in code: the shape of a 台账 a coordinating office keeps in Excel."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

HEADER_TOP = [
    "序号",
    "项目名称",
    "责任单位",
    "建设地点",
    "建设年限",
    "总投资",
    "投资完成情况",
    None,
    "形象进度",
    "进展情况",
    "备注",
]
HEADER_SUB = [None, None, None, None, None, None, "本年完成", "累计完成", None, None, None]

DEFAULT_ROWS: list[list[object]] = [
    [1, "省数据灾备中心（二期）", "省工业和信息化厅", "长春市", "2016-2019", 3.2, 0.5, 2.8, "85%", "主体完工", ""],
    [2, "中国联通东北数据中心", "省通信管理局", "长春市", "2015—2027年", 12, 1.1, 6.5, 0.6, "二期机房建设中", ""],
    [3, "长春新区智能网联汽车测试场", "长春新区管委会", "长春市", "2024-2026", 1.5, 0.3, 0.4, "30%", "已开工", ""],
    [4, "吉林省智慧农业云平台", "省农业信息中心", "全省", "2025", "8000万元", None, 0.12, 0.2, "", "新增"],
]


def ledger_workbook(
    path: Path,
    *,
    title: str = "吉林省互联网经济重点项目台账（截至2025年6月底）",
    unit_line: str | None = "单位：亿元",
    rows: list[list[object]] | None = None,
    footer: bool = True,
) -> Path:
    """Write a ledger: a merged title, a unit line, a two-level header, rows, a 合计 row and a 制表 line."""
    wb = Workbook()
    ws = wb.active
    ws.title = "重点项目台账"
    width = len(HEADER_TOP)
    ws.append([title] + [None] * (width - 1))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    r = 2
    if unit_line is not None:
        ws.append([None] * (width - 2) + [unit_line, None])
        r += 1
    ws.append(HEADER_TOP)
    ws.append(HEADER_SUB)
    ws.merge_cells(start_row=r, start_column=7, end_row=r, end_column=8)  # 投资完成情况 over two columns
    for c in (1, 2, 3, 4, 5, 6, 9, 10, 11):
        ws.merge_cells(start_row=r, start_column=c, end_row=r + 1, end_column=c)
    for row in rows if rows is not None else DEFAULT_ROWS:
        ws.append(row)
    if footer:
        ws.append([None, "合计", None, None, None, 24.7, 1.9, 9.82, None, None, None])
        ws.append(["制表：综合处", None, None, None, None, None, None, None, "审核：张三", None, None])
    wb.save(path)
    return path
