"""Match what a return names (projects, programmes, departments, indicators, milestones) to ledger records.

A catalogue of the ledger is loaded once per import as plain values, so matching thousands of rows costs
dictionary look-ups. Matching is by code first, then by normalised name (NFKC, no spaces or punctuation,
case-folded). Nothing is ever created here: a name that matches nothing comes back with its closest
candidates (difflib ratio) for the clerk to see.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.storage.models import Department, Indicator, Milestone, Project, Task, TaskDepartment
from app.storage.successions import successor_map

# Seal notes departments add after their name in title cells: 省工业和信息化厅（盖章）.
_SEAL_RE = re.compile(r"[(（]?\s*[盖公]章\s*[)）]?")
CANDIDATE_COUNT = 3
CANDIDATE_CUTOFF = 0.4


def normalise_key(text: object) -> str:
    """Fold text for matching: NFKC (full → half width), no whitespace or punctuation, case-folded.

    Private to the importer's matching; app.domain.text.normalise_name (returns-parse) keeps punctuation,
    which is right for display but too strict for matching 省级“两化”深度融合试验区 against 省级两化深度融合试验区.
    """
    if text is None:
        return ""
    raw = text if type(text) is str else str(text)
    # NFKC leaves ASCII as it is and casefold is lower there: codes such as JL2025-00001 skip both.
    folded = raw.lower() if raw.isascii() else unicodedata.normalize("NFKC", raw).casefold()
    if folded.isalnum():  # the common case: nothing to drop
        return folded
    if folded.isascii():  # codes such as JL2025-00001: the same characters dropped, by a bytes table
        return folded.encode("ascii").translate(None, _ASCII_NOISE).decode("ascii")
    return folded.translate(_noise_table(folded))


_NOISE: dict[int, None] = {}  # code points to drop, for str.translate (C-fast)
_CLASSIFIED: set[str] = set()  # characters already looked at: a name costs one set difference after the first
_ASCII_NOISE = bytes(cp for cp in range(128) if unicodedata.category(chr(cp))[0] in "PZC" or chr(cp).isspace())


def _noise_table(text: str = "") -> dict[int, None]:
    """The drop table, holding at least every punctuation, separator, control and space character of ``text``.

    Characters are classified as they are first met rather than all 65,536 up front (≈ 20 ms a process).
    """
    for ch in set(text).difference(_CLASSIFIED):
        if unicodedata.category(ch)[0] in "PZC" or ch.isspace():
            _NOISE[ord(ch)] = None
        _CLASSIFIED.add(ch)
    return _NOISE


def normalise_department(text: object) -> str:
    """normalise_key without the seal note (（盖章）) departments write after their name."""
    if text is None:
        return ""
    return normalise_key(_SEAL_RE.sub("", unicodedata.normalize("NFKC", str(text))))


def best_candidates(wanted: str, names: Iterable[str], n: int = CANDIDATE_COUNT) -> list[str]:
    """The ``n`` names closest to ``wanted`` by difflib ratio on normalised text, best first."""
    key = normalise_key(wanted)
    if not key:
        return []
    scored: list[tuple[float, str]] = []
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(key)
    for name in names:
        matcher.set_seq1(normalise_key(name))
        if matcher.real_quick_ratio() < CANDIDATE_CUTOFF or matcher.quick_ratio() < CANDIDATE_CUTOFF:
            continue
        ratio = matcher.ratio()
        if ratio >= CANDIDATE_CUTOFF:
            scored.append((ratio, name))
    scored.sort(key=lambda item: -item[0])
    return [name for _ratio, name in scored[:n]]


class NameIndex:
    """Names indexed by their character pairs: the closest names to a wanted one are found by look-up.

    Only the few names sharing the most pairs with the wanted text are scored with difflib, so an unknown
    name costs a handful of dictionary look-ups however long the ledger is; answers are cached per text.
    """

    SHORTLIST = 8

    def __init__(self, names: Iterable[str]) -> None:
        self.names = list(dict.fromkeys(names))
        self._keys = [normalise_key(n) for n in self.names]
        self._postings: dict[str, list[int]] = {}
        for i, key in enumerate(self._keys):
            for gram in _grams(key):
                self._postings.setdefault(gram, []).append(i)
        self._cache: dict[str, list[str]] = {}

    def closest(self, wanted: object, n: int = CANDIDATE_COUNT) -> list[str]:
        """Up to ``n`` names closest to ``wanted`` (difflib ratio ≥ 0.4 on normalised text), best first."""
        key = normalise_key(wanted)
        if not key:
            return []
        if key in self._cache:
            return self._cache[key][:n]
        hits: dict[int, int] = {}
        for gram in _grams(key):
            for i in self._postings.get(gram, ()):
                hits[i] = hits.get(i, 0) + 1
        shortlist = sorted(hits, key=lambda i: -hits[i])[: self.SHORTLIST]
        scored: list[tuple[float, int]] = []
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(key)
        for i in shortlist:
            matcher.set_seq1(self._keys[i])
            ratio = matcher.ratio()
            if ratio >= CANDIDATE_CUTOFF:
                scored.append((ratio, i))
        scored.sort(key=lambda item: (-item[0], item[1]))
        found = [self.names[i] for _ratio, i in scored[:CANDIDATE_COUNT]]
        if len(self._cache) < 100_000:
            self._cache[key] = found
        return found[:n]


def _grams(key: str) -> set[str]:
    return {key[i : i + 2] for i in range(len(key) - 1)} if len(key) > 1 else {key}


class ProjectRef(NamedTuple):
    """A ledger project as matching and validation need it.

    A named tuple, not a frozen dataclass: an import check builds one per ledger project (50,000 in a large
    ledger) and a frozen dataclass costs twice as much to build; both are immutable and compare by value.
    """

    id: int
    code: str
    name: str
    kind: str  # key_project / programme
    lead_department_id: int | None  # projects.lead_department_id, else the task's lead department
    department_ids: frozenset[int]  # every department responsible (lead and co-operating)
    planned_investment: float | None
    member_kind: str = ""

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


@dataclass(frozen=True)
class DepartmentRef:
    id: int
    name: str


@dataclass(frozen=True)
class IndicatorRef:
    id: int
    code: str
    name: str
    unit: str
    responsible_department_id: int | None


@dataclass(frozen=True)
class MilestoneRef:
    id: int
    project_id: int
    name: str
    planned_date: object
    actual_date: object


@dataclass
class ProjectMatch:
    """The outcome of matching one row: the project, how it was found, or the candidates when not found."""

    project: ProjectRef | None
    how: str = ""  # code / name / ""
    candidates: list[str] = field(default_factory=list)
    conflict: ProjectRef | None = None  # the code names one project, the name another


@dataclass
class Catalogue:
    """The ledger's projects, departments, indicators and milestones, indexed for matching."""

    projects: dict[int, ProjectRef]
    departments: dict[int, DepartmentRef]
    indicators: dict[int, IndicatorRef]
    milestones: dict[int, list[MilestoneRef]]  # project id → milestones
    _project_by_code: dict[str, ProjectRef] = field(default_factory=dict)
    _project_by_name: dict[str, ProjectRef] = field(default_factory=dict)
    # The ledger's codes and names as stored → their keys: a return that names its projects as the ledger
    # does (the common case) is matched without folding each name again. Keys are a pure function of the text.
    _key_of: dict[str, str] = field(default_factory=dict)
    _department_by_name: dict[str, DepartmentRef] = field(default_factory=dict)
    _indicator_by_code: dict[str, IndicatorRef] = field(default_factory=dict)
    _indicator_by_name: dict[str, IndicatorRef] = field(default_factory=dict)
    _name_indexes: dict[str, NameIndex] = field(default_factory=dict)
    # Renamed or merged departments → the department answering for them today (app.storage.successions).
    successors: dict[int, int] = field(default_factory=dict)

    def _index(self, kind: str | None) -> NameIndex:
        """The name index of all projects, or of one kind (key_project / programme); built on first use."""
        label = kind or "*"
        if label not in self._name_indexes:
            pool = [p.name for p in self.projects.values() if kind is None or p.kind == kind]
            self._name_indexes[label] = NameIndex(pool)
        return self._name_indexes[label]

    def _key(self, text: object) -> str:
        """normalise_key(text), looked up when the text is one of the ledger's own codes or names as stored."""
        key = self._key_of.get(text) if type(text) is str else None
        return key if key is not None else normalise_key(text)

    def lookup_project(self, code: object, name: object) -> tuple[ProjectRef | None, ProjectRef | None]:
        """The project the code names and the one the name names, each exactly (after normalisation) or None."""
        by_code = self._project_by_code.get(self._key(code)) if code not in (None, "") else None
        by_name = self._project_by_name.get(self._key(name)) if name not in (None, "") else None
        return by_code, by_name

    def match_project(
        self, code: object, name: object, *, kind: str | None = None, candidates: bool = True
    ) -> ProjectMatch:
        """Find a project by code, else by normalised name; ``kind`` limits to key projects or programmes.

        ``candidates=False`` skips looking for close names (a problem list already full will not show them).
        """
        by_code, by_name = self.lookup_project(code, name)
        if kind is not None:
            by_code = by_code if by_code and by_code.kind == kind else None
            by_name = by_name if by_name and by_name.kind == kind else None
        if by_code is not None:
            conflict = by_name if by_name is not None and by_name.id != by_code.id else None
            return ProjectMatch(by_code, "code", conflict=conflict)
        if by_name is not None:
            return ProjectMatch(by_name, "name")
        if not candidates:
            return ProjectMatch(None)
        wanted = str(name if name not in (None, "") else code or "")
        pool = {p.name: p for p in self.projects.values() if kind is None or p.kind == kind}
        return ProjectMatch(None, candidates=[pool[n].label for n in self._index(kind).closest(wanted)])

    def match_department(self, text: object) -> DepartmentRef | None:
        """The department named by ``text`` (its name or an alias, with or without 吉林 and a seal note)."""
        key = normalise_department(text)
        if not key:
            return None
        for variant in (key, key.removeprefix("吉林"), "吉林" + key):
            if variant in self._department_by_name:
                found = self._department_by_name[variant]
                return self.departments.get(self.successors.get(found.id, found.id), found)
        return None

    def department_candidates(self, text: object) -> list[str]:
        """Department names close to ``text``, best first."""
        key = normalise_department(text)
        names = [d.name for d in self.departments.values()]
        contained = [d.name for k, d in self._department_by_name.items() if key and (key in k or k in key)]
        result: list[str] = []
        for n in contained + best_candidates(key, names):
            if n not in result:
                result.append(n)
        return result[:CANDIDATE_COUNT]

    def match_indicator(self, code: object, name: object) -> IndicatorRef | None:
        """An indicator by code, else by normalised name."""
        if code not in (None, ""):
            found = self._indicator_by_code.get(normalise_key(code))
            if found is not None:
                return found
        return self._indicator_by_name.get(normalise_key(name))

    def indicator_candidates(self, name: object) -> list[str]:
        """Indicator names close to ``name``, best first (an index look-up, cached)."""
        if "indicators" not in self._name_indexes:
            self._name_indexes["indicators"] = NameIndex(i.name for i in self.indicators.values())
        return self._name_indexes["indicators"].closest(name)

    def match_milestone(self, project_id: int, name: object) -> MilestoneRef | None:
        """A project's milestone by normalised name."""
        key = normalise_key(name)
        return next((m for m in self.milestones.get(project_id, []) if normalise_key(m.name) == key), None)

    def programmes(self) -> list[ProjectRef]:
        return [p for p in self.projects.values() if p.kind == "programme"]


def _task_leads(session: Session) -> tuple[dict[int, int | None], dict[int, set[int]]]:
    """Task id → lead department id (own, else the nearest ancestor's) and task id → all its departments."""
    t, td = Task.__table__.c, TaskDepartment.__table__.c
    parent = dict(session.execute(select(t.id, t.parent_id)).all())
    own_lead: dict[int, int] = {}
    members: dict[int, set[int]] = {}
    rows = session.execute(select(td.task_id, td.department_id, td.role).order_by(td.sort_order))
    for task_id, dept_id, role in rows:
        members.setdefault(task_id, set()).add(dept_id)
        if role == "lead":
            own_lead.setdefault(task_id, dept_id)
    leads: dict[int, int | None] = {}
    for task_id in parent:
        current: int | None = task_id
        found: int | None = None
        for _ in range(20):  # tasks nest three levels; the bound guards against a bad parent loop
            if current is None:
                break
            if current in own_lead:
                found = own_lead[current]
                break
            current = parent.get(current)
        leads[task_id] = found
    return leads, members


def load_catalogue(session: Session) -> Catalogue:
    """Read the ledger once into a Catalogue (plain values, safe to use after the session closes).

    Every query selects table columns (Core), not mapped classes: a dry run's check of a return then never
    configures the ORM's mappers (≈ 0.1 s a process) nor loads rows through the ORM.
    """
    task_lead, task_members = _task_leads(session)
    projects: dict[int, ProjectRef] = {}
    # Projects of one task with one lead share their set of departments: one frozenset per pair, not per project.
    shared: dict[tuple[int | None, int | None], frozenset[int]] = {}
    # The table's columns, not the mapped attributes: a Core select skips the ORM's per-row loading, a third of
    # the time for a ledger of 50,000 projects. The values are the same (the columns' own types convert them).
    p = Project.__table__.c
    rows = session.execute(
        select(
            p.id, p.code, p.name, p.kind, p.lead_department_id, p.task_id, p.planned_investment, p.member_kind
        ).order_by(p.sort_order, p.code)
    )
    for pid, code, name, kind, lead, task_id, planned, member_kind in rows:
        if lead is None and task_id is not None:
            lead = task_lead.get(task_id)
        depts = shared.get((task_id, lead))
        if depts is None:
            found = set(task_members.get(task_id, ())) if task_id is not None else set()
            if lead is not None:
                found.add(lead)
            depts = shared[(task_id, lead)] = frozenset(found)
        projects[pid] = ProjectRef(pid, code, name, kind, lead, depts, planned, member_kind or "")
    departments: dict[int, DepartmentRef] = {}
    by_dept_name: dict[str, DepartmentRef] = {}
    d = Department.__table__.c
    dept_rows = session.execute(select(d.id, d.name, d.aliases).order_by(d.sort_order, d.id)).all()
    for dept_id, name, _aliases in dept_rows:
        ref = DepartmentRef(dept_id, name)
        departments[dept_id] = ref
        by_dept_name.setdefault(normalise_department(name), ref)
    # Aliases second, so an alias never hides another department's own name.
    for dept_id, _name, aliases in dept_rows:
        for alias in Department.split_aliases(aliases):
            by_dept_name.setdefault(normalise_department(alias), departments[dept_id])
    i = Indicator.__table__.c
    indicators = {
        row.id: IndicatorRef(row.id, row.code, row.name, row.unit, row.responsible_department_id)
        for row in session.execute(
            select(i.id, i.code, i.name, i.unit, i.responsible_department_id).order_by(i.sort_order)
        )
    }
    milestones: dict[int, list[MilestoneRef]] = {}
    ms = Milestone.__table__.c
    for m in session.execute(select(ms.id, ms.project_id, ms.name, ms.planned_date, ms.actual_date)):
        milestones.setdefault(m.project_id, []).append(
            MilestoneRef(m.id, m.project_id, m.name, m.planned_date, m.actual_date)
        )
    catalogue = Catalogue(projects, departments, indicators, milestones)
    # First project wins a shared key (sort order): built from the reversed list, the earliest is written last.
    ordered = list(projects.values())[::-1]
    codes, names = [p.code for p in ordered], [p.name for p in ordered]
    code_keys, name_keys = list(map(normalise_key, codes)), list(map(normalise_key, names))
    catalogue._project_by_code = dict(zip(code_keys, ordered, strict=True))
    catalogue._project_by_name = dict(zip(name_keys, ordered, strict=True))
    catalogue._key_of = dict(zip(codes, code_keys, strict=True))
    catalogue._key_of.update(zip(names, name_keys, strict=True))
    catalogue._department_by_name = by_dept_name
    catalogue.successors = successor_map(session)
    for indicator in indicators.values():
        catalogue._indicator_by_code.setdefault(normalise_key(indicator.code), indicator)
        catalogue._indicator_by_name.setdefault(normalise_key(indicator.name), indicator)
    return catalogue
