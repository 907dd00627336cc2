"""A department's return for a period in one word — 已报 / 未报 / 被拒 / 有警告待确认 — as 报表填报 and 总览 show it.

Kept apart from ``app.services.returns`` (the importer and its validation) so that the dashboard, the first
view a clerk sees, judges the same way without loading the import machinery at start-up.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.periods import Period
from app.services.period_entries import covered_period_keys
from app.storage.audit import REFUSAL_ENTITY
from app.storage.models import AuditEntry, Return


class ReturnState(StrEnum):
    RETURNED = "已报"
    MISSING = "未报"
    REFUSED = "被拒"
    UNCONFIRMED = "有警告待确认"


def latest_refusals(session: Session, period: Period) -> dict[int, AuditEntry]:
    """Department id → its latest refused file for ``period`` or a period inside it (months of a quarter)."""
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == REFUSAL_ENTITY, AuditEntry.field.in_(covered_period_keys(session, period)))
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return {a.entity_id: a for a in rows}


def refusal_stands(current: Return | None, refusal: AuditEntry | None) -> bool:
    """True when the department's last refused file came after its current return (or it has none)."""
    return refusal is not None and (current is None or refusal.at > current.imported_at)


def return_state(current: Return | None, refusal: AuditEntry | None) -> ReturnState:
    """The word for a department given its current return and its latest refusal (either may be None)."""
    if refusal_stands(current, refusal):
        return ReturnState.REFUSED
    if current is None:
        return ReturnState.MISSING
    return ReturnState.RETURNED if current.warnings_resolved else ReturnState.UNCONFIRMED
