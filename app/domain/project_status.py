"""The status a project shows for a reporting period (状态): one rule for ledger, dashboard, summary and report.

The rule, in order (also in docs/project-status.md, with the lead-department and lag rules):

1. A status a clerk set to stop the project, 暂停 or 已撤销, always wins: no return changes it.
2. Quota programme (定额计划): members counted for the period's year (yearly quota) or up to it (total quota)
   against the quota: reached → 已完成; some → 在建; none → 未填报.
3. Key project whose latest reported 形象进度 up to the period's end is 100% → 已完成 (a finished project
   owes no more returns).
4. Key project with no current progress entry in the period (the quarter or a month inside it) → 未填报.
5. Otherwise, from that entry: progress or investment above zero → 在建, else 未开工.

Lag (滞后) is not a status: it is judged separately (``app.domain.schedule``) and shown beside the status.
"""

from __future__ import annotations

HELD_STATUSES = ("暂停", "已撤销")  # set by a clerk; they override what returns say
NOT_REPORTED = "未填报"
NOT_STARTED = "未开工"
UNDER_WAY = "在建"
COMPLETED = "已完成"


def project_status(
    *,
    kind: str,
    stored: str,
    reported_this_period: bool,
    latest_pct: float | None,
    latest_investment: float | None,
    members_counted: int = 0,
    quota_count: int | None = None,
) -> str:
    """The status to show for the period (see the module docstring for the rule)."""
    if stored in HELD_STATUSES:
        return stored
    if kind == "programme":
        if quota_count and members_counted >= quota_count:
            return COMPLETED
        return UNDER_WAY if members_counted > 0 else NOT_REPORTED
    if latest_pct is not None and latest_pct >= 100:
        return COMPLETED
    if not reported_this_period:
        return NOT_REPORTED
    if (latest_pct or 0) > 0 or (latest_investment or 0) > 0:
        return UNDER_WAY
    return NOT_STARTED
