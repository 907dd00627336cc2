"""`taizhang decisions add|list|close|reopen`: meeting decisions (议定事项) followed to closure (销号)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from app.cli import EXIT_OK, add_db_option, database_arg
from app.commands._common import open_existing
from app.domain.dates import parse_date
from app.services import decisions
from app.storage.errors import KnownError


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "decisions",
        help="议定事项：登记、查看、办结销号",
        description="联席会议议定事项的登记、跟踪和办结销号。灯号：已逾期且未办结为红灯，"
        "距完成时限不超过提醒天数（默认 7 天）为黄灯，其余为绿灯。",
    )
    sub = p.add_subparsers(dest="decisions_command", metavar="操作", required=True)

    add = sub.add_parser("add", help="登记一项议定事项，输出其编号")
    add_db_option(add)
    add.add_argument("--text", required=True, help="议定事项内容")
    add.add_argument("--department", action="append", default=[], metavar="单位", help="责任单位（可重复给出多个单位）")
    add.add_argument("--due", help="完成时限，如 2025-11-30")
    add.add_argument("--meeting", type=int, metavar="会议编号", help="所属会议的编号（可省略）")
    add.set_defaults(func=run_add)

    ls = sub.add_parser("list", help="列出议定事项及其灯号")
    add_db_option(ls)
    ls.add_argument("--open", action="store_true", help="只列办理中的")
    ls.add_argument("--overdue", action="store_true", help="只列已逾期未办结的")
    ls.add_argument("--department", metavar="单位", help="只列该单位负责的")
    ls.add_argument("--meeting", type=int, metavar="会议编号", help="只列该会议的")
    ls.set_defaults(func=run_list)

    close = sub.add_parser("close", help="办结销号")
    add_db_option(close)
    close.add_argument("id", type=int, metavar="编号", help="议定事项编号")
    close.add_argument("--note", required=True, help="办结情况说明")
    close.add_argument("--evidence", default="", help="办结佐证材料（文件名、文号等）")
    close.set_defaults(func=run_close)

    reopen = sub.add_parser("reopen", help="退回重办（撤销销号）")
    add_db_option(reopen)
    reopen.add_argument("id", type=int, metavar="编号", help="议定事项编号")
    reopen.set_defaults(func=run_reopen)


def _due(text: str | None) -> date | None:
    if text is None or not text.strip():
        return None
    outcome = parse_date(text)
    if not outcome.ok or outcome.value is None:
        raise KnownError(f"完成时限无法识别：“{text}”，请写成 2025-11-30。")
    return outcome.value


def run_add(args: argparse.Namespace) -> int:
    due = _due(args.due)
    database = open_existing(database_arg(args))
    try:
        new_id = decisions.add_decision_by_names(database, args.text, args.department, due, args.meeting)
    finally:
        database.dispose()
    print(new_id)
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    database = open_existing(database_arg(args))
    try:
        rows = decisions.list_decisions(
            database,
            open_only=args.open,
            overdue_only=args.overdue,
            department=args.department,
            meeting_id=args.meeting,
        )
    finally:
        database.dispose()
    if not rows:
        print("没有符合条件的议定事项。")
        return EXIT_OK
    for r in rows:
        print(
            f"[{r.id}] {r.light.value}灯 {r.status} 时限 {r.due_date:%Y-%m-%d}（{r.due_text}） "
            f"责任单位：{r.departments_text}"
        )
        print(f"    {r.text}")
        if r.meeting_title:
            print(f"    会议：{r.meeting_date:%Y-%m-%d} {r.meeting_title}")
        if r.closed:
            evidence = f"（佐证：{r.evidence}）" if r.evidence else ""
            print(f"    办结：{r.closed_on:%Y-%m-%d} {r.closing_note}{evidence}")
        elif r.latest_progress:
            print(f"    进展：{r.latest_progress}")
    open_rows = [r for r in rows if not r.closed]
    print(
        f"共 {len(rows)} 项：办理中 {len(open_rows)} 项（逾期 {sum(r.overdue for r in open_rows)} 项），"
        f"已办结 {len(rows) - len(open_rows)} 项。"
    )
    return EXIT_OK


def run_close(args: argparse.Namespace) -> int:
    database = open_existing(database_arg(args))
    try:
        row = decisions.close_decision(database, args.id, args.note, args.evidence)
    finally:
        database.dispose()
    print(f"议定事项 {row.id} 已办结销号（{row.closed_on:%Y-%m-%d}）。")
    return EXIT_OK


def run_reopen(args: argparse.Namespace) -> int:
    database = open_existing(database_arg(args))
    try:
        row = decisions.reopen_decision(database, args.id)
    finally:
        database.dispose()
    print(f"议定事项 {row.id} 已退回，恢复为{row.status}。")
    return EXIT_OK
