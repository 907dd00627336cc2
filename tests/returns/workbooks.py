"""Builders for the messy returns departments send, made in code with openpyxl (used by the parse tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

HEADERS = [
    "项目编号",
    "项目名称",
    "计划总投资（万元）",
    "本期完成投资（万元）",
    "累计完成投资（万元）",
    "形象进度（%）",
    "存在问题",
]


def sheet_with_rows(ws: Worksheet, header: Sequence[str], rows: Sequence[Sequence[Any]], start_row: int = 1) -> None:
    """Write a header at ``start_row`` and the rows below it."""
    for c, text in enumerate(header, start=1):
        ws.cell(start_row, c, text)
    for r, row in enumerate(rows, start=start_row + 1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)


def simple_return(
    path: Path, rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADERS, title: str = "项目进展"
) -> Path:
    """One sheet, header in row 1, no title rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    sheet_with_rows(ws, header, rows)
    wb.save(path)
    return path


def titled_return(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    department: str = "省工业和信息化厅",
    period_text: str = "2025年第三季度",
    header: Sequence[str] = HEADERS,
    sheet_title: str = "Sheet1",
    blank_rows_above: int = 0,
) -> Path:
    """The usual hand-made form: merged title, 填报单位/报告期 line, header below, data below that."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet_title
    last = openpyxl.utils.get_column_letter(len(header))
    top = 1 + blank_rows_above
    ws.cell(top, 1, "重点项目进展情况表")
    ws.merge_cells(f"A{top}:{last}{top}")
    ws.cell(top + 1, 1, f"填报单位：{department}（盖章）")
    ws.merge_cells(f"A{top + 1}:D{top + 1}")
    ws.cell(top + 1, 5, f"报告期：{period_text}")
    sheet_with_rows(ws, header, rows, start_row=top + 2)
    wb.save(path)
    return path


def convert_with_libreoffice(sources: Sequence[Path], out_dir: Path, fmt: str = "xls") -> list[Path]:
    """Convert files in one LibreOffice headless run, in a private profile (others may be running soffice too)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed; scripts/setup.sh installs it")
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        env = dict(os.environ, HOME=profile)
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                fmt,
                "--outdir",
                str(out_dir),
                *map(str, sources),
            ],
            check=True,
            capture_output=True,
            timeout=120,
            env=env,
        )
    return [out_dir / (source.stem + "." + fmt) for source in sources]


def corpus_dir() -> Path:
    """The shared corpus of third-party spreadsheets (../shared/corpus from main, ../../shared from a worktree)."""
    here = Path(__file__).resolve().parents[2]
    for base in (here.parent, here.parent.parent):
        candidate = base / "shared" / "corpus"
        if candidate.is_dir():
            return candidate
    return here.parent / "shared" / "corpus"
