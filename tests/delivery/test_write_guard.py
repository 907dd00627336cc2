"""Every file the app writes fails the same way: one Chinese message for a locked file, no permission, a full disk.

Windows cannot be reproduced on Linux, so the failures are made: os.replace/open raising what Windows raises
(PermissionError with winerror 32 for a sharing violation, or plain "access denied" for a file Excel holds).
Running as root, chmod would not stop a write, so permission failures are injected the same way.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.returns.read import read_workbook
from app.returns.xlsx import save_workbook
from app.storage import files
from app.storage.errors import KnownError
from app.storage.files import LOCKED, atomic_write, read_error_message, write_error_message


def sharing_violation(*_args: object, **_kwargs: object) -> None:
    """What Windows raises when another program holds the file without sharing it (ERROR_SHARING_VIOLATION)."""
    exc = PermissionError(errno.EACCES, "The process cannot access the file because it is being used")
    exc.winerror = 32  # type: ignore[attr-defined]
    raise exc


def raising(code: int) -> Callable[..., None]:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    return fail


def small_workbook() -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["项目", "数量"])
    return wb


def test_a_workbook_held_open_by_excel_names_the_file_and_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "汇总表.xlsx"
    target.write_bytes(b"old")
    monkeypatch.setattr(files.os, "replace", sharing_violation)
    with pytest.raises(KnownError) as caught:
        save_workbook(small_workbook(), target)
    assert caught.value.message == f"无法写入“汇总表.xlsx”：{LOCKED}"
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["汇总表.xlsx"]  # no temporary file left behind


def test_windows_access_denied_on_a_file_another_program_holds_reads_as_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Replacing a workbook Excel has open fails with plain "access denied" (winerror 5), not a sharing violation.
    target = tmp_path / "催报表.xlsx"
    target.write_bytes(b"old")
    monkeypatch.setattr(files, "_is_windows", lambda: True)
    assert write_error_message(target, PermissionError(errno.EACCES, "Access is denied")).endswith(LOCKED)
    # A file that does not exist yet cannot be held open: the folder is what refuses.
    message = write_error_message(tmp_path / "新文件.xlsx", PermissionError(errno.EACCES, "Access is denied"))
    assert "没有写入权限" in message and LOCKED not in message


def test_no_permission_and_a_full_disk_each_get_their_own_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "模板.xlsx"
    monkeypatch.setattr(files.tempfile, "mkstemp", raising(errno.EACCES))
    with pytest.raises(KnownError) as denied:
        save_workbook(small_workbook(), target)
    assert "无法写入“模板.xlsx”：没有写入权限" in denied.value.message
    monkeypatch.undo()
    monkeypatch.setattr(Workbook, "save", raising(errno.ENOSPC))
    with pytest.raises(KnownError) as full:
        save_workbook(small_workbook(), target)
    assert "无法写入“模板.xlsx”：磁盘已满" in full.value.message
    assert not target.exists() and list(tmp_path.iterdir()) == []
    assert "没有写入权限" in write_error_message(target, OSError(errno.EROFS, "Read-only file system"))


def test_a_real_read_only_folder_is_refused_in_chinese(tmp_path: Path) -> None:
    if sys.platform == "win32" or os.geteuid() == 0:
        pytest.skip("root writes into read-only folders; Windows ignores a folder's read-only flag")
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(KnownError, match="没有写入权限"):
            save_workbook(small_workbook(), folder / "汇总.xlsx")
    finally:
        folder.chmod(0o700)


def test_the_report_pdf_on_a_locked_file_says_so_once(
    qapp, db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from app.services.report import build_report
    from app.ui.report_render import export_pdf

    content = build_report(db, "2025-Q3", None)
    out = tmp_path / "材料"
    out.mkdir()
    monkeypatch.setattr(files.os, "replace", sharing_violation)
    with pytest.raises(KnownError) as caught:
        export_pdf(content, out / "会议材料.pdf")
    assert caught.value.message == f"无法写入“会议材料.pdf”：{LOCKED}"  # one prefix, and the reason
    assert list(out.iterdir()) == []


def test_the_word_report_on_a_full_disk_says_so(db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from docx.document import Document

    from app.reports.docx_render import export_docx
    from app.services.report import build_report

    content = build_report(db, "2025-Q3", None)
    monkeypatch.setattr(Document, "save", raising(errno.ENOSPC))
    with pytest.raises(KnownError, match="无法写入“会议材料.docx”：磁盘已满"):
        export_docx(content, tmp_path / "会议材料.docx")


def test_the_gantt_pdf_and_png_on_a_locked_file_blame_the_file_not_a_printer(
    qapp, db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from app.services import gantt as service
    from app.ui.gantt_export import PrintOptions, export_pdf, export_png
    from tests.gantt_sample import TODAY, add_sample_schedules

    add_sample_schedules(db)
    data = service.load_gantt(db, today=TODAY)
    out = tmp_path / "图"
    out.mkdir()
    pdf, png = out / "甘特图.pdf", out / "甘特图.png"
    assert export_pdf(pdf, data, PrintOptions(printed_on=TODAY)) >= 1  # works when nothing holds the file
    before = pdf.read_bytes()
    monkeypatch.setattr(files.os, "replace", sharing_violation)
    with pytest.raises(KnownError) as caught:
        export_pdf(pdf, data, PrintOptions(printed_on=TODAY))
    assert caught.value.message == f"无法写入“甘特图.pdf”：{LOCKED}"
    assert "打印机" not in caught.value.message and pdf.read_bytes() == before
    with pytest.raises(KnownError, match=f"无法写入“甘特图.png”：{LOCKED}"):
        export_png(png, data, PrintOptions(printed_on=TODAY))
    assert sorted(p.name for p in out.iterdir()) == ["甘特图.pdf"]


def test_atomic_write_refuses_an_empty_result(tmp_path: Path) -> None:
    # Qt's paint devices fail silently and leave an empty file: that must never replace a good one.
    target = tmp_path / "图.png"
    target.write_bytes(b"good")
    with pytest.raises(KnownError, match="生成的文件为空"):
        with atomic_write(target):
            pass
    assert target.read_bytes() == b"good"


def held_open_by_excel(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Opening ``path`` fails as it does on Windows while Excel holds the workbook (a sharing violation)."""
    real_open = Path.open

    def locked_open(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self == path:
            sharing_violation()
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", locked_open)


def test_reading_a_locked_return_says_so_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "省工信厅.xlsx"
    save_workbook(small_workbook(), path)
    held_open_by_excel(monkeypatch, path)
    result = read_workbook(path)
    messages = [p.message for p in result.problems]
    assert result.workbook is None
    assert messages and messages[0] == f"无法读取“省工信厅.xlsx”：{LOCKED}"
    assert "Permission denied" not in messages[0]
    assert read_error_message(path, PermissionError(errno.EACCES, "Permission denied")).endswith("没有读取权限")


def test_an_unwritable_log_folder_does_not_stop_the_app_and_says_why_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app import logging_setup

    root = logging.getLogger()
    before = list(root.handlers)
    monkeypatch.setattr(logging_setup, "_warned", set())
    real_open = open

    def full_disk_open(file: object, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if str(file).endswith("taizhang.log"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", full_disk_open)
    try:
        logging_setup.configure_logging(folder=tmp_path / "logs")
        added = [h for h in root.handlers if h not in before]
        assert len(added) == 1 and isinstance(added[0], logging.NullHandler)
        logging.getLogger("taizhang.test").warning("照常运行")
    finally:
        for handler in list(root.handlers):
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
    err = capsys.readouterr().err
    assert "日志无法写入“taizhang.log”：磁盘已满" in err


def test_a_log_that_fills_the_disk_while_running_warns_once_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app import logging_setup

    root = logging.getLogger()
    before = list(root.handlers)
    monkeypatch.setattr(logging_setup, "_warned", set())
    try:
        logging_setup.configure_logging(folder=tmp_path)
        handler = next(h for h in root.handlers if h not in before)

        def failing_emit(record: logging.LogRecord) -> None:
            try:  # as logging's emit() does: handleError runs inside the except block
                raise OSError(errno.ENOSPC, "No space left on device")
            except OSError:
                handler.handleError(record)

        monkeypatch.setattr(handler, "emit", failing_emit)
        logging.getLogger("taizhang.test").warning("一")
        logging.getLogger("taizhang.test").warning("二")
    finally:
        for handler in list(root.handlers):
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
    err = capsys.readouterr().err
    assert err.count("磁盘已满") == 1 and "Traceback" not in err


def test_a_templates_folder_that_cannot_be_made_says_no_permission(
    db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from app.services.templates import export_templates

    def denied(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", denied)
    with pytest.raises(KnownError) as caught:
        export_templates(db, "2025-Q3", tmp_path / "报表模板")
    assert caught.value.message.startswith("无法写入“报表模板”：没有写入权限")
    assert "Permission denied" not in caught.value.message


def test_sqlite_failing_to_write_a_backup_gets_the_same_messages(tmp_path: Path) -> None:
    import sqlite3

    target = tmp_path / "台账备份.db"
    full = files.sqlite_write_error(target, sqlite3.OperationalError("database or disk is full"))
    assert full is not None and full.message.startswith("无法写入“台账备份.db”：磁盘已满")
    readonly = files.sqlite_write_error(target, sqlite3.OperationalError("attempt to write a readonly database"))
    assert readonly is not None and "没有写入权限" in readonly.message
    assert files.sqlite_write_error(target, sqlite3.OperationalError("no such table: projects")) is None


def test_importing_a_return_excel_holds_open_says_close_it_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The importer's first read of a return (its checksum) meets the lock before the workbook reader does.
    from app.returns.parse import parse_return

    path = tmp_path / "省发展改革委.xlsx"
    save_workbook(small_workbook(), path)
    held_open_by_excel(monkeypatch, path)
    parsed = parse_return(path)
    assert [p.message for p in parsed.problems] == [f"无法读取“省发展改革委.xlsx”：{LOCKED}"]
