"""Read a return file into plain grids of cells, one per sheet, refusing unsafe or unreadable files first.

Order of work: look at the bytes (size, magic number, zip directory and CRCs, OLE streams) and refuse what
is hostile or not a spreadsheet, then read with python-calamine (fast; also gives merged ranges and sheet
visibility), with xlrd as the fallback for the old BIFF files calamine does not open. Hidden rows and
formulas without cached values are not exposed by calamine; for .xlsx they are found by a regular-expression
pass over the sheet XML (0.27 s CPU for 50,000 rows × 15 columns), for .xls hidden rows come from xlrd.
CSV (UTF-8 with or without BOM, GBK/GB18030, UTF-16) is read with the csv module; HTML tables and Excel 2003
XML saved as .xls by web systems are read by app.returns.read_markup. See docs/benchmarks/returns-parse.md.
Every failure is returned as a Problem with a Chinese reason; nothing here raises for bad input.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET

from app.returns.bounds import Refused, scan_ods_content, scan_sheet, scan_text_part
from app.returns.bounds import column_index as column_index
from app.returns.parsed import Problem, Severity
from app.returns.reading import READER_STARTING
from app.storage.files import read_error_message

Cell = Any  # str | float | int | bool | date | datetime | time | timedelta | None; "" is blank


@dataclass(frozen=True)
class Limits:
    """Bounds checked before anything is loaded; a return far beyond them is not a return."""

    max_bytes: int = 50 * 1024 * 1024  # a 50,000-row return is ~4 MB as .xlsx
    max_zip_entries: int = 5_000
    max_uncompressed: int = 600 * 1024 * 1024
    max_ratio: float = 200.0  # spreadsheet XML compresses 10–40×; zip bombs ~1000×
    max_cells: int = 5_000_000  # per file: 50,000 rows × 15 columns is 750,000
    # Text of all shared strings and inline strings, counted from the stream: a 50,000-row return has ~5 MB.
    max_text_bytes: int = 100 * 1024 * 1024


DEFAULT_LIMITS = Limits()


@dataclass
class SheetGrid:
    """One sheet as values: ``rows[r][c]`` is Excel row r+1, column c+1 (blank cells are "" or None)."""

    name: str
    rows: list[list[Cell]]
    hidden: bool = False  # hidden or very hidden sheet
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 (0-based, inclusive)
    hidden_rows: set[int] = field(default_factory=set)  # 0-based row indexes
    uncached_formulas: set[tuple[int, int]] = field(default_factory=set)  # (row, col) 0-based
    date1904: bool = False
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)  # (first, last) 0-based, inclusive
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # text of the uncached formulas


@dataclass
class Workbook:
    """What a reader produced for one file: the sheets, which reader and which format."""

    path: Path
    format: str  # xlsx / xls / csv
    reader: str  # calamine / xlrd / csv
    sheets: list[SheetGrid] = field(default_factory=list)


@dataclass
class ReadResult:
    """A workbook, or the problems that stopped it being read (and warnings found on the way)."""

    workbook: Workbook | None
    problems: list[Problem] = field(default_factory=list)


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
# A bare BIFF2–BIFF4 stream begins with a BOF record: 0x0009/0x0209/0x0409 then its length.
_BIFF_BOF = (b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08")
_SAVE_AS = "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入"
_ENCRYPTED = "工作簿设置了打开密码（已加密），无法读取；请取消密码后重新保存再发送"
_BAD_ENCODING = "CSV 文件的文字编码无法识别（应为 UTF-8 或 GBK）；请用 Excel 另存为 .xlsx"


def _problem(path: Path, message: str, severity: Severity = Severity.ERROR, sheet: str = "") -> Problem:
    return Problem(file=path.name, message=message, severity=severity, sheet=sheet)


def sniff_format(head: bytes, suffix: str) -> str:
    """Name the real format from the first bytes: xlsx-zip, ole, biff, csv, html, pdf, empty or unknown."""
    if not head:
        return "empty"
    if head.startswith(_ZIP_MAGIC) or head.startswith(_EMPTY_ZIP_MAGIC):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head[:2] in _BIFF_BOF and suffix == ".xls":
        return "biff"
    if head.startswith(b"%PDF"):
        return "pdf"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "spreadsheetml"
    if stripped.startswith((b"<html", b"<!doctype html", b"<table", b"<meta", b"<head")) or (
        stripped.startswith(b"<?xml") and b"<html" in stripped
    ):
        return "html"
    if stripped.startswith((b"<?xml", b"mime-version")):
        return "markup"
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "unknown"
    return "text"


def read_workbook(path: Path, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    """Read ``path`` safely into grids; never raises for a bad file, never loads one beyond ``limits``."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return ReadResult(None, [_problem(path, read_error_message(path, exc))])
    if size > limits.max_bytes:
        mb = limits.max_bytes // (1024 * 1024)
        return ReadResult(None, [_problem(path, f"文件过大（{size / 1048576:.1f} MB，上限 {mb} MB），不像是一份报表")])
    try:
        with path.open("rb") as fh:
            data = fh.read()
    except OSError as exc:
        return ReadResult(None, [_problem(path, read_error_message(path, exc))])
    suffix = path.suffix.lower()
    result = _read_kind(path, data, suffix, limits)
    if suffix == ".et" and result.workbook is None:
        # WPS's own format: readable when WPS saved it Excel-compatible, else only WPS opens it.
        reason = "这是 WPS 表格文件（.et），本程序无法读取其内容；请在 WPS 中“另存为” Excel 工作簿（.xlsx）后再发送"
        return ReadResult(None, [_problem(path, reason)])
    return result


def _read_kind(path: Path, data: bytes, suffix: str, limits: Limits) -> ReadResult:
    kind = sniff_format(data[:8192], suffix)
    try:
        if kind == "empty":
            return ReadResult(None, [_problem(path, "文件是空的（0 字节），请重新保存后再发送")])
        if kind == "zip":
            return _read_zip(path, data, limits)
        if kind == "ole":
            return _read_ole(path, data, limits)
        if kind == "biff":
            return _read_xlrd(path, data, limits)
        if kind == "pdf":
            return ReadResult(None, [_problem(path, "这是 PDF 文件，不是 Excel 表格；请发送 Excel 原表")])
        if kind in ("html", "spreadsheetml"):
            return _read_markup(path, data, kind, limits)
        if kind == "markup":
            msg = f"这是网页存档或 XML 文件，不是 Excel 表格（扩展名为 {suffix or '（无）'}）；{_SAVE_AS}"
            return ReadResult(None, [_problem(path, msg)])
        if kind == "text":
            if suffix in (".csv", ".txt", ".tsv"):
                return _read_csv(path, data, limits)
            if _looks_tabular(data):
                # Systems and some clerks save CSV text under an .xls/.xlsx name; read it, and say so.
                result = _read_csv(path, data, limits)
                if result.workbook is not None:
                    note = f"文件实际是 CSV 文本（扩展名为 {suffix}），已按 CSV 读取；请核对数字和日期是否正确"
                    result.problems.append(_problem(path, note, Severity.WARNING))
                    return result
            msg = f"文件内容是纯文本，不是 Excel 工作簿（扩展名为 {suffix or '（无）'}）；如是 CSV，请把扩展名改为 .csv"
            return ReadResult(None, [_problem(path, msg)])
        return ReadResult(None, [_problem(path, f"无法识别的文件格式（不是 Excel、WPS 或 CSV 文件）；{_SAVE_AS}")])
    except MemoryError:
        return ReadResult(None, [_problem(path, "文件内容过大，无法读取")])
    except Exception as exc:  # noqa: BLE001 — any reader failure on hostile input is a refusal, not a crash
        message = f"文件已损坏或格式不受支持，无法读取（{type(exc).__name__}）；{_SAVE_AS}"
        return ReadResult(None, [_problem(path, message)])


# ---------------------------------------------------------------- zip (xlsx, xlsm; refuse xlsb, ods)


def _zip_name(info: zipfile.ZipInfo) -> str:
    return info.filename.replace("\\", "/").lstrip("/").lower()


def _read_zip(path: Path, data: bytes, limits: Limits) -> ReadResult:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return ReadResult(None, [_problem(path, f"文件已损坏（压缩包结构不完整），无法打开；{_SAVE_AS}")])
    if len(infos) > limits.max_zip_entries:
        return ReadResult(None, [_problem(path, f"文件内部条目过多（{len(infos)} 个），疑似恶意文件，已拒绝")])
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed:
        return ReadResult(None, [_problem(path, f"文件解压后过大（{total / 1048576:.0f} MB），疑似压缩炸弹，已拒绝")])
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            return ReadResult(None, [_problem(path, f"文件压缩比异常（{ratio:.0f} 倍），疑似压缩炸弹，已拒绝")])
    names = {_zip_name(i): i for i in infos}
    if "xl/workbook.bin" in names:
        return ReadResult(None, [_problem(path, f"这是 Excel 二进制工作簿（.xlsb），暂不支持；{_SAVE_AS}")])
    if "content.xml" in names and "mimetype" in names:
        return _read_ods(path, data, archive, names, limits)
    if "word/document.xml" in names:
        return ReadResult(None, [_problem(path, "这是 Word 文档，不是 Excel 表格；请发送 Excel 原表")])
    if not any(n.endswith("workbook.xml") for n in names):
        return ReadResult(None, [_problem(path, f"压缩文件中没有 Excel 工作簿，不是 Excel 文件；{_SAVE_AS}")])
    extras = _scan_xlsx(archive, names, limits)
    if isinstance(extras, Problem):
        return ReadResult(None, [_problem(path, extras.message)])
    return _read_calamine(path, data, "xlsx", limits, extras)


def _read_ods(
    path: Path, data: bytes, archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], limits: Limits
) -> ReadResult:
    """OpenDocument spreadsheets (LibreOffice, WPS 另存为 .ods): bounded from the stream, read by calamine."""
    if b"spreadsheet" not in archive.read(names["mimetype"])[:200]:
        return ReadResult(None, [_problem(path, f"这是 OpenDocument 文档，但不是表格；{_SAVE_AS}")])
    try:
        for name, info in names.items():
            with archive.open(info) as stream:
                if name == "content.xml":
                    scan_ods_content(stream, limits.max_cells, limits.max_text_bytes)
                elif name.endswith(".xml"):
                    scan_text_part(stream, limits.max_text_bytes)
    except Refused as exc:
        return ReadResult(None, [_problem(path, str(exc.args[0]))])
    except (zipfile.BadZipFile, zlib.error, EOFError):
        return ReadResult(None, [_problem(path, f"文件已损坏（压缩数据校验失败），可能下载不完整或被篡改；{_SAVE_AS}")])
    result = _read_calamine(path, data, "ods", limits, {})
    if result.workbook is not None:
        note = "文件是 OpenDocument 表格（.ods），已读取；隐藏行和合并单元格无法识别，请核对"
        result.problems.append(_problem(path, note, Severity.WARNING))
    return result


@dataclass
class _SheetExtras:
    hidden_rows: set[int] = field(default_factory=set)
    uncached: set[tuple[int, int]] = field(default_factory=set)
    cells_estimate: int = 0
    date1904: bool = False  # serials that calamine leaves as numbers count from 1904 (old Mac Excel)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)


def column_letter(index: int) -> str:
    """Excel column name of a 0-based index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _sheet_paths(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    """Sheet name → its XML part, from workbook.xml and its relationships (parsed with defusedxml)."""
    wb_name = next((n for n in names if n.endswith("workbook.xml")), None)
    if wb_name is None:
        return {}
    rels_name = wb_name.rsplit("/", 1)[0] + "/_rels/workbook.xml.rels"
    if rels_name not in names:
        return {}
    workbook = SafeET.fromstring(archive.read(names[wb_name]))
    rels = SafeET.fromstring(archive.read(names[rels_name]))
    targets = {}
    for rel in rels:
        target = (rel.get("Target") or "").replace("\\", "/")
        target = target.lstrip("/") if target.startswith("/") else wb_name.rsplit("/", 1)[0] + "/" + target
        targets[rel.get("Id")] = target.lower()
    result = {}
    for el in workbook.iter():
        if el.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
        target = targets.get(rid)
        if target and target in names and el.get("name"):
            result[el.get("name") or ""] = names[target]
    return result


def _scan_xlsx(
    archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], limits: Limits
) -> dict[str, _SheetExtras] | Problem:
    """Hidden rows, uncached formulas and a cell-count estimate per sheet, before calamine loads anything.

    Every XML part is decompressed here through zipfile, which stops at the declared size and checks the
    CRC: an entry that lies about its size (a zip bomb aimed at the reader) fails here, before calamine.
    """
    try:
        return _scan_parts(archive, names, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        return Problem(file="", message=f"文件已损坏（压缩数据校验失败），可能下载不完整或被篡改；{_SAVE_AS}")


def _scan_parts(
    archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], limits: Limits
) -> dict[str, _SheetExtras] | Problem:
    try:
        parts = _sheet_paths(archive, names)
    except Exception:  # noqa: BLE001 — unusual or hostile workbook.xml: still bound every worksheet part
        parts = {}
    if not parts:
        parts = {f"#{n}": i for n, i in names.items() if "worksheets/" in n and n.endswith(".xml")}
    sheet_parts = {id(i) for i in parts.values()}
    text_bytes = 0
    try:
        for name, info in names.items():
            if id(info) not in sheet_parts and name.endswith((".xml", ".rels")):
                # Shared strings and every other part: streamed and counted, never held whole.
                with archive.open(info) as stream:
                    text_bytes += scan_text_part(stream, limits.max_text_bytes - text_bytes)
        wb_name = next((n for n in names if n.endswith("workbook.xml")), "")
        head = archive.read(names[wb_name])[:65536] if wb_name else b""
        date1904 = b'date1904="1"' in head or b'date1904="true"' in head
        extras: dict[str, _SheetExtras] = {}
        total_cells = 0
        for sheet_name, info in parts.items():
            with archive.open(info) as stream:
                scan = scan_sheet(stream, limits.max_cells - total_cells, limits.max_uncompressed)
            text_bytes += scan.inline_text_bytes
            if text_bytes > limits.max_text_bytes:
                raise Refused(
                    f"工作簿中的文字总量过大（超过 {limits.max_text_bytes // 1048576} MB），不像是一份报表，已拒绝"
                )
            found = _SheetExtras(
                hidden_rows=scan.hidden_rows,
                uncached=set(scan.uncached),
                formulas=scan.uncached,
                cells_estimate=scan.extent,
                date1904=date1904,
                hidden_columns=scan.hidden_columns,
            )
            total_cells += scan.extent
            if total_cells > limits.max_cells:
                return Problem(
                    file="",
                    message=f"表格范围过大（约 {total_cells:,} 个单元格，上限 {limits.max_cells:,}），"
                    "不像是一份报表，已拒绝",
                )
            extras[sheet_name] = found
    except Refused as exc:
        return Problem(file="", message=str(exc.args[0]))
    return extras


# ---------------------------------------------------------------- OLE (xls, encrypted xlsx)


def _read_ole(path: Path, data: bytes, limits: Limits) -> ReadResult:
    # Directory entry names are UTF-16LE; an encrypted OOXML package has these two streams.
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return ReadResult(None, [_problem(path, _ENCRYPTED)])
    result = _read_calamine(path, data, "xls", limits, {})
    if result.workbook is None:
        # calamine cannot tell an RC4-encrypted .xls from garbage when reading from memory; xlrd can, and
        # it also opens a few damaged files calamine refuses.
        return _read_xlrd(path, data, limits)
    _add_xls_hidden_rows(result.workbook, data)
    return result


class _Sink(io.StringIO):
    """Where xlrd's diagnostics go: it prints warnings about damaged files to stdout otherwise."""

    def write(self, text: str) -> int:
        return len(text)


_SINK = _Sink()


# A BIFF8 ROW record: type 0x0208, length 16; its option flags (bytes 12–13 of the body) have 0x20 set for
# a hidden row. Searching the raw file for them is a cheap pre-check (records may straddle a 512-byte OLE
# sector, so a rare hidden row goes unseen; it then only misses its warning).
_BIFF_ROW_RE = re.compile(rb"\x08\x02\x10\x00.{12}(.)", re.DOTALL)


def _may_have_hidden_rows(data: bytes) -> bool:
    return any(flags[0] & 0x20 for flags in _BIFF_ROW_RE.findall(data))


def _add_xls_hidden_rows(workbook: Workbook, data: bytes) -> None:
    """Hidden rows of an .xls come from xlrd's formatting info (calamine does not expose them).

    xlrd with formatting info costs ~0.9 s for 50,000 rows, so it runs only when the pre-check finds a
    hidden ROW record.
    """
    import xlrd

    if not _may_have_hidden_rows(data):
        return

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True, logfile=_SINK)
    except Exception:  # noqa: BLE001 — calamine already read the values; hidden rows are a refinement
        return
    try:
        by_name = {s.name: s for s in workbook.sheets}
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            grid = by_name.get(sheet.name)
            if grid is not None:
                grid.hidden_rows = {r for r, info in sheet.rowinfo_map.items() if info.hidden}
            book.unload_sheet(index)
    except Exception:  # noqa: BLE001
        return
    finally:
        book.release_resources()


def _read_xlrd(path: Path, data: bytes, limits: Limits) -> ReadResult:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=False, logfile=_SINK)
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            return ReadResult(None, [_problem(path, _ENCRYPTED)])
        return ReadResult(None, [_problem(path, f"文件已损坏或不是有效的 Excel 97-2003 文件；{_SAVE_AS}")])
    except Exception:  # noqa: BLE001 — xlrd raises AssertionError and others on damaged files
        return ReadResult(None, [_problem(path, f"文件已损坏，无法读取；{_SAVE_AS}")])
    workbook = Workbook(path, "xls", "xlrd")
    cells = 0
    for sheet in book.sheets():
        cells += sheet.nrows * sheet.ncols
        if cells > limits.max_cells:
            return ReadResult(None, [_problem(path, f"表格范围过大（超过 {limits.max_cells:,} 个单元格），已拒绝")])
        rows: list[list[Cell]] = []
        for r in range(sheet.nrows):
            row: list[Cell] = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                    except Exception:  # noqa: BLE001
                        row.append(cell.value)
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    row.append("")
                else:
                    row.append(cell.value)
            rows.append(row)
        merged = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
        workbook.sheets.append(
            SheetGrid(sheet.name, rows, hidden=sheet.visibility != 0, merged=merged, date1904=book.datemode == 1)
        )
    return ReadResult(workbook)


# ---------------------------------------------------------------- calamine


def _read_calamine(path: Path, data: bytes, fmt: str, limits: Limits, extras: dict[str, _SheetExtras]) -> ReadResult:
    import python_calamine as pc

    starting = READER_STARTING.get()
    if starting is not None:
        starting()
    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        return ReadResult(None, [_problem(path, _ENCRYPTED)])
    except Exception:  # noqa: BLE001 — CalamineError, ZipError, XmlError … on damaged files
        return ReadResult(None, [_problem(path, f"文件已损坏，无法读取；{_SAVE_AS}")])
    workbook = Workbook(path, fmt, "calamine")
    problems: list[Problem] = []
    cells = 0
    try:
        for meta in book.sheets_metadata:
            if str(meta.typ).rsplit(".", 1)[-1] not in ("WorkSheet", "0"):
                continue  # chart sheets, dialog sheets and macros hold no rows
            hidden = str(meta.visible).rsplit(".", 1)[-1] != "Visible"
            try:
                sheet = book.get_sheet_by_name(meta.name)
            except Exception:  # noqa: BLE001
                problems.append(_problem(path, "该工作表已损坏，无法读取", Severity.WARNING, meta.name))
                continue
            height, width = sheet.total_height, sheet.total_width
            cells += height * width
            if cells > limits.max_cells:
                return ReadResult(None, [_problem(path, f"表格范围过大（超过 {limits.max_cells:,} 个单元格），已拒绝")])
            rows = sheet.to_python(skip_empty_area=False)
            merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
            found = extras.get(meta.name, _SheetExtras())
            workbook.sheets.append(
                SheetGrid(
                    meta.name,
                    rows,
                    hidden=hidden,
                    merged=merged,
                    hidden_rows=found.hidden_rows,
                    uncached_formulas=found.uncached,
                    date1904=found.date1904,
                    hidden_columns=found.hidden_columns,
                    formulas=found.formulas,
                )
            )
    finally:
        book.close()
    return ReadResult(workbook, problems)


# ---------------------------------------------------------------- HTML and XML Spreadsheet 2003


def _read_markup(path: Path, data: bytes, kind: str, limits: Limits) -> ReadResult:
    from app.returns.read_markup import TooLarge, read_html_tables, read_spreadsheetml

    try:
        if kind == "spreadsheetml":
            sheets, reader, label = (
                read_spreadsheetml(data, limits.max_cells),
                "spreadsheetml",
                "XML 表格（Excel 2003）",
            )
        else:
            decoded = decode_text(data)
            if decoded is None:
                return ReadResult(None, [_problem(path, f"网页格式文件的文字编码无法识别；{_SAVE_AS}")])
            sheets, reader, label = read_html_tables(decoded[0], path.stem, limits.max_cells), "html", "网页（HTML）"
    except TooLarge:
        return ReadResult(None, [_problem(path, f"表格范围过大（超过 {limits.max_cells:,} 个单元格），已拒绝")])
    except Exception:  # noqa: BLE001 — defusedxml refusals and malformed XML alike
        return ReadResult(
            None, [_problem(path, f"文件是{'XML' if kind == 'spreadsheetml' else '网页'}格式但已损坏；{_SAVE_AS}")]
        )
    if not sheets:
        return ReadResult(None, [_problem(path, f"这是网页（HTML）格式的文件，其中没有表格；{_SAVE_AS}")])
    note = (
        f"文件实际是{label}格式（扩展名为 {path.suffix.lower() or '（无）'}），已按表格读取；请核对数字和日期是否正确"
    )
    return ReadResult(Workbook(path, kind, reader, sheets), [_problem(path, note, Severity.WARNING)])


# ---------------------------------------------------------------- CSV

_ENCODINGS = ("utf-8-sig", "gb18030")


def decode_text(data: bytes) -> tuple[str, str] | None:
    """Decode CSV bytes as saved by Excel or WPS: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV: the one of , ; tab | that splits the first lines most consistently."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        return ","
    best, best_score = ",", -1.0
    for delimiter in (",", "\t", ";", "|"):
        counts = [len(next(csv.reader([line], delimiter=delimiter))) - 1 for line in lines]
        if max(counts) == 0:
            continue
        # Prefer a delimiter that appears in most lines, then the one that makes the most columns.
        share = sum(1 for c in counts if c > 0) / len(counts)
        score = share * 1000 + max(counts)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _looks_tabular(data: bytes) -> bool:
    """True when text splits into at least two columns on most of its first lines."""
    decoded = decode_text(data[:65536])
    if decoded is None:
        return False
    lines = [line for line in decoded[0].splitlines()[:20] if line.strip()]
    if len(lines) < 2:
        return False
    delimiter = sniff_delimiter(decoded[0])
    split = [len(next(csv.reader([line], delimiter=delimiter))) for line in lines]
    return sum(1 for n in split if n >= 2) >= max(2, len(lines) * 0.6)


def _read_csv(path: Path, data: bytes, limits: Limits) -> ReadResult:
    decoded = decode_text(data)
    if decoded is None:
        return ReadResult(None, [_problem(path, _BAD_ENCODING)])
    text, _encoding = decoded
    delimiter = sniff_delimiter(text)
    rows: list[list[Cell]] = []
    cells = 0
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            cells += len(record)
            if cells > limits.max_cells:
                return ReadResult(None, [_problem(path, f"表格范围过大（超过 {limits.max_cells:,} 个单元格），已拒绝")])
            rows.append(list(record))
    except csv.Error:
        return ReadResult(None, [_problem(path, "CSV 文件格式有误（引号不成对等），无法读取；请用 Excel 另存为 .xlsx")])
    workbook = Workbook(path, "csv", "csv", [SheetGrid(path.stem, rows)])
    return ReadResult(workbook)


def cell_text(value: Cell) -> str:
    """A cell as the text a clerk sees (dates as 2025-09-30, whole floats without .0)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)
