"""`taizhang gantt`: the milestone Gantt chart of a selection as a multi-page PDF or one PNG."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from app.cli import EXIT_OK, add_db_option, database_arg
from app.domain.timeline import Zoom
from app.services import gantt as service
from app.services.gantt import Grouping, Selection
from app.storage.db import Database
from app.storage.errors import KnownError

GROUP_CHOICES = {
    "none": Grouping.NONE,
    "task": Grouping.TASK,
    "department": Grouping.DEPARTMENT,
    "region": Grouping.REGION,
    "kind": Grouping.KIND,
}


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "gantt",
        help="导出进度甘特图（PDF 多页或 PNG）",
        description="导出进度甘特图：计划与实际、里程碑、今天线、本报告期阴影、滞后标红。",
    )
    add_db_option(p)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--task", metavar="编号", help="只含该任务（含下级）的项目，如 三(四)2；重名时写 文件代号/编号")
    which.add_argument("--department", metavar="部门", help="只含该牵头单位的项目")
    which.add_argument("--region", metavar="地区", help="只含该地区的项目，如 长春市")
    which.add_argument("--project", metavar="编号", help="只含一个项目（编号或名称）")
    p.add_argument(
        "--zoom",
        choices=[z.value for z in Zoom],
        help="按此时间刻度分页打印：week/month/quarter/year（默认把整个时间范围缩放到一页宽）",
    )
    p.add_argument("--group", choices=list(GROUP_CHOICES), default="task", help="分组（默认按任务）")
    p.add_argument("--paper", choices=["A4", "A3"], default="A4", help="纸张（横向），默认 A4")
    p.add_argument("--pages-wide", type=int, metavar="N", help="把整个时间范围缩放到 N 页宽（默认 1）")
    p.add_argument("--baseline", metavar="名称", help="同时画出该基线的计划")
    p.add_argument("--period", metavar="报告期", help="阴影标出的报告期，如 2025-Q3（默认本季度）")
    p.add_argument("--title", default="重点项目进度甘特图", help="标题")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="按此日期判断滞后、画今天线（默认今天）")
    p.add_argument("--out", required=True, metavar="文件", help="输出文件：.pdf 或 .png")
    p.set_defaults(func=run)


def _selection(args: argparse.Namespace) -> Selection:
    for kind in ("task", "department", "region", "project"):
        value = getattr(args, kind)
        if value:
            return Selection(kind, value)
    return Selection()


def _baseline_id(database: Database, name: str | None) -> int | None:
    if not name:
        return None
    for b in service.list_baselines(database):
        if b.name == name:
            return b.id
    raise KnownError(f"找不到基线：{name}")


def run(args: argparse.Namespace) -> int:
    path = database_arg(args)
    if "://" not in path and not Path(path).exists():
        raise KnownError(f"数据库文件不存在：{path}")
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".png"):
        raise KnownError("输出文件须以 .pdf 或 .png 结尾")
    if args.pages_wide is not None and args.pages_wide < 1:
        raise KnownError("--pages-wide 必须是正整数")
    try:
        today = date.fromisoformat(args.today) if args.today else date.today()
    except ValueError as exc:
        raise KnownError(f"日期格式不正确：{args.today}（应为 2025-11-20）") from exc
    try:
        if args.period:
            from app.domain.periods import Period

            Period.parse(args.period)
    except ValueError as exc:
        raise KnownError(str(exc)) from exc
    from app.services.database import open_database

    database = open_database(path, seed=False).database
    try:
        if args.department:
            from app.services.departments import resolve_name

            said = resolve_name(database, args.department).said
            if said:
                print(f"单位名称：{said}")
        data = service.load_gantt(
            database,
            _selection(args),
            today=today,
            period_key=args.period,
            baseline_id=_baseline_id(database, args.baseline),
        )
    finally:
        database.dispose()
    if not data.rows:
        raise KnownError("所选范围内没有项目")
    # Rendering needs Qt; it lives with the UI and is imported only here.
    from app.ui.gantt_export import PrintOptions, ensure_gui_application, export_pdf, export_png

    ensure_gui_application()
    # Fit the time range to the page width unless the clerk asked for a scale (--zoom) or a width.
    pages_wide = args.pages_wide if args.pages_wide is not None else (None if args.zoom else 1)
    options = PrintOptions(
        paper=args.paper,
        pages_wide=pages_wide,
        zoom=Zoom(args.zoom or "month"),
        grouping=GROUP_CHOICES[args.group],
        title=args.title,
        printed_on=today,
    )
    if suffix == ".pdf":
        pages = export_pdf(out, data, options)
        print(f"已导出 {out}：{len(data.rows)} 个项目，{pages} 页（{args.paper} 横向）")
    else:
        w, h = export_png(out, data, options)
        print(f"已导出 {out}：{len(data.rows)} 个项目，{w}×{h} 像素")
    return EXIT_OK
