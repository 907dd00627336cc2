"""Who has not returned for a period (chase_missing_returns), with the notice text and the .xlsx list."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.returns.chasing import ChaseItem, ChaseList, ChaseReason, chase_notice_text, write_chase_xlsx
from app.services.period_entries import covered_period_keys, received_returns
from app.services.scope import (
    DEFAULT_OFFICE_NAME,
    OFFICE_CONTACT_SETTING,
    OFFICE_NAME_SETTING,
    find_period,
    owing_scopes,
    parse_period,
    setting,
)
from app.storage.audit import REFUSAL_ENTITY
from app.storage.db import Database
from app.storage.models import AuditEntry, Return


@dataclass(frozen=True)
class _Refusal:
    at: datetime
    file_name: str
    first_error: str


def _refusals(session: Session, period_keys: list[str]) -> dict[int, _Refusal]:
    """Department id → its latest refused file for any of the periods (a quarter and the months inside it)."""
    latest: dict[int, _Refusal] = {}
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == REFUSAL_ENTITY, AuditEntry.field.in_(period_keys))
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    for a in rows:
        try:
            errors = json.loads(a.new_value or "{}").get("errors", [])
        except (ValueError, AttributeError):
            errors = []
        latest[a.entity_id] = _Refusal(a.at, a.old_value, str(errors[0]) if errors else "")
    return latest


def chase_missing_returns(session: Session, period_key: str, today: date | None = None) -> ChaseList:
    """Expected departments whose return is missing, refused, or accepted with unresolved warnings.

    Expected departments: see app.services.scope (lead a project or programme, or own an indicator); while no
    project or indicator names a department yet, every department is expected (as the 报表填报 view does).
    Refused: the department's latest file for the period was refused by the importer after its last accepted
    return (or it has none).
    """
    period = parse_period(period_key)
    row = find_period(session, period.key)
    chase = ChaseList(
        period_key=period.key,
        period_label=period.label,
        as_of=today or date.today(),
        due_date=row.due_date if row is not None else None,
    )
    # Received: the rule the dashboard and the report use (monthly returns count for their quarter).
    current: dict[int, Return] = received_returns(session, period)
    refusals = _refusals(session, covered_period_keys(session, period))
    scopes, chase.everyone_expected = owing_scopes(session)
    chase.expected = len(scopes)
    for scope in scopes:
        dept = scope.department
        found = current.get(dept.id)
        refused = refusals.get(dept.id)
        if found is not None:
            chase.received += 1
        if refused is not None and (found is None or refused.at > found.imported_at):
            item = ChaseItem(
                department=dept.name,
                reason=ChaseReason.REFUSED,
                owes=scope.describe(),
                contact_person=dept.contact_person,
                contact_phone=dept.contact_phone,
                file_name=refused.file_name,
                imported_at=refused.at,
                first_error=refused.first_error,
            )
        elif found is None:
            item = ChaseItem(
                department=dept.name,
                reason=ChaseReason.MISSING,
                owes=scope.describe(),
                contact_person=dept.contact_person,
                contact_phone=dept.contact_phone,
            )
        elif not found.warnings_resolved:
            item = ChaseItem(
                department=dept.name,
                reason=ChaseReason.UNRESOLVED,
                owes=scope.describe(),
                contact_person=dept.contact_person,
                contact_phone=dept.contact_phone,
                file_name=found.file_name,
                imported_at=found.imported_at,
                warning_count=found.warning_count,
            )
        else:
            continue
        chase.items.append(item)
    # Missing, then refused, then unresolved; each in the office's department order (the scopes' order).
    order = {ChaseReason.MISSING: 0, ChaseReason.REFUSED: 1, ChaseReason.UNRESOLVED: 2}
    chase.items.sort(key=lambda i: order[i.reason])
    return chase


def chasing_report(
    database: Database,
    period_key: str,
    xlsx_path: Path | None = None,
    notice_path: Path | None = None,
    today: date | None = None,
) -> tuple[ChaseList, str]:
    """The chase list and notice text for a period; optionally written to .xlsx and .txt files."""
    with database.session() as session:
        chase = chase_missing_returns(session, period_key, today)
        office = setting(session, OFFICE_NAME_SETTING, DEFAULT_OFFICE_NAME)
        contact = setting(session, OFFICE_CONTACT_SETTING)
    notice = chase_notice_text(chase, office, contact)
    if xlsx_path is not None:
        write_chase_xlsx(chase, Path(xlsx_path))
    if notice_path is not None:
        write_notice(Path(notice_path), notice)
    return chase, notice


def write_notice(path: Path, text: str) -> None:
    """Save the notice as UTF-8 with BOM and CRLF line ends; a Chinese KnownError if it cannot be written."""
    from app.storage.files import atomic_write

    with atomic_write(path) as tmp:
        # UTF-8 with BOM and CRLF: Windows Notepad and WPS open it with the right encoding and line breaks.
        tmp.write_text(text.replace("\n", "\r\n"), encoding="utf-8-sig", newline="")


def save_chase_list(chase: ChaseList, path: Path) -> Path:
    """Save the chase list as .xlsx (for the GUI, which already holds the list)."""
    return write_chase_xlsx(chase, Path(path))
