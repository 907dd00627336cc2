"""The 督办 board: every supervised item (meeting decisions, and the parts other modules add) with its light.

One read returns plain tuples-in-dataclasses the view filters in memory, so a keystroke never reaches the
database. Other kinds of items join through ``item_sources`` (the supervised task parts register one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.decisions import Light
from app.domain.periods import Period
from app.domain.pinyin import search_key
from app.services.decisions import DecisionCounts, decision_counts_in, list_decisions_in, warn_days_in
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.models import Department, Meeting

KIND_DECISION = "议定事项"
KIND_PART = "重点任务"


@dataclass(frozen=True)
class BoardItem:
    """One row of the 督办 view."""

    kind: str  # KIND_DECISION / KIND_PART
    id: int  # the decision's id, or the part's id
    light: Light
    text: str
    departments: str  # 、-joined names
    department_ids: tuple[int, ...]
    task: str  # the task (code and title) or the meeting the decision came from
    due: date | None
    due_text: str
    status: str  # 办理中 / 已办结, or the part's 完成情况
    progress: str  # latest reported progress, or the closing note
    source: str
    search: str  # lower-case text and pinyin initials the filter box matches


@dataclass
class Board:
    """What the 督办 view shows."""

    items: list[BoardItem]
    departments: list[tuple[int, str]]
    meetings: list[tuple[int, str]]
    counts: DecisionCounts
    warn_days: int
    today: date
    tasks: list[str] = field(default_factory=list)


# Providers of other supervised items: (session, period, today) → items.
ItemSource = Callable[[Session, Period, date], list[BoardItem]]
item_sources: list[ItemSource] = []


def make_search(*parts: str) -> str:
    """The filter text of a row: its words lower-cased, their pinyin initials and full pinyin (app.domain.pinyin)."""
    return search_key(" ".join(p for p in parts if p))


def load_board(db: Database, period_key: str, today: date | None = None) -> Board:
    """Every supervised item for the 督办 view, with the departments and meetings its dialogs offer."""
    try:
        period = Period.parse(period_key)
    except ValueError as exc:
        raise KnownError(str(exc)) from exc
    day = today or date.today()
    with db.session() as s:
        items: list[BoardItem] = []
        for source in item_sources:
            items.extend(source(s, period, day))
        for d in list_decisions_in(s, today=day):
            meeting = f"{d.meeting_date:%Y-%m-%d} {d.meeting_title}" if d.meeting_title else ""
            done = f"{d.closed_on:%Y-%m-%d} 办结：{d.closing_note}" if d.closed and d.closed_on else ""
            items.append(
                BoardItem(
                    kind=KIND_DECISION,
                    id=d.id,
                    light=d.light,
                    text=d.text,
                    departments=d.departments_text,
                    department_ids=d.department_ids,
                    task=meeting,
                    due=d.due_date,
                    due_text=d.due_text,
                    status=d.status,
                    progress=done or d.latest_progress,
                    source=d.source_text,
                    search=make_search(d.text, d.departments_text, meeting, d.source_text, str(d.id)),
                )
            )
        departments = [
            (i, n) for i, n in s.execute(select(Department.id, Department.name).order_by(Department.sort_order))
        ]
        meetings = [
            (i, f"{held:%Y-%m-%d} {title}")
            for i, held, title in s.execute(
                select(Meeting.id, Meeting.held_on, Meeting.title).order_by(Meeting.held_on.desc(), Meeting.id.desc())
            )
        ]
        counts = decision_counts_in(s, period, day)
        warn = warn_days_in(s)
    tasks = sorted({i.task for i in items if i.kind == KIND_PART and i.task})
    return Board(items, departments, meetings, counts, warn, day, tasks)
