"""Counts and a short summary of the portfolio, for `taizhang info` and the status bar."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.storage.models import (
    Department,
    Document,
    Indicator,
    IndicatorTarget,
    ProgrammeMember,
    ProgressEntry,
    Project,
    Return,
    Task,
)


@dataclass
class DocumentSummary:
    short_title: str
    issued: str
    task_count: int
    item_count: int


@dataclass
class PortfolioInfo:
    documents: list[DocumentSummary]
    departments: int
    tasks: int
    key_projects: int
    programmes: int
    members: int
    indicators: int
    targets: int
    returns: int
    progress_entries: int
    key_project_names: list[str]
    programme_lines: list[str]


def portfolio_info(session: Session) -> PortfolioInfo:
    """Gather the counts shown by `taizhang info`."""

    def count(stmt: object) -> int:
        return int(session.scalar(stmt) or 0)  # type: ignore[call-overload]

    docs = []
    for doc in session.scalars(select(Document).order_by(Document.id)):
        n = count(select(func.count(Task.id)).where(Task.document_id == doc.id))
        items = count(select(func.count(Task.id)).where(Task.document_id == doc.id, Task.level == "item"))
        issued = doc.issued_on.strftime("%Y年%m月%d日") if doc.issued_on else doc.issued_note
        docs.append(DocumentSummary(doc.short_title, issued, n, items))
    key_projects = list(session.scalars(select(Project).where(Project.kind == "key_project").order_by(Project.code)))
    programmes = list(session.scalars(select(Project).where(Project.kind == "programme").order_by(Project.code)))
    lines = []
    for p in programmes:
        members = count(select(func.count(ProgrammeMember.id)).where(ProgrammeMember.project_id == p.id))
        per = "每年" if p.quota_period == "yearly" else "合计"
        lines.append(f"{p.code} {p.name}：{per}{p.quota_count}{p.quota_unit}，已登记 {members}")
    return PortfolioInfo(
        documents=docs,
        departments=count(select(func.count(Department.id))),
        tasks=count(select(func.count(Task.id))),
        key_projects=len(key_projects),
        programmes=len(programmes),
        members=count(select(func.count(ProgrammeMember.id))),
        indicators=count(select(func.count(Indicator.id))),
        targets=count(select(func.count(IndicatorTarget.id))),
        returns=count(select(func.count(Return.id))),
        progress_entries=count(select(func.count(ProgressEntry.id))),
        key_project_names=[f"{p.code} {p.name}" for p in key_projects],
        programme_lines=lines,
    )
