"""A throwaway PostgreSQL cluster for the session: initdb + pg_ctl in a temp dir, unix socket only, free port."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def pg_server() -> Iterator[tuple[str, int]]:
    """(socket folder, port) of a running cluster; skipped when PostgreSQL or psycopg is not installed."""
    pytest.importorskip("psycopg", reason="psycopg 3 未安装（pip install -e '.[dev]'）")
    bindir = _bin_dir()
    if bindir is None:
        pytest.skip("PostgreSQL 未安装：scripts/setup.sh 以 root 运行时会安装 postgresql")
    as_root = os.geteuid() == 0
    prefix: list[str] = []
    if as_root:
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("以 root 运行但没有 runuser，无法以 postgres 用户启动 PostgreSQL")
        prefix = [runuser, "-u", "postgres", "--"]
    # /tmp rather than pytest's tmp folder: the postgres user must reach it, and socket paths must stay short.
    root = Path(tempfile.mkdtemp(prefix="tzpg-"))
    if as_root:
        shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", _free_port()
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    subprocess.run(
        [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
         "--no-sync", "--no-instructions"],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    opts = f"-p {port} -k {root} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
    subprocess.run(
        [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-o", opts, "-w", "start"],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    try:
        yield str(root), port
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, env=env)  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: tuple[str, int]) -> str:
    """A fresh, empty database on the session's cluster, as a ``postgresql+psycopg://`` URL."""
    import psycopg

    host, port = pg_server
    name = "tz_" + uuid.uuid4().hex[:12]
    with psycopg.connect(host=host, port=port, user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@/{name}?host={host}&port={port}"
