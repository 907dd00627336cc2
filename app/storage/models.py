"""The portfolio schema: documents, tasks, departments, projects, indicators, returns, meetings, audit.

Every fact carries its provenance: portfolio facts name their document and sentence (``source_text``);
facts from a departmental return name the return, sheet and row.
Amounts are in 万元; progress in percent (0-100).

No ``from __future__ import annotations`` here: with it every ``Mapped[...]`` is a string SQLAlchemy must
evaluate itself (≈ 20 ms of each start-up's ≈ 150 ms declaring the models); only the forward references to
models declared further down are quoted.
"""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.storage.db import Base


class Document(Base):
    """A source document that sets tasks and targets."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    short_title: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    issuer: Mapped[str] = mapped_column(String(100))
    issued_on: Mapped[date | None] = mapped_column(Date)
    issued_note: Mapped[str] = mapped_column(String(100), default="")
    file_name: Mapped[str] = mapped_column(String(200))

    tasks: Mapped[list["Task"]] = relationship(back_populates="document", order_by="Task.sort_order")


class Department(Base):
    """One department, whichever document names it; aliases are alternative spellings for matching."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    aliases: Mapped[str] = mapped_column(Text, default="")  # one alias a line
    contact_person: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def alias_list(self) -> list[str]:
        return self.split_aliases(self.aliases)

    @staticmethod
    def split_aliases(aliases: str | None) -> list[str]:
        """The aliases column's text as a list: one alias a line, blank lines ignored."""
        return [a for a in (aliases or "").splitlines() if a.strip()]


class Task(Base):
    """A section, part or numbered item of a document; ``code`` is its place (三(四)2)."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("document_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    level: Mapped[str] = mapped_column(String(10))  # section / part / item
    code: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    full_text: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    document: Mapped["Document"] = relationship(back_populates="tasks")
    parent: Mapped["Task | None"] = relationship(remote_side="Task.id", back_populates="children")
    children: Mapped[list["Task"]] = relationship(back_populates="parent", order_by="Task.sort_order")
    departments: Mapped[list["TaskDepartment"]] = relationship(
        back_populates="task", order_by="TaskDepartment.sort_order", cascade="all, delete-orphan"
    )
    projects: Mapped[list["Project"]] = relationship(back_populates="task")


class TaskDepartment(Base):
    """A department responsible for a task, and so a supervised part (督办 part) that owes progress every period.

    ``role`` is ``responsible`` (负责: the documents' equal responsible departments, "按职责分工负责"), or
    ``lead`` (牵头) / ``co`` (配合) only where a document or the office says so explicitly.
    """

    __tablename__ = "task_departments"
    __table_args__ = (UniqueConstraint("task_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    role: Mapped[str] = mapped_column(String(12))  # responsible / lead / co
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    source_text: Mapped[str] = mapped_column(Text, default="")
    # 2018 四(一): "按照职责分工落实年度任务目标、工作责任人和联系人".
    responsible_person: Mapped[str] = mapped_column(String(50), default="", server_default="")  # 工作责任人
    contact_person: Mapped[str] = mapped_column(String(50), default="", server_default="")  # 联系人
    contact_phone: Mapped[str] = mapped_column(String(50), default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    task: Mapped["Task"] = relationship(back_populates="departments")
    department: Mapped["Department"] = relationship()
    targets: Mapped[list["TaskPartTarget"]] = relationship(
        back_populates="part", order_by="TaskPartTarget.year", cascade="all, delete-orphan"
    )


class TaskPartTarget(Base):
    """A part's 年度任务目标: what the department means to achieve on the task in one year."""

    __tablename__ = "task_part_targets"
    __table_args__ = (UniqueConstraint("part_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("task_departments.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    target: Mapped[str] = mapped_column(Text, default="")

    part: Mapped["TaskDepartment"] = relationship(back_populates="targets")


class TaskPartProgress(Base):
    """A part's progress in a period, as one return's task row (or a clerk) reported it."""

    __tablename__ = "task_part_progress"
    __table_args__ = (Index("ix_task_part_progress_part_period", "part_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("task_departments.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_periods.id"), index=True)
    return_id: Mapped[int | None] = mapped_column(ForeignKey("returns.id"), index=True)
    progress_text: Mapped[str] = mapped_column(Text, default="")  # 本期进展情况
    problems: Mapped[str] = mapped_column(Text, default="")  # 存在问题
    coordination_needed: Mapped[str] = mapped_column(Text, default="")  # 需协调解决的问题
    next_steps: Mapped[str] = mapped_column(Text, default="")  # 下步工作计划
    completion: Mapped[str] = mapped_column(String(10), default="")  # 按时推进 / 滞后 / 已完成 / ""
    source_sheet: Mapped[str] = mapped_column(String(100), default="")
    source_row: Mapped[int | None] = mapped_column(Integer)
    entered_by: Mapped[str] = mapped_column(String(50), default="")
    entered_at: Mapped[datetime | None] = mapped_column(DateTime)

    part: Mapped["TaskDepartment"] = relationship()
    period: Mapped["ReportingPeriod"] = relationship()
    return_: Mapped["Return | None"] = relationship()


class Project(Base):
    """A key project or a quota programme (kind ``key_project`` / ``programme``)."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="key_project")
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    lead_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    region: Mapped[str] = mapped_column(String(50), default="")  # 市（州）
    planned_start: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    planned_investment: Mapped[float | None] = mapped_column(Float)  # 万元
    status: Mapped[str] = mapped_column(String(20), default="未填报")
    # Quota programmes: how many members, over what period (total / yearly), counted as what unit.
    quota_count: Mapped[int | None] = mapped_column(Integer)
    quota_period: Mapped[str] = mapped_column(String(10), default="")  # total / yearly / ""
    quota_unit: Mapped[str] = mapped_column(String(10), default="")
    member_kind: Mapped[str] = mapped_column(String(20), default="")  # enterprise / zone
    source_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    source_text: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    task: Mapped["Task | None"] = relationship(back_populates="projects")
    lead_department: Mapped["Department | None"] = relationship()
    source_document: Mapped["Document | None"] = relationship()
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="project", order_by="Milestone.sort_order", cascade="all, delete-orphan"
    )
    members: Mapped[list["ProgrammeMember"]] = relationship(
        back_populates="project", order_by="ProgrammeMember.id", cascade="all, delete-orphan"
    )
    progress_entries: Mapped[list["ProgressEntry"]] = relationship(back_populates="project")


class ProgrammeMember(Base):
    """An enterprise or zone counted toward a quota programme."""

    __tablename__ = "programme_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18), default="", index=True)
    region: Mapped[str] = mapped_column(String(50), default="")
    year_counted: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text, default="")
    return_id: Mapped[int | None] = mapped_column(ForeignKey("returns.id"), index=True)
    source_sheet: Mapped[str] = mapped_column(String(100), default="")
    source_row: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    project: Mapped["Project"] = relationship(back_populates="members")


class Milestone(Base):
    """A dated step of a project: planned against actual."""

    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    planned_date: Mapped[date | None] = mapped_column(Date)
    actual_date: Mapped[date | None] = mapped_column(Date)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    project: Mapped["Project"] = relationship(back_populates="milestones")


class Indicator(Base):
    """A measured quantity the documents set targets for (互联网产业规模, 固定宽带家庭普及率 …)."""

    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(20), default="")
    responsible_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # The item whose sentence sets the target; its departments are the indicator's responsible departments.
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    # Why two documents disagree, or how this indicator relates to another (shown beside its targets).
    note: Mapped[str] = mapped_column(Text, default="")
    # Which document's target the office reports against when two disagree; None = the later document.
    reported_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    # Another indicator measuring the same thing (an actual recorded for one is offered for the other).
    related_indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicators.id"))

    responsible_department: Mapped["Department | None"] = relationship()
    task: Mapped["Task | None"] = relationship()
    reported_document: Mapped["Document | None"] = relationship()
    related_indicator: Mapped["Indicator | None"] = relationship(remote_side="Indicator.id", post_update=True)
    baselines: Mapped[list["IndicatorBaseline"]] = relationship(
        back_populates="indicator", order_by="IndicatorBaseline.year", cascade="all, delete-orphan"
    )
    targets: Mapped[list["IndicatorTarget"]] = relationship(
        back_populates="indicator", order_by="IndicatorTarget.year", cascade="all, delete-orphan"
    )
    actuals: Mapped[list["IndicatorActual"]] = relationship(
        back_populates="indicator", order_by="IndicatorActual.period_key", cascade="all, delete-orphan"
    )


class IndicatorBaseline(Base):
    __tablename__ = "indicator_baselines"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    growth_pct: Mapped[float | None] = mapped_column(Float)  # the year's stated growth, if any
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    source_text: Mapped[str] = mapped_column(Text, default="")

    indicator: Mapped["Indicator"] = relationship(back_populates="baselines")
    document: Mapped["Document"] = relationship()


class IndicatorTarget(Base):
    """A target set by one document. kind: floor / exact / growth / milestone (yes-no)."""

    __tablename__ = "indicator_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    value: Mapped[float | None] = mapped_column(Float)  # level, or growth % a year for kind=growth
    wording: Mapped[str] = mapped_column(String(200))
    source_text: Mapped[str] = mapped_column(Text, default="")

    indicator: Mapped["Indicator"] = relationship(back_populates="targets")
    document: Mapped["Document"] = relationship()


class IndicatorActual(Base):
    """A measured value for a period, from a return or entered by a clerk (``source`` says which)."""

    __tablename__ = "indicator_actuals"
    __table_args__ = (UniqueConstraint("indicator_id", "period_key", "return_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    period_key: Mapped[str] = mapped_column(String(10), index=True)
    value: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text, default="")
    return_id: Mapped[int | None] = mapped_column(ForeignKey("returns.id"), index=True)
    source_sheet: Mapped[str] = mapped_column(String(100), default="")
    source_row: Mapped[int | None] = mapped_column(Integer)
    entered_by: Mapped[str] = mapped_column(String(50), default="")
    entered_at: Mapped[datetime | None] = mapped_column(DateTime)

    indicator: Mapped["Indicator"] = relationship(back_populates="actuals")


class ReportingPeriod(Base):
    """A reporting period keyed 2025-09 / 2025-Q3 / 2025-H1 / 2025."""

    __tablename__ = "reporting_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(10), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(30))
    due_date: Mapped[date | None] = mapped_column(Date)


class Return(Base):
    """One department's return for one period; a newer one supersedes it and keeps it in history."""

    __tablename__ = "returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_periods.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    imported_by: Mapped[str] = mapped_column(String(50), default="")
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("returns.id"))
    warning_count: Mapped[int] = mapped_column(Integer, default=0)
    warnings_resolved: Mapped[bool] = mapped_column(Boolean, default=True)
    problems_json: Mapped[str] = mapped_column(Text, default="[]")  # the warnings kept with the return
    change_summary: Mapped[str] = mapped_column(Text, default="")  # what changed against the one superseded

    department: Mapped["Department"] = relationship()
    period: Mapped["ReportingPeriod"] = relationship()
    superseded_by: Mapped["Return | None"] = relationship(remote_side="Return.id")
    entries: Mapped[list["ProgressEntry"]] = relationship(back_populates="return_")


class ProgressEntry(Base):
    """A project's progress in a period, as one return's row reported it."""

    __tablename__ = "progress_entries"
    # Covering index for the Gantt's progress aggregate (services.gantt._progress_summary reads only these).
    __table_args__ = (
        Index("ix_progress_entries_gantt", "project_id", "period_id", "return_id", "progress_pct", "investment_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_periods.id"), index=True)
    return_id: Mapped[int | None] = mapped_column(ForeignKey("returns.id"), index=True)
    investment_period: Mapped[float | None] = mapped_column(Float)  # 万元 completed in the period
    investment_cumulative: Mapped[float | None] = mapped_column(Float)  # 万元 completed to date
    progress_pct: Mapped[float | None] = mapped_column(Float)  # 形象进度, 0-100
    progress_text: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    coordination_needed: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    source_sheet: Mapped[str] = mapped_column(String(100), default="")
    source_row: Mapped[int | None] = mapped_column(Integer)

    project: Mapped["Project"] = relationship(back_populates="progress_entries")
    period: Mapped["ReportingPeriod"] = relationship()
    return_: Mapped["Return | None"] = relationship(back_populates="entries")


class Meeting(Base):
    """A joint-conference meeting and the period its report covers."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    period_id: Mapped[int | None] = mapped_column(ForeignKey("reporting_periods.id"))
    notes: Mapped[str] = mapped_column(Text, default="")

    period: Mapped["ReportingPeriod | None"] = relationship()
    attendees: Mapped[list["MeetingAttendee"]] = relationship(cascade="all, delete-orphan")
    issues: Mapped[list["CoordinationIssue"]] = relationship(
        cascade="all, delete-orphan", order_by="CoordinationIssue.sort_order"
    )


class MeetingAttendee(Base):
    __tablename__ = "meeting_attendees"
    __table_args__ = (UniqueConstraint("meeting_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))

    department: Mapped["Department"] = relationship()


class CoordinationIssue(Base):
    """An issue needing coordination, gathered from returns for a meeting and edited before printing."""

    __tablename__ = "coordination_issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    text: Mapped[str] = mapped_column(Text)
    included: Mapped[bool] = mapped_column(Boolean, default=True)
    progress_entry_id: Mapped[int | None] = mapped_column(ForeignKey("progress_entries.id"))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class AuditEntry(Base):
    """Who changed which field of which record, when, from what to what."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    project_id: Mapped[int | None] = mapped_column(Integer, index=True)
    field: Mapped[str] = mapped_column(String(60))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(String(20), default="update")  # create / update / delete


class PlanBaseline(Base):
    """A saved copy of the plan (e.g. 2025年初计划) to compare the current plan and actuals against."""

    __tablename__ = "plan_baselines"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(50), default="")

    items: Mapped[list["PlanBaselineItem"]] = relationship(cascade="all, delete-orphan")


class PlanBaselineItem(Base):
    __tablename__ = "plan_baseline_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    baseline_id: Mapped[int] = mapped_column(ForeignKey("plan_baselines.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestones.id", ondelete="CASCADE"))
    planned_start: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    planned_date: Mapped[date | None] = mapped_column(Date)


class DepartmentSuccession(Base):
    """A renaming or merger: from ``effective_from`` the old department's responsibilities are the new one's.

    The old record stays (its returns and history keep its name); ``kind`` is rename / merge / part (the new body
    took over only part of the old one's duties). ``builtin`` rows come from resources/portfolio/successors.toml.
    """

    __tablename__ = "department_successions"
    __table_args__ = (UniqueConstraint("old_department_id", "new_department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    old_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    new_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    effective_from: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10), default="rename")
    note: Mapped[str] = mapped_column(Text, default="")
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by: Mapped[str] = mapped_column(String(50), default="")
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime)

    old_department: Mapped["Department"] = relationship(foreign_keys=[old_department_id])
    new_department: Mapped["Department"] = relationship(foreign_keys=[new_department_id])


class AppSetting(Base):
    """Settings that belong to the database, not the machine (e.g. the 内部资料 line, lag margin)."""

    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Decision(Base):
    """A meeting's decision (议定事项), followed to closure (销号); ``status`` is 办理中 or 已办结."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(10), default="办理中", index=True)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closing_note: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    # Where it came from: free text (a leader's instruction …) and, when made from a 需协调解决的问题, that issue.
    source_text: Mapped[str] = mapped_column(Text, default="")
    coordination_issue_id: Mapped[int | None] = mapped_column(
        ForeignKey("coordination_issues.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    meeting: Mapped["Meeting | None"] = relationship()
    departments: Mapped[list["DecisionDepartment"]] = relationship(
        back_populates="decision", order_by="DecisionDepartment.sort_order", cascade="all, delete-orphan"
    )


class DecisionDepartment(Base):
    """A department responsible for a decision (all named departments are equally responsible)."""

    __tablename__ = "decision_departments"
    __table_args__ = (UniqueConstraint("decision_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    decision: Mapped["Decision"] = relationship(back_populates="departments")
    department: Mapped["Department"] = relationship()


class DecisionProgress(Base):
    """A department's progress on a decision as one return's 议定事项 row reported it (the office still 销号)."""

    __tablename__ = "decision_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_periods.id"))
    return_id: Mapped[int | None] = mapped_column(ForeignKey("returns.id", ondelete="CASCADE"), index=True)
    progress_text: Mapped[str] = mapped_column(Text, default="")
    reported_done: Mapped[bool] = mapped_column(Boolean, default=False)
    source_sheet: Mapped[str] = mapped_column(String(100), default="")
    source_row: Mapped[int | None] = mapped_column(Integer)


class ChangeCounter(Base):
    """One row counting committed writes on a server database (bumped by triggers; see storage/changes.py)."""

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
