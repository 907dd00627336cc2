"""Per-user locations: the data folder (%APPDATA%\\Taizhang on Windows), default database, logs, backups.

The database and logs live in the *roaming* application-data folder: on an office domain with roaming
profiles the clerk's ledger follows them to another desk, and this is the folder the installer promises to
leave alone on uninstall. Backups (up to N copies of the database) go to the *local* folder
(%LOCALAPPDATA%\\Taizhang\\backups) so they do not bloat the roaming profile that Windows copies at every
log-on. On Linux and macOS both are the same folder. TAIZHANG_HOME puts everything in one folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path, PureWindowsPath

from platformdirs import user_data_dir

APP_NAME = "Taizhang"
DB_FILE_NAME = "taizhang.db"


def data_dir() -> Path:
    """The per-user data folder; TAIZHANG_HOME overrides it (tests, portable use)."""
    override = os.environ.get("TAIZHANG_HOME")
    base = Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False, roaming=True))
    base.mkdir(parents=True, exist_ok=True)
    return base


def local_data_dir() -> Path:
    """The per-machine, per-user folder for bulky files (backups); TAIZHANG_HOME overrides it too."""
    override = os.environ.get("TAIZHANG_HOME")
    base = Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_database() -> Path:
    """The clerk's own database in the data folder."""
    return data_dir() / DB_FILE_NAME


def log_dir() -> Path:
    """Where the rotating log file lives."""
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def backup_dir() -> Path:
    """Where backups of every database this user opens are kept (one subfolder per database)."""
    path = local_data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def matplotlib_cache_dir() -> Path:
    """matplotlib's config and font-cache folder: per user and per machine (font paths differ between PCs)."""
    return local_data_dir() / "matplotlib"


def use_persistent_matplotlib_cache() -> None:
    """Point MPLCONFIGDIR at matplotlib_cache_dir() so the font cache is built once per user, not per launch.

    Must run before matplotlib is imported; respects an MPLCONFIGDIR already set. Without it a frozen build
    (PyInstaller's default) or a profile whose home folder is not writable rebuilds the cache at every start.
    """
    if os.environ.get("MPLCONFIGDIR") or "matplotlib" in sys.modules:
        return
    try:
        folder = matplotlib_cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # matplotlib then falls back to a temporary folder on its own
    os.environ["MPLCONFIGDIR"] = str(folder)


def is_network_path(path: str) -> bool:
    """True for a file on a network share: a UNC path (\\\\server\\share\\…, //server/share/…, \\\\?\\UNC\\…)
    or, on Windows, a drive letter mapped to a share."""
    text = path.strip()
    if text.upper().startswith(("\\\\?\\UNC\\", "//?/UNC/")):
        return True
    if text.startswith(("\\\\?\\", "//?/", "\\\\.\\", "//./")):  # local device paths (\\?\C:\…)
        return False
    drive = PureWindowsPath(text).drive
    if drive.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32" and len(drive) == 2 and drive[1] == ":":
        return _is_remote_drive(drive)
    return False


def _is_remote_drive(drive: str) -> bool:
    import ctypes

    DRIVE_REMOTE = 4
    return bool(ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE)  # type: ignore[attr-defined]
