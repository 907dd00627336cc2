"""Matching rows to projects, programmes, departments and indicators."""

from __future__ import annotations

from app.returns.match import load_catalogue, normalise_key
from app.storage.db import Database


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
