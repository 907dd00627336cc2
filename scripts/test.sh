#!/usr/bin/env bash
# Set up everything, then run the whole test suite (the README's test command; .ci/run calls it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "set-up: ${SECONDS} s"
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
.venv/bin/mypy app  # strict outside app/ui (pyproject: [tool.mypy])
echo "set-up, ruff and mypy: ${SECONDS} s"
# One worker per core (pytest-xdist; PYTEST_XDIST_AUTO_NUM_WORKERS=N overrides, -n 0 after it runs serially):
# about half the wall time on CI's two cores. Each module stays on one worker (--dist loadscope in pyproject.toml).
.venv/bin/python -m pytest -n logical --durations=20 "$@"
