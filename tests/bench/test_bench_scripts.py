"""Every benchmark script runs on a small portfolio and prints its figures as ratios to a floor of the same run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.generate_portfolio import generate

ROOT = Path(__file__).resolve().parents[2]
RATIO = re.compile(
    r"^(?P<what>.+?): (?P<ms>\d+) ms = (?P<ratio>[\d.]+)× floor \((?P<floor>.+) (?P<floor_ms>\d+) ms\)$", re.M
)


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("bench") / "small.db", projects=100, months=3, entries=300)


def _run(module: str, *args: str) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _ratios(out: str) -> dict[str, float]:
    found = {m["what"]: float(m["ratio"]) for m in RATIO.finditer(out)}
    assert found, f"no ratio line in:\n{out[-1500:]}"
    for what, ratio in found.items():
        assert ratio > 0, what
    assert "load average" in out  # absolute times stay as context with the machine's load
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("module", "args", "expected"),
    [
        ("bench.bench_gantt", ("--projects", "60", "--skip-scene"), "Gantt complete picture (load_gantt)"),
        (
            "bench.ab_gantt",
            ("--projects", "60", "--rounds", "1", "--base", "app/services/gantt.py"),
            "Gantt complete picture, branch, median of 1",
        ),
        ("bench.bench_parse", ("--rows", "300", "--skip-full", "--runs", "1"), "parse_return (bounds check included)"),
        ("bench.bench_summary", ("--db", "{db}", "--repeat", "1"), "summary: gather + write .xlsx"),
        ("bench.bench_import", ("--db", "{db}"), "commit"),
        ("bench.bench_report", ("{db}",), "report PDF"),
        ("bench.bench_desk", ("--runs", "1", "--large", "{db}"), "start-up to usable window (seeded db)"),
        ("bench.bench_decisions", ("--large", "{db}", "--runs", "1"), "督办 view open"),
    ],
)
def test_benchmark_prints_its_ratio_to_a_floor(
    small_db: Path, module: str, args: tuple[str, ...], expected: str
) -> None:
    out = _run(module, *(a.format(db=small_db) for a in args))
    ratios = _ratios(out)
    assert any(what.startswith(expected) for what in ratios), (expected, sorted(ratios))
