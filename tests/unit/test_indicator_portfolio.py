"""The built-in indicator targets agree with their sentences and with each other."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from app.domain.indicators import Point, Target, TargetKind, target_path

PORTFOLIO = Path(__file__).resolve().parents[2] / "resources" / "portfolio" / "portfolio.toml"


def _indicators() -> list[dict]:  # type: ignore[type-arg]
    with PORTFOLIO.open("rb") as fh:
        return list(tomllib.load(fh)["indicators"])


def test_every_target_value_is_written_in_its_source_sentence() -> None:
    for ind in _indicators():
        for row in ind.get("targets", []) + ind.get("baselines", []):
            if row.get("value") is not None:
                assert f"{row['value']:g}" in row["source"], (ind["name"], row)


def test_milestone_targets_have_no_value_and_others_have_one() -> None:
    for ind in _indicators():
        for t in ind.get("targets", []):
            assert (t["kind"] == "milestone") == (t.get("value") is None), (ind["name"], t)


@pytest.mark.parametrize("name", ["电子商务交易额", "网络零售交易额", "互联网产业规模"])
def test_growth_rate_path_lands_near_the_level_target_of_the_same_year(name: str) -> None:
    # The growth rate is read as applying from the 2015 target to 2020 (the 十三五 period); its path should
    # land within 10 % of the 2020 level the same sentence sets, or the reading is wrong.
    ind = next(i for i in _indicators() if i["name"] == name)
    targets = [Target(TargetKind(t["kind"]), t["year"], t.get("value"), t["document"]) for t in ind["targets"]]
    baselines = [Point(float(b["year"]), b["value"]) for b in ind.get("baselines", [])]
    growth = next(t for t in targets if t.kind is TargetKind.GROWTH)
    level = next(t for t in targets if t.kind is TargetKind.FLOOR and t.year == growth.year)
    end = target_path(growth, baselines, targets)[-1]
    assert level.value is not None
    assert end.value == pytest.approx(level.value, rel=0.10)
