"""Matching rows to projects, programmes, departments and indicators."""

from __future__ import annotations

from sqlalchemy import select

from app.returns.match import load_catalogue, normalise_key
from app.storage.db import Database
from app.storage.models import Project, TaskDepartment


def test_normalise_key_folds_width_spaces_and_punctuation() -> None:
    assert normalise_key("省级“两化” 深度融合\n试验区") == normalise_key("省级两化深度融合试验区")
    assert normalise_key("ＺＤ０１") == "zd01"


def test_project_is_matched_by_code_before_name(db: Database) -> None:
    with db.sessions() as s:
        cat = load_catalogue(s)
    match = cat.match_project("zd02", "中国北方云基地白城云计算中心")
    assert match.project is not None and match.project.code == "ZD02"
    assert match.how == "code"
    assert match.conflict is not None and match.conflict.code == "ZD04"


def test_project_is_matched_by_name_written_with_full_width_and_spaces(db: Database) -> None:
    with db.sessions() as s:
        cat = load_catalogue(s)
    match = cat.match_project(None, " 中国北方云基地　白城云计算中心 ")
    assert match.project is not None and match.project.code == "ZD04"
    assert match.how == "name"


def test_unmatched_project_lists_closest_candidates(db: Database) -> None:
    with db.sessions() as s:
        cat = load_catalogue(s)
    match = cat.match_project(None, "北方云基地白城数据中心")
    assert match.project is None
    assert match.candidates[0] == "ZD04 中国北方云基地白城云计算中心"


def test_programme_is_matched_by_name_without_quotes_only_among_programmes(db: Database) -> None:
    with db.sessions() as s:
        cat = load_catalogue(s)
    assert cat.match_project(None, "两化深度融合示范企业", kind="programme").project.code == "JH02"  # type: ignore[union-attr]
    assert cat.match_project("ZD01", None, kind="programme").project is None


def test_department_is_found_by_alias_with_seal_note(db: Database) -> None:
    with db.sessions() as s:
        cat = load_catalogue(s)
    dept = cat.match_department("吉林省工业和信息化厅（盖章）")
    assert dept is not None and dept.name == "省工业和信息化厅"
    assert cat.match_department("省工信厅").name == "省工业和信息化厅"  # type: ignore[union-attr]
    assert cat.match_department("火星办公室") is None


def test_indicator_is_matched_by_name_when_code_is_missing(db: Database) -> None:
    with db.sessions() as s:
        cat = load_catalogue(s)
    found = cat.match_indicator(None, "互联网 普及率")
    assert found is not None and found.code == "ZB02"


def test_names_and_codes_that_fold_alike_match_the_project_first_in_ledger_order(db: Database) -> None:
    with db.sessions() as s:
        s.add_all(
            [
                Project(code="DUP-2", name="长春 数据中心（二期）", sort_order=902),
                Project(code="dup2", name="长春数据中心(二期)", sort_order=901),
                Project(code="DUP 3", name="吉林大数据平台", sort_order=903),
            ]
        )
        s.commit()
        cat = load_catalogue(s)
    by_name = cat.match_project(None, "长春数据中心（二期）")
    assert by_name.project is not None and by_name.project.code == "dup2"  # sort order 901 comes first
    by_code = cat.match_project("Dup2", None)
    assert by_code.project is not None and by_code.project.code == "dup2"
    assert cat.match_project("dup3", None).project is not None
    # Written exactly as the later project stores them, they still fold to the key the earlier one holds.
    exact_code = cat.match_project("DUP-2", None)
    assert exact_code.project is not None and exact_code.project.code == "dup2"
    exact_name = cat.match_project(None, "长春 数据中心（二期）")
    assert exact_name.project is not None and exact_name.project.code == "dup2"


def test_each_project_answers_to_its_own_lead_and_every_department_of_its_task(db: Database) -> None:
    with db.sessions() as s:
        cat = load_catalogue(s)
        task_departments: dict[int, set[int]] = {}
        for task_id, dept_id in s.execute(select(TaskDepartment.task_id, TaskDepartment.department_id)):
            task_departments.setdefault(task_id, set()).add(dept_id)
        projects = s.scalars(select(Project)).all()
        assert len(projects) > 20 and len(cat.projects) == len(projects)
        with_task = 0
        for p in projects:
            ref = cat.projects[p.id]
            expected = set(task_departments.get(p.task_id, set())) if p.task_id is not None else set()
            if ref.lead_department_id is not None:
                expected.add(ref.lead_department_id)
            if p.lead_department_id is not None:
                assert ref.lead_department_id == p.lead_department_id
            assert ref.department_ids == expected, p.code
            with_task += p.task_id is not None and bool(expected)
        assert with_task > 10  # the seeded portfolio ties projects to tasks with departments
