"""Server database logins: the URL holds no password; the password lives in the OS credential store.

On Windows that is the Credential Manager (through ``keyring``); nothing is written to settings or files. Where no
credential store works (a locked-down PC, a headless test), saving says so and the clerk types the password
each time.
"""

from __future__ import annotations

import logging

from sqlalchemy import URL

from app.storage.db import display_url

SERVICE = "台账 Taizhang"
log = logging.getLogger(__name__)


def server_url(host: str, port: int, database: str, user: str) -> str:
    """A PostgreSQL URL for the app (psycopg driver), without a password."""
    url = URL.create("postgresql+psycopg", username=user or None, host=host or None, port=port, database=database)
    return url.render_as_string(hide_password=False)


def _key(url: str) -> str:
    return display_url(url)  # user@host:port/database: one credential per login and database


def saved_password(url: str) -> str | None:
    """The password stored for this login, or None."""
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(SERVICE, _key(url))
        except KeyringError as exc:
            log.info("credential store unavailable: %s", type(exc).__name__)
    except ImportError:
        pass
    return None


def save_password(url: str, password: str) -> bool:
    """Keep the password in the OS credential store; False when there is none to keep it in."""
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(SERVICE, _key(url), password)
            return True
        except KeyringError as exc:
            log.info("credential store unavailable: %s", type(exc).__name__)
    except ImportError:
        pass
    return False


def forget_password(url: str) -> None:
    """Remove a stored password (e.g. it was refused by the server)."""
    try:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            keyring.delete_password(SERVICE, _key(url))
        except (PasswordDeleteError, KeyringError):
            pass
    except ImportError:
        pass
