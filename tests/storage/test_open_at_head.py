"""Opening a database already at head (every start but the first after an upgrade) does not load Alembic."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT


def test_a_database_at_head_opens_without_importing_alembic(db_path: Path) -> None:
    code = (
        "import sys; from app.services.database import open_database; "
        f"r = open_database({str(db_path)!r}, seed=False); r.database.dispose(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"  # ~150 ms of imports kept off the start-up path


def test_a_database_behind_head_is_still_upgraded(tmp_path: Path) -> None:
    from app.services.database import open_database
    from app.storage.migrate import current_revision, downgrade, head_revision

    result = open_database(tmp_path / "t.db", seed=False)
    downgrade(result.database.engine, "-1")  # one revision behind, whatever the chain is
    result.database.dispose()
    again = open_database(tmp_path / "t.db", seed=False)
    try:
        assert current_revision(again.database.engine) == head_revision()
    finally:
        again.database.dispose()
