"""Typed access to the machine-local settings (QSettings): window layout, last period, recent databases."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


class Settings:
    """A thin typed wrapper so no other module spells QSettings keys or converts their values."""

    def __init__(self, settings: QSettings | None = None) -> None:
        if settings is None:
            # TAIZHANG_HOME (tests, portable use) keeps the settings beside the data instead of the registry.
            home = os.environ.get("TAIZHANG_HOME")
            if home:
                settings = QSettings(str(Path(home) / "settings.ini"), QSettings.Format.IniFormat)
            else:
                settings = QSettings("Taizhang", "Taizhang")
        self._s = settings

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._s.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._s.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._s.setValue("window/state", value)

    @property
    def last_view(self) -> str:
        return str(self._s.value("window/last_view", "") or "")

    @last_view.setter
    def last_view(self, value: str) -> None:
        self._s.setValue("window/last_view", value)

    @property
    def last_period(self) -> str:
        return str(self._s.value("period/last", "") or "")

    @last_period.setter
    def last_period(self, value: str) -> None:
        self._s.setValue("period/last", value)

    @property
    def recent_databases(self) -> list[str]:
        value = self._s.value("files/recent", [])
        if isinstance(value, str):
            return [value] if value else []
        if not isinstance(value, list):
            return []
        return [str(v) for v in value if v]

    def add_recent_database(self, path: str) -> None:
        """Put ``path`` first in the recent list (once), keeping at most MAX_RECENT."""
        recent = [p for p in self.recent_databases if p != path]
        self._s.setValue("files/recent", [path, *recent][:MAX_RECENT])

    def remove_recent_database(self, path: str) -> None:
        self._s.setValue("files/recent", [p for p in self.recent_databases if p != path])

    def ledger_hidden_columns(self) -> list[int]:
        value = self._s.value("ledger/hidden_columns", [])
        if isinstance(value, str):
            value = [value] if value else []
        if not isinstance(value, list):
            return []
        return [int(v) for v in value if str(v).isdigit()]

    def set_ledger_hidden_columns(self, columns: list[int]) -> None:
        self._s.setValue("ledger/hidden_columns", [str(c) for c in columns])

    def header_state(self, key: str) -> QByteArray | None:
        return self._bytes(f"headers/{key}")

    def set_header_state(self, key: str, value: QByteArray) -> None:
        self._s.setValue(f"headers/{key}", value)

    def sync(self) -> None:
        self._s.sync()
