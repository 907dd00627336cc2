"""The one audit writer: every change a clerk or an import makes is recorded the same way (AuditEntry rows)."""

from __future__ import annotations

import getpass
from datetime import date, datetime

from sqlalchemy.orm import Session

from app.storage.models import AuditEntry

# audit_log.entity of a file the importer refused: entity_id = department id, field = period key,
# old_value = file name, new_value = JSON {"errors": [...]} (written by app.returns.commit.record_refusal).
REFUSAL_ENTITY = "return_refused"


def current_user() -> str:
    """The OS user name written into the audit log."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in the environment: still record the edit
        return "未知用户"


def audit_text(value: object) -> str:
    """A value as the 修改记录 shows it: "" for none, dates as ISO, numbers without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def add_audit(
    session: Session,
    *,
    user: str,
    entity: str,
    entity_id: int,
    field: str,
    old: object = "",
    new: object = "",
    action: str = "update",
    project_id: int | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Record one changed field (or a created / deleted record) in the session's transaction; returns the row."""
    entry = AuditEntry(
        at=at or datetime.now().replace(microsecond=0),
        user=user,
        entity=entity,
        entity_id=entity_id,
        project_id=project_id,
        field=field,
        old_value=audit_text(old),
        new_value=audit_text(new),
        action=action,
    )
    session.add(entry)
    return entry
