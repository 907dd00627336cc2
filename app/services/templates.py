"""Export return templates: one department, or every expected department of a period into a folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.periods import Period
from app.returns.template import (
    TemplateData,
    TemplateDecision,
    TemplateIndicator,
    TemplateMilestone,
    TemplateProgramme,
    TemplateProject,
    TemplateTask,
    template_file_name,
    write_template,
)
from app.services.decisions import list_decisions_in
from app.services.departments import resolve_in
from app.services.scope import (
    DEFAULT_OFFICE_NAME,
    OFFICE_CONTACT_SETTING,
    OFFICE_NAME_SETTING,
    DepartmentScope,
    expected_scopes,
    find_period,
    latest_before,
    parse_period,
    scope_of,
    setting,
)
from app.services.supervision import list_parts
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.files import write_error_message
from app.storage.models import Department, Indicator, Milestone, Project

Progress = Callable[[int, int, str], None]  # done, total, department name


@dataclass(frozen=True)
class WrittenTemplate:
    department: str
    path: Path
    projects: int
    programmes: int
    indicators: int
    tasks: int = 0  # supervised task parts (重点任务进展 rows)
    resolved: str = ""  # how a written name was resolved ("省卫计委 → 省卫生健康委员会…"), "" when as written

    @property
    def empty(self) -> bool:
        return not (self.projects or self.programmes or self.indicators or self.tasks)


def _quota_text(p: Project) -> str:
    if p.quota_count is None:
        return ""
    per = "每年" if p.quota_period == "yearly" else "合计"
    return f"{per} {p.quota_count} {p.quota_unit}".strip()


def template_data(session: Session, scope: DepartmentScope, period: Period) -> TemplateData:
    """Gather one department's template content for a period."""
    dept = scope.department
    row = find_period(session, period.key)
    projects = {p.id: p for p in session.scalars(select(Project).where(Project.id.in_(scope.key_project_ids)))}
    previous = latest_before(session, period.start, scope.key_project_ids)
    labels = sorted({f.period_label for f in previous.values()})
    contact = "，".join(
        x for x in (dept.contact_person, f"电话：{dept.contact_phone}" if dept.contact_phone else "") if x
    )
    data = TemplateData(
        department=dept.name,
        period_key=period.key,
        period_label=period.label,
        due_date=row.due_date if row is not None else None,
        previous_period_label="、".join(labels),
        department_contact=contact,
        office_name=setting(session, OFFICE_NAME_SETTING, DEFAULT_OFFICE_NAME),
        office_contact=setting(session, OFFICE_CONTACT_SETTING),
    )
    for pid in scope.key_project_ids:
        p = projects[pid]
        prev = previous.get(pid)
        data.projects.append(
            TemplateProject(
                code=p.code,
                name=p.name,
                department=dept.name,
                region=p.region,
                planned_investment=p.planned_investment,
                previous_cumulative=prev.investment_cumulative if prev else None,
                previous_progress_pct=prev.progress_pct if prev else None,
            )
        )
    if scope.key_project_ids:
        milestones = session.scalars(
            select(Milestone)
            .where(Milestone.project_id.in_(scope.key_project_ids))
            .order_by(Milestone.project_id, Milestone.sort_order, Milestone.id)
        )
        order = {pid: i for i, pid in enumerate(scope.key_project_ids)}
        for m in sorted(milestones, key=lambda m: order[m.project_id]):
            p = projects[m.project_id]
            data.milestones.append(TemplateMilestone(p.code, p.name, m.name, m.planned_date, m.actual_date))
    for p in session.scalars(select(Project).where(Project.id.in_(scope.programme_ids)).order_by(Project.code)):
        data.programmes.append(TemplateProgramme(p.code, p.name, _quota_text(p)))
    for ind in session.scalars(
        select(Indicator).where(Indicator.id.in_(scope.indicator_ids)).order_by(Indicator.sort_order, Indicator.code)
    ):
        data.indicators.append(TemplateIndicator(ind.code, ind.name, ind.unit))
    if scope.part_ids:
        wanted = set(scope.part_ids)
        for part in list_parts(session, period, department_id=dept.id):
            if part.part_id in wanted:
                people = part.people.replace("；", "\n")
                data.tasks.append(TemplateTask(part.task_code, part.task_title, dept.name, part.year_target, people))
    for d in list_decisions_in(session, open_only=True, department_id=dept.id):
        data.decisions.append(TemplateDecision(d.id, d.text, d.due_date))
    return data


def export_templates(
    database: Database,
    period_key: str,
    out_dir: Path,
    department: str | None = None,
    progress: Progress | None = None,
    overwrite: bool = False,
) -> list[WrittenTemplate]:
    """Write templates for one department (any, by name or alias) or every expected department into ``out_dir``.

    Existing files are refused unless ``overwrite``: a department's filled-in return saved under the template's
    name in the same folder must not be lost to a re-export.
    """
    period = parse_period(period_key)
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise KnownError(f"输出位置不是文件夹：{out_dir}")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KnownError(write_error_message(out_dir, exc)) from exc
    written: list[WrittenTemplate] = []
    resolved = ""
    with database.session() as session:
        if department is not None:
            # Former names and short forms are followed to today's department, and said (never silently).
            resolution = resolve_in(session, department)
            resolved = resolution.said
            found = session.get(Department, resolution.department_id)
            assert found is not None
            scopes = [scope_of(session, found)]
        else:
            scopes = expected_scopes(session)
            if not scopes:
                raise KnownError(
                    "没有需要填报的单位：重点项目和定额计划都未指定牵头单位，指标和重点任务也未指定责任单位。"
                    "请先在台账中指定，或用 --department 为某个单位单独导出。"
                )
        paths = [out_dir / template_file_name(s.department.name, period.label) for s in scopes]
        existing = [p.name for p in paths if p.exists()]
        if existing and not overwrite:
            shown = "、".join(existing[:5]) + (f" 等 {len(existing)} 个" if len(existing) > 5 else "")
            raise KnownError(
                f"文件夹 {out_dir} 中已有同名文件：{shown}。为免覆盖已填写的报表，未导出任何模板；"
                "请换一个文件夹，或确认后选择覆盖（命令行加 --overwrite）。"
            )
        for n, (scope, path) in enumerate(zip(scopes, paths, strict=True), start=1):
            data = template_data(session, scope, period)
            write_template(data, path)
            written.append(
                WrittenTemplate(
                    scope.department.name,
                    path,
                    len(scope.key_project_ids),
                    len(scope.programme_ids),
                    len(scope.indicator_ids),
                    len(scope.part_ids),
                    resolved,
                )
            )
            if progress is not None:
                progress(n, len(scopes), scope.department.name)
    return written


@dataclass(frozen=True)
class OutputChoices:
    """What the output dialog offers: department names (expected ones first) and known period keys."""

    expected_departments: list[str]
    other_departments: list[str]
    period_keys: list[str]  # newest first


def output_choices(database: Database) -> OutputChoices:
    """Department names and reporting periods for the GUI's choosers (no SQL in the UI)."""
    from app.services.scope import department_scopes
    from app.storage.models import ReportingPeriod

    with database.session() as session:
        scopes = department_scopes(session)
        keys = list(session.scalars(select(ReportingPeriod.key).order_by(ReportingPeriod.end.desc())))
    return OutputChoices(
        expected_departments=[s.department.name for s in scopes if s.expected],
        other_departments=[s.department.name for s in scopes if not s.expected],
        period_keys=keys,
    )
