"""Backups of a database file through SQLite's online backup API: make, list, prune, verify and restore.

A backup is a consistent snapshot even while another window or process writes (the backup API reads one
snapshot; a file copy could catch a half-written page or miss the WAL). Backups of a database live in the
per-user data folder under ``backups/<stem>-<hash of its full path>/`` so that each database – the default
one, one on a shared drive – keeps its own set, and a clerk without write access to the share still gets them.
File names say when and why: ``20261125-091500.123456-p4321-daily.db`` (microseconds and the process id
make two PCs backing up the same database in the same second write two files, never one over the other;
older names without them, ``20261125-091500-daily.db``, are still listed).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.storage.errors import KnownError
from app.storage.files import guarded_write, sqlite_write_error

if TYPE_CHECKING:
    from app.storage.db import Database

log = logging.getLogger(__name__)

DEFAULT_KEEP = 20
KEEP_SETTING = "backup_keep"  # app_settings key: how many backups of this database to keep
BUSY_TIMEOUT_S = 10.0

# Why a backup was taken → how the GUI and CLI name it.
REASON_LABELS = {
    "daily": "每日自动备份",
    "import": "导入前",
    "upgrade": "升级前",
    "manual": "手动备份",
    "restore": "恢复前",
    "restore-damaged": "恢复前（损坏文件原样副本）",
}

_NAME_RE = re.compile(
    r"^(?P<stamp>\d{8}-\d{6})(?:\.(?P<micro>\d{6}))?(?:-p(?P<pid>\d+))?(?:-(?P<counter>\d+))?-(?P<reason>[\w-]+)\.db$"
)


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where, when, why and how big."""

    path: Path
    created: datetime
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)


SERVER_DATABASE_MESSAGE = (
    "这是服务器数据库（如 PostgreSQL），本程序只能备份和恢复本机数据库文件；"
    "请由数据库管理员用 pg_dump / pg_restore 备份和恢复"
)


def database_file_arg(text: str) -> Path:
    """The database file named on the command line; KnownError for a server URL (its backups are the server's)."""
    if "://" in text and not text.startswith("sqlite"):
        raise KnownError(SERVER_DATABASE_MESSAGE)
    if text.startswith("sqlite"):
        from app.storage.db import sqlite_file

        path = sqlite_file(text)
        if path is None:
            raise KnownError("内存数据库没有文件可以备份或恢复")
        return path
    return Path(text)


def backups_folder(db_path: Path) -> Path:
    """The folder holding the backups of ``db_path`` (created on demand by the writers)."""
    from app.paths import backup_dir

    resolved = _resolved(db_path)
    digest = hashlib.sha1(os.path.normcase(str(resolved)).encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    return backup_dir() / f"{_slug(resolved.stem) or 'db'}-{digest}"


def backup_database(
    db_path: Path, reason: str = "manual", *, out: Path | None = None, keep: int | None = None
) -> BackupInfo:
    """Copy ``db_path`` with the online backup API into its backup folder (or to ``out``); prune to ``keep``."""
    db_path = _resolved(db_path)
    if not db_path.exists():
        raise KnownError(f"数据库文件不存在：{db_path}")
    now = datetime.now()
    if out is None:
        folder = backups_folder(db_path)
        with guarded_write(folder):
            folder.mkdir(parents=True, exist_ok=True)
        reason = _slug(reason) or "manual"
        target = _free_name(folder, now, reason)
    else:
        target = Path(out).expanduser().resolve()
        if target == db_path:
            raise KnownError("备份文件不能与数据库文件相同")
        if not target.parent.exists():
            raise KnownError(f"备份目标文件夹不存在：{target.parent}")
    _copy_online(db_path, target)
    info = BackupInfo(target, now, reason, target.stat().st_size)
    log.info("backup of %s (%s) written to %s, %d bytes", db_path, reason, target, info.size)
    if out is None and keep is not None:
        prune_backups(db_path, keep)
    return info


def backup_to(db_path: Path, target: Path) -> BackupInfo:
    """Back ``db_path`` up to a file the clerk chose (文件 → 备份数据库…), replacing it; online API, checked.

    The copy is written beside ``target`` and renamed over it only when complete, so an existing file is
    never left half-overwritten.
    """
    target = Path(target)
    with guarded_write(target):
        target.parent.mkdir(parents=True, exist_ok=True)
    return backup_database(db_path, "manual", out=target)


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Backups of ``db_path``, newest first."""
    folder = backups_folder(db_path)
    if not folder.is_dir():
        return []
    found: list[BackupInfo] = []
    order: dict[Path, int] = {}
    for path in folder.glob("*.db"):
        match = _NAME_RE.match(path.name)
        if not match:
            continue
        created = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S").replace(microsecond=int(match["micro"] or 0))
        try:
            size = path.stat().st_size
        except OSError:  # pruned by another process between glob and stat
            continue
        found.append(BackupInfo(path, created, match["reason"], size))
        order[path] = int(match["counter"] or 1)
    found.sort(key=lambda b: (b.created, order[b.path]), reverse=True)
    return found


def prune_backups(db_path: Path, keep: int, *, protect: tuple[Path, ...] = ()) -> list[Path]:
    """Delete all but the newest ``keep`` backups of ``db_path`` (never one in ``protect``); return the deleted."""
    removed: list[Path] = []
    protected = {Path(p).resolve() for p in protect}
    for old in list_backups(db_path)[max(keep, 1) :]:
        if old.path.resolve() in protected:
            continue
        try:
            old.path.unlink()
        except FileNotFoundError:  # another PC pruned it first
            continue
        except OSError as exc:  # a backup open in another program stays; the next prune tries again
            log.warning("could not delete old backup %s: %s", old.path, exc)
            continue
        removed.append(old.path)
    return removed


def has_backup_on(db_path: Path, day: date, reason: str) -> bool:
    """Whether a backup of ``db_path`` with ``reason`` was taken on ``day``."""
    return any(b.created.date() == day and b.reason == reason for b in list_backups(db_path))


def backup_revision(path: Path) -> str | None:
    """Open a backup read-only, check it, and return its schema revision; KnownError if unusable."""
    if not Path(path).is_file():
        raise KnownError(f"备份文件不存在：{path}")
    try:
        with _connect(Path(path), read_only=True) as conn:
            status = conn.execute("PRAGMA quick_check").fetchone()
            if not status or status[0] != "ok":
                raise KnownError(f"备份文件已损坏，不能用于恢复：{path}")
            has_version = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
            if not has_version:
                raise KnownError(f"该文件不是台账数据库的备份：{path}")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise KnownError(f"该文件不是台账数据库的备份或已损坏：{path}") from exc
    return str(row[0]) if row else None


def restore_backup(db_path: Path, backup_path: Path, *, keep: int | None = None) -> BackupInfo | None:
    """Replace the contents of ``db_path`` with ``backup_path`` after a safety backup; return the safety backup
    (None when there was no database file yet, e.g. restoring onto a new PC).

    The backup is checked first (opens, not damaged, schema not newer than this program). The safety backup
    uses the online API; when the current file is itself too damaged to read, its bytes are copied instead,
    so a restore never loses the only copy of anything.
    """
    from app.storage.migrate import SchemaTooNewError, refuse_if_newer

    db_path = _resolved(db_path)
    backup_path = Path(backup_path).expanduser().resolve()
    if backup_path == db_path:
        raise KnownError("不能用数据库文件自身恢复")
    if not db_path.parent.is_dir():  # e.g. a network share that is offline
        raise KnownError(f"数据库所在文件夹不存在或无法访问：{db_path.parent}")
    revision = backup_revision(backup_path)
    try:
        refuse_if_newer(revision)
    except SchemaTooNewError as exc:
        raise KnownError(f"该备份由更新版本的台账程序创建，不能恢复：{exc}") from exc
    damaged = False
    safety: BackupInfo | None = None
    if db_path.exists():
        try:
            # No pruning yet: at the limit it would delete the oldest backup – perhaps the one being restored.
            safety = backup_database(db_path, "restore")
        except sqlite3.DatabaseError:
            safety = _raw_copy(db_path)
            damaged = True
    try:
        if damaged:
            _replace_damaged(db_path, backup_path)
        else:
            # Into the live file through the backup API: other connections (this window's pool, another
            # instance) see the restored contents on their next read, with no file swapped under them.
            with _connect(backup_path, read_only=True) as src, _connect(db_path) as dest:
                src.backup(dest)
    except sqlite3.OperationalError as exc:  # I/O trouble the clerk can act on, not a bug
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise KnownError("数据库正被其他程序写入，请稍后再恢复") from exc
        written = sqlite_write_error(db_path, exc)
        if written is not None:
            raise KnownError(f"恢复失败，{written.message}") from exc
        raise KnownError(f"恢复失败，无法写入数据库文件 {db_path}：{exc}") from exc
    log.info("restored %s from %s (safety backup %s)", db_path, backup_path, safety.path if safety else None)
    if keep is not None:
        prune_backups(db_path, keep, protect=(backup_path,))
    return safety


def backup_before(database: Database, reason: str) -> BackupInfo | None:
    """Back up ``database`` before a risky change (``reason``: import, upgrade …), keeping the configured N.

    Returns None for a database that is not a SQLite file (nothing to back up with this API).
    """
    path = database.path
    if path is None or not path.exists():
        return None
    return backup_database(path, reason, keep=configured_keep(path))


def daily_backup(database: Database, today: date | None = None) -> BackupInfo | None:
    """The first start of each day backs up the database; later starts that day do nothing."""
    path = database.path
    if path is None or not path.exists():
        return None
    if has_backup_on(path, today or date.today(), "daily"):
        return None
    return backup_database(path, "daily", keep=configured_keep(path))


def configured_keep(db_path: Path) -> int:
    """How many backups to keep: the database's ``backup_keep`` setting, else 20."""
    try:
        with _connect(db_path, read_only=True) as conn:
            row = conn.execute("SELECT value FROM app_settings WHERE key = ?", (KEEP_SETTING,)).fetchone()
    except sqlite3.DatabaseError:
        return DEFAULT_KEEP
    try:
        return max(1, int(row[0])) if row else DEFAULT_KEEP
    except ValueError:
        return DEFAULT_KEEP


def _copy_online(src_path: Path, target: Path) -> None:
    # Write beside the target and rename: a crash mid-backup never leaves a half file that looks complete.
    # The partial name is this process's own: two processes never delete or rename each other's copy.
    partial = target.with_name(f"{target.name}.{os.getpid()}-{datetime.now():%H%M%S%f}.part")
    try:
        # Through the write guard, as every file the app writes: a read-only folder says 没有写入权限 here,
        # rather than SQLite's "unable to open database file"; a backup file held open says close it.
        with guarded_write(target), open(partial, "ab"):
            pass  # SQLite takes an empty file as a new database
        with _connect(src_path, read_only=True) as src, _connect(partial) as dest:
            src.backup(dest)
            # The copy inherits WAL mode from the source; a backup is a single self-contained file.
            dest.execute("PRAGMA journal_mode=DELETE")
            status = dest.execute("PRAGMA quick_check").fetchone()
            if not status or status[0] != "ok":
                raise sqlite3.DatabaseError(f"backup check failed: {status}")
        with guarded_write(target):
            os.replace(partial, target)
    except sqlite3.OperationalError as exc:
        partial.unlink(missing_ok=True)
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise KnownError("数据库正被其他程序写入，暂时无法备份，请稍后再试") from exc
        written = sqlite_write_error(target, exc)
        if written is not None:
            raise written from exc
        raise KnownError(f"备份失败：{exc}（数据库 {src_path}，备份文件 {target}）") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _replace_damaged(db_path: Path, backup_path: Path) -> None:
    # SQLite cannot write into a file it cannot read: build the restored file beside it and swap it in.
    # The old -wal/-shm belong to the damaged file; replayed onto the new one they would corrupt it.
    fresh = db_path.with_name(db_path.name + ".restoring")
    fresh.unlink(missing_ok=True)
    with _connect(backup_path, read_only=True) as src, _connect(fresh) as dest:
        src.backup(dest)
    for suffix in ("-wal", "-shm", "-journal"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    os.replace(fresh, db_path)


def _raw_copy(db_path: Path) -> BackupInfo:
    now = datetime.now()
    folder = backups_folder(db_path)
    with guarded_write(folder):
        folder.mkdir(parents=True, exist_ok=True)
    target = _free_name(folder, now, "restore-damaged")
    with guarded_write(target):
        shutil.copyfile(db_path, target)
    log.warning("current database %s unreadable; raw copy kept at %s", db_path, target)
    return BackupInfo(target, now, "restore-damaged", target.stat().st_size)


@contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    # Plain paths (not URIs) so UNC paths (\\server\share\…) and Chinese folder names work unchanged.
    if read_only and not path.exists():
        raise KnownError(f"文件不存在：{path}")
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def _free_name(folder: Path, when: datetime, reason: str) -> Path:
    # Time to the microsecond plus the process id: unique across processes and PCs sharing the folder.
    # Several backups in the same microsecond of one process get -2-, -3- …
    stamp = f"{when:%Y%m%d-%H%M%S}.{when.microsecond:06d}-p{os.getpid()}"
    taken = [_NAME_RE.match(p.name) for p in folder.glob(f"{stamp}*.db")]
    counters = [int(m["counter"] or 1) for m in taken if m]
    if not counters:
        return folder / f"{stamp}-{reason}.db"
    return folder / f"{stamp}-{max(counters) + 1}-{reason}.db"


def _slug(text: str) -> str:
    return re.sub(r"[^\w-]+", "-", text).strip("-")[:30]


def _resolved(path: Path | str) -> Path:
    return Path(path).expanduser().resolve()
