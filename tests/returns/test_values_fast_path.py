"""The column-wise reading of values gives exactly what the row-by-row reading gave, on varied sheets.

tests/returns/reference_values.py keeps the row-by-row read_values as it was; every sheet here is read by
both (each on its own copy of the grid, since both fill merged cells and computed formulas into it) and the
rows (values, raw text, columns, in order), the problems (in order) and the skipped counts must be equal.
"""

from __future__ import annotations

import copy
import math
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.domain.money import MoneyUnit
from app.returns import parse as parse_module
from app.returns.fields import SHEETS
from app.returns.locate import locate_sheet
from app.returns.parse import parse_return
from app.returns.parsed import RowTexts
from app.returns.read import SheetGrid
from app.returns.values import SheetValues, read_values
from tests.returns.reference_values import reference_read_values

# Cells as departments write them: percent, 亿元/万元, dates in many forms, 无, errors, blanks, odd types.
POOL: list[Any] = [
    None,
    "",
    "   ",
    "无",
    "—",
    "/",
    "暂无",
    "n/a",
    "#DIV/0!",
    "#N/A",
    "#REF!",
    0.0,
    1.0,
    0.42,
    0.5,
    0.999,
    1.5,
    30.0,
    60.0,
    99.5,
    100.0,
    100.5,
    150.0,
    -3.0,
    12345.678,
    1e16,
    1e300,
    math.nan,
    math.inf,
    -math.inf,
    7,
    0,
    2025,
    1949,
    True,
    False,
    "12,345.67",
    "1,234",
    "1,2",
    "12345",
    "007",
    "0.35亿元",
    "1200万元",
    "3,500,000元",
    "12亿",
    "¥1,000",
    "１２３４",
    "42%",
    "４２％",
    "100%",
    "100.5%",
    "0.5%",
    "60",
    "0.6",
    "已完工",
    "未开工",
    "百分之五十",
    "60 %",
    "abc",
    "-5",
    "2025-09-30",
    "2025/9/30",
    "2025.9.30",
    "2025年9月30日",
    "2025年9月",
    "2025年三季度",
    "9月底",
    "45000",
    "45000.5",
    datetime(2025, 9, 30),
    datetime(2025, 9, 30, 14, 30),
    date(2025, 6, 1),
    time(12, 0),
    timedelta(days=3),
    "2025年",
    "2025年度",
    "已实现",
    "未实现",
    "按计划推进",
    "  用地手续尚未办结  ",
    "协调电力增容",
]
# Rows that are not data: totals, notes, examples, a header printed again on the next page.
SPECIAL_ROWS: list[list[Any]] = [
    ["合计", None, None, 300.0],
    [None, "全省合计", None, 12.5],
    ["注：金额单位为万元"],
    ["填报人：张三", None, "联系电话：0431-88888888"],
    ["示例", "JL-0001", "示例项目"],
    [],
    [None, None, None],
]


def _grid(rng: random.Random, spec_index: int) -> SheetGrid:
    spec = SHEETS[spec_index]
    fields = [f for f in spec.fields if rng.random() < 0.85 or f.required]
    rng.shuffle(fields)
    headers = [rng.choice(f.headers[:2]) for f in fields]
    if rng.random() < 0.3:  # a money header naming its unit
        headers = [h.replace("（万元）", "（亿元）") if "（万元）" in h else h for h in headers]
    extra = ["序号"] if rng.random() < 0.5 else []
    title: list[list[Any]] = [["2025年第三季度情况表"]] if rng.random() < 0.5 else []
    if title and rng.random() < 0.5:
        title.append(["（单位：亿元）"])
    rows: list[list[Any]] = [*title, extra + headers]
    width = len(extra) + len(headers)
    for k in range(rng.randint(0, 40)):
        if rng.random() < 0.1:
            rows.append(list(rng.choice(SPECIAL_ROWS)))
        elif rng.random() < 0.04:
            rows.append(extra + headers)
        else:
            row = [k + 1] if extra else []
            row += [rng.choice(POOL) if rng.random() < 0.7 else _plausible(rng, f.kind) for f in fields]
            if rng.random() < 0.15:
                row = row[: rng.randint(0, width)]  # a short row (CSV, or trailing blanks dropped)
            rows.append(row)
    grid = SheetGrid(spec.title, rows, date1904=rng.random() < 0.1)
    data_start = len(title) + 1
    n = len(rows)
    if n > data_start:
        grid.hidden_rows = {r for r in range(data_start, n) if rng.random() < 0.1}
        for _ in range(rng.randint(0, 3)):  # merged cells over data rows, text and money columns alike
            r0 = rng.randrange(data_start, n)
            c0 = rng.randrange(width)
            grid.merged.append((r0, c0, min(n - 1, r0 + rng.randint(0, 3)), c0))
        for _ in range(rng.randint(0, 4)):  # formulas without cached values, some computable
            r, c = rng.randrange(data_start, n), rng.randrange(width)
            if c < len(rows[r]):
                rows[r][c] = ""
            grid.uncached_formulas.add((r, c))
            grid.formulas[(r, c)] = rng.choice(["SUM(B5:C5)", "A5+B5", "VLOOKUP(A1,B:C,2,0)", f"{rng.randint(1, 9)}*3"])
        if rng.random() < 0.2:
            grid.hidden_columns.append((1, 2))
    return grid


def _plausible(rng: random.Random, kind: Any) -> Any:
    choices: dict[str, list[Any]] = {
        "text": [f"项目{rng.randint(1, 999)}", "省工业和信息化厅", "长春市"],
        "money": [round(rng.uniform(0, 50000), 2), f"{rng.uniform(0, 5e6):,.2f}", float(rng.randint(0, 9999))],
        "percent": [round(rng.random(), 2), f"{rng.randint(0, 100)}%", float(rng.randint(0, 100))],
        "date": [
            datetime(2025, rng.randint(1, 12), 1),
            f"2025-{rng.randint(1, 12):02d}-15",
            float(45000 + rng.randint(0, 300)),
        ],
        "year": [2025.0, "2024年", 2026],
        "number": [rng.uniform(-10, 1000), f"{rng.randint(0, 99)}", "已实现"],
    }
    return rng.choice(choices[str(kind)])


def _both(grid: SheetGrid, unit: MoneyUnit | None = None) -> tuple[SheetValues, SheetValues] | None:
    located = locate_sheet(grid)
    if located is None or located.header.columns.missing_required:
        return None
    first, second = copy.deepcopy(located), copy.deepcopy(located)
    return read_values(first, "f.xlsx", unit), reference_read_values(second, "f.xlsx", unit)


def _comparable(values: SheetValues) -> tuple[Any, ...]:
    rows = [(r.sheet, r.row, list(r.values.items()), list(r.raw.items()), list(r.columns.items())) for r in values.rows]
    return rows, values.problems, values.skipped_totals, values.skipped_notes


def _same(a: Any, b: Any) -> bool:
    """Equal, with NaN equal to NaN (a value the readers never keep, but compared safely)."""
    return repr(a) == repr(b)


@pytest.mark.parametrize("seed", range(4))
def test_the_column_wise_reading_equals_the_row_by_row_reading_on_varied_sheets(seed: int) -> None:
    rng = random.Random(seed)
    compared = 0
    for k in range(50):
        grid = _grid(rng, k % len(SHEETS))
        unit = rng.choice([None, None, MoneyUnit.YI, MoneyUnit.YUAN, MoneyUnit.WAN])
        pair = _both(grid, unit)
        if pair is None:
            continue
        fast, reference = pair
        assert _same(_comparable(fast), _comparable(reference)), (seed, k, grid.rows)
        compared += 1
    assert compared >= 25  # most grids are recognised: the comparison is not vacuous


def test_a_large_clean_column_of_each_kind_reads_the_same_both_ways() -> None:
    rng = random.Random(7)
    header = ["项目编号", "项目名称", "计划总投资（万元）", "本期完成投资（万元）", "形象进度（%）", "本期进展情况"]
    rows: list[list[Any]] = [header]
    for i in range(3000):
        rows.append(
            [
                f"JL-{i:05d}",
                f"数字经济项目{i}",
                f"{rng.uniform(100, 1e6):,.2f}" if i % 7 == 0 else round(rng.uniform(100, 50000), 2),
                round(rng.uniform(0, 5000), 2),
                f"{rng.randint(0, 100)}%" if i % 10 == 0 else round(rng.random(), 2),
                "按计划推进" if i % 3 else "",
            ]
        )
    pair = _both(SheetGrid("项目进展", rows))
    assert pair is not None
    fast, reference = pair
    assert len(fast.rows) == 3000
    assert _same(_comparable(fast), _comparable(reference))


def test_a_hand_made_return_file_parses_the_same_as_with_the_row_by_row_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Merged two-row headers, a 亿元 title, hidden rows, formulas without cached values, percents and dates."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "项目进展"
    ws.append(["2025年第三季度重点项目进展情况表（单位：亿元）"])
    ws.append(["序号", "项目编号", "项目名称", "投资情况", None, None, "形象进度", "本期进展情况", "计划开工日期"])
    ws.append([None, None, None, "计划总投资", "本期完成", "累计完成", None, None, None])
    for c in ("A", "B", "C", "G", "H", "I"):
        ws.merge_cells(f"{c}2:{c}3")
    ws.merge_cells("D2:F2")
    rng = random.Random(3)
    for i in range(1, 121):
        r = i + 3
        ws.append(
            [
                i,
                f"JL-{i:04d}",
                f"数字经济项目{i}",
                rng.choice([round(rng.uniform(0.1, 9), 2), "0.35亿元", "1200万元", "无", "1,234"]),
                f"=F{r}-1" if i % 9 == 0 else round(rng.uniform(0, 1), 3),
                rng.choice([round(rng.uniform(0, 5), 2), "—", "#DIV/0!"]),
                rng.choice([0.42, 1, 0.995, "60%", "已完工", 150, "百分之五十"]),
                rng.choice(["按计划推进", "", "无", None]),
                rng.choice([datetime(2025, 3, 1), "2025年9月", "2025.9.30", 45000, "明年"]),
            ]
        )
        if i % 13 == 0:
            ws.row_dimensions[r].hidden = True
    ws.append(["合计", None, None, "=SUM(D4:D123)"])
    ws.append(["注：金额单位为亿元"])
    path = tmp_path / "省工业和信息化厅_2025年三季度.xlsx"
    wb.save(path)
    fast = _parsed(path)
    monkeypatch.setattr(parse_module, "read_values", reference_read_values)
    assert _parsed(path) == fast
    rows, problems = fast
    assert len(rows[0][1]) == 120 and len(problems) > 20  # the file was read, with plenty to say


def _parsed(path: Path) -> tuple[Any, ...]:
    result = parse_return(path)
    rows = [
        (key, [(r.row, repr(list(r.values.items())), list(r.raw.items())) for r in rows])
        for key, rows in result.rows.items()
    ]
    return rows, result.problems


def test_a_sheet_with_more_problems_than_are_listed_reads_the_same_both_ways() -> None:
    # Past the cap the list ends with one "too many" line: which problems come before it depends on their order
    # (a row's cell problems, then what the row lacks, row after row), so the order must be the same.
    rng = random.Random(11)
    header = ["项目编号", "项目名称", "计划总投资（万元）", "形象进度（%）", "本期进展情况"]
    rows: list[list[Any]] = [header]
    for i in range(400):
        name = None if i % 3 == 0 else f"项目{i}"  # the required name missing on every third row
        money = rng.choice(["#DIV/0!", "abc", 1200.0, "1,2"])
        rows.append([f"JL-{i:04d}", name, money, rng.choice(["百分之五十", 0.5, "150%"]), "按计划推进"])
    grid = SheetGrid("项目进展", rows)
    grid.hidden_rows = {5, 77, 301}
    pair = _both(grid)
    assert pair is not None
    fast, reference = pair
    assert len(fast.problems) > 200  # the cap was reached: the comparison covers what is cut off
    assert _same(_comparable(fast), _comparable(reference))


def test_a_column_of_plain_amounts_keeps_each_amount_as_written_both_ways() -> None:
    # Whole amounts read as "1200", not "1200.0"; past 10^15 and for -0.0 the text is what Python writes.
    amounts = [1200.0, 0.0, -0.0, 123.5, 0.1, 999999999999999.0, 1e15, 1e16, -3.0, 2.5e-7, 45000.0, 7.25]
    rows: list[list[Any]] = [["项目编号", "项目名称", "本期完成投资（万元）"]]
    rows += [[f"JL-{i:03d}", f"项目{i}", amount] for i, amount in enumerate(amounts)]
    pair = _both(SheetGrid("项目进展", rows))
    assert pair is not None
    fast, reference = pair
    assert [r.raw["investment_period"] for r in fast.rows][:4] == ["1200", "0", "0", "123.5"]
    assert _same(_comparable(fast), _comparable(reference))


def test_the_texts_as_written_are_made_once_and_only_when_a_row_is_asked_for_them() -> None:
    # A large return is checked and imported from its values: its rows' texts are not made unless read.
    made: list[int] = []
    rows: list[list[Any]] = [["项目编号", "项目名称", "本期完成投资（万元）", "本期进展情况"]]
    rows += [[f"JL-{i:03d}", f"项目{i}", float(i * 10), "推进中" if i % 2 else ""] for i in range(50)]
    located = locate_sheet(SheetGrid("项目进展", rows))
    assert located is not None
    read = read_values(located, "f.xlsx")
    texts, _index = read.rows[0]._raw  # type: ignore[misc]
    build = texts._build
    texts._build = lambda: (made.append(1), build())[1]
    assert not made and isinstance(texts, RowTexts)
    assert read.rows[3].raw == {"project_code": "JL-003", "project_name": "项目3", "investment_period": "30",
                                "progress_text": "推进中"}  # fmt: skip
    assert read.rows[4].raw == {"project_code": "JL-004", "project_name": "项目4", "investment_period": "40"}
    assert [r.raw["investment_period"] for r in read.rows][:3] == ["0", "10", "20"]
    assert made == [1]
