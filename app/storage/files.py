"""One guard for every file the app writes (.xlsx, .docx, .pdf, .png, the log): a failure says why, in Chinese.

Three causes a clerk can act on get one message each: the file is held open by Excel/WPS/a PDF reader (on
Windows a sharing violation, or a refused replace of a file another program holds), no permission (a
read-only folder or file, a read-only disk), and a full disk. Anything else names the file and the system's
reason. Writers that cannot report a failure themselves (Qt's QPdfWriter fails silently) write through
``atomic_write``: a temporary file in the same folder, then ``os.replace`` under the guard.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.storage.errors import KnownError

LOCKED = "文件正在被 Excel/WPS/PDF 阅读器打开，请关闭后重试"
DENIED = "没有写入权限"
DISK_FULL = "磁盘已满"

# Windows error codes (winerror): sharing and lock violations, and the two "disk full" codes.
_WIN_LOCKED = {32, 33}
_WIN_DISK_FULL = {39, 112}


def _is_windows() -> bool:
    return sys.platform == "win32"


def write_error_message(path: str | Path, exc: OSError) -> str:
    """The Chinese message for a failed write of ``path``: locked, no permission, disk full, or the reason."""
    path = Path(path)
    name = path.name or str(path)
    winerror = getattr(exc, "winerror", None)
    if winerror in _WIN_LOCKED:
        return f"无法写入“{name}”：{LOCKED}"
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)) or winerror in _WIN_DISK_FULL:
        return f"无法写入“{name}”：{DISK_FULL}，请清理磁盘空间或换一个磁盘后重试"
    if exc.errno == errno.EROFS:
        return f"无法写入“{name}”：{DENIED}（磁盘为只读），请换一个文件夹保存"
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        if _is_windows() and _held_by_another_program(path):
            return f"无法写入“{name}”：{LOCKED}"
        return f"无法写入“{name}”：{DENIED}（{path.parent}），请换一个文件夹保存"
    if isinstance(exc, FileNotFoundError):
        return f"无法写入“{name}”：文件夹不存在（{path.parent}）"
    return f"无法写入“{name}”：{exc.strerror or exc}"


def sqlite_write_error(path: str | Path, exc: sqlite3.Error) -> KnownError | None:
    """The guard's message for SQLite failing to write ``path`` (full disk, read-only file or folder), else None.

    SQLite reports these as its own English errors, not OSError: "database or disk is full", "attempt to write
    a readonly database", "unable to open database file" (a folder it may not create files in).
    """
    text = str(exc).lower()
    if "disk is full" in text:
        return KnownError(write_error_message(path, OSError(errno.ENOSPC, "disk full")))
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return KnownError(write_error_message(path, PermissionError(errno.EACCES, "read-only")))
    return None


def read_error_message(path: str | Path, exc: OSError) -> str:
    """The Chinese message for a file that cannot be read: locked, no permission, missing, or the reason."""
    path = Path(path)
    name = path.name or str(path)
    winerror = getattr(exc, "winerror", None)
    if winerror in _WIN_LOCKED:
        return f"无法读取“{name}”：{LOCKED}"
    if isinstance(exc, FileNotFoundError):
        return f"无法读取“{name}”：文件不存在"
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        if _is_windows():  # Windows reports a file held open with an exclusive lock as "access denied" too
            return f"无法读取“{name}”：{LOCKED}；或没有读取权限"
        return f"无法读取“{name}”：没有读取权限"
    return f"无法读取“{name}”：{exc.strerror or exc}"


def _held_by_another_program(path: Path) -> bool:
    """On Windows, whether a refused write of an existing ``path`` is because another program holds it open."""
    try:
        with open(path, "r+b"):
            pass
    except OSError as exc:
        return getattr(exc, "winerror", None) in _WIN_LOCKED
    # The file itself can be opened for writing, yet replacing it was refused: a program (Excel, a PDF
    # reader) holds it without letting others delete or rename it.
    return True


@contextmanager
def guarded_write(path: str | Path) -> Iterator[Path]:
    """Run a write of ``path``; an OSError becomes a KnownError with the Chinese reason."""
    target = Path(path)
    try:
        yield target
    except KnownError:
        raise
    except OSError as exc:
        raise KnownError(write_error_message(target, exc)) from exc


@contextmanager
def atomic_write(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends, replace ``path`` with it (all or nothing).

    A failure (locked target, no permission, full disk) raises KnownError and leaves ``path`` as it was.
    """
    target = Path(path)
    if not target.parent.is_dir():
        raise KnownError(f"文件夹不存在：{target.parent}")
    with guarded_write(target):
        fd, tmp_name = tempfile.mkstemp(prefix=".taizhang-", suffix=target.suffix, dir=target.parent)
        os.close(fd)
    tmp = Path(tmp_name)
    try:
        with guarded_write(target):
            yield tmp
            if tmp.stat().st_size == 0:
                # Qt's paint devices fail without an error; an empty result is never a finished file.
                raise KnownError(f"无法写入“{target.name}”：生成的文件为空")
            os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def check_writable(path: str | Path) -> None:
    """Raise KnownError (Chinese reason) unless ``path`` can be opened for appending; creates nothing lasting."""
    target = Path(path)
    existed = target.exists()
    with guarded_write(target):
        with open(target, "ab"):
            pass
        if not existed:
            target.unlink(missing_ok=True)
