"""The built-in portfolio: what the loader puts in the database, traced to the documents."""

from __future__ import annotations

from sqlalchemy import func, select

from app.resources import read_text
from app.storage.db import Database
from app.storage.models import (
    Department,
    Document,
    Indicator,
    IndicatorTarget,
    Project,
    Task,
    TaskDepartment,
)
from app.storage.portfolio import load_builtin_portfolio, read_portfolio


def test_cloud_projects_task_holds_the_eight_named_data_centres(db: Database) -> None:
    with db.session() as s:
        task = s.scalars(
            select(Task).join(Document).where(Document.key == "guidance-2015", Task.code == "三(四)2")
        ).one()
        names = [p.name for p in task.projects]
    assert task.title == "推动云计算产业重点项目建设"
    assert len(names) == 8
    assert "省数据灾备中心二期工程" in names
    assert "中国北方云基地白城云计算中心" in names


def test_both_broadband_targets_are_kept_each_with_its_document(db: Database) -> None:
    with db.session() as s:
        targets = s.scalars(select(IndicatorTarget).join(Indicator).where(Indicator.name == "固定宽带家庭普及率")).all()
        pairs = sorted((t.document.key, t.value) for t in targets)
    assert pairs == [("guidance-2015", 75.0), ("infoconsumption-2018", 55.0)]


def test_same_code_in_two_documents_is_two_tasks(db: Database) -> None:
    with db.session() as s:
        tasks = s.scalars(select(Task).where(Task.code == "三(一)")).all()
        titles = {t.document.key: t.title for t in tasks}
    assert titles == {
        "guidance-2015": "加强信息基础设施建设，提升网络支撑能力",
        "infoconsumption-2018": "加强和改进监管",
    }


def test_department_named_by_both_task_groups_is_one_record(db: Database) -> None:
    with db.session() as s:
        n = s.scalar(select(func.count(Department.id)).where(Department.name == "省工业和信息化厅"))
        links = s.scalar(
            select(func.count(TaskDepartment.id)).join(Department).where(Department.name == "省工业和信息化厅")
        )
    assert n == 1
    assert links and links > 10


def test_named_departments_are_equally_responsible_not_lead_and_co(db: Database) -> None:
    with db.session() as s:
        task = s.scalars(
            select(Task).join(Document).where(Document.key == "infoconsumption-2018", Task.code == "二(二)2")
        ).one()
        roles = [(td.department.name, td.role) for td in task.departments]
    assert roles == [
        ("省商务厅", "responsible"),
        ("省发展改革委", "responsible"),
        ("省工业和信息化厅", "responsible"),
        ("省邮政管理局", "responsible"),
    ]


def test_quota_programmes_carry_count_and_period(db: Database) -> None:
    with db.session() as s:
        quotas = {p.quota_count: p.quota_period for p in s.scalars(select(Project).where(Project.kind == "programme"))}
    assert quotas == {10: "total", 50: "total", 500: "yearly", 1000: "yearly", 100: "total"}


def test_loading_twice_adds_nothing(db: Database) -> None:
    with db.session() as s:
        summary = load_builtin_portfolio(s)
    assert summary.total == 0


def test_facts_the_documents_do_not_give_stay_empty(db: Database) -> None:
    with db.session() as s:
        projects = s.scalars(select(Project)).all()
    assert all(p.planned_start is None and p.planned_investment is None for p in projects)
    assert all(p.status == "未填报" for p in projects)


def test_every_task_and_source_sentence_is_verbatim_in_its_document() -> None:
    data = read_portfolio()
    texts = {d["key"]: read_text("documents", d["file"]) for d in data["documents"]}
    for task in data["tasks"]:
        for paragraph in task["text"].split("\n"):
            assert paragraph in texts[task["document"]], task["code"]
    for project in data["projects"]:
        assert project["source"] in texts[project["document"]], project["code"]
    for ind in data["indicators"]:
        for fact in ind.get("baselines", []) + ind.get("targets", []):
            assert fact["source"] in texts[fact["document"]], ind["code"]


def test_growth_and_milestone_targets_are_typed(db: Database) -> None:
    with db.session() as s:
        kinds = {
            (t.indicator.name, t.kind, t.value)
            for t in s.scalars(select(IndicatorTarget).where(IndicatorTarget.kind.in_(["growth", "milestone"])))
        }
    assert ("互联网产业规模", "growth", 20.0) in kinds
    assert ("5G商用", "milestone", None) in kinds
    assert ("行政村通宽带", "milestone", None) in kinds
