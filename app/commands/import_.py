"""`taizhang import`: read departmental returns (files or folders), check them and import each file whole."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, add_db_option, database_arg
from app.domain.periods import Period
from app.gc_pause import gc_paused
from app.returns.batch import collect_files, read_ahead, unread_files
from app.storage.errors import KnownError

if TYPE_CHECKING:
    from app.services.returns import FileOutcome, FilePreview


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "import",
        help="导入部门报表（可给多个文件或文件夹）",
        description="读取部门报表（.xlsx/.xlsm/.xls/.csv），逐个文件检查后整份导入；有错误的文件整份不导入。"
        "退出码：0 全部已导入或此前已导入，1 有文件被拒绝，2 用法错误。",
    )
    add_db_option(p)
    p.add_argument("files", nargs="+", metavar="文件或文件夹", help="报表文件或包含报表的文件夹")
    p.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入数据库")
    p.add_argument("--strict", action="store_true", help="把警告也当作错误：有警告的文件不导入")
    p.add_argument(
        "--department",
        metavar="单位",
        help="指定填报单位：文件中没有写明时使用；文件中写的不同时以此为准，并给出警告列出文件中的写法",
    )
    p.add_argument(
        "--period",
        metavar="报告期",
        help="指定报告期，如 2025-Q3：文件中没有写明时使用；文件中写的不同时以此为准，并给出警告",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.period:
        try:
            args.period = Period.parse(args.period).key
        except ValueError as exc:
            print(f"用法错误：{exc}", file=sys.stderr)
            return EXIT_USAGE
    files, missing = collect_files(args.files)
    if missing:
        for line in missing:
            print(f"用法错误：{line}", file=sys.stderr)
        return EXIT_USAGE
    path = database_arg(args)
    if "://" not in path and not Path(path).exists():
        raise KnownError(f"数据库文件不存在：{path}（可先运行 taizhang init --db {path}）")
    print(f"读取并检查 {len(files)} 个文件……", flush=True)
    # One pause of the cyclic collector for the whole command (this process ends after it): the pauses of the
    # read and of the check each ended with a collection walking everything they built (~0.1 s for 50,000
    # rows), and nothing here makes cycles worth the walk.
    with gc_paused():
        return _run(args, files, path)


def _run(args: argparse.Namespace, files: list[Path], path: str) -> int:
    # The first file is read while the ledger's code is imported and the database opened (app.returns.batch):
    # the imports start once the file's bounds are checked and calamine, which mostly releases the lock, reads.
    ahead = read_ahead(files, department=args.department, period=args.period)
    try:
        ahead.wait_first_reading()
        from app.services.database import open_database
        from app.services.returns import commit, preview_read

        database = open_database(path, seed=False).database
    except BaseException:
        ahead.close()
        raise
    try:
        for line in unread_files(args.files):
            print(f"  {line}")
        previews = preview_read(database, ahead, strict=args.strict)
        if args.dry_run:
            return _report_dry_run(previews)
        outcomes = commit(database, previews, confirmed_warnings=False)
        return _report(previews, outcomes)
    finally:
        database.dispose()


def _print_problems(item: FilePreview) -> None:
    for problem in item.problems:
        print(f"    {problem.describe()}")


def _report_dry_run(previews: list[FilePreview]) -> int:
    from app.services.returns import Verdict

    total = len(previews)
    for i, item in enumerate(previews, 1):
        print(f"[{i}/{total}] {item.file_name}：{item.verdict_text()}")
        _print_problems(item)
        if item.pending_changes:
            print("    与现行报表相比，导入后将变化：")
            for line in item.pending_changes.splitlines():
                print(f"      {line}")
    refused = sum(1 for p in previews if p.verdict is Verdict.BLOCKED)
    ready = sum(1 for p in previews if p.importable)
    already = total - refused - ready
    print(f"试运行，数据库未作改动：可导入 {ready} 个，已导入过 {already} 个，不能导入 {refused} 个。")
    return EXIT_REFUSED if refused else EXIT_OK


def _report(previews: list[FilePreview], outcomes: list[FileOutcome]) -> int:
    from app.services.returns import OutcomeStatus, Verdict

    total = len(outcomes)
    for i, (item, outcome) in enumerate(zip(previews, outcomes, strict=True), 1):
        if outcome.status is OutcomeStatus.REFUSED:
            head = f"未导入（{item.verdict_text()}）"
        elif outcome.status is OutcomeStatus.ALREADY_IMPORTED:
            head = item.verdict_text() if item.verdict is Verdict.ALREADY_IMPORTED else outcome.message
        else:
            head = outcome.message
        print(f"[{i}/{total}] {item.file_name}：{head}")
        _print_problems(item)
        if outcome.change_summary:
            print("    与被替换的报表相比：")
            for line in outcome.change_summary.splitlines():
                print(f"      {line}")
    counts = {status: sum(1 for o in outcomes if o.status is status) for status in OutcomeStatus}
    print(
        f"完成：导入 {counts[OutcomeStatus.IMPORTED]} 个，已导入过 {counts[OutcomeStatus.ALREADY_IMPORTED]} 个，"
        f"被拒绝 {counts[OutcomeStatus.REFUSED]} 个，失败 {counts[OutcomeStatus.FAILED]} 个。"
    )
    warned = sum(1 for o in outcomes if o.status is OutcomeStatus.IMPORTED and any(p for p in o.problems))
    if warned:
        print(f"有 {warned} 份已导入的报表带有警告，请在“报表填报”中核对并确认。")
    return EXIT_OK if all(o.ok for o in outcomes) else EXIT_REFUSED
