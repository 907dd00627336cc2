"""`taizhang import-ledger`: adopt the office's existing Excel ledger (dry run, import, undo, list)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from app.cli import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, add_db_option, database_arg
from app.commands._common import open_existing
from app.domain.money import MoneyUnit


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "import-ledger",
        help="导入办公室现有的 Excel 台账（首次使用）",
        description="读取办公室自己的项目台账，按名称匹配内置项目，更新计划信息，其余作为新项目加入，"
        "并把表中数字记为截至台账日期的进展。先备份、一次写入、可整体撤销。"
        "退出码：0 成功，1 被拒绝（原因见提示），2 用法错误。",
    )
    add_db_option(p)
    p.add_argument("file", nargs="?", metavar="台账文件", help="办公室的台账（.xlsx/.xls/.csv）")
    p.add_argument("--dry-run", action="store_true", help="只列出将要做的每一处改动，不写入数据库")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="台账数据截至的日期（标题中没有写“截至…”时必填）")
    p.add_argument("--task", metavar="编号", help="新增项目归入的任务，如 三(四)2（默认：未归类）")
    p.add_argument(
        "--units",
        choices=[u.value for u in (MoneyUnit.WAN, MoneyUnit.YI, MoneyUnit.YUAN)],
        help="表头没有写明金额单位时，金额列的单位",
    )
    p.add_argument("--undo", metavar="批次", type=int, help="撤销一次台账导入（批次号见 --list）")
    p.add_argument("--list", action="store_true", help="列出各次台账导入")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.services import ledger_import as svc

    as_of = None
    if args.as_of:
        try:
            as_of = date.fromisoformat(args.as_of)
        except ValueError:
            print(f"用法错误：--as-of 应为 YYYY-MM-DD，如 2025-06-30（收到 {args.as_of}）", file=sys.stderr)
            return EXIT_USAGE
    if not args.file and args.undo is None and not args.list:
        print("用法错误：请给出台账文件，或用 --undo 批次 / --list", file=sys.stderr)
        return EXIT_USAGE
    database = open_existing(database_arg(args))
    try:
        if args.list:
            batches = svc.list_ledger_imports(database)
            if not batches:
                print("还没有导入过台账。")
            for b in batches:
                state = "（已撤销）" if b.undone else ""
                print(f"批次 {b.id}  {b.at:%Y-%m-%d %H:%M}  {b.user}  {b.summary}{state}")
            return EXIT_OK
        if args.undo is not None:
            print(svc.undo_ledger_import(database, args.undo))
            return EXIT_OK
        unit = MoneyUnit(args.units) if args.units else None
        plan = svc.plan_ledger_import(database, args.file, as_of=as_of, task=args.task, unit=unit)
        return _report(svc, database, plan, dry_run=args.dry_run)
    finally:
        database.dispose()


def _report(svc: Any, database: Any, plan: Any, *, dry_run: bool) -> int:
    if plan.read.is_return:
        print(f"{plan.file_name}：{plan.read.return_reason}", file=sys.stderr)
        return EXIT_REFUSED
    for line in plan.listing():
        print(line)
    for problem in plan.warnings:
        print(problem.describe())
    refused = False
    for problem in plan.errors:
        print(problem.describe(), file=sys.stderr)
        refused = True
    if plan.units_unanswered:
        for unstated in plan.units_unanswered:
            print(
                f"{plan.file_name}：{unstated.describe()} 没有写明金额单位（万元还是亿元）；"
                "请在表头写明，或用 --units 万元 / --units 亿元 指明",
                file=sys.stderr,
            )
        refused = True
    if refused:
        print("未导入：请按上面的提示修改后重试。", file=sys.stderr)
        return EXIT_REFUSED
    print(plan.summary())
    if dry_run:
        print("（试运行，数据库未改动；去掉 --dry-run 即按上面所列导入）")
        return EXIT_OK
    if not plan.importable:
        print("台账中没有可导入的项目行。", file=sys.stderr)
        return EXIT_REFUSED
    done = svc.import_ledger(database, plan)
    print(done.message())
    print(f"如需撤销：taizhang import-ledger --undo {done.batch_id}")
    return EXIT_OK
