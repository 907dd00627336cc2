"""Reading files into grids, and refusing unsafe or unreadable files before they are loaded."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from app.returns.read import Limits, column_index, column_letter, read_workbook, sniff_delimiter
from tests.returns.workbooks import HEADERS, corpus_dir, simple_return

CORPUS = corpus_dir()
# These three read real encrypted/old files from the shared corpus (../shared/corpus), which cannot be built in
# code; where a clone has no corpus beside it they are skipped with this reason (pytest -ra prints it).
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not at {CORPUS}")


def only_message(result) -> str:  # type: ignore[no-untyped-def]
    assert result.workbook is None
    assert len(result.problems) == 1
    return result.problems[0].message


def test_openpyxl_runs_with_defusedxml() -> None:
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_xlsx_is_read_by_calamine(tmp_path: Path) -> None:
    path = simple_return(tmp_path / "a.xlsx", [["P1", "数据中心", 100, 10, 20, 0.5, None]])
    result = read_workbook(path)
    assert result.workbook is not None
    assert result.workbook.reader == "calamine"
    assert result.workbook.sheets[0].rows[1][1] == "数据中心"


def test_merged_ranges_and_hidden_sheets_are_reported(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "标题"
    ws.merge_cells("A1:D2")
    hidden = wb.create_sheet("_lists")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "x"
    wb.save(tmp_path / "m.xlsx")
    workbook = read_workbook(tmp_path / "m.xlsx").workbook
    assert workbook is not None
    assert workbook.sheets[0].merged == [(0, 0, 1, 3)]
    assert [s.hidden for s in workbook.sheets] == [False, True]


def test_hidden_rows_are_found(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(1, 6):
        ws.cell(r, 1, r)
    ws.row_dimensions[3].hidden = True
    wb.save(tmp_path / "h.xlsx")
    workbook = read_workbook(tmp_path / "h.xlsx").workbook
    assert workbook is not None and workbook.sheets[0].hidden_rows == {2}


def test_formulas_without_cached_values_are_found(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = 1
    ws["A2"] = 2
    ws["B3"] = "=SUM(A1:A2)"  # openpyxl writes no cached value
    wb.save(tmp_path / "f.xlsx")
    workbook = read_workbook(tmp_path / "f.xlsx").workbook
    assert workbook is not None and workbook.sheets[0].uncached_formulas == {(2, 1)}


def test_dates_come_back_as_datetimes(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = datetime(2025, 9, 30)
    wb.save(tmp_path / "d.xlsx")
    workbook = read_workbook(tmp_path / "d.xlsx").workbook
    assert workbook is not None and workbook.sheets[0].rows[0][0] in (datetime(2025, 9, 30), date(2025, 9, 30))


# ------------------------------------------------------------------ CSV


@pytest.mark.parametrize(("encoding", "prefix"), [("gbk", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-8", b"")])
def test_csv_in_gbk_and_utf8_with_or_without_bom(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(prefix + "项目名称,形象进度\r\n长春数据中心,60%\r\n".encode(encoding))
    workbook = read_workbook(path).workbook
    assert workbook is not None and workbook.reader == "csv"
    assert workbook.sheets[0].rows == [["项目名称", "形象进度"], ["长春数据中心", "60%"]]


def test_csv_with_semicolons_is_split_on_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text('项目名称;累计完成\n数据中心;"1,200"\n', encoding="utf-8")
    workbook = read_workbook(path).workbook
    assert workbook is not None and workbook.sheets[0].rows[1] == ["数据中心", "1,200"]


def test_delimiter_sniffing_prefers_tabs_when_every_line_has_them() -> None:
    assert sniff_delimiter("项目名称\t总投资\t进度\n数据中心\t1,200\t60%\n") == "\t"


def test_csv_in_an_unknown_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(b"\x81\x30\xff\xfe\x00\x81\xff" * 10)
    assert "编码" in only_message(read_workbook(path)) or "无法识别" in only_message(read_workbook(path))


# ------------------------------------------------------------------ refusals


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = simple_return(tmp_path / "big.xlsx", [["P1", "x", 1, 1, 1, 1, None]])
    assert "文件过大" in only_message(read_workbook(path, Limits(max_bytes=1000)))


def test_zip_bomb_is_refused_by_compression_ratio(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (5 * 1024 * 1024))
    assert "压缩炸弹" in only_message(read_workbook(path))


def test_zip_with_huge_total_size_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (2 * 1024 * 1024))
    assert "解压后过大" in only_message(read_workbook(path, Limits(max_uncompressed=1024 * 1024)))


def test_zip_with_too_many_entries_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(30):
            z.writestr(f"junk/{i}.xml", "x")
    assert "条目过多" in only_message(read_workbook(path, Limits(max_zip_entries=20)))


def test_sheet_beyond_the_cell_bound_is_refused_before_loading(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "x"
    ws["AZ5000"] = "far away"
    wb.save(tmp_path / "sparse.xlsx")
    assert "范围过大" in only_message(read_workbook(tmp_path / "sparse.xlsx", Limits(max_cells=100_000)))


def test_xml_entity_expansion_does_not_hang_or_crash(tmp_path: Path) -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">' for i in range(9))
        + "]>"
    )
    buffer = io.BytesIO()
    simple_return(tmp_path / "base.xlsx", [["P1", "x", 1, 1, 1, 1, None]])
    with zipfile.ZipFile(tmp_path / "base.xlsx") as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = laughs.encode() + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)
            dst.writestr(info, data)
    (tmp_path / "laughs.xlsx").write_bytes(buffer.getvalue())
    result = read_workbook(tmp_path / "laughs.xlsx")
    if result.workbook is None:
        assert result.problems and result.problems[0].message
    else:
        assert all("lollollol" not in str(row) for s in result.workbook.sheets for row in s.rows)


@needs_corpus
def test_encrypted_ooxml_is_refused_as_password_protected() -> None:
    result = read_workbook(CORPUS / "pycalamine__password.xlsx")
    assert "密码" in only_message(result)


@needs_corpus
def test_encrypted_xls_is_refused_as_password_protected() -> None:
    assert "密码" in only_message(read_workbook(CORPUS / "pycalamine__password.xls"))


def test_corrupt_xlsx_is_refused(tmp_path: Path) -> None:
    good = simple_return(tmp_path / "good.xlsx", [["P1", "x", 1, 1, 1, 1, None]])
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert "损坏" in only_message(read_workbook(bad))


def test_empty_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "e.xlsx").write_bytes(b"")
    assert "空的" in only_message(read_workbook(tmp_path / "e.xlsx"))


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"%PDF-1.7\n...", "PDF"),
        (b"<html><body><p>\xe6\x97\xa0</p></body></html>", "没有表格"),
        (b'<?xml version="1.0"?><note>x</note>', "XML"),
        (b"MIME-Version: 1.0\r\nContent-Type: multipart/related", "网页存档"),
        ("项目名称\n".encode("gbk"), "纯文本"),
        (b"\x00\x01\x02\x03binary garbage\x00", "无法识别"),
    ],
)
def test_non_excel_files_renamed_xlsx_are_refused(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "renamed.xlsx"
    path.write_bytes(content)
    assert fragment in only_message(read_workbook(path))


def test_word_document_renamed_xlsx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<document/>")
    assert "Word" in only_message(read_workbook(path))


def test_missing_file_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    assert "无法读取" in only_message(read_workbook(tmp_path / "nope.xlsx"))


@needs_corpus
def test_xls_saved_as_xlsx_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "really_xls.xlsx"
    path.write_bytes((CORPUS / "calamine__date.xls").read_bytes())
    result = read_workbook(path)
    assert result.workbook is not None and result.workbook.format == "xls"


def test_column_letters_round_trip() -> None:
    for index in (0, 25, 26, 701, 702, 16383):
        assert column_index(column_letter(index)) == index
    assert column_letter(27) == "AB"


def test_header_constant_matches_template_headers() -> None:
    from app.returns.fields import PROGRESS

    assert HEADERS[1] == PROGRESS.field("project_name").header


def test_hostile_sheet_xml_without_closing_brackets_is_answered_quickly(tmp_path: Path) -> None:
    path = simple_return(tmp_path / "base.xlsx", [["P1", "x", 1, 1, 1, 1, None]])
    hostile = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                # Varying numbers keep the compression ratio realistic, so the zip checks let it through.
                junk = b"".join(b'<row r="%d" hidden="0" <c r="AB%d" ' % (i, i) for i in range(40_000))
                data = data.replace(b"<sheetData>", b"<sheetData>" + junk)
            dst.writestr(info, data)
    started = time.process_time()  # CPU time: wall time on a loaded machine (or beside a test worker) varies
    result = read_workbook(hostile)
    assert time.process_time() - started < 5
    assert result.workbook is not None or "压缩" not in result.problems[0].message


def test_1904_date_system_is_recorded(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    wb.active["A1"] = 1
    wb.save(tmp_path / "mac.xlsx")
    workbook = read_workbook(tmp_path / "mac.xlsx").workbook
    assert workbook is not None and workbook.sheets[0].date1904 is True


def test_ole_container_holding_an_encrypted_package_is_refused_as_password_protected(tmp_path: Path) -> None:
    # What Excel writes for a workbook with an open password: an OLE container, not a zip, whose directory
    # names the EncryptionInfo and EncryptedPackage streams (names are UTF-16LE).
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    directory = "EncryptionInfo".encode("utf-16-le").ljust(128, b"\0")
    directory += "EncryptedPackage".encode("utf-16-le").ljust(128, b"\0")
    path = tmp_path / "locked.xlsx"
    path.write_bytes(header + directory + b"\0" * 1024)
    assert "密码" in only_message(read_workbook(path))


def test_csv_text_saved_under_an_xls_name_is_read_as_csv_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_bytes("项目名称,形象进度\r\n长春数据中心,60%\r\n吉林云平台,30%\r\n".encode("gbk"))
    result = read_workbook(path)
    assert result.workbook is not None and result.workbook.reader == "csv"
    assert [p.severity for p in result.problems] == ["warning"] and "CSV" in result.problems[0].message


def _declare_size(raw: bytearray, name: bytes, size: int) -> None:
    """Overwrite the uncompressed size zip headers declare for ``name`` (local and central directory)."""
    import struct

    at = raw.find(b"PK\x01\x02")
    while at != -1:
        length = struct.unpack("<H", raw[at + 28 : at + 30])[0]
        if bytes(raw[at + 46 : at + 46 + length]) == name:
            raw[at + 24 : at + 28] = struct.pack("<I", size)
        at = raw.find(b"PK\x01\x02", at + 4)
    at = raw.find(b"PK\x03\x04")
    while at != -1:
        length = struct.unpack("<H", raw[at + 26 : at + 28])[0]
        if bytes(raw[at + 30 : at + 30 + length]) == name:
            raw[at + 22 : at + 26] = struct.pack("<I", size)
        at = raw.find(b"PK\x03\x04", at + 4)


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/styles.xml"])
def test_zip_entry_lying_about_its_size_is_refused(tmp_path: Path, part: str) -> None:
    base = simple_return(tmp_path / "base.xlsx", [["P1", "x", 1, 1, 1, 1, None]])
    buffer = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                data = data[:-1] + b" " * (8 * 1024 * 1024) + data[-1:]  # inflates to 8 MB …
            dst.writestr(info.filename, data)
    raw = bytearray(buffer.getvalue())
    _declare_size(raw, part.encode(), 1000)  # … while declaring 1,000 bytes, so no size check sees it
    (tmp_path / "liar.xlsx").write_bytes(bytes(raw))
    assert "校验失败" in only_message(read_workbook(tmp_path / "liar.xlsx"))
