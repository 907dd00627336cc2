"""`taizhang summary`: the consolidated ledger of a period as a printable .xlsx."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli import EXIT_OK, add_db_option, database_arg
from app.commands._common import open_existing
from app.services.summary import export_summary
from app.storage.errors import KnownError


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("summary", help="导出本期重点项目汇总台账（.xlsx，可直接打印）")
    add_db_option(p)
    p.add_argument("--period", required=True, help="报告期，如 2025-Q3")
    p.add_argument("--out", required=True, type=Path, help="输出文件，如 汇总.xlsx")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.suffix.lower() != ".xlsx":
        raise KnownError(f"输出文件应以 .xlsx 结尾：{out}")
    database = open_existing(database_arg(args))
    try:
        data = export_summary(database, args.period, out)
    finally:
        database.dispose()
    reported = sum(1 for g in data.groups for p in g.projects if p.reported)
    print(
        f"已导出{data.period_label}汇总台账：{out}\n"
        f"重点项目 {data.project_count} 个（本期已填报 {reported} 个），分 {len(data.groups)} 组；"
        f"定额计划 {len(data.programmes)} 个。"
    )
    return EXIT_OK
