"""One reporting period as a clerk lives it, driven through the CLI; every step's output kept for the tests."""

from __future__ import annotations

import contextlib
import io
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import openpyxl
from sqlalchemy import select

from app.cli import main
from app.services import indicators as indicator_service
from app.services import projects as project_service
from app.storage.db import Database
from app.storage.models import Department, Indicator, Project, Task
from tests.e2e.people import (
    INDICATORS_SHEET,
    MEMBERS_SHEET,
    PROGRESS_SHEET,
    add_members,
    column_of,
    fill_progress,
    header_row,
    insert_row_like_excel,
    open_template,
    valid_credit_code,
    wrong_credit_code,
)
from tests.first_portfolio import keep_first_portfolio
from tests.supervision_helpers import clear_task_parts

PERIOD = "2025-Q3"
PERIOD_LABEL = "2025年第三季度"
MIIT = "省工业和信息化厅"  # returns a messy file, first with a wrong credit code
NDRC = "省发展改革委"  # leads a lagging project and never returns
TELECOM = "省通信管理局"  # returns, then sends a corrected return
CAC = "省网信办"  # responsible for one indicator only, never returns
GOOD_CODE = valid_credit_code("91220101MA0Y3K7B8")
SLIP_BODY = "91220101MA0Y3K7C9"
LAGGING_PROBLEM = "设备到货延迟，机柜安装推迟"
COORDINATION = "请省自然资源厅协调用地指标"


@dataclass
class Step:
    """One command as the clerk typed it and what came back."""

    argv: list[str]
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@dataclass
class Journey:
    """The folders and files of the journey and the result of each step, by name."""

    root: Path
    db: Path
    steps: dict[str, Step] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    def run(self, name: str, *argv: str) -> Step:
        """Run `taizhang ARGV --db DB` in-process, capturing what the clerk would read."""
        args = ["--db", str(self.db), *argv]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
        step = Step(args, code, out.getvalue(), err.getvalue())
        self.steps[name] = step
        return step

    def count(self, name: str) -> dict[str, int]:
        """Rows in the tables an import writes, remembered under ``name``."""
        with contextlib.closing(sqlite3.connect(self.db)) as con:
            counts = {
                t: con.execute(f"select count(*) from {t}").fetchone()[0]  # noqa: S608 - fixed table names
                for t in ("returns", "progress_entries", "programme_members", "indicator_actuals", "audit_log")
            }
        self.counts[name] = counts
        return counts


def assign_departments(db_path: Path) -> None:
    """What the clerk sets up in the ledger before the period: lead departments, plans, a milestone, indicators.

    The journey is about project returns: the 2018 plan's task parts (which make its 20 departments owe a task
    return) are taken off here; tests/e2e/test_supervision_quarter.py runs the quarter with them.
    """
    keep_first_portfolio(db_path)
    database = Database(db_path)
    clear_task_parts(database)
    try:
        with database.session() as s:
            projects = {p.code: (p.id, p.version) for p in s.scalars(select(Project))}
            # ZD06 moves to an e-commerce task so the summary has two groups to subtotal.
            platform_task = s.scalar(select(Task.id).where(Task.document_id == 1, Task.code == "三(三)1"))
            depts = {d.name: d.id for d in s.scalars(select(Department))}
            indicators = {i.code: i.id for i in s.scalars(select(Indicator))}

        def lead(code: str, dept: str, **more: object) -> None:
            pid, version = projects[code]
            project_service.update_project(database, pid, version, {"lead_department_id": depts[dept], **more})

        lead("ZD01", MIIT, planned_start=date(2024, 1, 1), planned_end=date(2026, 12, 31), planned_investment=50000.0)
        lead("ZD02", MIIT, planned_start=date(2024, 1, 1), planned_end=date(2025, 12, 31), planned_investment=12000.0)
        lead("ZD03", NDRC, planned_start=date(2024, 3, 1), planned_end=date(2025, 6, 30), planned_investment=8000.0)
        lead("ZD06", TELECOM, task_id=platform_task)
        lead("JH02", MIIT)
        project_service.add_milestone(database, projects["ZD03"][0], "主体完工", planned_date=date(2025, 3, 31))
        indicator_service.set_responsible_department(database, indicators["ZB06"], depts[TELECOM])
        indicator_service.set_responsible_department(database, indicators["ZB01"], depts[CAC])
    finally:
        database.dispose()


def template_path(folder: Path, department: str) -> Path:
    return folder / f"{department}_{PERIOD_LABEL}.xlsx"


def fill_miit(template: Path, out: Path, *, slip: bool) -> Path:
    """工信厅 edits the form the way people do: title row, renamed header, 亿元, %, a 合计 row, members."""
    wb = open_template(template)
    ws = wb[PROGRESS_SHEET]
    fill_progress(
        ws,
        {
            "ZD01": {
                "本期完成投资（万元）": "1,200",
                "累计完成投资（万元）": "0.35亿元",
                "形象进度（%）": "60%",
                "本期进展情况": "主体结构封顶",
                "存在问题": "用地指标尚未落实",
                "需协调解决的问题": COORDINATION,
            },
            "ZD02": {
                "本期完成投资（万元）": 800,
                "累计完成投资（万元）": 5000,
                "形象进度（%）": 0.45,
                "本期进展情况": "设备安装",
                "存在问题": LAGGING_PROBLEM,
            },
        },
    )
    head = header_row(ws, "项目编号")
    ws.cell(head, column_of(ws, "形象进度（%）", head), "完成进度")  # a synonym the importer knows
    total = ws.max_row + 1
    ws.cell(total, 1, "合计")
    ws.cell(total, column_of(ws, "本期完成投资（万元）", head), 2000)
    ws.cell(total, column_of(ws, "累计完成投资（万元）", head), 8500)
    ws.cell(total + 2, 1, "填报人：张三　联系电话：0431-88886666")
    insert_row_like_excel(ws, 1)
    ws.cell(1, 1, "附件2")
    second = wrong_credit_code(SLIP_BODY) if slip else valid_credit_code(SLIP_BODY)
    add_members(
        wb[MEMBERS_SHEET],
        [
            {
                "所属计划": "“两化”深度融合示范企业",
                "企业（试验区）名称": "吉林省甲科技有限公司",
                "统一社会信用代码": GOOD_CODE,
                "所在地区": "长春市",
                "计入年度": 2025,
            },
            {
                "所属计划": "“两化”深度融合示范企业",
                "企业（试验区）名称": "吉林省乙信息有限公司",
                "统一社会信用代码": second,
                "所在地区": "吉林市",
                "计入年度": 2025,
            },
        ],
    )
    wb.save(out)
    return out


def fill_telecom(template: Path, out: Path, *, cumulative: float, progress: float, problems: str = "") -> Path:
    """通信管理局 fills its project and its indicator ("60%" typed into a % indicator)."""
    wb = open_template(template)
    fill_progress(
        wb[PROGRESS_SHEET],
        {
            "ZD06": {
                "累计完成投资（万元）": cumulative,
                "形象进度（%）": progress,
                "本期进展情况": "机房建设",
                "存在问题": problems,
            }
        },
    )
    ws = wb[INDICATORS_SHEET]
    head = header_row(ws, "指标编号")
    ws.cell(head + 1, column_of(ws, "本期数值", head), "60%")
    ws.cell(head + 1, column_of(ws, "数据来源", head), "省通信管理局统计")
    wb.save(out)
    return out


def run_journey(root: Path) -> Journey:
    """Init → assign → templates → returns in (dry run, import, again, corrected) → missing → outputs → backup."""
    j = Journey(root, root / "台账.db")
    j.inbox.mkdir(parents=True)
    j.run("init", "init")
    assign_departments(j.db)
    j.run("template", "template", "--period", PERIOD, "--out", str(j.templates))

    miit = fill_miit(template_path(j.templates, MIIT), template_path(j.inbox, MIIT), slip=True)
    fill_telecom(template_path(j.templates, TELECOM), template_path(j.inbox, TELECOM), cumulative=3000, progress=30)
    j.count("before")
    j.run("dry_run", "import", str(j.inbox), "--dry-run")
    j.count("after_dry_run")
    j.run("import", "import", str(j.inbox))
    j.count("after_import")
    j.run("missing_after_refusal", "missing", "--period", PERIOD)

    fill_miit(template_path(j.templates, MIIT), miit, slip=False)  # the department corrects the code
    j.run("import_fixed", "import", str(miit))
    j.count("after_fixed")
    j.run("import_again", "import", str(miit))
    j.count("after_again")

    corrected = j.root / "省通信管理局（更正）.xlsx"
    fill_telecom(template_path(j.templates, TELECOM), corrected, cumulative=3600, progress=35, problems="光缆迁改受阻")
    j.run("corrected", "import", str(corrected))

    j.run("missing", "missing", "--period", PERIOD, "--out", str(root / "催报名单.xlsx"))
    j.run("summary", "summary", "--period", PERIOD, "--out", str(root / "汇总.xlsx"))
    j.run("indicators", "indicators", "list", "--period", PERIOD)
    j.run("report_pdf", "report", "--period", PERIOD, "--out", str(root / "r.pdf"))
    j.run("report_docx", "report", "--period", PERIOD, "--out", str(root / "r.docx"))
    j.run("gantt", "gantt", "--period", PERIOD, "--today", "2025-10-15", "--out", str(root / "g.pdf"))

    j.run("backup", "backup", "--out", str(root / "备份.db"))
    j.count("at_backup")
    j.run("record_after_backup", "indicators", "record", "--code", "ZB02", "--period", "2025", "--value", "70")
    j.count("before_restore")
    j.run("restore", "restore", str(root / "备份.db"), "--yes")
    j.count("after_restore")
    return j


def copy_summary_sheet(path: Path) -> list[list[object]]:
    """The summary's ledger sheet as rows of values."""
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()
