"""`taizhang missing`: which departments have not returned for a period; the chasing notice and list."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli import EXIT_OK, add_db_option, database_arg
from app.commands._common import open_existing
from app.returns.chasing import ChaseList, ChaseReason
from app.services.chasing import chasing_report
from app.services.departments import resolve_name


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "missing",
        help="列出未报送或报表有问题的单位，生成催报通知",
        description="应报单位：牵头重点项目或定额计划（项目未指定牵头单位时按所属任务的牵头单位），"
        "或负责指标的单位；尚未指定任何单位时，所有单位均视为应报。"
        "列出其中未报送、报表未通过校验（最近一次报送被拒收）或警告尚未处理的单位。",
    )
    add_db_option(p)
    p.add_argument("--period", required=True, help="报告期，如 2025-Q3")
    p.add_argument("--out", type=Path, help="催报名单保存为 .xlsx 文件")
    p.add_argument("--notice", type=Path, help="催报通知保存为 .txt 文件")
    p.add_argument("--department", metavar="单位", help="只看这个单位（可用简称或更名前的名称）")
    p.set_defaults(func=run)


def _one_department(chase: ChaseList, name: str, said: str) -> int:
    """What ``missing --department`` prints: that department's state for the period, its name resolved and said."""
    if said:
        print(f"单位名称：{said}")
    items = [i for i in chase.items if i.department == name]
    if not items:
        print(f"{chase.period_label}：{name}已报送，或本期无需报送。")
    for item in items:
        print(f"{chase.period_label}：{name} —— {item.reason.label}：{item.detail}；{item.contact}")
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    database = open_existing(database_arg(args))
    try:
        only = resolve_name(database, args.department) if args.department else None
        chase, _notice = chasing_report(database, args.period, args.out, args.notice)
    finally:
        database.dispose()
    if only is not None:
        return _one_department(chase, only.name, only.said)
    print(f"{chase.period_label}报表情况：{chase.summary_line()}")
    if chase.due_date is not None:
        late = f"，已逾期 {chase.overdue_days} 天" if chase.overdue_days else ""
        print(f"报送截止日期：{chase.due_date:%Y年%m月%d日}{late}")
    if chase.everyone_expected:
        print("注意：重点项目、定额计划和指标都还没有指定单位，暂按所有单位应报统计。")
    for reason in ChaseReason:
        items = chase.of(reason)
        if not items:
            continue
        print(f"{reason.label}（{len(items)} 个）：")
        for n, item in enumerate(items, start=1):
            print(f"  {n}. {item.department}：{item.detail}；{item.contact}")
    if chase.expected and not chase.items:
        print("所有应报单位均已报送，且没有待核实的问题。")
    if args.out:
        print(f"催报名单已保存：{args.out}")
    if args.notice:
        print(f"催报通知已保存：{args.notice}")
    return EXIT_OK
