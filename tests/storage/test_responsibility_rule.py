"""The 2018 plan's responsibility rule, checked against the document itself (not the generated TOML)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from app.services.departments import resolve_in
from app.services.supervision import list_parts
from app.storage.db import Database

DOCUMENT = next((Path(__file__).resolve().parents[2] / "resources" / "documents").glob("003_*.txt"))
_SECTION = re.compile(r"^([一二三四五六七八九十]+)、")
_PART = re.compile(r"^\(([一二三四五六七八九十]+)\)")
_ITEM = re.compile(r"^(\d+)\.")
_NAMES = re.compile(r"\(((?:省|人民银行)[^()]*)\)\s*$")


def _departments_by_item() -> dict[str, list[str]]:
    """Item code (二(一)1, 三(四)) → the departments named in parentheses at the end of its paragraph."""
    found: dict[str, list[str]] = {}
    section = part = item = ""
    for raw in DOCUMENT.read_text(encoding="utf-8").splitlines():
        line = unicodedata.normalize("NFKC", raw).strip()
        if m := _SECTION.match(line):
            section, part, item = m.group(1), "", ""
        elif m := _PART.match(line):
            part, item = m.group(1), ""
        elif m := _ITEM.match(line):
            item = m.group(1)
        names = _NAMES.search(line)
        if names:
            text = names.group(1).split(",")[0]  # drop "按职责分工负责,下同"
            code = f"{section}({part}){item}"
            found[code] = [n.strip() for n in text.split("、") if n.strip()]
    return found


def test_every_department_the_2018_plan_names_is_responsible_for_its_part(db: Database) -> None:
    named = _departments_by_item()
    assert len(named) == 20  # 16 items and 4 parts name their departments
    assert len({d for names in named.values() for d in names}) == 20
    with db.session() as s:
        parts = list_parts(s, "2025-Q3", document_key="infoconsumption-2018")
        # Since the 2018 reform several named bodies answer under a new name (省卫生计生委 → 省卫生健康委员会;
        # 省文化厅 and 省旅游发展委 → 省文化和旅游厅): each document name is checked through today's name.
        today = {
            code: list(dict.fromkeys(resolve_in(s, name).name for name in names)) for code, names in named.items()
        }
    responsible: dict[str, list[str]] = {}
    for p in parts:
        assert p.role == "responsible", (p.task_code, p.department_name, p.role)
        responsible.setdefault(p.task_code, []).append(p.department_name)
    assert {code: sorted(names) for code, names in responsible.items()} == {
        code: sorted(names) for code, names in today.items()
    }


def test_an_older_database_with_first_is_lead_guesses_is_upgraded_to_equal_responsibility(db: Database) -> None:
    from sqlalchemy import text

    from app.storage.migrate import downgrade, upgrade_to_head

    with db.session() as s:
        fresh = len(list_parts(s, None, document_key="infoconsumption-2018"))  # 61 named, less the reform's merges
    downgrade(db.engine, "0002_gantt_progress_index")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE task_departments SET role = 'co'"))
        conn.execute(text("UPDATE task_departments SET role = 'lead' WHERE sort_order = 0"))
    upgrade_to_head(db.engine)
    with db.session() as s:
        parts = list_parts(s, None, document_key="infoconsumption-2018")
    assert len(parts) == fresh and {p.role for p in parts} == {"responsible"}
    assert all(p.version == 1 and p.responsible_person == "" for p in parts)
