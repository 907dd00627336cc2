"""Indicator arithmetic: growth needed and achieved, target paths, and the status of each target.

Time is measured in years on an "end of year" scale: the figure for year 2016 (or for 2016-Q4, 2016-12,
2016-H2) sits at t = 2016.0, the figure for 2016-Q3 at t = 2015.75. Baselines and target years are year-end
figures, so a target "到2020年" is due at t = 2020.0.

Statuses (one per target, so two documents' targets for one indicator are assessed side by side):

* 达标 — level target (floor): the latest actual has reached the target value; exact target: within 0.5 %;
  growth target: the average yearly growth achieved from the start of the growth period reaches the rate;
  milestone: the latest actual says 已实现.
* 可达 — not yet met, the target year not yet past, and either the latest actual is on or above the target
  path or the yearly growth still needed is no more than the growth achieved so far (milestones: not yet
  done, still time).
* 滞后 — otherwise, and whenever the target year has passed without the target being met.
* 无数据 — no actual since the baseline (or only one actual and nothing to measure a trend from).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.periods import Period

EXACT_TOLERANCE = 0.005  # an "exact" target counts as met within ±0.5 % of its value


class TargetKind(StrEnum):
    FLOOR = "floor"
    EXACT = "exact"
    GROWTH = "growth"
    MILESTONE = "milestone"

    @property
    def label(self) -> str:
        """Chinese name of the kind, for tables."""
        return {
            "floor": "数量目标（达到、超过、突破、以上）",
            "exact": "定值目标",
            "growth": "增速目标（年均增长）",
            "milestone": "节点目标（是/否）",
        }[self.value]


class Status(StrEnum):
    MET = "达标"
    ON_TRACK = "可达"
    BEHIND = "滞后"
    NO_DATA = "无数据"


LEVEL_KINDS = frozenset({TargetKind.FLOOR, TargetKind.EXACT})

# The documents' own hedges, kept with every target: 预计 makes a target a forecast (judged softly: missing it is
# 低于预计, not 滞后), 力争 an aspiration (judged as written, labelled so).
FORECAST = "预计"
ASPIRATION = "力争"
SOFT_LABELS = {
    Status.MET: "达到预计",
    Status.ON_TRACK: "符合预计",
    Status.BEHIND: "低于预计",
    Status.NO_DATA: "无数据",
}


def target_hedge(wording: str) -> str:
    """'预计' / '力争' when the document's wording hedges the target, else ''."""
    for word in (FORECAST, ASPIRATION):
        if word in wording:
            return word
    return ""


def status_label(status: Status, wording: str) -> str:
    """The status as lists and the report show it: a forecast's is 达到预计 / 符合预计 / 低于预计."""
    return SOFT_LABELS[status] if target_hedge(wording) == FORECAST else status.value

RULES: dict[TargetKind, str] = {
    TargetKind.FLOOR: (
        "达标：最新实际值已达到目标值；可达：未达标、目标年未过，且最新实际值不低于目标路径"
        "（基期值至目标值的等比增长路径），或实现目标尚需的年均增速不高于已实现的年均增速；"
        "滞后：其余情况，或目标年已过仍未达到；无数据：基期以来没有实际值。"
    ),
    TargetKind.EXACT: (
        "达标：最新实际值与目标值相差不超过0.5%；可达：目标年未过，且尚需年均增速不高于已实现年均增速"
        "或实际值不低于目标路径；滞后：其余情况，或目标年已过仍未达到；无数据：基期以来没有实际值。"
    ),
    TargetKind.GROWTH: (
        "达标：自增长期起点以来实现的年均增速不低于目标增速；滞后：低于目标增速（目标年已过则按目标年"
        "实际值计算）；无数据：起点以后没有实际值。增长期起点为目标年之前最近的基期值或同一文件的前一个"
        "数量目标（有该年实际值时用实际值）。"
    ),
    TargetKind.MILESTONE: (
        "达标：最新实际情况为“已实现”；可达：尚未实现，目标年未过；滞后：目标年已过仍未实现；无数据：没有录入实际情况。"
    ),
}


@dataclass(frozen=True, order=True)
class Point:
    """One value at a time ``t`` on the end-of-year scale (2016.0 = end of 2016)."""

    t: float
    value: float


@dataclass(frozen=True)
class Target:
    """A target as the domain sees it: kind, year, value (level, or % a year for growth)."""

    kind: TargetKind
    year: int
    value: float | None
    document: str = ""


@dataclass(frozen=True)
class Assessment:
    """The status of one target, the rule behind it and how the rule applied here."""

    status: Status
    rule_text: str
    reason: str
    needed_growth_pct: float | None = None
    achieved_growth_pct: float | None = None
    latest: Point | None = None
    path: tuple[Point, ...] = field(default=())

    @property
    def tooltip(self) -> str:
        """Rule and reason together, for a tooltip or a footnote."""
        return f"{self.status.value}：{self.reason}\n规则：{self.rule_text}"


def period_position(period_key: str) -> float:
    """Where a period's figure sits on the end-of-year scale: 2016 → 2016.0, 2016-Q3 → 2015.75."""
    end = Period.parse(period_key).end
    return end.year - 1 + end.month / 12


def year_label(t: float) -> str:
    """Chinese label for a position: 2016.0 → 2016年, 2015.75 → 2016年9月."""
    if abs(t - round(t)) < 1e-9:
        return f"{round(t)}年"
    year = math.floor(t) + 1
    month = round((t - math.floor(t)) * 12)
    return f"{year}年{month}月"


def required_growth(latest_value: float, latest_year: float, target_value: float, target_year: float) -> float:
    """Average yearly growth (%) needed to go from ``latest_value`` to ``target_value`` by ``target_year``."""
    years = target_year - latest_year
    if years <= 0:
        raise ValueError("目标年必须晚于最新实际值的年份")
    if latest_value <= 0 or target_value <= 0:
        raise ValueError("数值必须为正数才能计算增速")
    return float(((target_value / latest_value) ** (1 / years) - 1) * 100)


def achieved_growth(series: Sequence[Point] | Sequence[tuple[float, float]]) -> float | None:
    """Average yearly growth (%) from the first to the last point (CAGR), or None when it cannot be computed."""
    points = sorted(p if isinstance(p, Point) else Point(float(p[0]), float(p[1])) for p in series)
    if len(points) < 2:
        return None
    first, last = points[0], points[-1]
    if last.t - first.t <= 0 or first.value <= 0 or last.value <= 0:
        return None
    return float(((last.value / first.value) ** (1 / (last.t - first.t)) - 1) * 100)


def level_path(start: Point, end: Point) -> tuple[Point, ...]:
    """The geometric path from ``start`` to ``end``, a point at each whole year and at both ends."""
    if end.t <= start.t:
        return (end,)
    if start.value <= 0 or end.value <= 0:
        return (start, end)  # no geometric path through zero: straight line
    rate = (end.value / start.value) ** (1 / (end.t - start.t))
    return _path(start, end.t, rate)


def growth_path(start: Point, rate_pct: float, end_year: float) -> tuple[Point, ...]:
    """``start.value × (1 + g)^n`` from ``start`` to ``end_year``, a point at each whole year."""
    if end_year <= start.t:
        return (start,)
    return _path(start, end_year, 1 + rate_pct / 100)


def _path(start: Point, end_t: float, rate: float) -> tuple[Point, ...]:
    times = [start.t, *range(math.floor(start.t) + 1, math.ceil(end_t)), end_t]
    return tuple(Point(float(t), start.value * rate ** (t - start.t)) for t in sorted(set(times)))


def path_value(path: Sequence[Point], t: float) -> float | None:
    """The path's value at ``t`` (geometric interpolation between its points), or None outside it."""
    if not path or t < path[0].t or t > path[-1].t:
        return None
    for a, b in zip(path, path[1:], strict=False):
        if a.t <= t <= b.t:
            if a.value > 0 and b.value > 0:
                return float(a.value * (b.value / a.value) ** ((t - a.t) / (b.t - a.t)))
            return a.value + (b.value - a.value) * (t - a.t) / (b.t - a.t)
    return path[-1].value


def path_start(target: Target, baselines: Sequence[Point], targets: Sequence[Target]) -> Point | None:
    """Where the target's path starts: the latest baseline or earlier level target (same document) before it."""
    candidates = [b for b in baselines if b.t < target.year]
    candidates += [
        Point(float(t.year), t.value)
        for t in targets
        if t.kind in LEVEL_KINDS
        and t.value is not None
        and t.year < target.year
        and (not target.document or t.document == target.document)
    ]
    if not candidates:
        return None
    # Latest wins; at the same time a measured baseline beats a planned value.
    return max(candidates, key=lambda p: (p.t, p in baselines))


def target_path(target: Target, baselines: Sequence[Point] = (), targets: Sequence[Target] = ()) -> tuple[Point, ...]:
    """The path a target implies: geometric for level targets, compound growth for growth targets."""
    start = path_start(target, baselines, targets)
    if start is None or target.value is None or target.kind is TargetKind.MILESTONE:
        return ()
    if target.kind is TargetKind.GROWTH:
        return growth_path(start, target.value, float(target.year))
    return level_path(start, Point(float(target.year), target.value))


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def assess(
    target: Target,
    actuals: Sequence[Point],
    *,
    baselines: Sequence[Point] = (),
    targets: Sequence[Target] = (),
    as_of: float | None = None,
) -> Assessment:
    """Assess one target against the actuals known at ``as_of`` (None: every actual; past only by the data).

    ``baselines`` are the indicator's baseline points, ``targets`` all its targets (to find where a path starts).
    """
    kind = TargetKind(target.kind)
    rule = RULES[kind]
    known = sorted(a for a in actuals if as_of is None or a.t <= as_of + 1e-9)
    if kind is TargetKind.MILESTONE:
        return _assess_milestone(target, known, as_of, rule)
    if target.value is None:
        return Assessment(Status.NO_DATA, rule, "目标没有数值，无法判断")
    base_cut = max((b.t for b in baselines if b.t < target.year), default=None)
    since_base = [a for a in known if base_cut is None or a.t > base_cut]
    path = target_path(target, baselines, targets)
    if not since_base:
        since = f"{year_label(base_cut)}（基期）以来" if base_cut is not None else ""
        return Assessment(Status.NO_DATA, rule, f"{since}没有实际值", path=path)
    if kind is TargetKind.GROWTH:
        return _assess_growth(target, known, baselines, targets, as_of, rule, path)
    return _assess_level(target, kind, known, since_base, baselines, as_of, rule, path)


def _is_past(target_year: int, latest: Point, as_of: float | None) -> bool:
    return latest.t >= target_year - 1e-9 or (as_of is not None and as_of > target_year)


def _assess_level(
    target: Target,
    kind: TargetKind,
    known: list[Point],
    since_base: list[Point],
    baselines: Sequence[Point],
    as_of: float | None,
    rule: str,
    path: tuple[Point, ...],
) -> Assessment:
    assert target.value is not None
    goal = target.value
    latest = since_base[-1]
    base_points = [b for b in baselines if b.t < latest.t]
    series = ([max(base_points)] if base_points else []) + since_base
    achieved = achieved_growth(series)
    past = _is_past(target.year, latest, as_of)
    reached = (
        latest.value >= goal if kind is TargetKind.FLOOR else abs(latest.value - goal) <= abs(goal) * EXACT_TOLERANCE
    )
    # Growth still needed means nothing once the target is reached or its year has passed.
    needed = None if past or reached else _needed(latest, goal, target.year)

    def result(status: Status, reason: str) -> Assessment:
        return Assessment(status, rule, reason, needed, achieved, latest, path)

    now = f"{year_label(latest.t)}实际值{_fmt(latest.value)}"

    def met(value: float) -> bool:
        if kind is TargetKind.EXACT:
            return abs(value - goal) <= abs(goal) * EXACT_TOLERANCE
        return value >= goal

    if met(latest.value):
        first_met = next(a for a in since_base if met(a.value))
        late = "（晚于目标年）" if first_met.t > target.year + 1e-9 else ""
        when = f"{year_label(first_met.t)}实际值{_fmt(first_met.value)}"
        return result(Status.MET, f"{when}，已达到目标值{_fmt(goal)}{late}")
    if past:
        missing = "（目标年实际值未录入）" if latest.t < target.year - 1e-9 else ""
        return result(Status.BEHIND, f"目标年（{target.year}年）已过，{now}，未达到目标值{_fmt(goal)}{missing}")
    if kind is TargetKind.EXACT and latest.value > goal:
        return result(Status.BEHIND, f"{now}，已超出目标值{_fmt(goal)}")
    on_path = path_value(path, latest.t)
    if on_path is not None and latest.value >= on_path - 1e-9:
        return result(Status.ON_TRACK, f"{now}，不低于目标路径值{_fmt(on_path)}")
    if needed is not None and achieved is not None:
        verdict = "不高于" if needed <= achieved else "高于"
        status = Status.ON_TRACK if needed <= achieved else Status.BEHIND
        return result(status, f"{now}；尚需年均增长{needed:.1f}%，{verdict}已实现的{achieved:.1f}%")
    if on_path is not None:
        return result(Status.BEHIND, f"{now}，低于目标路径值{_fmt(on_path)}")
    return result(
        Status.NO_DATA,
        f"{now}；仅有一个实际值且无基期值，无法判断趋势（尚需年均增长{needed:.1f}%）"
        if needed is not None
        else f"{now}；无法判断趋势",
    )


def _needed(latest: Point, goal: float, year: int) -> float | None:
    try:
        return required_growth(latest.value, latest.t, goal, year)
    except ValueError:
        return None


def _assess_growth(
    target: Target,
    known: list[Point],
    baselines: Sequence[Point],
    targets: Sequence[Target],
    as_of: float | None,
    rule: str,
    path: tuple[Point, ...],
) -> Assessment:
    assert target.value is not None
    rate = target.value
    start = path_start(target, baselines, targets)
    if start is None:
        # No anchor in the documents: the growth period starts at the first actual.
        start = known[0]
        path = growth_path(start, rate, float(target.year))
    else:
        # A measured figure for the start year beats the planned one.
        measured = [a for a in known if abs(a.t - start.t) < 1e-9]
        if measured:
            start = measured[-1]
            path = growth_path(start, rate, float(target.year))
    after = [a for a in known if a.t > start.t + 1e-9]
    if not after:
        return Assessment(Status.NO_DATA, rule, f"增长期起点（{year_label(start.t)}）以后没有实际值", path=path)
    latest = after[-1]
    past = _is_past(target.year, latest, as_of)
    judged = latest
    if past:
        by_deadline = [a for a in after if a.t <= target.year + 1e-9]
        judged = by_deadline[-1] if by_deadline else latest
    achieved = achieved_growth([start, judged])
    end_value = path[-1].value if path else None
    needed = None
    if not past and end_value is not None:
        needed = _needed(latest, end_value, target.year)

    def result(status: Status, reason: str) -> Assessment:
        return Assessment(status, rule, reason, needed, achieved, latest, path)

    span = f"{year_label(start.t)}至{year_label(judged.t)}"
    if achieved is None:
        return result(Status.NO_DATA, f"{span}无法计算增速（数值须为正）")
    if achieved >= rate - 1e-9:
        return result(Status.MET, f"{span}年均增长{achieved:.1f}%，不低于目标{_fmt(rate)}%")
    past_note = f"目标年（{target.year}年）已过，" if past else ""
    tail = f"；按期实现尚需年均增长{needed:.1f}%" if needed is not None else ""
    return result(Status.BEHIND, f"{past_note}{span}年均增长{achieved:.1f}%，低于目标{_fmt(rate)}%{tail}")


def _assess_milestone(target: Target, known: list[Point], as_of: float | None, rule: str) -> Assessment:
    if not known:
        if as_of is not None and as_of > target.year:
            return Assessment(Status.NO_DATA, rule, f"目标年（{target.year}年）已过，没有录入实际情况")
        return Assessment(Status.NO_DATA, rule, "没有录入实际情况")
    latest = known[-1]
    done = [a for a in known if a.value >= 0.5]
    if latest.value >= 0.5:
        first = done[0] if done else latest
        late = "（晚于目标年）" if first.t > target.year + 1e-9 else ""
        return Assessment(Status.MET, rule, f"{year_label(first.t)}已实现{late}", latest=latest)
    if _is_past(target.year, latest, as_of):
        return Assessment(
            Status.BEHIND, rule, f"目标年（{target.year}年）已过，截至{year_label(latest.t)}尚未实现", latest=latest
        )
    return Assessment(
        Status.ON_TRACK, rule, f"截至{year_label(latest.t)}尚未实现，目标年{target.year}年", latest=latest
    )


def parse_actual_value(text: str, *, unit: str = "", milestone: bool = False, name: str = "") -> float:
    """Read a clerk's value (全角 digits, thousands separators, % and 是/否 accepted); ValueError in Chinese."""
    import unicodedata

    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
    if not cleaned:
        raise ValueError("请填写数值")
    if milestone:
        if cleaned in {"是", "已实现", "完成", "已完成", "1", "Y", "y", "yes"}:
            return 1.0
        if cleaned in {"否", "未实现", "未完成", "0", "N", "n", "no"}:
            return 0.0
        if cleaned in {"1.0", "0.0"}:
            return float(cleaned)
        raise ValueError("请填写“已实现”或“未实现”")
    if unit and cleaned.endswith(unit) and unit != "%":
        cleaned = cleaned[: -len(unit)]
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"“{text.strip()}”不是数字") from None
    if not math.isfinite(value):
        raise ValueError("请填写有限的数值")
    if value < 0:
        raise ValueError("数值不能为负数")
    # Per-person rates (mobile users per 100 people) can pass 100; household and coverage rates cannot.
    limit = 300.0 if "用户普及率" in name else 100.0
    if unit == "%" and value > limit:
        raise ValueError(f"百分比不能超过{limit:g}")
    return value
