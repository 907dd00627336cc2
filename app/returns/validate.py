"""Check a ParsedReturn against the ledger and turn it into a commit plan plus Problems in plain Chinese.

Nothing here writes. ``LedgerState.load`` reads what the checks need once per import (catalogue, members,
imported files, current returns); ``validate`` then costs dictionary look-ups per row. Errors block the file;
warnings are for the clerk to confirm (suspicious changes against the previous period, members counted twice,
a project of another department …).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.credit_code import check_credit_code, normalise_credit_code
from app.domain.indicators import parse_actual_value
from app.domain.periods import Period
from app.gc_pause import gc_paused
from app.returns.decision_rows import DecisionCatalogue, DecisionPlan, check_decision_rows, load_decision_catalogue
from app.returns.fields import INDICATORS
from app.returns.match import Catalogue, DepartmentRef, load_catalogue, normalise_key
from app.returns.parsed import MAX_LISTED, CellValue, ParsedReturn, ParsedRow, Problem, Severity, cap_problems
from app.returns.task_match import PartCatalogue, load_part_catalogue
from app.returns.task_rows import TaskPlan, check_task_rows
from app.storage.models import ProgrammeMember, ProgressEntry, ReportingPeriod, Return

PROGRESS_FIELDS = (
    "investment_period",
    "investment_cumulative",
    "progress_pct",
    "progress_text",
    "problems",
    "coordination_needed",
    "next_steps",
)
MONEY_FIELDS = ("planned_investment", "investment_period", "investment_cumulative")
FIELD_LABELS = {
    "project_code": "项目编号",
    "project_name": "项目名称",
    "planned_investment": "计划总投资",
    "investment_period": "本期完成投资",
    "investment_cumulative": "累计完成投资",
    "progress_pct": "形象进度",
    "progress_text": "本期进展情况",
    "problems": "存在问题",
    "coordination_needed": "需协调解决的问题",
    "next_steps": "下步工作计划",
    "actual_date": "实际完成日期",
    "planned_date": "计划完成日期",
    "credit_code": "统一社会信用代码",
    "value": "本期数值",
}
# A milestone finished this long after the period ended is more likely a typo than a late report.
FUTURE_GRACE_DAYS = 62


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid unified social credit code (Chinese), or None when it is."""
    return check_credit_code(code).reason


def clean_credit_code(value: object) -> str:
    """Upper-case, half-width, no spaces or hyphens: how codes are compared and stored."""
    return normalise_credit_code(str(value)) if value not in (None, "") else ""


# --- the plan handed to commit -------------------------------------------------------------------------------


@dataclass
class ProgressPlan:
    project_id: int
    project_label: str
    sheet: str
    row: int
    values: dict[str, Any]  # ProgressEntry field → value (only fields the return gave)
    planned_investment: float | None = None
    region: str | None = None


@dataclass
class MilestonePlan:
    project_id: int
    project_label: str
    milestone_id: int | None  # None: a milestone the ledger does not have yet (the clerk confirmed adding it)
    name: str
    planned_date: date | None
    actual_date: date | None
    sheet: str
    row: int


@dataclass
class MemberPlan:
    programme_id: int
    name: str
    credit_code: str
    region: str
    year_counted: int | None
    notes: str
    sheet: str
    row: int


@dataclass
class IndicatorPlan:
    indicator_id: int
    indicator_name: str
    value: float | None
    source: str
    sheet: str
    row: int


@dataclass(frozen=True)
class ImportedReturn:
    """A return already in the database, as verdicts describe it."""

    id: int
    file_name: str
    department_name: str
    period_key: str
    imported_at: datetime

    @property
    def imported_label(self) -> str:
        return f"{self.imported_at:%Y-%m-%d %H:%M}"


@dataclass
class ValidatedReturn:
    """A parsed file checked against the ledger: what commit would write, and every problem found."""

    parsed: ParsedReturn
    department: DepartmentRef | None = None
    period: Period | None = None
    progress: list[ProgressPlan] = field(default_factory=list)
    milestones: list[MilestonePlan] = field(default_factory=list)
    members: list[MemberPlan] = field(default_factory=list)
    indicators: list[IndicatorPlan] = field(default_factory=list)
    tasks: list[TaskPlan] = field(default_factory=list)  # task rows (app.returns.task_rows)
    decisions: list[DecisionPlan] = field(default_factory=list)  # 议定事项 rows (app.returns.decision_rows)
    problems: list[Problem] = field(default_factory=list)
    already_imported: ImportedReturn | None = None  # the same file (sha256) is in the database
    supersedes: ImportedReturn | None = None  # the current return for the same department and period

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def row_count(self) -> int:
        return len(self.progress) + len(self.milestones) + len(self.members) + len(self.indicators) + len(self.tasks)


# --- what the checks need from the database ------------------------------------------------------------------


# Table columns (Core) throughout the ledger's load: see load_catalogue.
_RT, _RP = Return.__table__.c, ReportingPeriod.__table__.c
_RETURN_COLUMNS = select(_RT.id, _RT.file_name, _RT.department_id, _RT.imported_at, _RP.key).select_from(
    Return.__table__.join(ReportingPeriod.__table__, _RP.id == _RT.period_id)
)


def _imported(row: Any, dept_names: dict[int, str]) -> ImportedReturn:
    return ImportedReturn(row.id, row.file_name, dept_names.get(row.department_id, ""), row.key, row.imported_at)


@dataclass(frozen=True)
class PriorFigures:
    period_label: str
    investment_cumulative: float | None
    progress_pct: float | None


@dataclass(frozen=True)
class KnownMember:
    id: int
    programme_id: int
    name: str
    credit_code: str
    year_counted: int | None
    department_name: str
    return_id: int | None


@dataclass
class LedgerState:
    """What validation reads from the database, loaded once per import and reused for every file."""

    catalogue: Catalogue
    imported_shas: set[str]  # sha256 of every return in the database
    current: dict[tuple[int, str], ImportedReturn]  # (department id, period key) → current return
    members_by_code: dict[str, list[KnownMember]]
    members_by_name: dict[str, list[KnownMember]]
    _session: Session | None = None
    _prior: dict[str, dict[int, PriorFigures]] = field(default_factory=dict)
    parts: PartCatalogue = field(default_factory=PartCatalogue)  # supervised task parts, by department
    decisions: DecisionCatalogue = field(default_factory=DecisionCatalogue)  # meeting decisions, by department

    @classmethod
    def load(cls, session: Session) -> LedgerState:
        """Read the catalogue, imported files' hashes, current returns and programme members."""
        with gc_paused():
            return cls._load(session)

    @classmethod
    def _load(cls, session: Session) -> LedgerState:
        catalogue = load_catalogue(session)
        dept_names = {d.id: d.name for d in catalogue.departments.values()}
        # Every hash, but details only of current returns: the history can hold tens of thousands.
        shas = set(session.scalars(select(_RT.sha256)))
        current: dict[tuple[int, str], ImportedReturn] = {}
        for r in session.execute(_RETURN_COLUMNS.where(_RT.superseded_by_id.is_(None))):
            current[(r.department_id, r.key)] = _imported(r, dept_names)
        by_code: dict[str, list[KnownMember]] = {}
        by_name: dict[str, list[KnownMember]] = {}
        # Table columns (Core): the ORM's per-row loading is skipped; the values are the same.
        pm, rt = ProgrammeMember.__table__.c, Return.__table__.c
        for m in session.execute(
            select(
                pm.id, pm.project_id, pm.name, pm.credit_code, pm.year_counted, pm.return_id, rt.department_id
            ).select_from(ProgrammeMember.__table__.outerjoin(Return.__table__, rt.id == pm.return_id))
        ):
            known = KnownMember(
                m.id,
                m.project_id,
                m.name,
                # stored codes were cleaned on the way in; only case and stray spaces are folded here
                (m.credit_code or "").strip().upper(),
                m.year_counted,
                dept_names.get(m.department_id, "") if m.department_id else "",
                m.return_id,
            )
            if known.credit_code:
                by_code.setdefault(known.credit_code, []).append(known)
            by_name.setdefault(normalise_key(m.name), []).append(known)
        return cls(
            catalogue,
            shas,
            current,
            by_code,
            by_name,
            session,
            parts=load_part_catalogue(session),
            decisions=load_decision_catalogue(session),
        )

    def imported_return(self, sha256: str) -> ImportedReturn | None:
        """The return already imported from a file with this content, if any."""
        if not sha256 or sha256 not in self.imported_shas:
            return None
        if self._session is None:
            return ImportedReturn(0, "", "", "", datetime.now())
        row = self._session.execute(_RETURN_COLUMNS.where(_RT.sha256 == sha256).order_by(_RT.id).limit(1)).first()
        dept_names = {d.id: d.name for d in self.catalogue.departments.values()}
        return _imported(row, dept_names) if row is not None else None

    def prior_figures(self, period: Period) -> dict[int, PriorFigures]:
        """Project id → its latest accepted figures from a period that ended before ``period`` began."""
        if period.key in self._prior:
            return self._prior[period.key]
        result: dict[int, PriorFigures] = {}
        if self._session is not None:
            # Table columns (Core): one row per project and earlier period, read without the ORM's loading.
            pe, rp, rt = ProgressEntry.__table__.c, ReportingPeriod.__table__.c, Return.__table__.c
            stmt = (
                select(pe.project_id, pe.investment_cumulative, pe.progress_pct, rp.label)
                .select_from(
                    ProgressEntry.__table__.join(ReportingPeriod.__table__, rp.id == pe.period_id).outerjoin(
                        Return.__table__, rt.id == pe.return_id
                    )
                )
                .where(rp.end < period.start, or_(pe.return_id.is_(None), rt.superseded_by_id.is_(None)))
                .order_by(rp.end, pe.id)
            )
            for row in self._session.execute(stmt):
                result[row.project_id] = PriorFigures(row.label, row.investment_cumulative, row.progress_pct)
        self._prior[period.key] = result
        return result


# --- the checks ---------------------------------------------------------------------------------------------


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    if type(value) is str:  # the common case first: these run once per cell of a 50,000-row file
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value: CellValue) -> float | None:
    kind = type(value)
    if kind is float:
        return value  # type: ignore[return-value]
    if kind is int:
        return float(value)  # type: ignore[arg-type]
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _date(value: CellValue) -> date | None:
    return value if isinstance(value, date) else None


def _fmt(value: float | None) -> str:
    if value is None:
        return "空"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


class _Checker:
    def __init__(self, parsed: ParsedReturn, state: LedgerState) -> None:
        self.parsed = parsed
        self.state = state
        self.cat = state.catalogue
        self.problems: list[Problem] = []
        # Once the file's list is past what cap_problems shows, further problems are only counted: a file
        # of 50,000 unknown projects then costs no 50,000 messages, and the count stays exact.
        self.listed_before = len(parsed.problems)
        self.unlisted_errors = 0
        self.unlisted_warnings = 0

    @property
    def counting_only(self) -> bool:
        """True once the file's list is full: a further problem is counted, its message never shown."""
        return self.listed_before + len(self.problems) > MAX_LISTED

    def problem(self, row: ParsedRow | None, field_name: str, message: str, severity: Severity) -> None:
        if self.counting_only:
            if severity is Severity.ERROR:
                self.unlisted_errors += 1
            else:
                self.unlisted_warnings += 1
            return
        column = ""
        if row is not None:
            column = row.columns.get(field_name, "") or FIELD_LABELS.get(field_name, "")
        self.problems.append(
            Problem(
                file=self.parsed.file_name,
                message=message,
                severity=severity,
                sheet=row.sheet if row else "",
                row=row.row if row else None,
                column=column,
            )
        )

    def error(self, row: ParsedRow | None, field_name: str, message: str) -> None:
        self.problem(row, field_name, message, Severity.ERROR)

    @property
    def listing(self) -> bool:
        """False once more problems are found than a file's list shows: costly hints are then skipped."""
        return len(self.problems) + self.unlisted_errors + self.unlisted_warnings < MAX_LISTED

    def warn(self, row: ParsedRow | None, field_name: str, message: str) -> None:
        self.problem(row, field_name, message, Severity.WARNING)


def validate(parsed: ParsedReturn, state: LedgerState) -> ValidatedReturn:
    """Check one parsed file against the ledger; never raises for bad input, never writes."""
    # A 50,000-row file builds a plan per row beside the parsed rows: collections there find nothing (gc_pause).
    with gc_paused():
        return _validate(parsed, state)


def _validate(parsed: ParsedReturn, state: LedgerState) -> ValidatedReturn:
    result = ValidatedReturn(parsed=parsed, problems=list(parsed.problems))
    already = state.imported_return(parsed.sha256)
    if already is not None:
        result.already_imported = already
        return result
    if parsed.has_errors and not any(parsed.rows.values()):
        return result  # unreadable: the reader's problems say why; nothing to check
    chk = _Checker(parsed, state)
    _check_header(chk, result)
    if result.department is not None and result.period is not None:
        result.supersedes = state.current.get((result.department.id, result.period.key))
    _check_progress(chk, result)
    _check_milestones(chk, result)
    _check_members(chk, result)
    _check_indicators(chk, result)
    _check_correction(chk, result)
    chk.problems.extend(check_task_rows(result, state.parts))
    chk.problems.extend(check_decision_rows(result, state.decisions))
    reported = bool(result.progress or result.members or result.indicators or result.tasks or result.decisions) or any(
        m.actual_date for m in result.milestones
    )
    if (parsed.rows.get("progress") or parsed.rows.get("indicators") or parsed.rows.get("tasks")) and not reported:
        chk.warn(None, "", "报表中各行都与模板相同，没有填写任何进展或指标数值；请核对是否发错了文件（未填的版本）")
    if not any(parsed.rows.values()) and not parsed.has_errors:
        chk.error(
            None, "", "文件中没有找到可导入的数据行（项目进展、里程碑、计划成员、指标或重点任务），请检查是否选错了文件"
        )
    result.problems.extend(chk.problems)
    result.problems = cap_problems(
        result.problems, unlisted_errors=chk.unlisted_errors, unlisted_warnings=chk.unlisted_warnings
    )
    return result


def make_strict(result: ValidatedReturn) -> ValidatedReturn:
    """--strict: every warning becomes an error."""
    result.problems = [
        dataclasses.replace(p, severity=Severity.ERROR) if p.severity is Severity.WARNING else p
        for p in result.problems
    ]
    return result


def _check_header(chk: _Checker, result: ValidatedReturn) -> None:
    parsed = chk.parsed
    said = " ".join(p.message for p in parsed.problems if p.severity is Severity.ERROR and p.row is None)
    if not parsed.department:
        if "填报单位" not in said:  # the reader usually says it already
            chk.error(
                None, "", "无法确定填报单位：文件中没有写明，文件名中也没有。请用 --department 指定，或在导入向导中选择"
            )
    else:
        dept = chk.cat.match_department(parsed.department)
        if dept is None:
            near = chk.cat.department_candidates(parsed.department)
            hint = f"相近的单位有：{'、'.join(near)}" if near else "请核对单位名称，或在部门资料中补充别名"
            chk.error(None, "", f"填报单位「{parsed.department}」不在单位名录中。{hint}")
        result.department = dept
    if not parsed.period_key:
        if "报告期" not in said:
            chk.error(None, "", "无法确定报告期：文件中没有写明，文件名中也没有。请用 --period 指定（如 2025-Q3）")
    else:
        try:
            result.period = Period.parse(parsed.period_key)
        except ValueError:
            chk.error(None, "", f"报告期「{parsed.period_key}」无法识别，应为 2025-Q3、2025-09 这样的写法")
        else:
            if result.period.start > date.today():
                chk.warn(None, "", f"报告期{result.period.label}尚未开始，请核对报告期是否填错")
    _check_identity(chk, result)


CLAIM_PLACES = {
    "title": "表头标题",
    "filename": "文件名",
    "meta": "模板隐藏信息",
    "argument": "指定",
    "fallback": "选择",
}
_CHOOSE = "请在导入向导中点「指定单位/报告期…」选择正确的一项（命令行：用 --department / --period 指定）"


def _check_identity(chk: _Checker, result: ValidatedReturn) -> None:
    """What the file says in different places (title, file name, hidden meta sheet) must agree.

    What the department visibly wrote was chosen (parse); a place that names another department or period
    is an error naming both, for the clerk to choose. A choice given by the clerk (argument) wins over the
    file, with a warning naming what the file said: never silently.
    """
    parsed = chk.parsed
    chosen_place = CLAIM_PLACES.get(parsed.department_source, "")
    if result.department is not None:
        for place, text in parsed.department_claims.items():
            if place == parsed.department_source:
                continue
            other = chk.cat.match_department(text)
            if other is None:
                if place == "meta":
                    chk.error(
                        None,
                        "",
                        f"{chosen_place}中的填报单位「{parsed.department}」与{CLAIM_PLACES[place]}中的「{text}」"
                        f"不一致。{_CHOOSE}",
                    )
                continue  # a file name that names no known department says nothing
            if other.id == result.department.id:
                continue
            message = (
                f"{chosen_place}中的填报单位「{result.department.name}」与{CLAIM_PLACES[place]}中的"
                f"「{other.name}」不一致"
            )
            if parsed.department_source == "argument":
                chk.warn(None, "", f"{message}；按指定的「{result.department.name}」导入，请核对")
            else:
                chk.error(None, "", f"{message}。{_CHOOSE}")
    elif parsed.department and parsed.department_claims.get("meta"):
        meta_dept = chk.cat.match_department(parsed.department_claims["meta"])
        if meta_dept is not None and parsed.department_source != "meta":
            chk.error(
                None,
                "",
                f"{chosen_place}中的填报单位「{parsed.department}」不在单位名录中，而模板隐藏信息中是"
                f"「{meta_dept.name}」。{_CHOOSE}",
            )
    if result.period is None:
        return
    chosen_place = CLAIM_PLACES.get(parsed.period_source, "")
    for place, key in parsed.period_claims.items():
        if place == parsed.period_source or key == result.period.key:
            continue
        try:
            label = Period.parse(key).label
        except ValueError:
            label = key
        message = f"{chosen_place}中的报告期「{result.period.label}」与{CLAIM_PLACES[place]}中的「{label}」不一致"
        if parsed.period_source == "argument":
            chk.warn(None, "", f"{message}；按指定的「{result.period.label}」导入，请核对")
        else:
            chk.error(None, "", f"{message}。{_CHOOSE}")


def _check_money(chk: _Checker, row: ParsedRow, name: str) -> float | None:
    value = _number(row.values.get(name))
    if value is not None and value < 0:
        chk.error(row, name, f"{FIELD_LABELS[name]}不能为负数（填的是 {_fmt(value)} 万元）")
        return None
    return value


def _check_progress(chk: _Checker, result: ValidatedReturn) -> None:
    rows = chk.parsed.rows.get("progress", [])
    if not rows:
        return
    prior = chk.state.prior_figures(result.period) if result.period else {}
    seen: dict[int, ParsedRow] = {}
    dept = result.department
    lookup = chk.cat.lookup_project
    plans = result.progress
    # This runs once per row of a 50,000-row file: the common row (a known project, plain amounts) takes the
    # shortest way through, and every check is written out instead of looped; the rare cases call the helpers.
    for row in rows:
        got = row.values.get
        by_code, by_name = lookup(got("project_code"), got("project_name"))
        project = by_code if by_code is not None else by_name
        if project is None:
            _unknown_project(chk, row)
            continue
        if by_code is not None and by_name is not None and by_name.id != by_code.id:
            chk.warn(
                row,
                "project_code",
                f"编号 {project.code} 是「{project.name}」，名称却是另一项目「{by_name.name}」；按编号导入，请核对",
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
        period_inv = got("investment_period")
        if type(period_inv) is not float or period_inv < 0:
            period_inv = _check_money(chk, row, "investment_period")
        cum = got("investment_cumulative")
        if type(cum) is not float or cum < 0:
            cum = _check_money(chk, row, "investment_cumulative")
        pct = got("progress_pct")
        if type(pct) is not float:
            pct = _number(pct)
        if pct is not None and not 0 <= pct <= 100:
            chk.error(row, "progress_pct", f"形象进度应在 0–100% 之间，填的是 {_fmt(pct)}%")
            pct = None
        text, problems, coordination, steps = (t.strip() if type(t) is str else _text(t) for t in map(got, TEXT_FIELDS))
        values: dict[str, Any] = {
            "investment_period": period_inv,
            "investment_cumulative": cum,
            "progress_pct": pct,
            "progress_text": text,
            "problems": problems,
            "coordination_needed": coordination,
            "next_steps": steps,
        }
        planned = got("planned_investment")
        if type(planned) is not float or planned < 0:
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
        plan = planned if planned is not None else project.planned_investment
        # _check_plausible's own conditions, asked here first: it warns only then, and most rows meet none.
        if (period_inv is not None and period_inv > IMPLAUSIBLE_WAN) or (
            cum is not None and (cum > IMPLAUSIBLE_WAN or (plan and plan > 0 and cum > PLAN_FACTOR * plan))
        ):
            _check_plausible(chk, row, values, plan)
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
        if period_inv is None and cum is None and pct is None and not (text or problems or coordination or steps):
            # A template row the department left empty: importing it would blank the project's current figures.
            chk.warn(row, "project_name", f"项目「{project.name}」本期没有填报任何内容，该行不导入，请核对是否漏报")
            continue
        region = got("region")
        region = (region.strip() if type(region) is str else _text(region)) or None
        plans.append(ProgressPlan(project.id, project.label, row.sheet, row.row, values, planned, region))


def _unknown_project(chk: _Checker, row: ParsedRow) -> None:
    """The row names no project of the ledger (the lookup found neither its code nor its name)."""
    if chk.counting_only:  # a return of 50,000 unknown names: the rest are counted, not described
        chk.unlisted_errors += 1
        return
    code, name = row.values.get("project_code"), row.values.get("project_name")
    # Close names only while the file's list still shows problems; past it the row is only counted.
    candidates = chk.cat.match_project(code, name).candidates if chk.listing else []
    label = _text(name) or _text(code)
    near = f"最接近的项目：{'；'.join(candidates)}" if candidates else "台账中没有相近的项目"
    chk.error(
        row,
        "project_name",
        f"项目「{label}」在台账中找不到（编号和名称都对不上）。{near}。请核对名称或编号；如确属新项目，请先在台账中新建",
    )


TEXT_FIELDS = ("progress_text", "problems", "coordination_needed", "next_steps")


def _check_correction(chk: _Checker, result: ValidatedReturn) -> None:
    """A correction (a new file for a department and period already returned) drops nothing unsaid.

    Warnings list what importing it would remove from the current figures: members of a members sheet left
    blank, text the earlier return had and this one leaves blank, projects it no longer mentions.
    """
    if result.supersedes is None or chk.state._session is None:
        return
    earlier = result.supersedes
    session = chk.state._session
    old_entries = {
        e.project_id: e for e in session.scalars(select(ProgressEntry).where(ProgressEntry.return_id == earlier.id))
    }
    source = f"{earlier.imported_label} 导入的「{earlier.file_name}」"
    if "members" in chk.parsed.rows and not result.members:
        names = list(
            session.scalars(select(ProgrammeMember.name).where(ProgrammeMember.return_id == earlier.id).limit(1000))
        )
        if names:
            listed = "、".join(names[:20]) + (f" 等 {len(names)} 个" if len(names) > 20 else "")
            chk.warn(
                None,
                "",
                f"「新增计划成员」表是空的：导入后将删除{source}中报送的 {len(names)} 个计划成员（{listed}）。"
                "如不应删除，请该单位补填后重新发送；确认删除请勾选确认",
            )
    plans = {p.project_id: p for p in result.progress}
    for plan in result.progress:
        old = old_entries.get(plan.project_id)
        if old is None:
            continue
        cleared = [
            f"“{FIELD_LABELS[name]}”（原为「{_brief(getattr(old, name))}」）"
            for name in TEXT_FIELDS
            if (getattr(old, name) or "").strip() and not plan.values.get(name)
        ]
        if cleared:
            row = next((r for r in chk.parsed.rows.get("progress", []) if r.row == plan.row), None)
            chk.warn(
                row,
                "project_name",
                f"项目「{plan.project_label}」本次{'、'.join(cleared)}为空，导入后将被清空；如只是漏填，请补填后重新发送",
            )
    dropped = [pid for pid in old_entries if pid not in plans]
    if dropped:
        labels = [chk.cat.projects[pid].label for pid in dropped if pid in chk.cat.projects]
        listed = "、".join(labels[:20]) + (f" 等 {len(labels)} 个" if len(labels) > 20 else "")
        chk.warn(
            None,
            "",
            f"{source}中的 {len(dropped)} 个项目本次没有填报（{listed}）：导入后这些项目本期将显示为未报"
            "（原数据保留在历史中）；如是漏报，请该单位补报",
        )


def _brief(value: object, limit: int = 20) -> str:
    text = str(value or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


IMPLAUSIBLE_WAN = 1e9  # 10^9 万元 = 10 万亿元: more than any project of the province
PLAN_FACTOR = 3  # cumulative investment above 3× the plan is a typo (a unit or a digit) far more often than not


def _check_plausible(chk: _Checker, row: ParsedRow, values: dict[str, Any], plan: float | None) -> None:
    """Amounts beyond plausibility are warnings naming the cell: the clerk confirms or has them corrected."""
    for name in ("investment_period", "investment_cumulative"):
        amount = values.get(name)
        if amount is not None and amount > IMPLAUSIBLE_WAN:
            chk.warn(row, name, f"{FIELD_LABELS[name]} {amount:.6g} 万元超过 10^9 万元，不合理，请核对单位和数字")
    cum = values.get("investment_cumulative")
    if cum is not None and plan and plan > 0 and cum > PLAN_FACTOR * plan and cum <= IMPLAUSIBLE_WAN:
        chk.warn(
            row,
            "investment_cumulative",
            f"累计完成投资 {_fmt(cum)} 万元是计划总投资 {_fmt(plan)} 万元的 {cum / plan:.1f} 倍，"
            "请核对单位（万元/亿元）和数字",
        )


def _check_milestones(chk: _Checker, result: ValidatedReturn) -> None:
    seen: dict[tuple[int, str], int] = {}
    for row in chk.parsed.rows.get("milestones", []):
        match = chk.cat.match_project(
            row.values.get("project_code"), row.values.get("project_name"), candidates=chk.listing
        )
        if match.project is None:
            label = _text(row.values.get("project_name")) or _text(row.values.get("project_code"))
            near = f"最接近的项目：{'；'.join(match.candidates)}" if match.candidates else "台账中没有相近的项目"
            chk.error(row, "project_name", f"里程碑所属项目「{label}」在台账中找不到。{near}")
            continue
        project = match.project
        name = _text(row.values.get("milestone_name"))
        if not name:
            chk.error(row, "milestone_name", "没有填写里程碑名称")
            continue
        key = (project.id, normalise_key(name))
        if key in seen:
            chk.error(row, "milestone_name", f"里程碑「{name}」在本表中出现两次（另见第 {seen[key]} 行）")
            continue
        seen[key] = row.row
        actual = _date(row.values.get("actual_date"))
        planned = _date(row.values.get("planned_date"))
        known = chk.cat.match_milestone(project.id, name)
        if known is None:
            chk.warn(
                row,
                "milestone_name",
                f"项目「{project.name}」在台账中没有里程碑「{name}」；确认后将作为新里程碑加入",
            )
        elif isinstance(known.actual_date, date) and actual is not None and actual != known.actual_date:
            chk.warn(
                row,
                "actual_date",
                f"里程碑「{name}」的实际完成日期由 {known.actual_date:%Y-%m-%d} 改为 {actual:%Y-%m-%d}，"
                "已完成的节点日期一般不应变动，请核对",
            )
        if actual is not None and result.period is not None and (actual - result.period.end).days > FUTURE_GRACE_DAYS:
            chk.warn(
                row,
                "actual_date",
                f"实际完成日期 {actual:%Y-%m-%d} 晚于报告期末（{result.period.end:%Y-%m-%d}），请核对",
            )
        result.milestones.append(
            MilestonePlan(
                project.id,
                project.label,
                known.id if known else None,
                known.name if known else name,
                planned,
                actual,
                row.sheet,
                row.row,
            )
        )


def _check_members(chk: _Checker, result: ValidatedReturn) -> None:
    rows = chk.parsed.rows.get("members", [])
    if not rows:
        return
    superseded_id = result.supersedes.id if result.supersedes else None
    year_default = result.period.year if result.period else None
    seen: dict[tuple[int, str], int] = {}
    for row in rows:
        programme_text = row.values.get("programme")
        match = chk.cat.match_project(programme_text, programme_text, kind="programme")
        if match.project is None:
            names = "；".join(match.candidates) or "、".join(p.label for p in chk.cat.programmes())
            chk.error(row, "programme", f"所属计划「{_text(programme_text)}」不是台账中的定额计划。可选：{names}")
            continue
        programme = match.project
        name = _text(row.values.get("member_name"))
        if not name:
            chk.error(row, "member_name", "没有填写企业（试验区）名称")
            continue
        code = clean_credit_code(row.values.get("credit_code"))
        if code:
            why = credit_code_problem(code)
            if why:
                chk.error(row, "credit_code", f"「{name}」的统一社会信用代码有误（{why}）")
                continue
        elif programme.member_kind == "enterprise":
            chk.warn(row, "credit_code", f"「{name}」没有填写统一社会信用代码，无法可靠地查重")
        year = row.values.get("year_counted")
        year_counted = int(year) if isinstance(year, int | float) and not isinstance(year, bool) else year_default
        key = (programme.id, code or normalise_key(name))
        if key in seen:
            chk.warn(row, "member_name", f"「{name}」在本表中重复出现（另见第 {seen[key]} 行），只计一次")
            continue
        seen[key] = row.row
        earlier = chk.state.members_by_code.get(code, []) if code else []
        if not earlier:
            earlier = chk.state.members_by_name.get(normalise_key(name), [])
        earlier = [
            m
            for m in earlier
            if m.programme_id == programme.id and (m.return_id != superseded_id or m.return_id is None)
        ]
        if earlier:
            same_year = [m for m in earlier if m.year_counted == year_counted]
            m = (same_year or earlier)[0]
            who = m.department_name or "台账录入"
            when = f"{m.year_counted}年" if m.year_counted else "此前"
            column = "credit_code" if code else "member_name"
            if same_year:
                # Re-listing last period's members is common; counting them again would inflate the quota.
                chk.warn(
                    row, column, f"「{name}」已由{who}计入「{programme.name}」{when}名单，本次不再重复计入，请核对"
                )
                continue
            chk.warn(row, column, f"「{name}」已由{who}于{when}计入「{programme.name}」，同一企业重复计数，请核对")
        result.members.append(
            MemberPlan(
                programme.id,
                name,
                code,
                _text(row.values.get("region")),
                year_counted,
                _text(row.values.get("notes")),
                row.sheet,
                row.row,
            )
        )


def _check_indicators(chk: _Checker, result: ValidatedReturn) -> None:
    seen: dict[int, int] = {}
    dept = result.department
    for row in chk.parsed.rows.get("indicators", []):
        name = row.values.get("indicator_name")
        indicator = chk.cat.match_indicator(row.values.get("indicator_code"), name)
        if indicator is None:
            near = chk.cat.indicator_candidates(name)
            hint = f"最接近的指标：{'；'.join(near)}" if near else "台账中没有相近的指标"
            chk.error(row, "indicator_name", f"指标「{_text(name)}」在台账中找不到。{hint}")
            continue
        if indicator.id in seen:
            chk.error(
                row, "indicator_name", f"指标「{indicator.name}」在本表中出现两次（另见第 {seen[indicator.id]} 行）"
            )
            continue
        seen[indicator.id] = row.row
        if INDICATORS.untouched(row.raw):
            continue  # not measured this period (many indicators are yearly): nothing to record
        written = row.values.get("value")
        if isinstance(written, str):  # 已实现 / 未实现 (values keeps these words for this check)
            if indicator.unit:
                unit = indicator.unit
                chk.error(row, "value", f"指标「{indicator.name}」应填数字（单位：{unit}），不能填“{written}”")
                continue
            written = parse_actual_value(written, milestone=True)
        value = _number(written)
        if value is None:
            chk.error(row, "value", f"指标「{indicator.name}」没有填写数值")
            continue
        if dept is not None and indicator.responsible_department_id not in (None, dept.id):
            owner = chk.cat.departments.get(indicator.responsible_department_id or -1)
            chk.warn(
                row,
                "indicator_name",
                f"指标「{indicator.name}」由{owner.name if owner else '其他单位'}负责报送，不是{dept.name}，请核对",
            )
        result.indicators.append(
            IndicatorPlan(indicator.id, indicator.name, value, _text(row.values.get("source")), row.sheet, row.row)
        )


def project_status_for(progress_pct: float | None, investment_cumulative: float | None, current: str) -> str:
    """The status a reported row implies: 已完成 at 100%, 在建 once started, else unchanged (or 未开工)."""
    if progress_pct is not None and progress_pct >= 100:
        return "已完成"
    if (progress_pct or 0) > 0 or (investment_cumulative or 0) > 0:
        return "在建"
    if current in ("", "未填报"):
        return "未开工"
    return current
