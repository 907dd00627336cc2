"""`taizhang indicators list|export|chart|record`: indicators against targets, from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli import EXIT_OK, add_db_option, database_arg
from app.services import indicators as service
from app.storage.db import Database
from app.storage.errors import KnownError


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("indicators", help="指标完成情况：查看、导出、作图、录入实际值")
    actions = p.add_subparsers(dest="action", metavar="操作", required=True)

    ls = actions.add_parser("list", help="列出每个指标的目标、最新实际值和状态")
    _common(ls)
    ls.set_defaults(func=run_list)

    ex = actions.add_parser("export", help="导出指标表和实际值来源（.xlsx）")
    _common(ex)
    ex.add_argument("--out", required=True, help="输出文件 .xlsx")
    ex.set_defaults(func=run_export)

    ch = actions.add_parser("chart", help="画出一个指标的实际值与目标路径（.png / .pdf / .svg）")
    _common(ch)
    ch.add_argument("--code", required=True, help="指标编号（如 ZB06）或名称")
    ch.add_argument("--out", required=True, help="输出图片")
    ch.set_defaults(func=run_chart)

    rec = actions.add_parser("record", help="手工录入一个实际值（记入审计日志）")
    add_db_option(rec)
    rec.add_argument("--code", required=True, help="指标编号（如 ZB05）或名称")
    rec.add_argument("--period", required=True, help="报告期，如 2019 或 2019-Q4")
    rec.add_argument("--value", required=True, help="数值；节点类指标填“已实现”或“未实现”")
    rec.add_argument("--source", default="", help="来源说明，如 2019年统计公报")
    rec.add_argument(
        "--related",
        action="store_true",
        help="同时记入相关指标（同一统计口径的另一指标，如 3G/4G用户普及率 与 移动宽带用户普及率）",
    )
    rec.set_defaults(func=run_record)

    use = actions.add_parser(
        "choose",
        help="两份文件对同一指标目标不同时，选择办公室按哪份文件的目标报告（记入审计日志）",
    )
    add_db_option(use)
    use.add_argument("--code", required=True, help="指标编号（如 ZB06）或名称")
    use.add_argument("--document", required=True, help="文件：2015、2018、文件简称，或“默认”（较晚的文件）")
    use.set_defaults(func=run_choose)


def _common(p: argparse.ArgumentParser) -> None:
    add_db_option(p)
    p.add_argument("--period", help="评估截至的报告期，如 2025-Q3（默认：今天）")


def _open(args: argparse.Namespace) -> Database:
    path = database_arg(args)
    if "://" not in path and not Path(path).exists():
        raise KnownError(f"数据库文件不存在：{path}（可先运行 taizhang init --db {path}）")
    from app.services.database import open_database

    return open_database(path, seed=False).database


def _period(args: argparse.Namespace) -> str | None:
    if not args.period:
        return None
    return service.validate_period(args.period)


def run_list(args: argparse.Namespace) -> int:
    database = _open(args)
    try:
        rows = service.indicator_rows(service.list_indicators(database, as_of=_period(args)))
    finally:
        database.dispose()
    for r in rows:
        name = f"{r.code} {r.name}" if r.first_of_indicator else " " * (len(r.code) + 1) + "〃"
        unit = f"（{r.unit}）" if r.unit and r.first_of_indicator else ""
        # The document's own words (力争, 预计, 以上, 超过, 突破), never a bare number.
        print(
            f"{name}{unit}  目标 {r.year}{r.target_text} {r.document}  最新 {r.latest}  【{r.status}】"
            f"  尚需 {r.needed_growth} / 已实现 {r.achieved_growth}"
        )
        if r.first_of_indicator:
            print(f"    责任单位：{r.departments or '未指定'}")
            if r.note:
                print(f"    说明：{r.note}")
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    database = _open(args)
    try:
        count = service.export_indicator_table(database, args.out, as_of=_period(args))
    finally:
        database.dispose()
    print(f"已导出 {count} 行到 {args.out}")
    return EXIT_OK


def run_chart(args: argparse.Namespace) -> int:
    from app.reports.indicator_charts import indicator_figure

    database = _open(args)
    try:
        data = service.get_indicator(database, service.indicator_id_by_code(database, args.code), as_of=_period(args))
    finally:
        database.dispose()
    out = Path(args.out)
    if out.suffix.lower() not in {".png", ".pdf", ".svg"}:
        raise KnownError("图片格式应为 .png、.pdf 或 .svg")
    from app.storage.files import atomic_write

    with atomic_write(out) as tmp:
        indicator_figure(data, width_in=8, height_in=4.5).savefig(tmp, dpi=150, format=out.suffix.lower()[1:])
    print(f"已画出 {data.name}：{out}")
    return EXIT_OK


def run_record(args: argparse.Namespace) -> int:
    database = _open(args)
    try:
        indicator_id = service.indicator_id_by_code(database, args.code)
        offer = service.related_offer(database, indicator_id, service.validate_period(args.period))
        service.record_actual(database, indicator_id, args.period, args.value, args.source)
        data = service.get_indicator(database, indicator_id)
        also = None
        if offer is not None and args.related and not offer.already_entered:
            note = f"同口径，按{data.code} {data.name}录入" + (f"；{args.source}" if args.source else "")
            service.record_actual(database, offer.indicator_id, args.period, args.value, note)
            also = service.get_indicator(database, offer.indicator_id)
    finally:
        database.dispose()
    print(f"已录入 {data.name} {args.period}：{args.value}")
    for t in data.targets:
        print(f"  {t.document} {t.year}年 {t.wording}：{t.status_label}（{t.assessment.reason}）")
    if also is not None:
        print(f"已同时记入相关指标 {also.name} {args.period}：{args.value}")
        for t in also.targets:
            print(f"  {t.document} {t.year}年 {t.wording}：{t.status_label}（{t.assessment.reason}）")
    elif offer is not None and offer.already_entered:
        print(f"相关指标 {offer.label} 该期已有手工录入值，未改动。")
    elif offer is not None:
        print(
            f"提示：相关指标 {offer.label} 与本指标是同一统计口径。如需同时记入，请运行：\n"
            f"  taizhang indicators record --code {offer.code} --period {args.period} --value {args.value}"
            f"（或在本命令加 --related）"
        )
    return EXIT_OK


def run_choose(args: argparse.Namespace) -> int:
    database = _open(args)
    try:
        indicator_id = service.indicator_id_by_code(database, args.code)
        key = service.document_key_for(database, indicator_id, args.document)
        title = service.set_reported_document(database, indicator_id, key)
        data = service.get_indicator(database, indicator_id)
    finally:
        database.dispose()
    print(f"{data.name}：办公室按{title}的目标报告" + ("（默认：较晚的文件）" if key is None else ""))
    for t in data.targets:
        mark = "报告口径" if t.reported else "仅列示"
        print(f"  〔{mark}〕{t.document} {t.year}年 {t.wording}：{t.status_label}")
    return EXIT_OK
