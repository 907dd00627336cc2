"""`taizhang backups`: list the backups of a database, newest first."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli import EXIT_OK, add_db_option, database_arg
from app.storage.backup import backups_folder, database_file_arg, list_backups


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("backups", help="列出数据库的备份")
    add_db_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = database_file_arg(database_arg(args))
    found = list_backups(path)
    print(f"数据库 {path} 的备份（{backups_folder(path)}）：")
    if not found:
        print("  尚无备份。")
    for b in found:
        print(f"  {b.created:%Y-%m-%d %H:%M:%S}  {b.reason_label:<8}  {b.size / 1024:>8.0f} KB  {b.path.name}")
    return EXIT_OK
