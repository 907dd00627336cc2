"""Who has not returned for a period (chase_missing_returns), with the notice text and the .xlsx list."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.returns.chasing import ChaseItem, ChaseList, ChaseReason, chase_notice_text, write_chase_xlsx
from app.services.scope import (
    DEFAULT_OFFICE_NAME,
    OFFICE_CONTACT_SETTING,
    OFFICE_NAME_SETTING,
    expected_scopes,
    find_period,
    parse_period,
    setting,
)
from app.storage.db import Database
from app.storage.models import Return


def chase_missing_returns(session: Session, period_key: str, today: date | None = None) -> ChaseList:
    """Expected departments whose return is missing (none accepted) or has unresolved warnings.

    Expected departments: see app.services.scope (lead a project or programme, or own an indicator).
    A refused file is never stored, so a department whose every file was refused shows as 未报送.
    """
    period = parse_period(period_key)
    row = find_period(session, period.key)
    chase = ChaseList(
        period_key=period.key,
        period_label=period.label,
        as_of=today or date.today(),
        due_date=row.due_date if row is not None else None,
    )
    current: dict[int, Return] = {}
    if row is not None:
        for ret in session.scalars(
            select(Return)
            .where(Return.period_id == row.id, Return.superseded_by_id.is_(None))
            .order_by(Return.imported_at, Return.id)
        ):
            current[ret.department_id] = ret  # the latest import wins if two are current
    scopes = expected_scopes(session)
    chase.expected = len(scopes)
    for scope in scopes:
        dept = scope.department
        found = current.get(dept.id)
        if found is not None:
            chase.received += 1
            if found.warnings_resolved:
                continue
            reason = ChaseReason.UNRESOLVED
        else:
            reason = ChaseReason.MISSING
        chase.items.append(
            ChaseItem(
                department=dept.name,
                reason=reason,
                owes=scope.describe(),
                contact_person=dept.contact_person,
                contact_phone=dept.contact_phone,
                file_name=found.file_name if found is not None else "",
                imported_at=found.imported_at if found is not None else None,
                warning_count=found.warning_count if found is not None else 0,
            )
        )
    # Missing first, then unresolved; each in the office's department order (already the scopes' order).
    chase.items.sort(key=lambda i: i.reason is not ChaseReason.MISSING)
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
    from app.storage.errors import KnownError

    try:
        # UTF-8 with BOM and CRLF: Windows Notepad and WPS open it with the right encoding and line breaks.
        path.write_text(text.replace("\n", "\r\n"), encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise KnownError(f"无法写入 {path}：{exc.strerror or exc}") from exc


def save_chase_list(chase: ChaseList, path: Path) -> Path:
    """Save the chase list as .xlsx (for the GUI, which already holds the list)."""
    return write_chase_xlsx(chase, Path(path))
