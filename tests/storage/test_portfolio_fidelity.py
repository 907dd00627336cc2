"""Everything the two documents name is in the portfolio, with its sentence, its document and its departments."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.resources import read_text
from app.services import indicators as indicator_service
from app.services.departments import resolve_in
from app.storage.db import Database
from app.storage.models import Document, Indicator, Project, Task, TaskDepartment
from app.storage.portfolio import read_portfolio

DATA = read_portfolio()
TEXTS = {d["key"]: read_text("documents", d["file"]) for d in DATA["documents"]}
TASK_DEPARTMENTS = {(t["document"], t["code"]): t.get("departments", []) for t in DATA["tasks"]}


def test_every_quoted_sentence_of_projects_and_indicators_is_in_its_document() -> None:
    quoted = 0
    for project in DATA["projects"]:
        assert project["source"] in TEXTS[project["document"]], project["code"]
        quoted += 1
    for ind in DATA["indicators"]:
        for fact in ind.get("baselines", []) + ind.get("targets", []):
            assert fact["source"] in TEXTS[fact["document"]], (ind["code"], fact["source"])
            quoted += 1
    assert quoted >= 96  # 65 projects and programmes, 31 baselines and targets


@pytest.mark.parametrize(
    ("document", "name", "sentence"),
    [
        ("guidance-2015", "城镇有线电视数字化率", "城镇有线电视数字化率达到100％"),
        ("guidance-2015", "县级以上城市有线电视网络双向化改造", "推进县级以上城市基本完成双向化改造"),
        (
            "guidance-2015",
            "广播电视“村村通”和农村有线电视数字化转换",
            "基本完成广播电视“村村通”和农村有线电视数字化转换任务",
        ),
        ("guidance-2015", "社会保障“一卡通”覆盖", "推进社会保障“一卡通”全覆盖"),
        ("infoconsumption-2018", "标准化村级信息服务站行政村覆盖", "扩大标准化村级信息服务站,实现全省行政村全覆盖"),
        ("infoconsumption-2018", "“互联网+政务服务”基层覆盖", "实现 “互联网+政务服务 ”基层全覆盖"),
    ],
)
def test_targets_set_inside_items_are_indicators_with_their_document_and_item(
    db: Database, document: str, name: str, sentence: str
) -> None:
    with db.session() as s:
        ind = s.scalars(select(Indicator).where(Indicator.name == name)).one()
        [target] = ind.targets
        assert (target.document.key, target.source_text) == (document, sentence)
        assert ind.task is not None and ind.task.document.key == document
        assert ind.task.full_text.find(sentence.replace("推进", "")) >= 0


def test_hundred_livelihood_services_is_a_quota_programme_of_its_item(db: Database) -> None:
    with db.session() as s:
        p = s.scalars(select(Project).where(Project.name == "地级城市百项民生信息服务")).one()
        assert (p.kind, p.quota_count, p.quota_period, p.task.code if p.task else "") == (
            "programme",
            100,
            "total",
            "三(五)3",
        )
        assert p.source_document is not None and p.source_document.key == "guidance-2015"


@pytest.mark.parametrize(
    "name",
    [
        "国家智能网联汽车应用(北方)示范区",
        "“吉林一号”卫星星座组网",
        "高分吉林数据中心",
        "空天地海大数据产业平台",
        "吉林璀璨产业基地",
        "背照式CMOS光电产业基地",
        "物联网产业园",
        "服务型制造试点示范",
        "电子商务进农村综合示范工程",
        "旅游云服务平台",
        "一体化网上政务服务平台",
        "国家级信息惠民试点城市",
        "纺织云",
        "医药云",
        "冶金云",
        "中小企业云服务平台",
        "省公共资源交易平台",
        "大数据交易中心",
        "省级信用信息数据交换平台",
    ],
)
def test_each_project_the_2018_plan_names_is_under_its_item_with_the_items_departments(db: Database, name: str) -> None:
    row = next(p for p in DATA["projects"] if p["name"] == name)
    assert row["document"] == "infoconsumption-2018"
    # Listed departments are exactly the item's parenthesised departments, in the document's order.
    assert row["departments"] == TASK_DEPARTMENTS[("infoconsumption-2018", row["task"])]
    with db.session() as s:
        project = s.scalars(select(Project).where(Project.name == name)).one()
        assert project.task is not None and project.task.document.key == "infoconsumption-2018"
        assert project.source_text in TEXTS["infoconsumption-2018"]
        # Responsibility comes from the item (the project names no lead of its own): every department named,
        # under its name today, answers for the item the project belongs to.
        assert project.lead_department_id is None
        answering = set(
            s.scalars(select(TaskDepartment.department_id).where(TaskDepartment.task_id == project.task_id))
        )
        for named in row["departments"]:
            assert resolve_in(s, named).department_id in answering, (name, named)


def test_the_2015_guidance_named_platforms_are_projects_without_departments(db: Database) -> None:
    names = {"工业云创新服务平台", "跨境贸易电子商务公共服务平台", "智慧吉林时空信息云平台", "医药卫生“健康云”平台"}
    with db.session() as s:
        rows = s.scalars(select(Project).where(Project.name.in_(names))).all()
        assert {p.name for p in rows} == names
        assert all(p.lead_department_id is None and p.source_document.key == "guidance-2015" for p in rows)  # type: ignore[union-attr]
        assert all(not p.task.departments for p in rows if p.task is not None)


def _parenthesised(text: str) -> list[str]:
    """The departments in the parentheses after a 2018 item: "(省工业和信息化厅、省交通运输厅,按职责分工负责,下同)"."""
    found = re.findall(r"\(([^()]*)\)\s*$", text.strip())
    if not found:
        return []
    names = found[-1].split(",")[0]
    return [n.strip() for n in names.split("、") if n.strip().startswith(("省", "人民银行"))]


def test_every_2018_items_parenthesised_departments_are_each_responsible_for_their_part(db: Database) -> None:
    checked = 0
    with db.session() as s:
        tasks = s.scalars(select(Task).join(Document).where(Document.key == "infoconsumption-2018")).all()
        for task in tasks:
            named = _parenthesised(task.full_text)
            if not named:
                continue
            answering = {td.department_id for td in task.departments}
            for name in named:
                # Under its name today (省卫生计生委 → 省卫生健康委员会): still responsible for its part of the item.
                assert resolve_in(s, name).department_id in answering, (task.code, name)
                checked += 1
    assert checked >= 50  # 16 items and 4 parts of the plan name 2 to 6 departments each


def test_indicators_of_an_item_answer_through_its_departments(db: Database) -> None:
    by_name = {d.name: d for d in indicator_service.list_indicators(db)}
    for name in ("行政村广电网络光纤入户", "5G商用"):
        data = by_name[name]
        assert data.task_label.endswith("二(四)1")
        # 省新闻出版广电局's broadcasting duties are 省广播电视局's since the 2018 reform.
        assert data.departments == ("省通信管理局", "省广播电视局", "省发展改革委")
    assert by_name["城镇有线电视数字化率"].departments == ()  # the 2015 guidance names no departments
    assert by_name["标准化村级信息服务站行政村覆盖"].departments == ("省农业农村厅", "省工业和信息化厅")


def test_hedges_and_floors_are_kept_in_the_wording() -> None:
    wordings = {t["wording"] for ind in DATA["indicators"] for t in ind.get("targets", [])}
    assert {"力争达到800亿元", "力争达到2200亿元", "力争突破600亿元"} <= wordings
    assert {"预计达1300亿元", "预计达到100Mbps", "预计达到20Mbps"} <= wordings
    assert {"达55%以上", "超过8100亿元", "突破2400亿元", "年均增长30%以上"} <= wordings
