"""`taizhang --self-test`, the parts without Qt: a seeded database, a backup, a workbook, a chart, a .docx.

The checks prove that an installed (frozen) copy finds its migrations, portfolio, native libraries and data
files; each returns a one-line Chinese detail or raises with the reason.
"""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

from app.reports.typography import SANS, SONG, chain
from app.services.database import open_database
from app.services.portfolio_info import PortfolioInfo, portfolio_info
from app.storage.backup import backup_database
from app.storage.db import Database

# Fonts with Chinese glyphs, in order of preference: the one font list (Windows first, then Linux's).
CJK_FONT_FAMILIES = chain(SANS, SONG)


class SelfTestFailed(Exception):
    """A self-test check failed; the message says why, in Chinese."""


class SelfTest:
    """State shared by the checks: a scratch folder, the seeded database and its summary."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.database: Database | None = None
        self.info: PortfolioInfo | None = None

    def check_database(self) -> str:
        """Create, migrate and seed a scratch database from the shipped migrations and portfolio."""
        result = open_database(self.folder / "自检.db")
        self.database = result.database
        with self.database.session() as session:
            self.info = portfolio_info(session)
        if self.info.tasks == 0 or self.info.key_projects == 0:
            raise SelfTestFailed("内置项目库为空")
        return f"任务 {self.info.tasks} 项，重点项目 {self.info.key_projects} 个，指标 {self.info.indicators} 个"

    def check_backup(self) -> str:
        """Back the scratch database up with the online API and check the copy."""
        assert self.database is not None and self.database.path is not None
        info = backup_database(self.database.path, "manual", out=self.folder / "自检备份.db")
        with sqlite3.connect(str(info.path)) as conn:
            status = conn.execute("PRAGMA integrity_check").fetchone()[0]
        conn.close()
        if status != "ok":
            raise SelfTestFailed(f"备份校验失败：{status}")
        return f"{info.size // 1024} KB"

    def check_workbook(self) -> str:
        """Write the summary as .xlsx with openpyxl and read it back with calamine (the returns reader)."""
        from openpyxl import Workbook
        from python_calamine import CalamineWorkbook

        info = self._info()
        path = self.folder / "自检汇总.xlsx"
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "项目概况"
        ws.append(["项目", "数量"])
        ws.append(["任务", info.tasks])
        ws.append(["重点项目", info.key_projects])
        for name in info.key_project_names:
            ws.append([name, 1])
        wb.save(path)
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("项目概况").to_python()
        if rows[1][0] != "任务" or rows[1][1] != info.tasks:  # calamine gives 78.0 for 78
            raise SelfTestFailed(f"工作簿读回内容不符：{rows[:2]}")
        return f"{len(rows)} 行"

    def check_chart(self) -> str:
        """Draw a chart with a Chinese title through matplotlib's Agg backend (never pyplot)."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.font_manager import fontManager

        installed = {f.name for f in fontManager.ttflist}
        family = next((f for f in CJK_FONT_FAMILIES if f in installed), None)
        if family is None:
            raise SelfTestFailed("matplotlib 找不到中文字体（需要微软雅黑、黑体或文泉驿等）")
        info = self._info()
        fig = Figure(figsize=(4, 3), dpi=72)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.bar(["任务", "重点项目", "指标"], [info.tasks, info.key_projects, info.indicators])
        ax.set_title("台账自检", fontfamily=family)
        for label in ax.get_xticklabels():
            label.set_fontfamily(family)
        path = self.folder / "自检图表.png"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(path)
        missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
        if missing:
            raise SelfTestFailed(f"图表缺字：{missing[0]}")
        return f"字体 {family}"

    def check_docx(self) -> str:
        """Write a .docx with python-docx (needs its bundled template)."""
        from docx import Document as WordDocument

        info = self._info()
        doc = WordDocument()
        doc.add_heading("台账自检", level=1)
        doc.add_paragraph(f"重点项目 {info.key_projects} 个")
        path = self.folder / "自检.docx"
        doc.save(str(path))
        return f"{path.stat().st_size // 1024} KB"

    def close(self) -> None:
        """Release the scratch database (Windows cannot delete an open file)."""
        if self.database is not None:
            self.database.dispose()
            self.database = None

    def _info(self) -> PortfolioInfo:
        if self.info is None:
            raise SelfTestFailed("数据库检查未通过，无法继续")
        return self.info
