"""Schedule rules: when is a project behind, and why (reasons in Chinese for tooltips and reports)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

DEFAULT_LAG_MARGIN_PCT = 15.0  # progress may trail the share of time elapsed by this much before it is 滞后


@dataclass(frozen=True)
class MilestoneFacts:
    name: str
    planned: date | None
    actual: date | None


class MilestoneLike(Protocol):
    """Anything with a milestone's name and dates (MilestoneFacts, or a view's own milestone rows, uncopied)."""

    @property
    def name(self) -> str: ...
    @property
    def planned(self) -> date | None: ...
    @property
    def actual(self) -> date | None: ...


@dataclass(frozen=True)
class ScheduleFacts:
    """What the rules need to know about one project, as plain data."""

    planned_start: date | None
    planned_end: date | None
    progress_pct: float | None  # latest reported 形象进度
    milestones: tuple[MilestoneLike, ...] = ()
    finished: bool = False  # the derived status is 已完成 (e.g. a programme whose quota is reached)


def lag_as_of(period_end: date | None, today: date) -> date:
    """The day lag is judged on: the end of the chosen reporting period when that is past, else today.

    One rule for the ledger, dashboard, Gantt chart and meeting report: a view of 2025-Q3 says who was behind
    on 30 September; a view of the current quarter says who is behind now.
    """
    return today if period_end is None else min(today, period_end)


def time_elapsed_pct(start: date | None, end: date | None, today: date) -> float | None:
    """Share of the planned span that has passed, 0-100; None without both dates."""
    if start is None or end is None or end <= start:
        return None
    if today <= start:
        return 0.0
    if today >= end:
        return 100.0
    return 100.0 * (today - start).days / (end - start).days


class ScheduleLike(Protocol):
    """Anything with the facts the rules read (ScheduleFacts, or a view's own row, uncopied)."""

    @property
    def planned_start(self) -> date | None: ...
    @property
    def planned_end(self) -> date | None: ...
    @property
    def progress_pct(self) -> float | None: ...
    @property
    def milestones(self) -> Sequence[MilestoneLike]: ...
    @property
    def finished(self) -> bool: ...


def lag_reasons(facts: ScheduleLike, today: date, margin_pct: float = DEFAULT_LAG_MARGIN_PCT) -> list[str]:
    """Why the project is behind schedule; an empty list means it is not.

    Two rules: a planned milestone date has passed with no actual date; or progress trails the share of the
    planned span already elapsed by more than ``margin_pct`` points. A finished project (形象进度 100 %, or
    a status of 已完成) is never behind: what is done cannot be late any more.
    """
    if facts.finished or (facts.progress_pct is not None and facts.progress_pct >= 100):
        return []
    reasons: list[str] = []
    for m in facts.milestones:
        if m.planned and m.actual is None and m.planned < today:
            days = (today - m.planned).days
            reasons.append(f"里程碑「{m.name}」计划 {m.planned:%Y-%m-%d} 完成，已逾期 {days} 天未完成")
    elapsed = time_elapsed_pct(facts.planned_start, facts.planned_end, today)
    if elapsed is not None and facts.progress_pct is not None and facts.progress_pct < 100:
        if elapsed - facts.progress_pct > margin_pct:
            reasons.append(
                f"形象进度 {facts.progress_pct:.0f}%，低于计划工期已过 {elapsed:.0f}% 超过 {margin_pct:.0f} 个百分点"
            )
    return reasons


def is_behind(facts: ScheduleLike, today: date, margin_pct: float = DEFAULT_LAG_MARGIN_PCT) -> bool:
    return bool(lag_reasons(facts, today, margin_pct))
