#!/usr/bin/env bash
# Installs real Starlette (and uvicorn, httpx2, pytest) from PyPI into a throw-away
# virtualenv, for the differential test (backend/tests/starlette_differential.rs)
# and the README's TestClient snippet (backend/tests/readme_fastapi.rs):
#
#   scripts/starlette-venv.sh
#
# The virtualenv is $CARGO_TARGET_DIR/starlette-venv (default target/starlette-venv),
# where the tests look for it. Idempotent: when it already holds the pinned versions
# of tests/starlette/requirements.txt it returns at once. When python3 or its venv
# module is missing it installs them as root (Debian), and otherwise says so and fails.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { echo "starlette-venv: $*" >&2; }
fail() { say "error: $*"; exit 1; }

target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$target_dir" in /*) ;; *) target_dir="$ROOT/$target_dir" ;; esac
venv="$target_dir/starlette-venv"
requirements="$ROOT/tests/starlette/requirements.txt"
stamp="$venv/.requirements"

if cmp -s "$requirements" "$stamp" 2>/dev/null && "$venv/bin/python" -c 'import starlette' 2>/dev/null; then
  say "up to date: $venv"
  exit 0
fi

has_venv() { command -v python3 >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null; }
if ! has_venv && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  # Like scripts/test.sh with Chromium: Debian packages are installed as root.
  say "apt-get install python3 python3-venv …"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q python3 python3-venv >/dev/null ||
    { apt-get update -q >/dev/null && apt-get install -y -q python3 python3-venv >/dev/null; } ||
    fail "apt-get install python3 python3-venv"
fi
command -v python3 >/dev/null ||
  fail "python3 is not installed; the Starlette differential test needs it (Debian: apt-get install python3 python3-venv)"
has_venv ||
  fail "python3 has no working venv module ($(python3 --version 2>&1)); Debian: apt-get install python3-venv"

say "creating $venv ($(python3 --version 2>&1)) …"
rm -rf "$venv"
python3 -m venv "$venv" || fail "python3 -m venv $venv failed"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$requirements" ||
  fail "pip could not install tests/starlette/requirements.txt from PyPI (offline? behind a proxy? set PIP_INDEX_URL)"
cp "$requirements" "$stamp"
say "installed: $("$venv/bin/python" -c 'import starlette, uvicorn; print("starlette", starlette.__version__, "uvicorn", uvicorn.__version__)')"
