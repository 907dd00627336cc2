"""Decision rows of a return (议定事项): a department's progress on its open meeting decisions.

``check_decision_rows`` runs inside ``app.returns.validate.validate``: each row is matched to one of the
department's decisions by its 编号, else by its text; a row matching none of them is an error naming the
closest, so nothing is attached to another department's decision. ``write_decision_rows`` runs inside
``commit_return`` in the same transaction. A department saying 已办结 is recorded as its report; only the
office closes (销号) a decision.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from app.domain.decisions import STATUS_CLOSED
from app.domain.text import fold_width
from app.returns.fields import DECISIONS
from app.returns.parsed import CellValue, ParsedRow, Problem, Severity
from app.storage.models import Decision, DecisionDepartment, DecisionProgress

if TYPE_CHECKING:
    from app.returns.validate import ValidatedReturn

LABELS = {
    "decision_id": "编号",
    "decision_text": "议定事项",
    "due": "完成时限",
    "progress_text": "进展情况",
    "reported_done": "是否办结",
}
YES = ("是", "已办结", "办结", "已完成", "完成", "已落实", "y", "yes")
NO = ("否", "未办结", "办理中", "正在办理", "未完成", "推进中", "n", "no")


@dataclass(frozen=True)
class KnownDecision:
    """A decision a department may report on."""

    id: int
    text: str
    due: date
    closed: bool


@dataclass
class DecisionCatalogue:
    """Each department's decisions (open and closed), for matching return rows."""

    by_department: dict[int, list[KnownDecision]] = field(default_factory=dict)

    def of(self, department_id: int) -> list[KnownDecision]:
        return self.by_department.get(department_id, [])


@dataclass
class DecisionPlan:
    """One decision row to write."""

    decision_id: int
    text: str
    sheet: str
    row: int
    progress_text: str
    reported_done: bool


def load_decision_catalogue(session: Session) -> DecisionCatalogue:
    """Every department's decisions, by department id."""
    catalogue = DecisionCatalogue()
    # Table columns (Core), as the rest of the ledger's load (app.returns.match.load_catalogue).
    dd, dc = DecisionDepartment.__table__, Decision.__table__
    rows = session.execute(
        select(dd.c.department_id, dc.c.id, dc.c.text, dc.c.due_date, dc.c.status)
        .select_from(dd.join(dc, dc.c.id == dd.c.decision_id))
        .order_by(dc.c.due_date, dc.c.id)
    )
    for dept_id, did, text, due, status in rows:
        catalogue.by_department.setdefault(dept_id, []).append(KnownDecision(did, text, due, status == STATUS_CLOSED))
    return catalogue


def done_of(value: CellValue) -> bool | None:
    """True for 是 / 已办结, False for 否 / 办理中 or blank, None when it is neither."""
    text = "".join(fold_width(str(value or "")).split()).strip("。.;；").lower()
    if not text:
        return False
    if text in YES:
        return True
    if text in NO:
        return False
    return None


def _id_of(value: CellValue) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else None
    text = fold_width(str(value or "")).strip().lstrip("#№").strip()
    return int(text) if text.isdigit() else None


def _norm(text: str) -> str:
    return "".join(ch for ch in fold_width(text) if ch.isalnum())


def _problem(file: str, row: ParsedRow, name: str, message: str, severity: Severity = Severity.ERROR) -> Problem:
    return Problem(file, message, severity, row.sheet, row.row, row.columns.get(name, "") or LABELS[name])


def check_decision_rows(result: ValidatedReturn, catalogue: DecisionCatalogue) -> list[Problem]:
    """Match each 议定事项 row to the department's decision, fill ``result.decisions``; return the problems."""
    rows = result.parsed.rows.get("decisions", [])
    file = result.parsed.file_name
    problems: list[Problem] = []
    dept = result.department
    if not rows or dept is None:
        return problems
    own = catalogue.of(dept.id)
    by_id = {d.id: d for d in own}
    seen: dict[int, int] = {}
    for row in rows:
        written = str(row.values.get("decision_text") or "").strip()
        known = by_id.get(_id_of(row.values.get("decision_id")) or -1)
        if known is None:
            known, near = _by_text(own, written)
            if known is None:
                hint = "；".join(f"{d.id}号 {d.text[:24]}" for d in near) if near else ""
                message = f"议定事项“{written[:30] or row.raw.get('decision_id', '')}”不是{dept.name}负责的议定事项"
                message += f"。本单位的议定事项有：{hint}" if hint else "（本单位目前没有议定事项）"
                problems.append(_problem(file, row, "decision_text", message + "。请核对编号或内容后重新导入"))
                continue
        if known.id in seen:
            problems.append(
                _problem(
                    file, row, "decision_text", f"议定事项 {known.id} 在本表中出现两次（另见第 {seen[known.id]} 行）"
                )
            )
            continue
        seen[known.id] = row.row
        if DECISIONS.untouched(row.raw):
            continue  # left as the template wrote it: reports nothing
        done = done_of(row.values.get("reported_done"))
        if done is None:
            problems.append(
                _problem(
                    file,
                    row,
                    "reported_done",
                    f"是否办结“{row.raw.get('reported_done', '')}”应为 是 或 否，按“否”记录；请核对",
                    Severity.WARNING,
                )
            )
            done = False
        progress = _text(row.values.get("progress_text"))
        if not progress and not done:
            continue
        if known.closed:
            problems.append(
                _problem(
                    file,
                    row,
                    "decision_text",
                    f"议定事项 {known.id} 已办结销号，本行进展仍记录备查",
                    Severity.WARNING,
                )
            )
        result.decisions.append(DecisionPlan(known.id, known.text, row.sheet, row.row, progress, done))
    return problems


def _by_text(own: list[KnownDecision], written: str) -> tuple[KnownDecision | None, list[KnownDecision]]:
    """The department's decision whose text is the written one (or very close), and the nearest otherwise."""
    key = _norm(written)
    if not key:
        return None, own[:3]
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, _norm(d.text)).ratio(), d) for d in own),
        key=lambda pair: -pair[0],
    )
    if scored and (scored[0][0] >= 0.8 or key == _norm(scored[0][1].text)):
        if len(scored) == 1 or scored[1][0] < scored[0][0] - 0.05:
            return scored[0][1], []
    return None, [d for _s, d in scored[:3]]


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    return str(value).strip()


def write_decision_rows(session: Session, validated: ValidatedReturn, return_id: int, period_id: int) -> int:
    """Insert the decision rows of a validated return; returns how many."""
    dept = validated.department
    if dept is None or not validated.decisions:
        return 0
    session.execute(
        insert(DecisionProgress),
        [
            {
                "decision_id": plan.decision_id,
                "department_id": dept.id,
                "period_id": period_id,
                "return_id": return_id,
                "progress_text": plan.progress_text,
                "reported_done": plan.reported_done,
                "source_sheet": plan.sheet,
                "source_row": plan.row,
            }
            for plan in validated.decisions
        ],
    )
    return len(validated.decisions)


def delete_decision_rows(session: Session, return_id: int) -> int:
    """Withdrawing a return: remove its decision rows; returns how many."""
    count = session.scalar(select(func.count(DecisionProgress.id)).where(DecisionProgress.return_id == return_id))
    session.execute(delete(DecisionProgress).where(DecisionProgress.return_id == return_id))
    return count or 0


def decision_change_lines(session: Session, previous_id: int, validated: ValidatedReturn) -> list[str]:
    """Per decision, what changed between the superseded return and this one (for the change summary)."""
    old = {
        p.decision_id: p
        for p in session.scalars(select(DecisionProgress).where(DecisionProgress.return_id == previous_id))
    }
    lines: list[str] = []
    for plan in validated.decisions:
        before = old.pop(plan.decision_id, None)
        if before is None:
            lines.append(f"议定事项 {plan.decision_id}：新报送进展")
        elif (before.progress_text or "", before.reported_done) != (plan.progress_text, plan.reported_done):
            done = "，报称已办结" if plan.reported_done and not before.reported_done else ""
            lines.append(f"议定事项 {plan.decision_id}：进展已更新{done}")
    if old:
        lines.append(f"议定事项：{len(old)} 项本次未报送进展")
    return lines
