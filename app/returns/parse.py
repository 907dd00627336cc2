"""One return file → ParsedReturn: read, locate sheets and headers, map columns, convert values.

Department and period come from the hidden meta sheet, else the title cells, else the file name
(省发改委_2025年三季度.xlsx), else the caller's arguments. Never raises for a bad file: every reason
a file cannot be used is a Problem in the result.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.domain.periods import Period, parse_period_text
from app.domain.text import fold_width
from app.gc_pause import gc_paused
from app.returns.columns import MEANING, ColumnBinding
from app.returns.fields import SHEETS
from app.returns.locate import (
    LocatedSheet,
    TitleInfo,
    is_instructions_sheet,
    is_meta_sheet,
    locate_sheet,
    read_meta,
    read_title_cells,
)
from app.returns.parsed import UNMAPPED_COLUMN, ParsedReturn, Problem, Severity, cap_problems
from app.returns.read import DEFAULT_LIMITS, Limits, Workbook, column_letter, read_workbook
from app.returns.values import read_values
from app.storage.files import read_error_message

# Endings of department names (省发展改革委, 省工业和信息化厅, 人民银行长春中心支行, 长春市政府 …).
_DEPT_ENDINGS = re.compile(r"(厅|委|局|办|行|院|会|中心|公司|集团|部|署|馆|所|站|队|社|政府|管委会|办公室)$")
_HIDDEN_SHEET = "该工作表是隐藏的，未读取；如其中数据需要上报，请取消隐藏后重新发送"
_NAME_SPLIT_RE = re.compile(r"[_\-\s—–·、,，()（）\[\]【】]+")


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes: the identity of a return (same bytes = same return)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Cumulative periods as returns name them: 2025年1-9月 is the return for the third quarter.
_CUMULATIVE_RE = re.compile(r"(\d{4})\s*年\s*1\s*[-—~～至到]\s*(\d{1,2})\s*月")


def _period_key(text: str | None) -> str | None:
    if not text:
        return None
    text = fold_width(text).strip()
    cumulative = _CUMULATIVE_RE.search(text)
    if cumulative:
        year, month = int(cumulative.group(1)), int(cumulative.group(2))
        if month % 3 == 0 and 3 <= month <= 12:
            return f"{year}-Q{month // 3}"
        if 1 <= month <= 12:
            return f"{year}-{month:02d}"
    try:
        return Period.parse(text).key
    except ValueError:
        pass
    period = parse_period_text(text)
    return period.key if period else None


def department_from_filename(stem: str) -> str | None:
    """The department named in a file name such as 省发改委_2025年三季度 or 2025Q3-省工信厅-项目进展."""
    parts = [p for p in _NAME_SPLIT_RE.split(fold_width(stem)) if p]
    for part in parts:
        # Strip a period glued to the name: 省发改委2025年三季度 → 省发改委.
        cleaned = re.sub(r"\d{4}.*$", "", part).strip()
        if cleaned and _DEPT_ENDINGS.search(cleaned):
            return cleaned
    return None


def parse_return(
    path: Path | str,
    *,
    department: str | None = None,
    period: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    fallback_department: str | None = None,
    fallback_period: str | None = None,
    column_choices: Mapping[tuple[str, str], str] | None = None,
) -> ParsedReturn:
    """Read one return file into a ParsedReturn; problems (not exceptions) say what is wrong with it.

    ``department``/``period`` override what the file says (validation warns where it differs);
    ``fallback_*`` are used only when the file says nothing. ``column_choices``: (sheet, header) → field
    name, or "" to ignore, for columns the importer does not know (the wizard's 处理未识别的列).
    """
    with gc_paused():
        return _parse_return(
            Path(path), department, period, limits, fallback_department, fallback_period, column_choices
        )


def _parse_return(
    path: Path,
    department: str | None,
    period: str | None,
    limits: Limits,
    fallback_department: str | None,
    fallback_period: str | None,
    column_choices: Mapping[tuple[str, str], str] | None,
) -> ParsedReturn:
    result = ParsedReturn(path=path)
    try:
        result.sha256 = sha256_of(path)
    except OSError as exc:  # the first read of the file: a return Excel holds open fails here
        result.problems.append(Problem(path.name, read_error_message(path, exc)))
        return result
    read = read_workbook(path, limits)
    result.problems.extend(read.problems)
    if read.workbook is None:
        return result
    try:
        _parse_workbook(read.workbook, result, department, period, column_choices or {})
        if result.department is None and fallback_department:
            result.department, result.department_source = fallback_department.strip(), "fallback"
        if result.period_key is None and _period_key(fallback_period):
            result.period_key, result.period_source = _period_key(fallback_period), "fallback"
    except Exception as exc:  # noqa: BLE001 — a bug on odd input must still give the clerk an answer
        result.problems.append(
            Problem(path.name, f"读取时出现内部错误（{type(exc).__name__}），请把该文件发给维护人员")
        )
    result.problems = cap_problems(result.problems)
    return result


def _parse_workbook(
    workbook: Workbook,
    result: ParsedReturn,
    department: str | None,
    period: str | None,
    column_choices: Mapping[tuple[str, str], str],
) -> None:
    name = workbook.path.name
    meta: dict[str, str] = {}
    located: list[LocatedSheet] = []
    titles: list[TitleInfo] = []
    for grid in workbook.sheets:
        if is_meta_sheet(grid):
            meta = read_meta(grid)
            continue
        if is_instructions_sheet(grid) or not grid.rows:
            continue
        sheet = locate_sheet(grid)
        if grid.hidden:
            if sheet is not None and not sheet.header.columns.missing_required:
                result.problems.append(Problem(name, _HIDDEN_SHEET, Severity.WARNING, grid.name))
            continue
        if sheet is None:
            if any(any(v not in (None, "") for v in row) for row in grid.rows[:50]):
                result.problems.append(
                    Problem(name, "未能识别这张工作表（前 20 行内没有找到表头），已忽略", Severity.WARNING, grid.name)
                )
            continue
        missing = sheet.header.columns.missing_required
        if missing:
            header_row = sheet.header.last_row + 1
            names = "、".join(f.header for f in missing)
            result.problems.append(
                Problem(name, f"“{sheet.spec.title}”表缺少必填列：{names}", Severity.ERROR, grid.name, header_row)
            )
            continue
        located.append(sheet)
        titles.append(read_title_cells(grid, sheet.header))
        _apply_column_choices(sheet, column_choices)
        _column_problems(sheet, name, result)
    if not located:
        if not result.has_errors:
            expected = "、".join(s.title for s in SHEETS)
            result.problems.append(
                Problem(
                    name,
                    f"文件中没有可识别的报表：前 20 行内未找到含“项目名称”等栏目的表头（应为 {expected} 等表）",
                )
            )
        _resolve_identity(workbook, result, meta, titles, department, period)
        return
    by_spec: dict[str, list[str]] = {}
    for sheet in located:
        by_spec.setdefault(sheet.spec.key, []).append(sheet.grid.name)
    for key, sheet_names in by_spec.items():
        if len(sheet_names) > 1:
            table = next(s.spec.title for s in located if s.spec.key == key)
            listed = "、".join(f"“{n}”" for n in sheet_names)
            message = f"工作表 {listed} 都是“{table}”表，已合并读取；如其中有上期或作废的表，请删除后重新发送"
            result.problems.append(Problem(name, message, Severity.WARNING))
    for sheet, title in zip(located, titles, strict=True):
        values = read_values(sheet, name, title.money_unit)
        result.rows.setdefault(sheet.spec.key, []).extend(values.rows)
        result.problems.extend(values.problems)
    # A table with a header and no rows is reported by validation ("没有找到可导入的数据行").
    _resolve_identity(workbook, result, meta, titles, department, period)


def _apply_column_choices(sheet: LocatedSheet, choices: Mapping[tuple[str, str], str]) -> None:
    """Bind (or ignore: "") the unknown columns the clerk decided about, keyed by (sheet name, header)."""
    columns = sheet.header.columns
    for col, header in list(columns.extra):
        choice = choices.get((sheet.grid.name, header))
        if choice is None:
            continue
        columns.extra.remove((col, header))
        if choice and choice not in columns.bindings:
            target = sheet.spec.field(choice)
            columns.bindings[choice] = ColumnBinding(target, col, header, None, MEANING)
        elif not choice:
            columns.ignored.append((col, header))


def _filled_cells(cells: list[Any]) -> int:
    """How many cells hold something (not blank, not only spaces)."""
    if set(map(type, cells)) <= {str}:
        return sum(map(bool, map(str.strip, cells)))
    return sum(1 for v in cells if v is not None and v != "" and str(v).strip())


def _column_problems(sheet: LocatedSheet, name: str, result: ParsedReturn) -> None:
    """Columns read by meaning are named; unknown columns with content wait for the clerk's decision."""
    header_row = sheet.header.last_row + 1
    for col, header, meant in sheet.header.columns.by_meaning:
        message = f"列“{header}”按含义读作“{meant.header}”；如不对，请在导入向导中重新指定"
        result.problems.append(
            Problem(name, message, Severity.WARNING, sheet.grid.name, header_row, column_letter(col))
        )
    rows = sheet.grid.rows[sheet.header.data_start :]
    for col, header in sheet.header.columns.extra:
        filled = _filled_cells([row[col] for row in rows if col < len(row)])
        if not filled:
            message = f"列“{header}”不是本表的栏目，且没有内容，已忽略"
            result.problems.append(
                Problem(name, message, Severity.WARNING, sheet.grid.name, header_row, column_letter(col))
            )
            continue
        message = (
            f"列“{header}”不是本表的栏目，其中有 {filled} 行内容未被读取；请在导入向导中指定它对应的栏目或确认忽略"
            "（命令行：确认无需导入时可直接导入，--strict 时拒绝）"
        )
        letter = column_letter(col)
        result.unmapped_columns.append((sheet.grid.name, header, sheet.spec.key, letter))
        result.problems.append(
            Problem(name, message, Severity.WARNING, sheet.grid.name, header_row, letter, UNMAPPED_COLUMN)
        )


def _resolve_identity(
    workbook: Workbook,
    result: ParsedReturn,
    meta: dict[str, str],
    titles: list[TitleInfo],
    department: str | None,
    period: str | None,
) -> None:
    """Department and period: what the clerk chose (argument), else what the file visibly says (title cells,
    then file name), else the hidden meta sheet. Every place that names one is kept as a claim, and
    validation reports any that disagree (app.returns.validate._check_identity)."""
    result.template_version = meta.get("template_version")
    title_dept = next((t.department for t in titles if t.department), None)
    title_period = next((t.period_text for t in titles if t.period_text), None)

    dept_claims = {
        "title": title_dept,
        "filename": department_from_filename(workbook.path.stem),
        "meta": meta.get("department"),
    }
    result.department_claims = {k: v.strip() for k, v in dept_claims.items() if v and v.strip()}
    period_claims = {
        "title": _period_key(title_period),
        "filename": _period_key(workbook.path.stem),
        "meta": _period_key(meta.get("period")),
    }
    result.period_claims = {k: v for k, v in period_claims.items() if v}

    if department and department.strip():
        result.department, result.department_source = department.strip(), "argument"
    else:
        for source, value in result.department_claims.items():
            result.department, result.department_source = value, source
            break
    argument_key = _period_key(period)
    if argument_key:
        result.period_key, result.period_source = argument_key, "argument"
    else:
        for source, key in result.period_claims.items():
            result.period_key, result.period_source = key, source
            break
    if period and not argument_key:
        result.problems.append(
            Problem(workbook.path.name, f"指定的报告期“{period}”无法识别（应为 2025-Q3 或 2025年第三季度）")
        )
    # A department or period found nowhere stays None: validation (app.returns.validate) reports it once,
    # with the hint to pass --department / --period or to pick them in the import wizard.
