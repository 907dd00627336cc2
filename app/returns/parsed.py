"""What the reading stages hand to validation and commit: problems and parsed rows, as plain values.

This is the contract between `app.returns.parse` (file → ParsedReturn, never raises for bad input) and
`app.returns.commit` / `app.services.returns` (ParsedReturn → database, one transaction per file).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

CellValue = str | float | int | date | None


class Severity(StrEnum):
    ERROR = "error"  # blocks the file
    WARNING = "warning"  # shown; the clerk confirms (CLI: printed; --strict makes it an error)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    file: str  # file name as the clerk knows it (no folder)
    message: str  # plain Chinese, says what is wrong and what to do
    severity: Severity = Severity.ERROR
    sheet: str = ""
    row: int | None = None  # 1-based, as Excel shows it
    column: str = ""  # Excel letter (C) or the header text when no letter applies
    code: str = ""  # what kind of problem, where a window acts on it (UNMAPPED_COLUMN)

    def where(self) -> str:
        """'文件 a.xlsx，工作表 项目进展，第 7 行，C 列' — only the parts known."""
        parts = [f"文件 {self.file}"]
        if self.sheet:
            parts.append(f"工作表 {self.sheet}")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"{self.column} 列")
        return "，".join(parts)

    def describe(self) -> str:
        label = "错误" if self.severity is Severity.ERROR else "警告"
        return f"[{label}] {self.where()}：{self.message}"


UNMAPPED_COLUMN = "unmapped_column"  # a column with content the importer cannot place: the clerk maps or ignores it
MAX_LISTED = 200  # problems listed per file; beyond this a file is plainly the wrong one


def cap_problems(
    problems: list[Problem], limit: int = MAX_LISTED, *, unlisted_errors: int = 0, unlisted_warnings: int = 0
) -> list[Problem]:
    """The first ``limit`` problems and one line saying how many more there are (errors stay errors).

    ``unlisted_*``: problems found after the list was already past ``limit`` and only counted, not written.
    """
    unlisted = unlisted_errors + unlisted_warnings
    if len(problems) + unlisted <= limit + 1:
        return problems
    kept, dropped = problems[:limit], problems[limit:]
    errors = sum(1 for p in dropped if p.severity is Severity.ERROR) + unlisted_errors
    severity = Severity.ERROR if errors else Severity.WARNING
    message = (
        f"另有 {len(dropped) + unlisted} 条问题未逐条列出（其中错误 {errors} 条，共 {len(problems) + unlisted} 条）；"
        "请核对是否发错了文件或改动了表格结构"
    )
    return [*kept, Problem(problems[0].file, message, severity)]


class RowTexts:
    """What a sheet's rows say as written, made into each row's dict only when one is first asked for.

    A 50,000-row return's progress rows are checked and imported from their values; the texts as written are
    read only by the checks of a few small sheets and by the ledger import. Built for every row, the dicts (and
    the texts of number columns) cost a tenth of the whole parse. ``build`` makes every row's dict at once, in
    row order; it runs once, on the first request.
    """

    __slots__ = ("_build", "_dicts")

    def __init__(self, build: Callable[[], list[dict[str, str]]]) -> None:
        self._build: Callable[[], list[dict[str, str]]] | None = build
        self._dicts: list[dict[str, str]] = []

    def row(self, index: int) -> dict[str, str]:
        if self._build is not None:
            self._dicts, self._build = self._build(), None
        return self._dicts[index]


class ParsedRow:
    """One data row of a sheet, its values converted to the field's kind (see app.returns.fields).

    ``sheet``: the sheet's name in the file; ``row``: 1-based Excel row; ``values``: field name → converted
    value (absent/blank fields are absent); ``raw``: field name → the cell's text as written; ``columns``: field
    name → Excel column letter (may be shared by every row of a sheet). ``raw`` may be given as (RowTexts, index)
    by the reader: it is then made on first use (see RowTexts).
    """

    __slots__ = ("sheet", "row", "values", "_raw", "columns")

    def __init__(
        self,
        sheet: str,
        row: int,
        values: dict[str, CellValue],
        raw: dict[str, str] | tuple[RowTexts, int] | None = None,
        columns: Mapping[str, str] | None = None,
    ) -> None:
        self.sheet = sheet
        self.row = row
        self.values = values
        self._raw = {} if raw is None else raw
        self.columns: Mapping[str, str] = {} if columns is None else columns

    @property
    def raw(self) -> dict[str, str]:
        raw = self._raw
        if type(raw) is tuple:
            texts, index = raw
            raw = self._raw = texts.row(index)
        return raw  # type: ignore[return-value]

    def _key(self) -> tuple[object, ...]:
        return (self.sheet, self.row, self.values, self.raw, self.columns)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    def __repr__(self) -> str:
        return (
            f"ParsedRow(sheet={self.sheet!r}, row={self.row!r}, values={self.values!r}, raw={self.raw!r}, "
            f"columns={self.columns!r})"
        )


@dataclass
class ParsedReturn:
    """Everything read from one file, before anything touches the database."""

    path: Path
    sha256: str = ""
    department: str | None = None  # as written (alias resolution happens in validation)
    department_source: str = ""  # meta / title / filename / argument
    period_key: str | None = None  # 2025-Q3 …
    period_source: str = ""
    template_version: str | None = None
    # What each place in the file says (meta / title / filename → text or period key): validation checks
    # them against each other and against the chosen one, so no disagreement passes unsaid.
    department_claims: dict[str, str] = field(default_factory=dict)
    period_claims: dict[str, str] = field(default_factory=dict)
    # Unknown columns with content: (sheet name, header as written, sheet spec key, column letter).
    unmapped_columns: list[tuple[str, str, str, str]] = field(default_factory=list)
    rows: dict[str, list[ParsedRow]] = field(default_factory=dict)  # SheetSpec.key → rows
    problems: list[Problem] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]
