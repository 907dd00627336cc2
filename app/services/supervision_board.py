"""The 督办 board: every supervised item (task parts and meeting decisions) with its light.

One read returns plain rows the view filters in memory, so a keystroke never reaches the database.
A part's light for the period: red when its department reported it 滞后, yellow while the period's progress
is still owed, green when reported on track or done. A decision's: app.domain.decisions.decision_light.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.decisions import Light
from app.domain.periods import Period
from app.domain.pinyin import search_key
from app.services.decisions import DecisionCounts, count_rows, list_decisions_in, warn_days_in
from app.services.supervision import PartRow, list_parts
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.models import Department, Meeting

KIND_DECISION = "议定事项"
KIND_PART = "重点任务"


@dataclass(slots=True)  # not frozen: a frozen __init__ costs 8 µs a row, 17 ms over a 2,250-row board
class BoardItem:
    """One row of the 督办 view (nothing edits one: a change reloads the board)."""

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
    task_id: int | None = None  # a part's task (its 责任分工 dialog edits the task's parts)


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


def part_light(part: PartRow) -> Light:
    """Red when reported 滞后, yellow while the period's progress is owed, else green."""
    if part.lagging:
        return Light.RED
    if part.owed:
        return Light.YELLOW
    return Light.GREEN


def part_items(s: Session, period: Period) -> list[BoardItem]:
    """Every supervised part (task × department) with its state and latest progress for ``period``."""
    items = []
    for p in list_parts(s, period):
        progress = p.progress
        said = ""
        if progress is not None:
            said = "；".join(
                x for x in (progress.progress_text, f"存在问题：{progress.problems}" if progress.problems else "") if x
            )
        task = f"{p.task_code} {p.document_title}".strip()  # the code first: it is what a narrow column shows
        year_target = p.year_target
        target = f"{p.year}年度目标：{year_target}" if year_target else ""
        items.append(
            BoardItem(
                kind=KIND_PART,
                id=p.part_id,
                light=part_light(p),
                text=p.task_title,
                departments=p.department_name,
                department_ids=(p.department_id,),
                task=task,
                due=None,
                due_text="",
                status=p.state,
                progress=said,
                source="；".join(x for x in (target, p.people) if x),
                search=make_search(p.department_name, p.task_title, task, said, target),
                task_id=p.task_id,
            )
        )
    return items


def make_search(departments: str, *texts: str) -> str:
    """The filter text a row has at once: all its words lower-cased, and its departments' pinyin (sswt for
    省商务厅; a few dozen names, cached). Pinyin of the item's own text comes later (``pinyin_keys``)."""
    words = " ".join(t for t in (departments, *texts) if t).lower()
    return f"{words}\x1f{search_key(departments)}" if departments else words


def pinyin_keys(items: list[BoardItem]) -> list[str]:
    """Each item's text (and task) in pinyin, for the view to add once computed off the GUI thread: ~0.5 ms
    an item, too slow for the board's first show."""
    return [search_key(f"{i.text} {i.task}" if i.kind == KIND_PART else i.text) for i in items]


def load_board(db: Database, period_key: str, today: date | None = None) -> Board:
    """Every supervised item for the 督办 view, with the departments and meetings its dialogs offer."""
    try:
        period = Period.parse(period_key)
    except ValueError as exc:
        raise KnownError(str(exc)) from exc
    day = today or date.today()
    with db.session() as s:
        items: list[BoardItem] = part_items(s, period)
        decision_rows = list_decisions_in(s, today=day)
        for d in decision_rows:
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
                    search=make_search(d.departments_text, d.text, meeting, d.source_text, done, str(d.id)),
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
        counts = count_rows(decision_rows, period)
        warn = warn_days_in(s)
    tasks = sorted({i.task for i in items if i.kind == KIND_PART and i.task})
    return Board(items, departments, meetings, counts, warn, day, tasks)
