"""`taizhang report`: the joint-conference meeting report for a period, as PDF or editable .docx."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli import EXIT_OK, add_db_option, database_arg
from app.storage.errors import KnownError


def register(subparsers: Any) -> None:
    """Add `taizhang report` to the command line."""
    p = subparsers.add_parser("report", help="生成联席会议材料（PDF 或 Word）")
    add_db_option(p)
    p.add_argument("--period", required=True, help="报告期，如 2025-Q3")
    p.add_argument("--meeting", type=int, help="会议编号（使用该会议的日期、参会单位和编辑过的问题清单）")
    p.add_argument("--out", required=True, help="输出文件：.pdf 或 .docx")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the report for the period (and meeting) and write it as PDF or .docx."""
    from app.services.database import open_database
    from app.services.report import build_report

    path = database_arg(args)
    if "://" not in path and not Path(path).exists():
        raise KnownError(f"数据库文件不存在：{path}（可先运行 taizhang init --db {path}）")
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".docx"):
        raise KnownError(f"输出文件应以 .pdf 或 .docx 结尾：{out.name}")
    if not out.parent.exists():
        raise KnownError(f"输出文件夹不存在：{out.parent}")
    result = open_database(path, seed=False)
    try:
        content = build_report(result.database, args.period, args.meeting)
        if args.meeting is not None:
            from app.services.meetings import get_meeting

            meeting = get_meeting(result.database, args.meeting)
            if meeting.period_key and meeting.period_key != content.period_key:
                print(
                    f"注意：会议“{meeting.title}”的报告期为{meeting.period_label}，"
                    f"本材料按 --period 指定的{content.period_label}生成。",
                    file=sys.stderr,
                )
    finally:
        result.database.dispose()
    try:
        if suffix == ".pdf":
            from app.ui.report_render import ensure_gui_application, export_pdf

            ensure_gui_application()
            pages = export_pdf(content, out)
            print(f"已生成 {out}（{content.period_label}，共 {pages} 页）")
        else:
            from app.reports.docx_render import export_docx
            from app.ui.report_gantt import gantt_png_pages
            from app.ui.report_render import ensure_gui_application

            ensure_gui_application()  # the Gantt pages are drawn by the app's Qt Gantt painter
            export_docx(content, out, gantt_pages=gantt_png_pages)
            print(f"已生成 {out}（{content.period_label}，Word 文档）")
    except PermissionError as exc:
        raise KnownError(f"无法写入 {out}：文件可能正在被其他程序打开") from exc
    except OSError as exc:
        raise KnownError(f"无法写入 {out}：{exc}") from exc
    return EXIT_OK
