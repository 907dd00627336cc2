#!/usr/bin/env bash
# Set up everything, then start Taizhang on the per-user database (created and seeded on first start).
# Extra arguments go to the app, e.g. `bash scripts/run.sh --db /path/to/other.db`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
  echo "No screen found: starting Taizhang on a virtual screen (xvfb-run). Close it with Ctrl+C."
  exec xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/taizhang "$@"
fi
exec .venv/bin/taizhang "$@"
