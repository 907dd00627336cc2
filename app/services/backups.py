"""Backups as use cases for the CLI and the GUI: list, back up now, restore (then upgrade if older)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.services.database import open_database
from app.storage.backup import (
    SERVER_DATABASE_MESSAGE as SERVER_DATABASE_MESSAGE,
)
from app.storage.backup import (
    BackupInfo as BackupInfo,  # re-exported for the UI, which talks to services only
)
from app.storage.backup import (
    backup_database,
    backup_revision,
    backups_folder,
    configured_keep,
    list_backups,
    restore_backup,
)
from app.storage.db import Database, sqlite_file
from app.storage.errors import KnownError
from app.storage.migrate import head_revision


@dataclass(frozen=True)
class RestoreOutcome:
    """What a restore did: where the previous contents went, and whether the restored schema was upgraded."""

    safety: BackupInfo | None  # None: there was no database file to keep
    upgraded: bool


def database_file(database: Database) -> Path:
    """The file of an open database; KnownError for a server database (no file to back up)."""
    path = sqlite_file(database.url)
    if path is None:
        raise KnownError(SERVER_DATABASE_MESSAGE)
    return path


def list_database_backups(path: Path) -> list[BackupInfo]:
    """Backups of the database file at ``path``, newest first."""
    return list_backups(path)


def backup_now(path: Path) -> BackupInfo:
    """A manual backup into the database's backup folder, keeping the configured number."""
    return backup_database(path, "manual", keep=configured_keep(path))


def restore_database(path: Path, backup: Path) -> RestoreOutcome:
    """Restore ``backup`` over the database at ``path`` (safety backup first), then bring it to head."""
    revision = backup_revision(backup)
    safety = restore_backup(path, backup, keep=configured_keep(path) if path.exists() else None)
    # An older backup is upgraded now (with its own backup first), not behind the clerk's back later.
    open_database(path, seed=False).database.dispose()
    return RestoreOutcome(safety=safety, upgraded=revision != head_revision())


def backup_keep(database: Database) -> int:
    """How many backups this database keeps (its ``backup_keep`` setting, default 20)."""
    return configured_keep(database_file(database))


def set_backup_keep(database: Database, keep: int) -> None:
    """Store how many backups to keep in the database's settings (at least 1)."""
    from app.storage.backup import KEEP_SETTING
    from app.storage.models import AppSetting

    with database.session() as session:
        setting = session.get(AppSetting, KEEP_SETTING)
        if setting is None:
            session.add(AppSetting(key=KEEP_SETTING, value=str(max(1, keep))))
        else:
            setting.value = str(max(1, keep))


def backup_folder(path: Path) -> Path:
    """Where the backups of the database at ``path`` are kept."""
    return backups_folder(path)
