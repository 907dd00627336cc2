"""A subcommand run from the command line imports only its own module; the full help still lists every one."""

from __future__ import annotations

import subprocess
import sys

from app.cli import COMMAND_MODULES, build_parser, command_name


def _choices(parser: object) -> list[str]:
    sub = next(a for a in parser._actions if a.dest == "command")  # type: ignore[attr-defined]
    return list(sub.choices)


def test_every_command_module_registers_the_name_the_dispatcher_expects() -> None:
    for module in COMMAND_MODULES:
        assert _choices(build_parser([command_name(module)])) == [command_name(module)], module


def test_the_full_help_and_an_unknown_command_still_see_every_command() -> None:
    everything = [command_name(m) for m in COMMAND_MODULES]
    assert _choices(build_parser(["--help"])) == everything
    assert _choices(build_parser(["--db", "x.db", "no-such-command"])) == everything
    assert _choices(build_parser(["--db", "x.db", "import", "a.xlsx"])) == ["import"]


def test_a_dry_run_import_loads_neither_openpyxl_nor_qt_nor_matplotlib() -> None:
    code = (
        "import sys\nfrom app.cli import build_parser\n"
        "build_parser(['import', '--dry-run', 'x.xlsx']).parse_args(['import', '--dry-run', 'x.xlsx'])\n"
        "print(sorted(m for m in ('openpyxl', 'PySide6', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
