#!/usr/bin/env bash
# Regenerate the hash-pinned locks from what the development venv has tested (pip freeze as constraints).
#   installer/requirements.lock        runtime dependencies + the postgres extra: what the bundle is built from
#   installer/requirements-build.lock  PyInstaller and the test tools the Windows workflow needs (not bundled)
# Universal (Windows and Linux markers in one file). Needs uv: `pip install uv`. Usage: bash scripts/lock.sh
set -euo pipefail
cd "$(dirname "$0")/.."
constraints=.venv/tested-versions.txt  # a fixed path: it is named in the locks' comments
.venv/bin/python -m pip freeze --exclude-editable | grep -vi '^taizhang' > "$constraints"
common=(--universal --python-version 3.11 --generate-hashes --emit-index-url -c "$constraints")
uv pip compile pyproject.toml --extra postgres "${common[@]}" -o installer/requirements.lock \
  --custom-compile-command "bash scripts/lock.sh"
uv pip compile installer/build-tools.in -c installer/requirements.lock "${common[@]}" \
  -o installer/requirements-build.lock --custom-compile-command "bash scripts/lock.sh"
