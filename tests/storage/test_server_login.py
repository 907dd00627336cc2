"""Server logins: a missing driver is a Chinese message; a password never shows in URLs, labels or logs."""

from __future__ import annotations

import builtins
import logging
from pathlib import Path

import pytest

from app.storage.db import DRIVER_MISSING_MESSAGE, Database, display_url, scrub_secrets
from app.storage.errors import KnownError


def test_a_missing_postgresql_driver_is_a_chinese_message(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_psycopg(name: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name.split(".")[0] == "psycopg":
            raise ModuleNotFoundError("No module named 'psycopg'", name="psycopg")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_psycopg)
    monkeypatch.delitem(__import__("sys").modules, "psycopg", raising=False)
    with pytest.raises(KnownError) as caught:
        Database("postgresql://clerk@db.office.local:5432/taizhang")
    assert caught.value.message == DRIVER_MISSING_MESSAGE and "taizhang[postgres]" in caught.value.message


def test_passwords_are_scrubbed_from_urls_and_connection_strings() -> None:
    text = "connect postgresql+psycopg://clerk:s3cret@db:5432/tz failed (host=db password=s3cret user=clerk)"
    assert "s3cret" not in scrub_secrets(text)
    assert "postgresql+psycopg://clerk:***@db:5432/tz" in scrub_secrets(text)


def test_a_server_is_named_without_its_password() -> None:
    assert display_url("postgresql+psycopg://clerk:s3cret@db.office.local:5433/taizhang") == (
        "clerk@db.office.local:5433/taizhang"
    )


def test_the_log_file_never_holds_a_password(tmp_path: Path) -> None:
    from app.logging_setup import configure_logging

    root = logging.getLogger()
    before = list(root.handlers)
    path = configure_logging(folder=tmp_path)
    try:
        logging.getLogger("taizhang").error("opening postgresql://clerk:s3cret@db/tz failed")
        for handler in root.handlers:
            handler.flush()
        text = path.read_text(encoding="utf-8")
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()
    assert "clerk:***@db/tz" in text and "s3cret" not in text


def test_a_password_is_kept_in_the_credential_store_not_in_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.store: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.store.pop((service, username), None)

    from app.services import credentials

    memory = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(memory)
    try:
        url = credentials.server_url("db.office.local", 5432, "taizhang", "clerk")
        assert url == "postgresql+psycopg://clerk@db.office.local:5432/taizhang"
        assert credentials.save_password(url, "s3cret")
        assert credentials.saved_password(url) == "s3cret"
        assert all("s3cret" not in key for _service, key in memory.store)
        credentials.forget_password(url)
        assert credentials.saved_password(url) is None
    finally:
        keyring.set_keyring(previous)


def test_a_desk_started_on_a_server_url_uses_the_saved_password(monkeypatch: pytest.MonkeyPatch) -> None:
    # The office's shortcut runs `Taizhang.exe --db postgresql+psycopg://clerk@server/taizhang`: the password
    # saved once through 连接服务器数据库… must be used, never asked for at every start.
    from app.services import credentials, database

    url = "postgresql+psycopg://clerk@db.office.local:5432/taizhang"
    monkeypatch.setattr(credentials, "saved_password", lambda u: "s3cret" if u == url else None)
    given: list[str | None] = []

    def stop(_url: object, password: str | None = None) -> None:
        given.append(password)
        raise KnownError("stop here")

    monkeypatch.setattr(database, "Database", stop)
    for typed in (None, "typed"):
        with pytest.raises(KnownError, match="stop here"):
            database.open_database(url, password=typed)
    assert given == ["s3cret", "typed"]  # a password the clerk just typed wins over the saved one


def test_a_server_connection_asks_for_tls_when_offered_unless_the_url_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("psycopg")
    from app.storage import db as storage_db

    seen: list[dict[str, object]] = []
    real = storage_db.create_engine
    record = lambda url, **kw: seen.append(kw["connect_args"]) or real(url, **kw)  # noqa: E731
    monkeypatch.setattr(storage_db, "create_engine", record)
    storage_db.make_engine("postgresql+psycopg://clerk@db.office.local:5432/taizhang", "secret").dispose()
    storage_db.make_engine("postgresql+psycopg://clerk@db.office.local/taizhang?sslmode=require").dispose()
    assert seen[0] == {"sslmode": "prefer", "password": "secret"}  # TLS whenever the server offers it
    assert "sslmode" not in seen[1]  # the URL's own choice (require) stands
