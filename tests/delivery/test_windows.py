"""Windows-only behaviour: real locked files, mapped drives, log rollover under a second holder, the report in
FangSong/SimHei/KaiTi. The tests marked `windows` run on the windows-latest CI job
(.github/workflows/windows.yml); the branch logic each relies on is also checked here on any platform with the
platform checks monkeypatched.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import string
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from openpyxl import Workbook

from app import paths
from app.returns.read import read_workbook
from app.returns.xlsx import save_workbook
from app.storage import files
from app.storage.db import journal_mode_for
from app.storage.errors import KnownError
from app.storage.files import LOCKED

windows = pytest.mark.skipif(sys.platform != "win32", reason="Windows only (runs on the windows-latest CI job)")


def _workbook() -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["部门", "项目"])
    return wb


# --- on any platform: the Windows branches with the platform checks monkeypatched ---------------------------


def test_a_drive_letter_mapped_to_a_share_gets_a_rollback_journal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths.sys, "platform", "win32")
    monkeypatch.setattr(paths, "_is_remote_drive", lambda drive: drive.upper() == "Y:")
    assert paths.is_network_path(r"Y:\台账 数据\taizhang.db")
    assert journal_mode_for(Path(r"Y:\台账 数据\taizhang.db")) == "DELETE"
    # A local or subst'ed drive keeps WAL.
    assert not paths.is_network_path(r"X:\台账\taizhang.db")
    assert journal_mode_for(Path(r"X:\台账\taizhang.db")) == "WAL"


def test_a_sharing_violation_is_locked_on_any_code_path(tmp_path: Path) -> None:
    exc = PermissionError(errno.EACCES, "The process cannot access the file")
    exc.winerror = 33  # type: ignore[attr-defined]  # ERROR_LOCK_VIOLATION (a byte-range lock)
    assert files.write_error_message(tmp_path / "汇总.xlsx", exc) == f"无法写入“汇总.xlsx”：{LOCKED}"
    assert files.read_error_message(tmp_path / "汇总.xlsx", exc) == f"无法读取“汇总.xlsx”：{LOCKED}"
    full = OSError(errno.EIO, "There is not enough space on the disk")
    full.winerror = 112  # type: ignore[attr-defined]  # ERROR_DISK_FULL
    assert "磁盘已满" in files.write_error_message(tmp_path / "汇总.xlsx", full)


def test_a_refused_replace_on_windows_is_told_apart_by_opening_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Windows says "access denied" both for a file another program holds and for a read-only file: the guard
    # opens the file to tell which. Held without sharing → a sharing violation on open → close it first.
    target = tmp_path / "汇总.xlsx"
    target.write_bytes(b"old")
    monkeypatch.setattr(files, "_is_windows", lambda: True)
    denied = PermissionError(errno.EACCES, "Access is denied")

    def opening_fails_with(winerror: int) -> None:
        def fake_open(*_args: object, **_kwargs: object) -> None:
            exc = PermissionError(errno.EACCES, "refused")
            exc.winerror = winerror  # type: ignore[attr-defined]
            raise exc

        monkeypatch.setattr(files, "open", fake_open, raising=False)

    opening_fails_with(32)  # ERROR_SHARING_VIOLATION: Excel has it open
    assert files.write_error_message(target, denied) == f"无法写入“汇总.xlsx”：{LOCKED}"
    opening_fails_with(5)  # ERROR_ACCESS_DENIED on open too: the file itself is read-only
    assert "没有写入权限" in files.write_error_message(target, denied)
    monkeypatch.delattr(files, "open")
    # Opens fine, yet the replace was refused: held by a program that shares writing but not deleting.
    assert files.write_error_message(target, denied).endswith(LOCKED)


def test_the_report_fonts_on_a_windows_pc_are_fangsong_simhei_and_kaiti(
    qapp, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # Linux has none of these fonts, so the choice is checked against the families a Chinese Windows 10/11 lists.
    from PySide6.QtGui import QFontDatabase

    from app.ui import typesetting

    windows_families = ["Arial", "FangSong", "KaiTi", "Microsoft YaHei", "SimHei", "SimSun", "仿宋", "楷体", "黑体"]
    monkeypatch.setattr(QFontDatabase, "families", staticmethod(lambda *_a: windows_families))
    chosen = typesetting.families()
    assert chosen.body in {"仿宋", "FangSong"}
    assert chosen.heading1 in {"黑体", "SimHei"}
    assert chosen.heading2 in {"楷体", "KaiTi"}
    assert chosen.song in {"宋体", "SimSun"} and chosen.sans == "Microsoft YaHei"


# --- on Windows only ---------------------------------------------------------------------------------------


@contextmanager
def held_exclusively(path: Path, share: int = 0) -> Iterator[None]:
    """Hold ``path`` open with ``share`` mode (0: as Excel does with a workbook it has open)."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.CreateFileW.restype = wintypes.HANDLE
    kernel32.CreateFileW.argtypes = [
        wintypes.LPCWSTR, wintypes.DWORD, wintypes.DWORD, wintypes.LPVOID, wintypes.DWORD, wintypes.DWORD,
        wintypes.HANDLE,
    ]
    generic_read, generic_write, open_existing = 0x80000000, 0x40000000, 3
    handle = kernel32.CreateFileW(str(path), generic_read | generic_write, share, None, open_existing, 0, None)
    if handle == wintypes.HANDLE(-1).value:
        raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined]
    try:
        yield
    finally:
        kernel32.CloseHandle(handle)


@windows
@pytest.mark.parametrize(
    "share",
    [0, 1, 3],  # none (Excel), read (WPS, some PDF readers), read and write but not delete (a viewer)
)
def test_saving_over_a_workbook_excel_holds_says_close_it(tmp_path: Path, share: int) -> None:
    target = tmp_path / "汇总表.xlsx"
    save_workbook(_workbook(), target)
    before = target.read_bytes()
    with held_exclusively(target, share):
        with pytest.raises(KnownError) as caught:
            save_workbook(_workbook(), target)
    assert caught.value.message == f"无法写入“汇总表.xlsx”：{LOCKED}"
    assert target.read_bytes() == before


@windows
def test_reading_a_return_excel_holds_says_close_it(tmp_path: Path) -> None:
    path = tmp_path / "省工信厅报表.xlsx"
    save_workbook(_workbook(), path)
    with held_exclusively(path):
        result = read_workbook(path)
    assert result.workbook is None
    assert result.problems[0].message.startswith(f"无法读取“省工信厅报表.xlsx”：{LOCKED}")


@windows
def test_the_report_pdf_over_a_file_a_pdf_reader_holds_says_close_it(qapp, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.services.report import build_report
    from app.ui.report_render import export_pdf

    out = tmp_path / "材料"
    out.mkdir()
    target = out / "会议材料.pdf"
    target.write_bytes(b"%PDF-1.4 old")
    with held_exclusively(target):
        with pytest.raises(KnownError) as caught:
            export_pdf(build_report(db, "2025-Q3", None), target)
    assert caught.value.message == f"无法写入“会议材料.pdf”：{LOCKED}"


def _free_drive_letter() -> str:
    used = {p[0].upper() for p in os.listdrives()} if hasattr(os, "listdrives") else set()  # 3.12+
    for letter in reversed(string.ascii_uppercase[3:]):
        if letter not in used and not Path(f"{letter}:\\").exists():
            return f"{letter}:"
    pytest.skip("no free drive letter")


@windows
def test_a_substituted_drive_is_local_and_keeps_wal(tmp_path: Path) -> None:
    drive = _free_drive_letter()
    subprocess.run(["subst", drive, str(tmp_path)], check=True)
    try:
        db = Path(f"{drive}\\台账.db")
        assert not paths.is_network_path(str(db))
        assert journal_mode_for(db) == "WAL"
    finally:
        subprocess.run(["subst", drive, "/D"], check=False)


@windows
def test_a_drive_mapped_to_a_share_opens_with_a_rollback_journal(tmp_path: Path) -> None:
    from app.services.database import open_database

    drive = _free_drive_letter()
    share = "\\\\localhost\\" + str(tmp_path).replace(":", "$", 1)  # the administrative share C$ of the runner
    mapped = subprocess.run(["net", "use", drive, share], capture_output=True, text=True)
    if mapped.returncode != 0:
        pytest.skip(f"cannot map {share}: {mapped.stdout}{mapped.stderr}")
    try:
        path = Path(f"{drive}\\台账.db")
        assert paths.is_network_path(str(path))
        result = open_database(path)
        try:
            with result.database.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar().lower() == "delete"
        finally:
            result.database.dispose()
    finally:
        subprocess.run(["net", "use", drive, "/delete", "/y"], check=False, capture_output=True)


@windows
def test_the_log_rolls_over_or_carries_on_while_a_second_window_holds_it(tmp_path: Path) -> None:
    from logging.handlers import RotatingFileHandler

    from app.logging_setup import configure_logging

    root = logging.getLogger()
    before = list(root.handlers)
    path = configure_logging(folder=tmp_path)
    handler = next(h for h in root.handlers if h not in before)
    assert isinstance(handler, RotatingFileHandler)
    handler.maxBytes = 200
    # A second Taizhang process holding the log open (Python's open() shares read/write but not delete).
    hold = f"import time; f = open({str(path)!r}, 'a'); print('ok', flush=True); time.sleep(30)"
    holder = subprocess.Popen(
        [sys.executable, "-c", hold],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        for n in range(20):
            logging.getLogger("taizhang.test").warning("第 %d 条：导入完成", n)
        handler.flush()
    finally:
        holder.kill()
        holder.wait()
        for h in list(root.handlers):
            if h not in before:
                root.removeHandler(h)
                h.close()
    text = "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("taizhang.log*"))
    assert "第 19 条：导入完成" in text


@windows
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler (pdftotext) not installed")
def test_the_report_pdf_uses_the_windows_official_fonts_and_its_text_extracts(  # type: ignore[no-untyped-def]
    qapp, db, tmp_path: Path
) -> None:
    from app.services.report import build_report
    from app.ui.report_render import export_pdf

    path = tmp_path / "会议材料.pdf"
    export_pdf(build_report(db, "2025-Q3", None), path)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "FangSong" in fonts and "SimHei" in fonts, fonts  # the clerk's fonts, not a Linux fallback
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    text = unicodedata.normalize("NFKC", text.decode("utf-8"))
    for heading in ("一、总体情况", "三、重点任务进展", "附录一 项目台账"):
        assert heading in text


@windows
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler (pdftotext) not installed")
@pytest.mark.parametrize("family", ["FangSong", "SimHei", "KaiTi"])
def test_text_in_each_official_font_extracts_as_typed(qapp, tmp_path: Path, family: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QFont, QFontDatabase, QPainter, QPdfWriter

    assert family in QFontDatabase.families(), f"{family} is not installed on this Windows"
    line = "吉林省互联网经济联席会议：重点项目进度滞后，需协调解决。"
    path = tmp_path / f"{family}.pdf"
    writer = QPdfWriter(str(path))
    painter = QPainter(writer)
    font = QFont(family)
    font.setPointSize(14)
    painter.setFont(font)
    painter.drawText(200, 400, line)
    painter.end()
    del writer
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert family in fonts, fonts
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    assert line in unicodedata.normalize("NFKC", out.decode("utf-8")).replace("\n", "")
