"""The progress rows' check takes a shortcut for the common row: same problems, same order, same plans as before.

`reference_validate` keeps the check as it was written before; both run here on random rows built to reach
every branch: projects named by code, by name, by both in conflict, unknown or twice; amounts as floats,
integers, text, negative, implausible or far above the plan; percentages out of range; texts of every kind;
prior figures that the new ones fall below; rows left empty; more problems than a file's list shows.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from app.returns.parsed import ParsedRow
from app.returns.validate import LedgerState, PriorFigures, ValidatedReturn, _check_header, _check_progress, _Checker
from app.storage.db import Database
from tests.returns.helpers import parsed, progress_row
from tests.returns.reference_validate import reference_check_progress

AMOUNTS: list[Any] = [None, 0.0, 12.5, 300.0, 1e4, -3.0, 7, "十二", "", 2e9, 1e15, True]
PERCENTS: list[Any] = [None, 0.0, 35.0, 100.0, 120.0, -5.0, 50, "一半", 99.99]
TEXTS: list[Any] = [None, "", "  主体施工 ", "设备安装", 12.0, 3, 2.5]


def _rows(rng: random.Random, state: LedgerState, count: int) -> list[ParsedRow]:
    projects = list(state.catalogue.projects.values())
    rows = []
    for number in range(5, 5 + count):
        p, q = rng.choice(projects), rng.choice(projects)
        how = rng.randrange(9)
        code, name = {
            0: (p.code, ""),
            1: ("", p.name),
            2: (p.code, p.name),
            3: (p.code, q.name),  # code and name of two projects: a conflict unless the same
            4: (p.code.lower(), " " + p.name),
            5: ("", "长春市不存在的项目"),
            6: ("XX99", ""),
            7: ("", ""),
            8: (p.code, "不存在的名称"),
        }[how]
        values: dict[str, Any] = {}
        for field in ("investment_period", "investment_cumulative", "planned_investment"):
            amount = rng.choice(AMOUNTS)
            if field == "planned_investment" and rng.random() < 0.3:
                amount = p.planned_investment
            if amount is not None:
                values[field] = amount
        for field, choices in (("progress_pct", PERCENTS), *((f, TEXTS) for f in (
            "progress_text", "problems", "coordination_needed", "next_steps"))):  # fmt: skip
            value = rng.choice(choices)
            if value is not None:
                values[field] = value
        if rng.random() < 0.1:  # a template row left as it was sent out
            values = {k: v for k, v in values.items() if k == "planned_investment"}
        if rng.random() < 0.5:
            values["region"] = rng.choice([" 长春市 ", "", "吉林市", 7.0])
        rows.append(progress_row(number, name, code, **values))
    return rows


def _give_plans(state: LedgerState, rng: random.Random) -> None:
    """Planned investments on most projects (the seeded ledger has few), so the plan checks are reached."""
    cat = state.catalogue
    for pid, ref in list(cat.projects.items()):
        cat.projects[pid] = ref._replace(planned_investment=rng.choice([None, 100.0, 2500.0, 8e4]))
    for index in (cat._project_by_code, cat._project_by_name):
        for key, ref in list(index.items()):
            index[key] = cat.projects[ref.id]


def _run(check: Any, state: LedgerState, rows: list[ParsedRow]) -> tuple[Any, ...]:
    item = parsed(progress=rows)
    result = ValidatedReturn(parsed=item, problems=[])
    chk = _Checker(item, state)
    _check_header(chk, result)
    check(chk, result)
    return (
        [p.describe() for p in chk.problems],
        [(p.severity, p.sheet, p.row, p.column) for p in chk.problems],
        chk.unlisted_errors,
        chk.unlisted_warnings,
        result.progress,
    )


@pytest.mark.parametrize("seed", range(4))
def test_the_fast_path_finds_what_the_reference_finds(ledger: Database, seed: int) -> None:
    rng = random.Random(seed)
    seen: set[str] = set()
    with ledger.sessions() as session:
        state = LedgerState.load(session)
        _give_plans(state, rng)
        ids = list(state.catalogue.projects)
        # Many small files (the ledger has a dozen projects: a long file is mostly rows naming one twice)
        # and one long one, past the problems a file's list shows.
        for count in [8] * 40 + [400]:
            state._prior["2025-Q3"] = {
                pid: PriorFigures(
                    "2025年第二季度", rng.choice([None, 50.0, 500.0, 5e4]), rng.choice([None, 20.0, 90.0])
                )
                for pid in rng.sample(ids, len(ids) // 2)
            }
            rows = _rows(rng, state, count)
            new, old = _run(_check_progress, state, rows), _run(reference_check_progress, state, rows)
            assert new == old
            seen.update(k for k in BRANCHES if any(k in m for m in new[0]))
            seen.update("imported" for _ in new[4][:1])
    assert seen == {*BRANCHES, "imported"}  # every branch was reached, with the same outcome


BRANCHES = ("另一项目", "两次", "负责，不是", "不能为负数", "0–100%", "不一致", "大于累计", "10^9",
            "倍，请核对单位", "不应减少", "退到", "没有填报任何内容", "找不到")  # fmt: skip
