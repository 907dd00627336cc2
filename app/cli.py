"""Command line: `taizhang SUBCOMMAND …`; with no subcommand the GUI starts. Exit 0 ok, 1 refused, 2 usage."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from app.storage.errors import KnownError

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2

# One module per subcommand under app/commands/, each with `register(subparsers)` setting `func`.
COMMAND_MODULES: tuple[str, ...] = ("init", "info", "indicators", "report")


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its usage errors said in Chinese and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"用法错误：{message}\n（运行 taizhang --help 查看说明）\n")


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="taizhang", description="台账：重点项目与部门报表管理")
    parser.add_argument("--db", help="数据库文件（默认：用户数据文件夹中的 taizhang.db）")
    subparsers = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"app.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand and return its exit code; user errors print Chinese, never a traceback."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(args_list)
    if not getattr(args, "command", None):
        from app.bootstrap import run_gui

        return run_gui(args.db)
    try:
        return int(args.func(args))
    except KnownError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_REFUSED
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as other command-line tools do.
        return EXIT_OK
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return EXIT_REFUSED


def database_arg(args: argparse.Namespace) -> str:
    """The --db given to the subcommand or globally, else the per-user default database."""
    from app.paths import default_database

    return str(getattr(args, "sub_db", None) or args.db or default_database())


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """Let `--db` stand after the subcommand too (`taizhang info --db x.db`)."""
    parser.add_argument("--db", dest="sub_db", help="数据库文件")
