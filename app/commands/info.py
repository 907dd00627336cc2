"""`taizhang info`: counts and a short portfolio summary, in Chinese."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli import EXIT_OK, add_db_option, database_arg
from app.services.database import open_database
from app.services.portfolio_info import portfolio_info
from app.storage.errors import KnownError


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("info", help="显示项目库概况")
    add_db_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = database_arg(args)
    if "://" not in path and not Path(path).exists():
        raise KnownError(f"数据库文件不存在：{path}（可先运行 taizhang init --db {path}）")
    result = open_database(path, seed=False)
    with result.database.session() as session:
        info = portfolio_info(session)
    result.database.dispose()
    print(f"数据库：{path}")
    for d in info.documents:
        print(f"  {d.short_title}（{d.issued}）：任务 {d.task_count} 项，其中具体任务 {d.item_count} 项")
    print(
        f"部门 {info.departments} 个；任务 {info.tasks} 项；重点项目 {info.key_projects} 个；"
        f"定额计划 {info.programmes} 个（成员 {info.members} 个）；指标 {info.indicators} 个（目标 {info.targets} 项）"
    )
    print(f"已导入报表 {info.returns} 份，进展记录 {info.progress_entries} 条")
    print("重点项目：")
    for name in info.key_project_names:
        print(f"  {name}")
    print("定额计划：")
    for line in info.programme_lines:
        print(f"  {line}")
    return EXIT_OK
