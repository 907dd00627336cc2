"""`taizhang restore`: replace a database with a backup, after a safety backup of the current contents."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli import EXIT_OK, EXIT_REFUSED, add_db_option, database_arg
from app.services.backups import restore_database
from app.storage.backup import backup_revision, database_file_arg


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("restore", help="用备份恢复数据库（先自动备份当前数据库）")
    add_db_option(p)
    p.add_argument("file", metavar="备份文件", help="要恢复的备份文件（taizhang backups 可列出）")
    p.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = database_file_arg(database_arg(args))
    backup = Path(args.file)
    backup_revision(backup)  # refuse a damaged or foreign file before asking anything
    if not args.yes:
        if not sys.stdin or not sys.stdin.isatty():
            print("恢复会覆盖当前数据库的全部内容；确认无误请加 --yes 再运行。", file=sys.stderr)
            return EXIT_REFUSED
        answer = input(f"用 {backup} 覆盖 {path} 的全部内容？当前内容会先自动备份。[y/N] ")
        if answer.strip().lower() not in ("y", "yes", "是"):
            print("已取消，数据库未改动。")
            return EXIT_REFUSED
    outcome = restore_database(path, backup)
    print(f"已用 {backup} 恢复数据库 {path}。")
    if outcome.safety is not None:
        print(f"恢复前的内容已备份到 {outcome.safety.path}")
    if outcome.upgraded:
        print("备份来自旧版本，已升级到当前版本。")
    return EXIT_OK
