"""Task rows of a return (重点任务进展): check them against the department's parts, write them, describe changes.

Validation (``check_task_rows``) runs inside ``app.returns.validate.validate`` and adds ``TaskPlan`` rows and
problems to the ValidatedReturn; commit (``write_task_rows``) runs inside ``app.returns.commit.commit_return``
in the same transaction. A row that matches none of the department's parts is a warning naming the closest
parts (the row is not imported; ``--strict`` refuses the file), so nothing is silently dropped or attached to
another department's part.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from app.domain.text import fold_width
from app.returns.fields import TASKS
from app.returns.parsed import CellValue, ParsedRow, Problem, Severity
from app.returns.task_match import PartCatalogue, match_task
from app.storage.models import TaskPartProgress

if TYPE_CHECKING:
    from app.returns.validate import ValidatedReturn

ON_TRACK, LAGGING, DONE = "按时推进", "滞后", "已完成"
TEXT_FIELDS = ("progress_text", "problems", "coordination_needed", "next_steps")
TASK_LABELS = {
    "task_code": "任务编号",
    "task_title": "重点任务",
    "year_target": "年度任务目标",
    "progress_text": "本期进展情况",
    "problems": "存在问题",
    "coordination_needed": "需协调解决的问题",
    "next_steps": "下步工作计划",
    "completion": "完成情况",
}
# How departments write 完成情况, folded (see ``completion_of``).
_COMPLETION_WORDS = {
    ON_TRACK: (
        "按时推进",
        "正常推进",
        "按计划推进",
        "按期推进",
        "推进中",
        "进行中",
        "正在推进",
        "正常",
        "按时",
        "顺利推进",
    ),
    LAGGING: ("滞后", "进度滞后", "滞后推进", "延迟", "延期", "未按期", "落后", "缓慢", "未按时"),
    DONE: ("已完成", "完成", "全部完成", "已办结", "办结", "已完成年度任务", "已完成年度目标", "已落实"),
}


@dataclass
class TaskPlan:
    """One task row to write: the part it reports on and what it says."""

    part_id: int
    label: str  # 二(一)1 推进智能网联汽车发展
    sheet: str
    row: int
    values: dict[str, str]  # TEXT_FIELDS and completion


def completion_of(value: CellValue) -> str | None:
    """按时推进 / 滞后 / 已完成 for what a department wrote, '' for blank, None when it is none of them."""
    text = "".join(fold_width(str(value or "")).split()).strip("。.;；")
    if not text:
        return ""
    for state, words in _COMPLETION_WORDS.items():
        if text in words:
            return state
    for state in (LAGGING, DONE, ON_TRACK):  # 滞后 first: 未完成 / 部分滞后 are lagging, not done
        if state == DONE and ("未完成" in text or "尚未" in text):
            continue
        if any(w in text for w in _COMPLETION_WORDS[state] if len(w) >= 2):
            return state
    return None


def _problem(file: str, row: ParsedRow, name: str, message: str, severity: Severity = Severity.ERROR) -> Problem:
    return Problem(file, message, severity, row.sheet, row.row, row.columns.get(name, "") or TASK_LABELS[name])


def check_task_rows(result: ValidatedReturn, parts: PartCatalogue) -> list[Problem]:
    """Match each task row to the department's part, fill ``result.tasks``; return the problems found."""
    rows = result.parsed.rows.get("tasks", [])
    file = result.parsed.file_name
    problems: list[Problem] = []
    if not rows:
        return problems
    dept = result.department
    if dept is None:
        return problems  # the header check already refused the file
    own = parts.parts_of(dept.id)
    if not own:
        problems.append(
            Problem(
                file,
                f"{dept.name}不是任何重点任务的责任单位，不能报送重点任务进展；如分工有变，请先在项目台账的任务"
                "上“责任分工…”中添加",
                Severity.ERROR,
                rows[0].sheet,
                rows[0].row,
            )
        )
        return problems
    seen: dict[int, int] = {}
    for row in rows:
        written_title = row.values.get("task_title")
        written_code = row.values.get("task_code")
        shown = str(written_title or written_code or "").strip()
        if TASKS.untouched(row.raw):
            # Reports nothing: a template row left blank, or a heading row of the department's own table
            # (（一）提升信息消费供给能力). The part stays 未报送 and is chased.
            continue
        match = match_task(parts, dept.id, written_code, written_title)
        if match.part is None:
            # Shown, never dropped silently and never put on another department's part: the clerk confirms
            # importing the rest without it (the CLI prints it; --strict refuses the whole file).
            message = _no_match_message(shown, dept.name, match)
            problems.append(_problem(file, row, "task_title", message, Severity.WARNING))
            continue
        part = match.part
        if part.part_id in seen:
            problems.append(
                _problem(
                    file, row, "task_title", f"任务“{part.label}”在本表中出现两次（另见第 {seen[part.part_id]} 行）"
                )
            )
            continue
        seen[part.part_id] = row.row
        values = {name: _text(row.values.get(name)) for name in TEXT_FIELDS}
        completion = completion_of(row.values.get("completion"))
        if completion is None:
            problems.append(
                _problem(
                    file,
                    row,
                    "completion",
                    f"完成情况“{_text(row.values.get('completion'))}”应为 按时推进、滞后 或 已完成，未记录；请核对",
                    Severity.WARNING,
                )
            )
            completion = ""
        values["completion"] = completion
        if not any(values[name] for name in TEXT_FIELDS) and not completion:
            continue
        if match.how == "title" and match.score < 0.95:
            problems.append(
                _problem(
                    file,
                    row,
                    "task_title",
                    f"“{shown}”按名称对应到任务“{part.label}”（相似度 {match.score:.0%}），请核对",
                    Severity.WARNING,
                )
            )
        result.tasks.append(TaskPlan(part.part_id, part.label, row.sheet, row.row, values))
    return problems


def _no_match_message(shown: str, dept_name: str, match: object) -> str:
    from app.returns.task_match import TaskMatch

    assert isinstance(match, TaskMatch)
    if match.conflict:
        base = f"任务“{shown}”无法确定对应哪一项：{match.conflict}"
    else:
        base = f"任务“{shown}”不是{dept_name}负责的任务"
    if match.other_departments:
        base += f"（该任务的责任单位是{'、'.join(match.other_departments)}）"
    if match.candidates:
        near = "；".join(f"{p.label}（{score:.0%}）" for p, score in match.candidates)
        return f"{base}，该行未导入。本单位最相近的任务：{near}。请改写任务名称或编号后重新导入"
    return f"{base}，该行未导入。请核对任务名称或编号后重新导入"


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def write_task_rows(session: Session, validated: ValidatedReturn, return_id: int, period_id: int) -> int:
    """Insert the task rows of a validated return; returns how many."""
    rows = [
        {
            "part_id": plan.part_id,
            "period_id": period_id,
            "return_id": return_id,
            "source_sheet": plan.sheet,
            "source_row": plan.row,
            "entered_by": "",
            **{name: plan.values.get(name, "") for name in (*TEXT_FIELDS, "completion")},
        }
        for plan in validated.tasks
    ]
    if rows:
        session.execute(insert(TaskPartProgress), rows)
    return len(rows)


def task_change_lines(session: Session, previous_id: int, validated: ValidatedReturn) -> list[str]:
    """Per part, field old → new between the superseded return and this one (for the change summary)."""
    old = {
        e.part_id: e for e in session.scalars(select(TaskPartProgress).where(TaskPartProgress.return_id == previous_id))
    }
    new = {p.part_id: p for p in validated.tasks}
    labels = {p.part_id: p.label for p in validated.tasks}
    lines: list[str] = []
    for part_id, plan in new.items():
        before = old.get(part_id)
        if before is None:
            lines.append(f"任务 {labels[part_id]}：新报送")
            continue
        diffs = []
        for name in (*TEXT_FIELDS, "completion"):
            was, now = getattr(before, name) or "", plan.values.get(name, "")
            if was != now:
                diffs.append(f"{TASK_LABELS[name]} {_brief(was)} → {_brief(now)}")
        if diffs:
            lines.append(f"任务 {labels[part_id]}：{'；'.join(diffs)}")
    missing = [pid for pid in old if pid not in new]
    if missing:
        lines.append(f"重点任务：{len(missing)} 项本次未报送")
    return lines


def _brief(value: str, limit: int = 30) -> str:
    if not value:
        return "（空）"
    return value if len(value) <= limit else value[: limit - 1] + "…"


def delete_task_rows(session: Session, return_id: int) -> int:
    """Withdrawing a return: remove its task rows; returns how many."""
    count = session.scalar(select(func.count(TaskPartProgress.id)).where(TaskPartProgress.return_id == return_id))
    session.execute(delete(TaskPartProgress).where(TaskPartProgress.return_id == return_id))
    return count or 0
