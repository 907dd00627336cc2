"""`taizhang init`: create or upgrade a database and load the built-in portfolio."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli import EXIT_OK, add_db_option, database_arg
from app.services.database import open_database


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("init", help="创建或升级数据库并载入内置项目库")
    add_db_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = database_arg(args)
    result = open_database(path)
    loaded = result.loaded
    if loaded.total == 0:
        print(f"数据库 {path} 已是最新，内置项目库已齐全，无需改动。")
    else:
        names = {
            "documents": "文件",
            "departments": "部门",
            "tasks": "任务",
            "projects": "项目",
            "indicators": "指标",
            "baselines": "基期值",
            "targets": "目标",
            "successions": "单位更名记录",
        }
        parts = "，".join(f"{names.get(k, k)} {v}" for k, v in loaded.added.items())
        print(f"数据库 {path} 已就绪。新载入：{parts}。")
    result.database.dispose()
    return EXIT_OK
