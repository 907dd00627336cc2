"""Build ParsedReturns and a ledger with departments assigned, for the importer's tests."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from app.returns.parsed import ParsedReturn, ParsedRow
from app.storage.db import Database
from app.storage.models import Department, Indicator, Milestone, Project
from tests.first_portfolio import keep_first_portfolio

GONGXIN = "省工业和信息化厅"
FAGAI = "省发展改革委"
TONGXIN = "省通信管理局"

# Excel column letters the template writes, so Problems name a column.
LETTERS = {
    "project_code": "A",
    "project_name": "B",
    "planned_investment": "E",
    "investment_period": "F",
    "investment_cumulative": "G",
    "progress_pct": "H",
    "progress_text": "I",
    "milestone_name": "C",
    "actual_date": "E",
    "programme": "A",
    "member_name": "B",
    "credit_code": "C",
    "indicator_name": "B",
    "value": "D",
}


def assign_departments(db: Database) -> None:
    """ZD01-04 and the programmes to 工信厅, ZD05-08 to 发改委, ZB01 to 通信管理局; ZD01 gets milestones."""
    keep_first_portfolio(db)
    with db.session() as s:
        ids = {d.name: d.id for d in s.scalars(select(Department))}
        for code in ("ZD01", "ZD02", "ZD03", "ZD04", "JH01", "JH02", "JH03", "JH04"):
            s.execute(update(Project).where(Project.code == code).values(lead_department_id=ids[GONGXIN]))
        for code in ("ZD05", "ZD06", "ZD07", "ZD08"):
            s.execute(update(Project).where(Project.code == code).values(lead_department_id=ids[FAGAI]))
        s.execute(update(Indicator).where(Indicator.code == "ZB01").values(responsible_department_id=ids[TONGXIN]))
        zd01 = s.scalar(select(Project).where(Project.code == "ZD01"))
        assert zd01 is not None
        s.add(Milestone(project_id=zd01.id, name="开工", sort_order=0))
        s.add(Milestone(project_id=zd01.id, name="主体完工", sort_order=1))


def row(sheet: str, number: int, **values: Any) -> ParsedRow:
    return ParsedRow(
        sheet=sheet,
        row=number,
        values=values,
        raw={k: str(v) for k, v in values.items()},
        columns={k: LETTERS.get(k, "") for k in values},
    )


def progress_row(number: int, name: str = "", code: str = "", **values: Any) -> ParsedRow:
    if code:
        values["project_code"] = code
    if name:
        values["project_name"] = name
    return row("项目进展", number, **values)


def parsed(
    name: str = "工信厅_2025Q3.xlsx",
    *,
    department: str | None = GONGXIN,
    period: str | None = "2025-Q3",
    progress: list[ParsedRow] | None = None,
    milestones: list[ParsedRow] | None = None,
    members: list[ParsedRow] | None = None,
    indicators: list[ParsedRow] | None = None,
    salt: str = "",
) -> ParsedReturn:
    """A ParsedReturn as parse_return would hand it over; sha256 follows the content unless salted."""
    rows: dict[str, list[ParsedRow]] = {}
    for key, value in (("progress", progress), ("milestones", milestones), ("members", members),
                       ("indicators", indicators)):  # fmt: skip
        if value is not None:
            rows[key] = value
    digest = hashlib.sha256(repr((department, period, rows, salt)).encode()).hexdigest()
    return ParsedReturn(
        path=Path("/returns") / name,
        sha256=digest,
        department=department,
        department_source="meta",
        period_key=period,
        period_source="meta",
        rows=rows,
    )


def department_workbook(
    path: Path,
    *,
    department: str = "吉林省工业和信息化厅（盖章）",
    period: str = "2025年第三季度",
    projects: list[tuple[Any, ...]] | None = None,
    members: list[tuple[Any, ...]] | None = None,
) -> Path:
    """A hand-made return: title rows, 填报单位/报告期 in a title cell, the header on row 3, data below.

    ``projects``: (编号, 名称, 累计完成投资, 形象进度, 本期进展情况) rows; ``members``: (所属计划, 名称, 信用代码).
    """
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "项目进展"
    ws.append(["吉林省互联网经济重点项目进展情况表"])
    ws.append([f"填报单位：{department}", None, None, f"报告期：{period}"])
    ws.append(["项目编号", "项目名称", "累计完成投资（万元）", "形象进度（%）", "本期进展情况"])
    for p in projects or []:
        ws.append(list(p))
    if members is not None:
        ms = wb.create_sheet("新增计划成员")
        ms.append(["所属计划", "企业名称", "统一社会信用代码"])
        for m in members:
            ms.append(list(m))
    wb.save(path)
    return path
