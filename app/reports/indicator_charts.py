"""Chart of one indicator: actuals against each document's target path, baseline and target markers.

Returns a ``matplotlib.figure.Figure`` (never pyplot, so nothing global is opened); the view puts it on a
Qt canvas, the report renders it into the PDF / .docx. matplotlib is imported only when a chart is drawn.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from app.domain.indicators import TargetKind
from app.reports.chart_fonts import configure_cjk_font

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from app.services.indicators import IndicatorData, TargetData

ACTUAL_COLOUR = "#1f4e9c"
BASELINE_COLOUR = "#555555"
# One colour per document, in the order documents appear; the same document keeps its colour on every chart.
DOCUMENT_COLOURS = ("#c0392b", "#2e8b57", "#d68910", "#7d3c98")


def document_abbrev(title: str) -> str:
    """A short name for a document in legends: 《关于促进互联网经济发展的指导意见》 → 指导意见."""
    bare = title.strip("《》 ")
    return bare[-4:] if len(bare) > 8 else bare


def _colour(target: TargetData, order: list[str]) -> str:
    if target.document_key not in order:
        order.append(target.document_key)
    return DOCUMENT_COLOURS[order.index(target.document_key) % len(DOCUMENT_COLOURS)]


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def indicator_figure(view_data: IndicatorData, *, width_in: float = 6.4, height_in: float = 3.6) -> Figure:
    """Draw the indicator: baseline point, actuals line, target paths and target markers with their documents."""
    configure_cjk_font()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=100)
    # Fixed margins in inches: constrained layout would measure every label and costs ~40 % of the drawing time.
    fig.subplots_adjust(
        left=min(0.3, 0.75 / width_in),
        right=1 - min(0.1, 0.2 / width_in),
        top=1 - min(0.2, 0.35 / height_in),
        bottom=min(0.3, 0.55 / height_in),
    )
    ax = fig.add_subplot()
    unit = f"（{view_data.unit}）" if view_data.unit else ""
    ax.set_title(f"{view_data.name}{unit}", fontsize=11)
    if view_data.is_milestone:
        _draw_milestone(ax, view_data)
    else:
        _draw_levels(ax, view_data)
    return fig


def _draw_levels(ax: Axes, data: IndicatorData) -> None:
    order: list[str] = []
    years: list[float] = []
    top = 0.0
    references: list[tuple[float, int, str]] = []
    for b in data.baselines:
        top = max(top, b.value)
        ax.plot([b.year], [b.value], marker="s", color=BASELINE_COLOUR, linestyle="none", label=f"基期值（{b.year}年）")
        ax.annotate(_fmt(b.value), (b.year, b.value), textcoords="offset points", xytext=(4, -12), fontsize=8)
        years.append(b.year)
    for target in data.targets:
        colour = _colour(target, order)
        doc = document_abbrev(target.document)
        if target.path:
            style = ":" if target.kind is TargetKind.GROWTH else "--"
            what = f"年均增长{target.value:g}%路径" if target.kind is TargetKind.GROWTH else f"{target.year}年目标路径"
            ax.plot(
                [p.t for p in target.path],
                [p.value for p in target.path],
                linestyle=style,
                color=colour,
                linewidth=1.2,
                label=f"{what}（{doc}）",
            )
            years += [p.t for p in target.path]
            top = max([top] + [p.value for p in target.path])
        if target.kind in (TargetKind.FLOOR, TargetKind.EXACT) and target.value is not None:
            unit = data.unit if data.unit == "%" else ""
            ax.plot(
                [target.year],
                [target.value],
                marker="*",
                markersize=11,
                color=colour,
                linestyle="none",
                label=f"{doc}：{target.year}年{target.wording.split('（')[0]}",
            )
            if not target.path:
                # No baseline to draw a path from: show the level as a reference line up to its year instead.
                references.append((target.value, target.year, colour))
            ax.annotate(
                f"{_fmt(target.value)}{unit}",
                (target.year, target.value),
                textcoords="offset points",
                xytext=(7, -3),
                ha="left",
                fontsize=8,
                color=colour,
            )
            years.append(target.year)
            top = max(top, target.value)
    used = data.used_actuals
    if used:
        ax.plot(
            [a.t for a in used],
            [a.value or 0.0 for a in used],
            marker="o",
            markersize=4,
            color=ACTUAL_COLOUR,
            linewidth=1.8,
            label="实际值",
        )
        last = used[-1]
        assert last.value is not None
        ax.annotate(_fmt(last.value), (last.t, last.value), textcoords="offset points", xytext=(4, 4), fontsize=8)
        years += [a.t for a in used]
        top = max([top] + [a.value for a in used if a.value is not None])
    if not years:
        ax.text(0.5, 0.5, "暂无基期值、目标值和实际值", ha="center", va="center", transform=ax.transAxes, fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
        return
    for value, year, colour in references:
        if year > min(years):
            ax.hlines(value, min(years), year, colors=colour, linestyles="--", linewidth=0.8, alpha=0.6)
    if not used:
        ax.text(0.5, 0.92, "暂无实际值", ha="center", va="top", transform=ax.transAxes, fontsize=9, color="#888888")
    _year_axis(ax, years)
    ax.set_ylabel(data.unit or "数值", fontsize=9)
    # Without actuals the 暂无实际值 note sits at the top: leave it room above the highest point.
    ax.set_ylim(0, top * (1.15 if used else 1.4) if top > 0 else 1)
    ax.grid(True, color="#dddddd", linewidth=0.6)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, loc="best", framealpha=0.85, edgecolor="none")


def _year_axis(ax: Axes, years: list[float]) -> None:
    first, last = math.floor(min(years)), math.ceil(max(years))
    if first == last:
        first, last = first - 1, last + 1
    step = max(1, math.ceil((last - first) / 10))
    ticks = list(range(first, last + 1, step))
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{t}" for t in ticks], fontsize=8)
    ax.set_xlim(first - 0.4, last + 0.7)
    ax.set_xlabel("年份（年末值）", fontsize=9)
    ax.tick_params(axis="y", labelsize=8)


def _draw_milestone(ax: Axes, data: IndicatorData) -> None:
    order: list[str] = []
    years: list[float] = []
    used = data.used_actuals
    if used:
        ax.step(
            [a.t for a in used],
            [a.value or 0.0 for a in used],
            where="post",
            marker="o",
            color=ACTUAL_COLOUR,
            label="实际情况",
        )
        years += [a.t for a in used]
    for target in data.targets:
        colour = _colour(target, order)
        ax.axvline(target.year, color=colour, linestyle="--", linewidth=1.2)
        ax.annotate(
            f"{document_abbrev(target.document)}：{target.year}年{target.wording}",
            (target.year, 1.08),
            textcoords="offset points",
            xytext=(-4, 0),
            ha="right",
            fontsize=8,
            color=colour,
        )
        years.append(target.year)
    if not used:
        ax.text(0.5, 0.5, "暂无实际情况", ha="center", va="center", transform=ax.transAxes, fontsize=10, color="#888")
    _year_axis(ax, years or [2020])
    ax.set_ylim(-0.2, 1.3)
    ax.set_yticks([0, 1])
    ax.set_yticklabels(["未实现", "已实现"], fontsize=9)
    ax.grid(True, axis="x", color="#dddddd", linewidth=0.6)
