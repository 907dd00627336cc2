"""Match a task row, as a clerk typed it, to one of HER department's parts: by code, else by title (fuzzy).

Clerks write tasks every way: 二(一)1, （二（一）1）, "（二（一）1）推进智能网联汽车发展", 推进“吉林一号”大数据综合应用
without the quotes, 1.推进智能网联汽车发展, or the task's first sentence. Only the reporting department's own parts
are candidates: a row is never attached to another department's part, and a row that fits none is an error
that names the closest parts with their scores.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.returns.match import normalise_key
from app.storage.models import Department, Document, Task, TaskDepartment

ACCEPT = 0.75  # a title at least this close is the part meant (推进区块链产业发展 ≠ 推进光电显示产业发展: 0.63)
CLEAR_LEAD = 0.08  # ...when the runner-up is this much further away
_CN_DIGITS = "一二三四五六七八九十"
# 二(一)1 / (二(一)1) / 二、(一)1. / 三(四) — after NFKC and without spaces. A section alone is not a code
# (三网融合 starts with 三), so the part is required.
_CODE_RE = re.compile(
    rf"^\(?(?P<sec>[{_CN_DIGITS}]+)[、.]?\((?P<part>[{_CN_DIGITS}]+)\)(?P<item>\d{{1,2}})?(?:\)|[、.](?!\d))?"
)
_LEADING_NUMBER_RE = re.compile(r"^(?:\(?\d{1,2}[).、]|\(\d{1,2}\)|[①-⑳])")


@dataclass(frozen=True)
class PartRef:
    """One part as matching needs it."""

    part_id: int
    task_id: int
    department_id: int
    code: str
    title: str
    document_title: str
    department_name: str

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}"


@dataclass(frozen=True)
class TaskMatch:
    """The part a row names (None when none of the department's parts fits) and how it was found."""

    part: PartRef | None
    how: str = ""  # code / title / code+title
    score: float = 0.0
    candidates: tuple[tuple[PartRef, float], ...] = ()  # best first, for the message
    code: str = ""  # the code read from the row (normalised), if any
    other_departments: tuple[str, ...] = ()  # departments whose part has that code or title, when not hers
    conflict: str = ""  # why the code and title disagree


@dataclass
class PartCatalogue:
    """Every part, by department, read once per import."""

    by_department: dict[int, list[PartRef]] = field(default_factory=dict)

    def parts_of(self, department_id: int) -> list[PartRef]:
        return self.by_department.get(department_id, [])

    def all_parts(self) -> list[PartRef]:
        return [p for parts in self.by_department.values() for p in parts]


def load_part_catalogue(session: Session) -> PartCatalogue:
    """Read every part with its task's code and title."""
    cat = PartCatalogue()
    # Table columns (Core), as the rest of the ledger's load (app.returns.match.load_catalogue).
    td, t, doc, d = TaskDepartment.__table__, Task.__table__, Document.__table__, Department.__table__
    rows = session.execute(
        select(td.c.id, t.c.id, td.c.department_id, t.c.code, t.c.title, doc.c.short_title, d.c.name)
        .select_from(
            td.join(t, t.c.id == td.c.task_id)
            .join(doc, doc.c.id == t.c.document_id)
            .join(d, d.c.id == td.c.department_id)
        )
        .order_by(doc.c.id, t.c.sort_order, td.c.sort_order)
    )
    for part_id, task_id, dept_id, code, title, doc, dept in rows:
        cat.by_department.setdefault(dept_id, []).append(PartRef(part_id, task_id, dept_id, code, title, doc, dept))
    return cat


def split_code(text: object) -> tuple[str, str]:
    """(code, rest) of a cell: '（二（一）1）推进…' → ('二(一)1', '推进…'); no code → ('', text)."""
    if text is None:
        return "", ""
    folded = "".join(unicodedata.normalize("NFKC", str(text)).split())
    m = _CODE_RE.match(folded)
    if not m:
        return "", str(text).strip()
    code = f"{m.group('sec')}({m.group('part')}){m.group('item') or ''}"
    return code, folded[m.end() :]


def normalise_code(text: object) -> str:
    """A written code in the ledger's form (二(一)1), or '' when the text is not a code."""
    code, rest = split_code(text)
    return code if code and not normalise_key(rest) else ""


def title_key(text: object) -> str:
    """A title folded for comparison: no code, no leading 1. / (1), no quotes, punctuation or spaces."""
    _code, rest = split_code(text)
    rest = "".join(unicodedata.normalize("NFKC", rest).split())
    rest = _LEADING_NUMBER_RE.sub("", rest)
    return normalise_key(rest)


def title_score(written: str, part_title: str) -> float:
    """How close a written task is to a part's title, 0-1: equal 1; the title inside a longer text 0.95."""
    a, b = title_key(written), title_key(part_title)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if b in a and len(b) >= 4:
        return 0.95  # the title followed by the task's text, or wrapped in the clerk's words
    if a in b and len(a) >= 4:
        return 0.7 + 0.25 * len(a) / len(b)
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def match_task(cat: PartCatalogue, department_id: int, code_cell: object, title_cell: object) -> TaskMatch:
    """The department's part a row names; see the module docstring for the rules."""
    own = cat.parts_of(department_id)
    code = normalise_code(code_cell) or split_code(title_cell)[0]
    title = "" if title_cell is None else str(title_cell)
    scored = sorted(((p, title_score(title, p.title)) for p in own), key=lambda item: -item[1])
    scored = [(p, s) for p, s in scored if s > 0]
    by_code = [p for p in own if code and p.code == code]
    has_title = bool(title_key(title))

    def others(pred_code: str) -> tuple[str, ...]:
        names: list[str] = []
        for p in cat.all_parts():
            if p.department_id == department_id:
                continue
            if (pred_code and p.code == pred_code) or (has_title and title_score(title, p.title) >= 0.9):
                if p.department_name not in names:
                    names.append(p.department_name)
        return tuple(names)

    if len(by_code) >= 1:
        if not has_title:
            if len(by_code) == 1:
                return TaskMatch(by_code[0], "code", 1.0, code=code)
            return TaskMatch(None, "", 0.0, tuple((p, 1.0) for p in by_code), code, conflict="编号在两个文件中都有")
        ranked = sorted(((p, title_score(title, p.title)) for p in by_code), key=lambda item: -item[1])
        best, best_score = ranked[0]
        if best_score >= 0.35:
            return TaskMatch(best, "code+title", best_score, code=code)
        # The code says one task and the title another: trust neither silently.
        if scored and scored[0][1] >= ACCEPT and scored[0][0].code != code:
            return TaskMatch(
                None,
                "",
                0.0,
                tuple(scored[:3]),
                code,
                conflict=f"编号 {code} 是“{best.title}”，任务名称却更像“{scored[0][0].title}”",
            )
        return TaskMatch(best, "code", 0.9, code=code)
    if scored:
        best, best_score = scored[0]
        runner = scored[1][1] if len(scored) > 1 else 0.0
        if best_score >= ACCEPT and (best_score - runner >= CLEAR_LEAD or best_score >= 0.95):
            return TaskMatch(best, "title", best_score, code=code)
    return TaskMatch(None, "", 0.0, tuple(scored[:3]), code, other_departments=others(code))
