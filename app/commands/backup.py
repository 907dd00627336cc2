"""`taizhang backup`: back a database up now (SQLite online backup), into its backup folder or to --out."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli import EXIT_OK, add_db_option, database_arg
from app.storage.backup import backup_database, configured_keep, database_file_arg
from app.storage.errors import KnownError


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("backup", help="立即备份数据库")
    add_db_option(p)
    p.add_argument("--out", metavar="文件", help="备份到指定文件（默认：备份文件夹，保留最近 N 份）")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = database_file_arg(database_arg(args))
    if not path.exists():
        raise KnownError(f"数据库文件不存在：{path}")
    out = Path(args.out) if args.out else None
    if out is not None and out.exists():
        raise KnownError(f"目标文件已存在，不会覆盖：{out}")
    info = backup_database(path, "manual", out=out, keep=None if out else configured_keep(path))
    print(f"已备份到 {info.path}（{info.size / 1024:.0f} KB）")
    return EXIT_OK
