"""`taizhang template`: export return templates for one department or every department of a period."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli import EXIT_OK, add_db_option, database_arg
from app.commands._common import open_existing
from app.services.templates import export_templates


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("template", help="导出部门填报模板（.xlsx）")
    add_db_option(p)
    p.add_argument("--period", required=True, help="报告期，如 2025-Q3")
    p.add_argument("--department", help="只导出这个单位（可用简称）；不填则导出本期所有应报单位")
    p.add_argument("--out", required=True, type=Path, help="输出文件夹")
    p.add_argument("--overwrite", action="store_true", help="覆盖文件夹中已有的同名文件")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    database = open_existing(database_arg(args))
    try:

        def report(done: int, total: int, name: str) -> None:
            print(f"[{done}/{total}] {name}", flush=True)

        written = export_templates(
            database, args.period, args.out, args.department, progress=report, overwrite=args.overwrite
        )
    finally:
        database.dispose()
    if written and written[0].resolved:
        print(f"单位名称：{written[0].resolved}")
    for w in written:
        note = "（该单位尚未牵头项目、计划或负责指标，模板没有预填内容）" if w.empty else ""
        print(f"已导出：{w.path}{note}")
    print(f"共导出模板 {len(written)} 份，保存在 {args.out}")
    return EXIT_OK
