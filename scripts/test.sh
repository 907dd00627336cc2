#!/usr/bin/env bash
# Set up everything, then run the whole test suite (the README's test command; .ci/run calls it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
.venv/bin/mypy app  # strict outside app/ui (pyproject: [tool.mypy])
.venv/bin/python -m pytest "$@"
