"""`taizhang departments list|resolve|rename|merge`: departments' names through renamings and mergers."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from app.cli import EXIT_OK, add_db_option, database_arg
from app.commands._common import open_existing
from app.services import departments as service
from app.storage.errors import KnownError


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("departments", help="单位名录：查看、核对名称，记录更名或合并（机构改革）")
    actions = p.add_subparsers(dest="action", metavar="操作", required=True)

    ls = actions.add_parser("list", help="列出单位：现名称、曾用名、简称，以及承担的任务、项目、指标")
    add_db_option(ls)
    ls.add_argument("--history", action="store_true", help="同时列出已更名或合并的原单位和全部更名记录")
    ls.set_defaults(func=run_list)

    rs = actions.add_parser("resolve", help="核对一个单位名称（简称、曾用名）现在对应哪个单位")
    add_db_option(rs)
    rs.add_argument("name", help="单位名称，如 省卫计委")
    rs.set_defaults(func=run_resolve)

    rn = actions.add_parser("rename", help="记录更名：原单位自某日起改称新名称，现有职责随之移交，历史保留原名")
    add_db_option(rn)
    rn.add_argument("old", help="原单位名称（可用简称）")
    rn.add_argument("new", help="新名称（全称，如 省卫生健康委员会）")
    rn.add_argument("--from", dest="since", required=True, help="生效日期，如 2018-10-18")
    rn.add_argument("--note", default="", help="说明，如 机构改革方案文号")
    rn.set_defaults(func=run_rename)

    mg = actions.add_parser("merge", help="记录合并：几个原单位自某日起合并为一个单位，现有职责随之移交")
    add_db_option(mg)
    mg.add_argument("old", nargs="+", help="原单位名称（两个或以上）")
    mg.add_argument("--into", required=True, help="合并后的单位名称（全称）")
    mg.add_argument("--from", dest="since", required=True, help="生效日期，如 2018-10-18")
    mg.add_argument("--note", default="", help="说明")
    mg.set_defaults(func=run_merge)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        raise KnownError(f"日期格式不正确：“{text}”，应如 2018-10-18") from None


def run_list(args: argparse.Namespace) -> int:
    database = open_existing(database_arg(args))
    try:
        lines = service.list_departments(database)
        history = service.list_successions(database) if args.history else []
    finally:
        database.dispose()
    for d in lines:
        if not d.current and not args.history:
            continue
        parts = [d.name]
        if d.former_names:
            parts.append(f"（原{'、'.join(d.former_names)}）")
        if not d.current:
            parts.append(f" —— 自{d.successor_since:%Y-%m-%d}起由{d.successor}承接" if d.successor_since else "")
        else:
            parts.append(f"  任务 {d.tasks} 项、项目 {d.projects} 个、指标 {d.indicators} 项")
        print("".join(parts))
        if d.aliases and d.current:
            print(f"    简称/别名：{'、'.join(d.aliases)}")
    if history:
        print("更名记录：")
        for h in history:
            source = "内置对照表" if h.builtin else h.recorded_by
            note = f"；{h.note}" if h.note else ""
            print(f"  {h.effective_from:%Y-%m-%d} {h.old_name} → {h.new_name}（{h.kind_label}，{source}{note}）")
    return EXIT_OK


def run_resolve(args: argparse.Namespace) -> int:
    database = open_existing(database_arg(args))
    try:
        found = service.resolve_name(database, args.name)
    finally:
        database.dispose()
    print(found.said or f"{found.name}（名称一致）")
    return EXIT_OK


def run_rename(args: argparse.Namespace) -> int:
    since = _date(args.since)
    database = open_existing(database_arg(args))
    try:
        result = service.rename_department(database, args.old, args.new, since, note=args.note)
    finally:
        database.dispose()
    print(result.summary())
    return EXIT_OK


def run_merge(args: argparse.Namespace) -> int:
    since = _date(args.since)
    database = open_existing(database_arg(args))
    try:
        result = service.merge_departments(database, args.old, args.into, since, note=args.note)
    finally:
        database.dispose()
    print(result.summary())
    return EXIT_OK
