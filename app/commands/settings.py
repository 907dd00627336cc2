"""`taizhang settings list|get|set`: database-wide settings such as the organisation's name on the report."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli import EXIT_OK, add_db_option, database_arg
from app.commands._common import open_existing
from app.services import settings as service


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("settings", help="查看或修改设置（如会议材料封面上的机构名称）")
    actions = p.add_subparsers(dest="action", metavar="操作", required=True)
    ls = actions.add_parser("list", help="列出所有设置及当前值")
    add_db_option(ls)
    ls.set_defaults(func=run_list)
    get = actions.add_parser("get", help="显示一项设置")
    add_db_option(get)
    get.add_argument("name", help="设置名，如 organisation（机构名称）")
    get.set_defaults(func=run_get)
    put = actions.add_parser("set", help="修改一项设置（记入审计日志；值为空则恢复默认）")
    add_db_option(put)
    put.add_argument("name", help="设置名：organisation（机构名称）、office_name、office_contact、report.internal_line")
    put.add_argument("value", help="新的值，如 吉林省互联网经济发展联席会议")
    put.set_defaults(func=run_set)


def _line(v: service.SettingValue) -> str:
    default = "（默认）" if v.is_default else ""
    return f"{v.spec.key}  {v.spec.label}：{v.value or '（空）'}{default}  —— 用于{v.spec.used_for}"


def run_list(args: argparse.Namespace) -> int:
    database = open_existing(database_arg(args))
    try:
        values = service.list_settings(database)
    finally:
        database.dispose()
    for v in values:
        print(_line(v))
    return EXIT_OK


def run_get(args: argparse.Namespace) -> int:
    spec = service.spec_for(args.name)
    database = open_existing(database_arg(args))
    try:
        value = next(v for v in service.list_settings(database) if v.spec.key == spec.key)
    finally:
        database.dispose()
    print(value.value)
    return EXIT_OK


def run_set(args: argparse.Namespace) -> int:
    database = open_existing(database_arg(args))
    try:
        value = service.set_value(database, args.name, args.value)
    finally:
        database.dispose()
    print(f"已设置 {_line(value)}")
    return EXIT_OK
