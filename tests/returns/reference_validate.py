"""The progress rows' check as it was written before its per-row fast path (kept to compare the two).

A verbatim copy of `_check_progress` from before the rewrite: matching through `match_project`, every amount
through `_check_money`, `_check_plausible` on every row. `test_check_progress_fast_path` runs both on the same
rows and requires the same problems, in the same order, and the same plans.
"""

from __future__ import annotations

from typing import Any

from app.returns.parsed import ParsedRow
from app.returns.validate import (
    TEXT_FIELDS,
    ProgressPlan,
    ValidatedReturn,
    _check_money,
    _check_plausible,
    _Checker,
    _fmt,
    _number,
    _text,
)


def reference_check_progress(chk: _Checker, result: ValidatedReturn) -> None:
    rows = chk.parsed.rows.get("progress", [])
    if not rows:
        return
    prior = chk.state.prior_figures(result.period) if result.period else {}
    seen: dict[int, ParsedRow] = {}
    dept = result.department
    match_project = chk.cat.match_project
    for row in rows:
        got = row.values.get
        match = match_project(got("project_code"), got("project_name"), candidates=chk.listing)
        if match.project is None:
            label = _text(row.values.get("project_name")) or _text(row.values.get("project_code"))
            near = f"最接近的项目：{'；'.join(match.candidates)}" if match.candidates else "台账中没有相近的项目"
            chk.error(
                row,
                "project_name",
                f"项目「{label}」在台账中找不到（编号和名称都对不上）。{near}。"
                "请核对名称或编号；如确属新项目，请先在台账中新建",
            )
            continue
        project = match.project
        if match.conflict is not None:
            chk.warn(
                row,
                "project_code",
                f"编号 {project.code} 是「{project.name}」，名称却是另一项目「{match.conflict.name}」；"
                "按编号导入，请核对",
            )
        if project.id in seen:
            chk.error(
                row, "project_name", f"项目「{project.name}」在本表中出现两次（另见第 {seen[project.id].row} 行）"
            )
            continue
        seen[project.id] = row
        if dept is not None and project.department_ids and dept.id not in project.department_ids:
            owner = chk.cat.departments.get(project.lead_department_id or -1)
            owner_name = owner.name if owner else "其他单位"
            chk.warn(row, "project_name", f"项目「{project.name}」由{owner_name}负责，不是{dept.name}的项目，请核对")
        # Written out per field rather than looped: this runs once per row of a 50,000-row file.
        period_inv = _check_money(chk, row, "investment_period")
        cum = _check_money(chk, row, "investment_cumulative")
        pct = _number(got("progress_pct"))
        if pct is not None and not 0 <= pct <= 100:
            chk.error(row, "progress_pct", f"形象进度应在 0–100% 之间，填的是 {_fmt(pct)}%")
            pct = None
        texts = [t.strip() if type(t) is str else _text(t) for t in map(got, TEXT_FIELDS)]
        values: dict[str, Any] = {
            "investment_period": period_inv,
            "investment_cumulative": cum,
            "progress_pct": pct,
            **dict(zip(TEXT_FIELDS, texts, strict=True)),
        }
        planned = _check_money(chk, row, "planned_investment")
        if planned is not None and project.planned_investment is not None:
            if abs(planned - project.planned_investment) > 0.005:
                chk.warn(
                    row,
                    "planned_investment",
                    f"计划总投资 {_fmt(planned)} 万元与台账的 {_fmt(project.planned_investment)} 万元不一致；"
                    "台账不随报表改动，如确需调整请在项目资料中修改",
                )
        if cum is not None and period_inv is not None and period_inv > cum + 0.005:
            chk.warn(
                row,
                "investment_period",
                f"本期完成投资 {_fmt(period_inv)} 万元大于累计完成投资 {_fmt(cum)} 万元，请核对",
            )
        _check_plausible(chk, row, values, planned if planned is not None else project.planned_investment)
        before = prior.get(project.id)
        if before is not None:
            if cum is not None and before.investment_cumulative is not None and cum < before.investment_cumulative:
                chk.warn(
                    row,
                    "investment_cumulative",
                    f"累计完成投资从{before.period_label}的 {_fmt(before.investment_cumulative)} 万元"
                    f"降到 {_fmt(cum)} 万元，累计数不应减少，请核对",
                )
            if pct is not None and before.progress_pct is not None and pct < before.progress_pct:
                chk.warn(
                    row,
                    "progress_pct",
                    f"形象进度从{before.period_label}的 {_fmt(before.progress_pct)}% 退到 {_fmt(pct)}%，请核对",
                )
        if period_inv is None and cum is None and pct is None and not any(texts):
            # A template row the department left empty: importing it would blank the project's current figures.
            chk.warn(row, "project_name", f"项目「{project.name}」本期没有填报任何内容，该行不导入，请核对是否漏报")
            continue
        region = _text(row.values.get("region")) or None
        result.progress.append(ProgressPlan(project.id, project.label, row.sheet, row.row, values, planned, region))
