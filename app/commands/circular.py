"""`taizhang circular`: the period's circular (情况通报) as an editable .docx or a PDF."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from app.cli import EXIT_OK, add_db_option, database_arg
from app.commands._common import open_existing
from app.reports.circular import RETURN_STATES
from app.services.circular import build_circular, check_out_path


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "circular",
        help="生成情况通报（.docx 或 .pdf）",
        description="按报告期生成情况通报：各单位报表按时、逾期、未报送情况，滞后任务和项目，逾期未办结的议定事项。",
    )
    add_db_option(p)
    p.add_argument("--period", required=True, help="报告期，如 2025-Q3")
    p.add_argument("--out", required=True, type=Path, help="输出文件：通报.docx 或 通报.pdf")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out = check_out_path(args.out)
    database = open_existing(database_arg(args))
    try:
        content = build_circular(database, args.period, date.today())
    finally:
        database.dispose()
    if out.suffix.lower() == ".docx":
        from app.reports.circular_docx import export_circular_docx

        export_circular_docx(content, out)
    else:
        from app.ui.circular_render import export_circular_pdf
        from app.ui.report_render import ensure_gui_application

        ensure_gui_application()
        export_circular_pdf(content, out)
    print(f"{content.title}已保存：{out}")
    counts = {state: len(content.of(state)) for state in RETURN_STATES}
    said = "，".join(f"{state} {n} 个" for state, n in counts.items())
    print(f"{said}；逾期未办结议定事项 {content.decisions_overdue} 项。")
    return EXIT_OK
