"""Import departmental returns: preview (read + check, no writes) and commit (one transaction per file).

Shared by `taizhang import` and the GUI import wizard; also the period overview the 报表填报 view shows
(who has returned, who was refused, whose warnings wait for confirmation, and the history of returns).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.domain.periods import Period
from app.returns.batch import ReadAhead, read_ahead
from app.returns.batch import collect_files as collect_files
from app.returns.batch import unread_files as unread_files
from app.returns.commit import (
    WithdrawResult,
    change_summary,
    commit_return,
    lock_for_import,
    record_refusal,
    withdraw_return,
)
from app.returns.parsed import ParsedReturn, Problem, Severity
from app.returns.validate import LedgerState, ValidatedReturn, make_strict, validate
from app.services.period_entries import period_scope, received_returns
from app.services.return_states import ReturnState, latest_refusals, refusal_stands, return_state
from app.services.scope import owing_department_ids
from app.storage.audit import add_audit, current_user
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.models import Department, ProgressEntry, ReportingPeriod, Return, TaskPartProgress

log = logging.getLogger("taizhang.returns")
_T = TypeVar("_T")

ProgressCallback = Callable[[int, int, str], None]  # done, total, file name


class Verdict(StrEnum):
    WILL_IMPORT = "will_import"
    SUPERSEDES = "supersedes"
    WARNINGS = "warnings"  # will import once the clerk confirms the warnings
    ALREADY_IMPORTED = "already_imported"
    BLOCKED = "blocked"


VERDICT_LABELS = {
    Verdict.WILL_IMPORT: "可导入",
    Verdict.SUPERSEDES: "可导入（替换旧报表）",
    Verdict.WARNINGS: "有警告待确认",
    Verdict.ALREADY_IMPORTED: "已导入过",
    Verdict.BLOCKED: "有错误，不能导入",
}


@dataclass
class FilePreview:
    """One file read and checked: its verdict, what it would write, every problem."""

    path: Path
    validated: ValidatedReturn
    verdict: Verdict
    supersedes_in_batch: str = ""  # an earlier file of this batch for the same department and period
    duplicate_in_batch: str = ""  # an earlier file of this batch with the same content
    pending_changes: str = ""  # against the return it would supersede: per project, field old → new

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def problems(self) -> list[Problem]:
        return self.validated.problems

    @property
    def department_name(self) -> str:
        v = self.validated
        return v.department.name if v.department else (v.parsed.department or "")

    @property
    def department_note(self) -> str:
        """'（文件所写“省卫计委” → 省卫生健康委员会）' when the file names the department otherwise, else ''."""
        from app.services.departments import said_note

        v = self.validated
        said = said_note(v.parsed.department or "", v.department.name) if v.department else ""
        return f"（单位名称按对照表：{said}）" if said else ""

    @property
    def period_label(self) -> str:
        v = self.validated
        return v.period.label if v.period else (v.parsed.period_key or "")

    @property
    def importable(self) -> bool:
        return self.verdict in (Verdict.WILL_IMPORT, Verdict.SUPERSEDES, Verdict.WARNINGS)

    @property
    def unmapped_columns(self) -> list[tuple[str, str, str, str]]:
        """Unknown columns with content: the wizard imports the file only once each is mapped or ignored."""
        return self.validated.parsed.unmapped_columns

    def contents(self) -> str:
        """'项目 12 行、里程碑 3 行、计划成员 5 个、指标 2 项' — only the non-empty parts."""
        v = self.validated
        parts = []
        for count, text in (
            (len(v.progress), "项目 {} 行"),
            (len(v.milestones), "里程碑 {} 行"),
            (len(v.members), "计划成员 {} 个"),
            (len(v.indicators), "指标 {} 项"),
            (len(v.tasks), "重点任务 {} 项"),
        ):
            if count:
                parts.append(text.format(count))
        return "、".join(parts) or "无数据行"

    def verdict_text(self) -> str:
        """The verdict in a sentence, for the CLI and the wizard's table."""
        v = self.validated
        if self.duplicate_in_batch:
            return f"与本批中的「{self.duplicate_in_batch}」内容完全相同，只导入一次"
        if self.verdict is Verdict.ALREADY_IMPORTED and v.already_imported:
            a = v.already_imported
            return f"已导入过（{a.imported_label} 以「{a.file_name}」导入，{a.department_name}），不会重复导入"
        if self.verdict is Verdict.BLOCKED:
            return f"有 {len(v.errors)} 个错误，不能导入"
        parts = [f"可导入：{self.department_name}{self.department_note}，{self.period_label}，{self.contents()}"]
        if v.supersedes is not None:
            parts.append(f"将替换 {v.supersedes.imported_label} 导入的「{v.supersedes.file_name}」")
        elif self.supersedes_in_batch:
            parts.append(f"将替换本批中的「{self.supersedes_in_batch}」")
        if v.warnings:
            parts.append(f"有 {len(v.warnings)} 条警告")
        if self.unmapped_columns:
            parts.append(f"有 {len(self.unmapped_columns)} 列未识别（其内容未读取）")
        return "；".join(parts)


class OutcomeStatus(StrEnum):
    IMPORTED = "imported"
    ALREADY_IMPORTED = "already_imported"
    REFUSED = "refused"
    FAILED = "failed"


@dataclass
class FileOutcome:
    """What committing one file did."""

    path: Path
    status: OutcomeStatus
    message: str
    return_id: int | None = None
    superseded_id: int | None = None
    change_summary: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def ok(self) -> bool:
        return self.status in (OutcomeStatus.IMPORTED, OutcomeStatus.ALREADY_IMPORTED)


# --- preview ------------------------------------------------------------------------------------------------


def column_options(sheet_key: str) -> list[tuple[str, str]]:
    """(field name, title) of every column a table of this kind can hold: what an unknown column may be."""
    from app.returns.fields import SHEETS

    spec = next((s for s in SHEETS if s.key == sheet_key), None)
    return [(f.name, f.header) for f in spec.fields if not f.reference] if spec else []


def preview(
    database: Database,
    paths: Sequence[str | Path],
    department: str | None = None,
    period: str | None = None,
    strict: bool = False,
    progress: ProgressCallback | None = None,
    overrides: Mapping[Path, tuple[str | None, str | None]] | None = None,
    fallback: tuple[str | None, str | None] = (None, None),
    column_choices: Mapping[Path, Mapping[tuple[str, str], str]] | None = None,
) -> list[FilePreview]:
    """Read and check every file (folders are expanded); nothing is written.

    ``department``/``period`` override what every file says (with a warning where it differs);
    ``overrides`` does the same for single files (path → department, period), as the wizard's chooser sets;
    ``fallback`` (department, period) is used only for files that name none.
    """
    ahead = read_ahead(
        paths,
        department=department,
        period=period,
        overrides=overrides,
        fallback=fallback,
        column_choices=column_choices,
    )
    return preview_read(database, ahead, strict=strict, progress=progress)


def preview_read(
    database: Database, ahead: ReadAhead, *, strict: bool = False, progress: ProgressCallback | None = None
) -> list[FilePreview]:
    """Check the files ``ahead`` is reading, each as soon as it is read, while the next one is being read."""
    total = len(ahead.jobs)

    def in_order() -> Iterator[ParsedReturn]:
        results = iter(ahead)
        for i, job in enumerate(ahead.jobs):
            if progress is not None:
                progress(i, total, job.path.name)
            yield next(results)

    try:
        result = preview_parsed(database, in_order(), strict=strict)
    finally:
        ahead.close()
    if progress is not None:
        progress(total, total, "")
    return result


def preview_parsed(database: Database, parsed: Iterable[ParsedReturn], *, strict: bool = False) -> list[FilePreview]:
    """Check parsed returns against the ledger; nothing is written.

    The ledger is loaded before the first return is taken from ``parsed``: when that is a ReadAhead, the load
    runs while the first file is still being read.
    """
    with database.sessions() as session:
        state = LedgerState.load(session)
        previews: list[FilePreview] = []
        batch_sha: dict[str, str] = {}
        batch_slot: dict[tuple[int, str], str] = {}
        for item in parsed:
            checked = _validate_safely(item, state)
            if strict:
                make_strict(checked)
            preview_item = FilePreview(item.path, checked, _verdict(checked))
            if checked.supersedes is not None and not checked.has_errors:
                preview_item.pending_changes = change_summary(session, checked.supersedes.id, checked)
            if item.sha256 and item.sha256 in batch_sha and checked.already_imported is None:
                preview_item.duplicate_in_batch = batch_sha[item.sha256]
                preview_item.verdict = Verdict.ALREADY_IMPORTED
            if preview_item.importable and checked.department and checked.period:
                slot = (checked.department.id, checked.period.key)
                if slot in batch_slot:
                    preview_item.supersedes_in_batch = batch_slot[slot]
                    if preview_item.verdict is Verdict.WILL_IMPORT:
                        preview_item.verdict = Verdict.SUPERSEDES
                batch_slot[slot] = item.file_name
            if item.sha256:
                batch_sha.setdefault(item.sha256, item.file_name)
            previews.append(preview_item)
        session.rollback()
    return previews


def _validate_safely(item: ParsedReturn, state: LedgerState) -> ValidatedReturn:
    """validate(), with a bug on odd input turned into an error on that file instead of a traceback."""
    try:
        return validate(item, state)
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch; logged with its traceback
        log.exception("validate failed on %s", item.path)
        message = f"检查文件时出现内部错误（{type(exc).__name__}），未导入；请把该文件发给维护人员"
        return ValidatedReturn(parsed=item, problems=[*item.problems, Problem(item.file_name, message)])


def _verdict(v: ValidatedReturn) -> Verdict:
    if v.already_imported is not None:
        return Verdict.ALREADY_IMPORTED
    if v.has_errors:
        return Verdict.BLOCKED
    if v.warnings:
        return Verdict.WARNINGS
    if v.supersedes is not None:
        return Verdict.SUPERSEDES
    return Verdict.WILL_IMPORT


# --- commit -------------------------------------------------------------------------------------------------


def commit(
    database: Database,
    previews: Sequence[FilePreview],
    confirmed_warnings: bool = True,
    *,
    user: str | None = None,
    progress: ProgressCallback | None = None,
) -> list[FileOutcome]:
    """Import every importable preview, one transaction per file; refused files are logged, never written.

    ``confirmed_warnings``: a person has read the warnings (GUI) — the returns are marked resolved; the CLI
    passes False, so the 报表填报 view shows them as 有警告待确认 until a clerk confirms.
    """
    who = user or current_user()
    if any(item.importable and item.verdict is not Verdict.ALREADY_IMPORTED for item in previews):
        _backup_before_import(database)
    outcomes: list[FileOutcome] = []
    for i, item in enumerate(previews):
        if progress is not None:
            progress(i, len(previews), item.file_name)
        outcomes.append(_commit_one(database, item, confirmed_warnings, who))
    if progress is not None:
        progress(len(previews), len(previews), "")
    database.checkpoint()  # the batch is in: make the .db file whole for anyone who copies it
    return outcomes


def _backup_before_import(database: Database) -> None:
    from app.storage.backup import backup_before

    try:
        backup_before(database, "import")
    except KnownError as exc:
        # Each file is still one all-or-nothing transaction, so the import stays safe without the copy;
        # the clerk's work is not blocked by a full backup folder, but the log says what was missed.
        log.warning("backup before import skipped: %s", exc.message)


def _commit_one(database: Database, item: FilePreview, confirmed: bool, user: str) -> FileOutcome:
    v = item.validated
    if item.verdict is Verdict.ALREADY_IMPORTED:
        return FileOutcome(item.path, OutcomeStatus.ALREADY_IMPORTED, item.verdict_text(), problems=v.problems)
    if not item.importable:
        try:
            _in_write_transaction(database, lambda s: record_refusal(s, v, user=user, now=datetime.now()))
        except Exception as exc:  # noqa: BLE001 - the log line is a courtesy; the refusal itself stands
            log.warning("refusal of %s not logged: %s", item.path, _explain(exc))
        return FileOutcome(item.path, OutcomeStatus.REFUSED, item.verdict_text(), problems=v.problems)
    try:
        done = _in_write_transaction(
            database, lambda s: commit_return(s, v, user=user, now=datetime.now(), warnings_resolved=confirmed)
        )
    except Exception as exc:  # noqa: BLE001 - the transaction is rolled back; the batch goes on
        log.exception("commit failed for %s", item.path)
        return FileOutcome(
            item.path, OutcomeStatus.FAILED, f"导入失败，数据库未作任何改动：{_explain(exc)}", problems=v.problems
        )
    if done.already_imported:
        return FileOutcome(item.path, OutcomeStatus.ALREADY_IMPORTED, "已导入过，不会重复导入", done.return_id)
    message = f"已导入：{item.department_name}，{item.period_label}，{item.contents()}"
    if done.superseded_id is not None:
        message += "；已替换此前导入的报表（旧报表保留为历史）"
    return FileOutcome(
        item.path,
        OutcomeStatus.IMPORTED,
        message,
        done.return_id,
        done.superseded_id,
        done.change_summary,
        problems=v.problems,
    )


WRITE_ATTEMPTS = 4  # each waits up to the busy timeout (5 s) for another PC's import to finish


def _in_write_transaction(database: Database, work: Callable[[Session], _T]) -> _T:
    """Run ``work`` in one write transaction taken up front (see commit.lock_for_import).

    Another import holding the database makes this wait, then try again a few times; a race lost on a
    unique key (two PCs creating the same period) is retried too, and then finds the other's row.
    """
    for attempt in range(WRITE_ATTEMPTS):
        session = database.sessions()
        try:
            with session.begin():
                lock_for_import(session)
                return work(session)
        except (OperationalError, IntegrityError) as exc:
            if attempt + 1 == WRITE_ATTEMPTS or not _retryable(exc):
                raise
            log.info("write attempt %d failed (%s); retrying", attempt + 1, exc)
            time.sleep(0.2 * (attempt + 1))
        finally:
            session.close()
    raise AssertionError("unreachable")


def _retryable(exc: Exception) -> bool:
    text = str(exc).lower()
    if isinstance(exc, IntegrityError):
        return "reporting_periods" in text or "unique" in text or "duplicate key" in text
    return "locked" in text or "busy" in text or "deadlock" in text or "could not serialize" in text


def _explain(exc: Exception) -> str:
    if isinstance(exc, StaleDataError):
        return "台账中的项目或里程碑刚被他人修改，请重新检查后再导入"
    if isinstance(exc, KnownError):
        return exc.message
    if isinstance(exc, IntegrityError):
        return "另一位同事正在同时导入同一单位同一报告期的报表，请稍后重新检查后再导入"
    if isinstance(exc, OperationalError):
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            return "数据库正被其他电脑或程序占用（等待后仍未释放），请稍后再试"
        if "disk" in text or "full" in text:
            return "磁盘空间不足"
        if "readonly" in text:
            return "没有写入数据库的权限"
    return f"{type(exc).__name__}: {exc}"


# --- the period overview for the 报表填报 view ---------------------------------------------------------------


@dataclass
class DepartmentReturnStatus:
    department_id: int
    department_name: str
    state: ReturnState
    return_id: int | None = None
    file_name: str = ""
    imported_at: str = ""
    imported_by: str = ""
    warning_count: int = 0
    expected: bool = True
    contact: str = ""
    detail: str = ""  # refusal reasons or warnings, one a line


@dataclass
class ReturnHistoryItem:
    return_id: int
    department_name: str
    file_name: str
    imported_at: str
    imported_by: str
    current: bool
    superseded_by_file: str
    warning_count: int
    warnings_resolved: bool
    entry_count: int
    change_summary: str
    warnings: list[str]


@dataclass
class PeriodOverview:
    period_key: str
    period_label: str
    statuses: list[DepartmentReturnStatus]
    history: list[ReturnHistoryItem]

    def count(self, state: ReturnState) -> int:
        return sum(1 for s in self.statuses if s.state is state)


def period_overview(database: Database, period_key: str) -> PeriodOverview:
    """Every expected department's return status for the period, and every return received (newest first)."""
    return _overview(database, period_key)


def department_states(database: Database, period_key: str) -> dict[int, ReturnState]:
    """Department id → its return state for the period: the one judgement 报表填报 and 总览 both show."""
    return {s.department_id: s.state for s in _overview(database, period_key).statuses}


def _overview(database: Database, period_key: str) -> PeriodOverview:
    period = Period.parse(period_key)
    with database.sessions() as session:
        # The rule `taizhang missing`, templates and the report use (a project's task lead counts when it has none).
        expected = owing_department_ids(session)  # every department while no project names one yet
        departments = list(session.scalars(select(Department).order_by(Department.sort_order, Department.id)))
        dept_names = {d.id: d.name for d in departments}
        # Received: the rule the dashboard, the report and `taizhang missing` use (months count for their quarter).
        scope = period_scope(session, period)
        returns = (
            list(
                session.scalars(
                    select(Return)
                    .where(Return.period_id.in_(scope.period_ids))
                    .order_by(Return.imported_at.desc(), Return.id.desc())
                )
            )
            if scope.period_ids
            else []
        )
        counts = (
            dict(
                session.execute(
                    select(ProgressEntry.return_id, func.count(ProgressEntry.id))
                    .where(ProgressEntry.period_id.in_(scope.period_ids))
                    .group_by(ProgressEntry.return_id)
                ).all()
            )
            if scope.period_ids
            else {}
        )
        if scope.period_ids:  # task rows (重点任务进展) count as rows of their return too
            for return_id, n in session.execute(
                select(TaskPartProgress.return_id, func.count(TaskPartProgress.id))
                .where(TaskPartProgress.period_id.in_(scope.period_ids))
                .group_by(TaskPartProgress.return_id)
            ):
                counts[return_id] = counts.get(return_id, 0) + n
        by_id = {r.id: r for r in returns}
        history = [
            ReturnHistoryItem(
                r.id,
                dept_names.get(r.department_id, ""),
                r.file_name,
                f"{r.imported_at:%Y-%m-%d %H:%M}",
                r.imported_by,
                r.superseded_by_id is None,
                by_id[r.superseded_by_id].file_name if r.superseded_by_id in by_id else "",
                r.warning_count,
                r.warnings_resolved,
                counts.get(r.id, 0),
                r.change_summary,
                _warning_lines(r.problems_json),
            )
            for r in returns
        ]
        current = received_returns(session, period)
        last_refusal = latest_refusals(session, period)
        statuses = []
        for d in departments:
            if d.id not in expected and d.id not in current and d.id not in last_refusal:
                continue
            status = DepartmentReturnStatus(
                d.id,
                d.name,
                ReturnState.MISSING,
                expected=d.id in expected,
                contact=" ".join(x for x in (d.contact_person, d.contact_phone) if x),
            )
            ret = current.get(d.id)
            refusal = last_refusal.get(d.id)
            status.state = return_state(ret, refusal)
            if ret is not None:
                status.return_id = ret.id
                status.file_name = ret.file_name
                status.imported_at = f"{ret.imported_at:%Y-%m-%d %H:%M}"
                status.imported_by = ret.imported_by
                status.warning_count = ret.warning_count
                status.detail = "\n".join(_warning_lines(ret.problems_json))
            if refusal is not None and refusal_stands(ret, refusal):
                status.file_name = refusal.old_value
                status.imported_at = f"{refusal.at:%Y-%m-%d %H:%M}"
                status.imported_by = refusal.user
                status.detail = "\n".join(json.loads(refusal.new_value or "{}").get("errors", []))
            statuses.append(status)
    return PeriodOverview(period.key, period.label, statuses, history)


def _warning_lines(problems_json: str) -> list[str]:
    try:
        items = json.loads(problems_json or "[]")
    except ValueError:
        return []
    lines = []
    for p in items:
        problem = Problem(
            file=p.get("file", ""),
            message=p.get("message", ""),
            severity=Severity(p.get("severity", "warning")),
            sheet=p.get("sheet", ""),
            row=p.get("row"),
            column=p.get("column", ""),
        )
        lines.append(problem.describe())
    return lines


def confirm_warnings(database: Database, return_id: int, *, user: str | None = None, resolved: bool = True) -> None:
    """A clerk has read a return's warnings: mark them resolved (``resolved=False`` undoes it); audited."""
    who = user or current_user()
    with database.session() as session:
        ret = session.get(Return, return_id)
        if ret is None or ret.warnings_resolved == resolved:
            return
        ret.warnings_resolved = resolved
        add_audit(
            session,
            at=datetime.now(),
            user=who,
            entity="return",
            entity_id=ret.id,
            field="warnings_resolved",
            old="否" if resolved else "是",
            new="是" if resolved else "否",
        )


def period_keys(database: Database) -> list[str]:
    """Periods that have a reporting-period row, newest first."""
    with database.sessions() as session:
        return list(session.scalars(select(ReportingPeriod.key).order_by(ReportingPeriod.end.desc())))


def department_names(database: Database) -> list[str]:
    """Every current department's name in the office's order, for the wizard's fallback picker."""
    from app.storage.successions import retired_department_ids

    with database.sessions() as session:
        retired = retired_department_ids(session)
        rows = session.execute(select(Department.id, Department.name).order_by(Department.sort_order, Department.id))
        return [name for dept_id, name in rows if dept_id not in retired]


def withdraw(database: Database, return_id: int, *, user: str | None = None) -> WithdrawResult:
    """Withdraw (undo) an import in one transaction; the return it superseded becomes current again.

    Raises KnownError when the return is not the current one or no longer exists.
    """
    session = database.sessions()
    try:
        with session.begin():
            return withdraw_return(session, return_id, user=user or current_user(), now=datetime.now())
    finally:
        session.close()
