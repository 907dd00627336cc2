"""Command line: `taizhang SUBCOMMAND …`; with no subcommand the GUI starts. Exit 0 ok, 1 refused, 2 usage."""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from app.storage.errors import KnownError

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2

# argparse's own words, in Chinese: it looks them up through gettext at call time via the module-level `_`.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "参数",
    "show this help message and exit": "显示本说明并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "one of the arguments %s is required": "必须给出其中一个参数：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
}
argparse._ = lambda text: _ARGPARSE_ZH.get(text, text)  # type: ignore[attr-defined]

# One module per subcommand under app/commands/, each with `register(subparsers)` setting `func`.
COMMAND_MODULES: tuple[str, ...] = (
    "init",
    "info",
    "template",
    "import_",
    "import_ledger",
    "missing",
    "summary",
    "indicators",
    "report",
    "gantt",
    "backup",
    "restore",
    "backups",
    "decisions",
    "circular",
    "assign",
    "settings",
    "departments",
)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its usage errors said in Chinese and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"用法错误：{message}\n（运行 taizhang --help 查看说明）\n")


def command_name(module: str) -> str:
    """The subcommand a module of COMMAND_MODULES registers: import_ → import, import_ledger → import-ledger."""
    return module.rstrip("_").replace("_", "-")


def _named_module(args: Sequence[str]) -> str | None:
    """The module of the subcommand ``args`` run, when nothing before it needs the whole list of commands."""
    rest = list(args)
    while rest and rest[0].startswith("-"):
        option = rest.pop(0)
        if option == "--db" and rest:
            rest.pop(0)
        elif not option.startswith("--db=") and option != "--self-test":
            return None  # --help and anything unexpected: build every subcommand, as before
    modules = {command_name(m): m for m in COMMAND_MODULES}
    return modules.get(rest[0]) if rest else None


def build_parser(args: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given the arguments, only the subcommand they name is imported (a dry run then loads
    neither openpyxl nor the report and chart modules), else every subcommand for the full help."""
    parser = ChineseArgumentParser(prog="taizhang", description="台账：重点项目与部门报表管理")
    parser.add_argument("--db", help="数据库文件（默认：用户数据文件夹中的 taizhang.db）")
    parser.add_argument("--self-test", action="store_true", help="自检：用临时数据库检查程序能否正常工作，然后退出")
    subparsers = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)
    named = _named_module(args) if args is not None else None
    for name in (named,) if named else COMMAND_MODULES:
        importlib.import_module(f"app.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand and return its exit code; user errors print Chinese, never a traceback."""
    from app.paths import use_persistent_matplotlib_cache

    use_persistent_matplotlib_cache()  # before anything imports matplotlib
    args_list = list(sys.argv[1:] if argv is None else argv)
    gui_db = _gui_only(args_list)
    if gui_db is not None:
        # Plain `taizhang [--db X]` starts the GUI without importing every subcommand (start-up time).
        from app.bootstrap import run_gui

        return run_gui(gui_db or None)
    parser = build_parser(args_list)
    args = parser.parse_args(args_list)
    from app.logging_setup import configure_logging

    configure_logging()
    if args.self_test:
        from app.ui.self_test import run_self_test

        return run_self_test()
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
    finally:
        if argv is None:
            # The command ran as the process (not called by a script or a test): it ends once this returns. The
            # collector's last full pass at exit would walk everything loaded and built (~0.1 s with the models,
            # more after an import) to free nothing reference counting does not; set it all aside instead.
            gc.freeze()


def _gui_only(args: list[str]) -> str | None:
    """The --db of a plain GUI start ("" for none), or None when the arguments ask for anything else."""
    if not args:
        return ""
    if len(args) == 2 and args[0] == "--db" and not args[1].startswith("-"):
        return args[1]
    if len(args) == 1 and args[0].startswith("--db=") and len(args[0]) > 5:
        return args[0][5:]
    return None


def database_arg(args: argparse.Namespace) -> str:
    """The --db given to the subcommand or globally, else the per-user default database."""
    from app.paths import default_database

    return str(getattr(args, "sub_db", None) or args.db or default_database())


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """Let `--db` stand after the subcommand too (`taizhang info --db x.db`)."""
    parser.add_argument(
        "--db", dest="sub_db", metavar="数据库文件", help="数据库文件（默认：用户数据文件夹中的 taizhang.db）"
    )
