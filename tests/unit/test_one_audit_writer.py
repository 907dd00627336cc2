"""Every audit row is written by storage.audit.add_audit, so the 修改记录 shows every change the same way."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def test_only_the_audit_module_builds_audit_rows() -> None:
    builders = []
    for path in sorted(APP.rglob("*.py")):
        if path.relative_to(APP).as_posix() == "storage/audit.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "AuditEntry":
                builders.append(f"{path.relative_to(APP)}:{node.lineno}")
    assert builders == [], f"build audit rows through app.storage.audit.add_audit: {builders}"
