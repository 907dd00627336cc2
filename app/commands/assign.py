"""`taizhang assign`: make a department responsible for projects (their 牵头单位) or tasks (a new part)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli import EXIT_OK, EXIT_USAGE, add_db_option, database_arg
from app.commands._common import open_existing
from app.services.supervision import assign_projects, assign_tasks, load_parts


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "assign",
        help="指定责任单位：项目的牵头单位，或任务的责任单位（可批量）",
        description="为重点项目、定额计划指定牵头（责任）单位，或为任务增加责任单位（每个责任单位每期报送该任务进展）。"
        "每项修改都记入修改记录。",
    )
    add_db_option(p)
    p.add_argument("--project", nargs="+", metavar="编号", default=[], help="项目或计划编号，如 ZD01 ZD02 JH01")
    p.add_argument("--task", nargs="+", metavar="编号", default=[], help="任务编号，如 三(一)1（两份文件都有时都指定）")
    p.add_argument("--department", required=True, help="单位名称（可用简称，如 省发改委）")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.project and not args.task:
        print("用法错误：请用 --project 或 --task 指定要分配的项目或任务", file=sys.stderr)
        return EXIT_USAGE
    database = open_existing(database_arg(args))
    try:
        if args.project:
            result = assign_projects(database, args.project, args.department)
            kept = f"，{result.unchanged} 个原已由该单位牵头" if result.unchanged else ""
            print(f"已将 {result.changed} 个项目的牵头单位指定为{result.department}{kept}。")
        if args.task:
            created = assign_tasks(database, args.task, args.department)
            parts = {p.part_id: p for p in load_parts(database, department=args.department)}
            for part_id in created:
                part = parts[part_id]
                print(f"已增加责任分工：{part.document_title} {part.label} — {part.department_name}")
            if not created:
                print("所列任务已由该单位负责，没有变化。")
    finally:
        database.dispose()
    return EXIT_OK
