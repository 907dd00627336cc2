"""Which files a batch of returns is, and reading them one after another ahead of the ledger check.

Nothing here touches the database or imports SQLAlchemy: `taizhang import` starts reading the first file before
it imports the ledger's code and opens the database, and the preview checks file *n* against the ledger while
file *n + 1* is being read. python-calamine releases the interpreter lock while it decompresses and parses a
workbook, so that read and the Python work beside it (imports, loading the ledger, checking the previous file)
overlap on a machine with more than one core; the results are the same as reading first and checking after.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from app.returns.parsed import ParsedReturn, Problem
from app.returns.reading import READER_STARTING

log = logging.getLogger("taizhang.returns")

RETURN_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".ods", ".et")
# Files a folder may hold beside the returns, and why each is not read (the clerk is told, never silently).
_NOT_READ = {
    ".xlsb": "Excel 二进制工作簿（.xlsb）暂不支持，请另存为 .xlsx",
    ".ett": "WPS 表格模板，不是报表，请另存为 .xlsx",
    ".xltx": "Excel 模板，不是报表",
    ".numbers": "苹果 Numbers 表格，请导出为 .xlsx",
    ".pdf": "PDF 文件，不是 Excel 表格，请向该单位索要 Excel 原表",
    ".doc": "Word 文档，不是 Excel 表格",
    ".docx": "Word 文档，不是 Excel 表格",
    ".wps": "WPS 文字文档，不是表格",
    ".zip": "压缩包，请先解压再选择其中的报表",
    ".rar": "压缩包，请先解压再选择其中的报表",
    ".7z": "压缩包，请先解压再选择其中的报表",
}


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Files to import from files and folders (a folder's own spreadsheets, sorted); also what was not found."""
    files: list[Path] = []
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in RETURN_SUFFIXES and not p.name.startswith(("~$", "."))
            )
            if not found:
                missing.append(f"文件夹 {path} 中没有报表文件（.xlsx、.xlsm、.xls、.csv、.ods、.et）")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            missing.append(f"找不到文件：{path}")
    unique: list[Path] = []
    seen: set[Path] = set()
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, missing


def unread_files(paths: Iterable[str | Path]) -> list[str]:
    """Every entry of the given folders that an import does not read, each with the reason, one a line."""
    lines: list[str] = []
    for raw in paths:
        folder = Path(raw)
        if not folder.is_dir():
            continue
        for p in sorted(folder.iterdir()):
            if p.is_dir():
                reason = "子文件夹，其中的文件未读取（如需导入，请单独选择该文件夹）"
            elif p.name.startswith("~$"):
                reason = "Excel/WPS 打开文件时留下的临时文件，不是报表"
            elif p.name.startswith("."):
                reason = "隐藏的系统文件"
            elif p.suffix.lower() in RETURN_SUFFIXES:
                continue
            else:
                reason = _NOT_READ.get(p.suffix.lower(), f"不是报表文件（扩展名 {p.suffix or '（无）'}）")
            lines.append(f"未读取：{p.name}（{reason}）")
    return lines


def parse_file(
    path: Path,
    *,
    department: str | None = None,
    period: str | None = None,
    fallback: tuple[str | None, str | None] = (None, None),
    column_choices: Mapping[tuple[str, str], str] | None = None,
) -> ParsedReturn:
    """Read one file with the parsing stages; a bug in them becomes an error Problem, not a crash of the batch."""
    from app.returns.parse import parse_return  # here: a start that never imports reads nothing of it

    try:
        return parse_return(
            path,
            department=department,
            period=period,
            fallback_department=fallback[0],
            fallback_period=fallback[1],
            column_choices=column_choices,
        )
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others; logged with its traceback
        log.exception("parse_return failed on %s", path)
        return ParsedReturn(
            path=path, problems=[Problem(path.name, f"读取文件时出现意外错误，未导入：{type(exc).__name__}: {exc}")]
        )


@dataclass(frozen=True)
class ReadJob:
    """One file of a batch and what the clerk chose for it (see parse_file)."""

    path: Path
    department: str | None = None
    period: str | None = None
    fallback: tuple[str | None, str | None] = (None, None)
    column_choices: Mapping[tuple[str, str], str] | None = None


class ReadAhead:
    """Files parsed in order on one background thread, each handed out as soon as it is read.

    One thread, so files are read one at a time as before (memory stays that of one workbook being read) and
    in the batch's order; iterating yields them in that order. ``close()`` cancels what has not started (a
    failed check does not leave the rest of a folder being read behind it). The thread is a daemon: a clerk's
    Ctrl+C or closed window ends the process at once instead of waiting for a file nobody will look at (reading
    writes nothing, so nothing is left half-done).
    """

    def __init__(self, jobs: Sequence[ReadJob]) -> None:
        self.jobs = list(jobs)
        self._futures: list[Future[ParsedReturn]] = [Future() for _ in self.jobs]
        self._first_reading = threading.Event()
        self._thread = threading.Thread(target=self._read_all, name="taizhang-read-ahead", daemon=True)
        self._thread.start()

    def _read_all(self) -> None:
        READER_STARTING.set(self._first_reading.set)  # this thread's own context: other readers are not told
        try:
            for job, future in zip(self.jobs, self._futures, strict=True):
                if not future.set_running_or_notify_cancel():
                    continue  # closed: the rest were cancelled
                try:
                    future.set_result(_read(job))
                except BaseException as exc:  # noqa: BLE001 - handed to the consumer, who re-raises it
                    future.set_exception(exc)
                finally:
                    self._first_reading.set()  # a file read without calamine (CSV, refused) has no such moment
        finally:
            self._first_reading.set()

    def wait_first_reading(self) -> None:
        """Return once the first file's own checks are done and its reader is running (or the file is done).

        The bounds check is Python work that holds the interpreter lock; calamine's read mostly does not. Work
        the caller does meanwhile (imports, loading the ledger) would slow the check down on the read's own
        critical path; started after it, the same work overlaps the read on a second core. Waits in short
        steps so that Ctrl+C still ends a wait on Windows, where a lock acquired without timeout ignores it.
        """
        while not self._first_reading.wait(0.05):
            pass

    def __iter__(self) -> Iterator[ParsedReturn]:
        try:
            for future in self._futures:
                yield future.result()
        finally:
            self.close()

    def close(self) -> None:
        for future in self._futures:
            future.cancel()


def read_ahead(
    paths: Iterable[str | Path],
    *,
    department: str | None = None,
    period: str | None = None,
    overrides: Mapping[Path, tuple[str | None, str | None]] | None = None,
    fallback: tuple[str | None, str | None] = (None, None),
    column_choices: Mapping[Path, Mapping[tuple[str, str], str]] | None = None,
) -> ReadAhead:
    """Start reading every file of ``paths`` (folders expanded) in the background; see preview for the options."""
    files, _missing = collect_files(paths)
    chosen = {Path(p).resolve(): v for p, v in (overrides or {}).items()}
    choices = {Path(p).resolve(): c for p, c in (column_choices or {}).items()}
    jobs: list[ReadJob] = []
    for path in files:
        key = path.resolve()
        dept, per = chosen.get(key, (None, None))
        jobs.append(ReadJob(path, dept or department, per or period, fallback, choices.get(key) or None))
    return ReadAhead(jobs)


def _read(job: ReadJob) -> ParsedReturn:
    # parse_file is looked up at each call, not bound once: tests replace it on this module.
    # Keeps parse_file's plain call shape when nothing extra is chosen (tests replace parse_file with small fakes).
    extra: dict[str, object] = {}
    if any(job.fallback):
        extra["fallback"] = job.fallback
    if job.column_choices:
        extra["column_choices"] = job.column_choices
    return parse_file(job.path, department=job.department, period=job.period, **extra)  # type: ignore[arg-type]
