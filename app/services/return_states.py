"""A department's return for a period in one word — 已报 / 未报 / 被拒 / 有警告待确认 — as 报表填报 and 总览 show it.

Kept apart from ``app.services.returns`` (the importer and its validation) so that the dashboard, the first
view a clerk sees, judges the same way without loading the import machinery at start-up.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import NamedTuple, Protocol

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.domain.periods import Period
from app.services.period_entries import covered_period_keys
from app.storage.audit import REFUSAL_ENTITY
from app.storage.models import AuditEntry


class ReturnState(StrEnum):
    RETURNED = "已报"
    MISSING = "未报"
    REFUSED = "被拒"
    UNCONFIRMED = "有警告待确认"


def latest_refusals(session: Session, period: Period) -> dict[int, AuditEntry]:
    """Department id → its latest refused file for ``period`` or a period inside it (months of a quarter)."""
    a = AuditEntry.__table__.c
    rows = session.scalars(select(AuditEntry).where(*_refusals_of(session, period)).order_by(a.at, a.id))
    return {entry.entity_id: entry for entry in rows}


def _refusals_of(session: Session, period: Period) -> tuple[ColumnElement[bool], ...]:
    """Which audit rows are refused files for ``period`` or a period inside it (table columns)."""
    a = AuditEntry.__table__.c
    return a.entity == REFUSAL_ENTITY, a.field.in_(covered_period_keys(session, period))


class Filed(Protocol):
    """What the word needs of a current return: a ``Return``, or a ``period_entries.ReceivedReturn``."""

    @property
    def imported_at(self) -> datetime: ...

    @property
    def warnings_resolved(self) -> bool: ...


class Refused(Protocol):
    """What the word needs of a refusal: an ``AuditEntry``, or a ``RefusalAt``."""

    @property
    def at(self) -> datetime: ...


class RefusalAt(NamedTuple):
    """When a department's latest file for a period was refused."""

    at: datetime


def latest_refusal_times(session: Session, period: Period) -> dict[int, RefusalAt]:
    """``latest_refusals`` read as table columns (Core): the dashboard, the first view, must not configure the
    mappers (start-up), and the word needs only the time."""
    a = AuditEntry.__table__.c
    rows = session.execute(select(a.entity_id, a.at).where(*_refusals_of(session, period)).order_by(a.at, a.id))
    return {dept_id: RefusalAt(at) for dept_id, at in rows}


def refusal_stands(current: Filed | None, refusal: Refused | None) -> bool:
    """True when the department's last refused file came after its current return (or it has none)."""
    return refusal is not None and (current is None or refusal.at > current.imported_at)


def return_state(current: Filed | None, refusal: Refused | None) -> ReturnState:
    """The word for a department given its current return and its latest refusal (either may be None)."""
    if refusal_stands(current, refusal):
        return ReturnState.REFUSED
    if current is None:
        return ReturnState.MISSING
    return ReturnState.RETURNED if current.warnings_resolved else ReturnState.UNCONFIRMED
