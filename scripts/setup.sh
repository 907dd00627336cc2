#!/usr/bin/env bash
# Set up everything Taizhang needs on a Debian machine: system packages (as root), a venv, the app.
# Idempotent: a second run only checks. Usage: bash scripts/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages, each for a reason:
#   fonts-wqy-microhei   CJK glyphs for Qt and matplotlib (text extracts correctly from our PDFs)
#   poppler-utils        pdftotext / pdftoppm: tests read and render report PDFs
#   libreoffice-calc-nogui  tests re-save templates as .xlsx/.xls the way a department's office suite does
#   libreoffice-writer-nogui  tests lay out the Word report (.docx → PDF → PNG) for a person to look at
#   xvfb + libxcb-*      a real window on a machine without a screen (screenshots, `run.sh` over SSH)
#   binutils             PyInstaller needs objdump to bundle the app
#   postgresql           tests/pg start a throwaway cluster: proves a PostgreSQL URL works too
APT_PACKAGES=(fonts-wqy-microhei poppler-utils libreoffice-calc-nogui libreoffice-writer-nogui xvfb xauth libxcb-cursor0 libxcb-icccm4
  libxcb-keysyms1 libxcb-shape0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3 binutils
  postgresql)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
PY=${PYTHON:-python3}
if ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then missing+=(python3-venv); fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing system packages (install them as root): ${missing[*]}" >&2
  fi
fi

if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Taizhang needs Python 3.11 or newer; $PY is $("$PY" --version)" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.taizhang-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ installer/requirements.lock -nt "$stamp" ]; then
  # uv installs what pip would, downloading in parallel and keeping a cache: a fresh clone (CI) sets up in a
  # fraction of pip's time. pip stays in the venv: tests build and install the wheel with it.
  .venv/bin/python -m pip install -q --upgrade pip uv
  uv=(.venv/bin/uv pip install -q --python .venv/bin/python)
  # The locked runtime versions first (what the bundle is built from), then the app and its dev tools around them.
  "${uv[@]}" --require-hashes --no-deps -r installer/requirements.lock
  "${uv[@]}" -e ".[dev]"
  touch "$stamp"
fi
