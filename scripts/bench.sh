#!/usr/bin/env bash
# Benchmarks of issues 7 and 15: the CORS stack's cost against its ceiling
# (actix-web + actix-cors alone with the same policy, scripts/bench/ceiling), and
# the backend against a FastAPI/Starlette peer with that policy, in one run on loopback.
#
#   scripts/bench.sh            the full run (64 connections, 10 s per measurement,
#                               5 rounds; about 17 minutes), written to docs/benchmarks.md
#                               and docs/benchmarks.json
#   scripts/bench.sh --quick    short rounds while developing (also BENCH_QUICK=1);
#                               written to $CARGO_TARGET_DIR/bench/ unless --out-dir
#   scripts/bench.sh --only burst
#                               only the recorder under large requests (issue 22: 520
#                               GETs of 123 KB, 8 readers that never read; about 10 s).
#                               Its figures replace that case's in docs/benchmarks.json,
#                               and docs/benchmarks.md is written afresh. Needs no peer.
#
# Any other option goes to scripts/bench/run.py (--rounds N, --duration S, ...).
# Installs what it needs, idempotently: wrk (Debian, as root), and a throw-away
# virtualenv with the peer's packages (PyPI) under the cargo target directory.
# As root, servers and wrk run at niceness -10 (BENCH_NICE=0 to turn it off), so
# that background work on a shared machine disturbs the figures less.
# Missed goals are reported, never turned into a failure; real errors fail.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { echo "bench: $*" >&2; }

quick=0
[ "${BENCH_QUICK:-0}" = 1 ] && quick=1
args=()
out_dir_given=0
only=""
previous=""
for arg in "$@"; do
  [ "$previous" = --only ] && only="$arg"
  previous="$arg"
  case "$arg" in
    --quick) quick=1 ;;
    --only=*) only="${arg#--only=}"; args+=("$arg") ;;
    --out-dir | --out-dir=*) out_dir_given=1; args+=("$arg") ;;
    -h | --help)
      sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) args+=("$arg") ;;
  esac
done

if [ "$(nproc)" -lt 2 ]; then
  say "error: needs 2 cores (server and load generator on different cores); this machine has $(nproc)"
  exit 1
fi

# 1. The load generator.
if [ -z "$only" ] && ! command -v wrk >/dev/null; then
  say "installing wrk (Debian) …"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
fi

# 2. The backend and its ceiling, release builds.
target_dir="${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps \
  --manifest-path "$ROOT/Cargo.toml" | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')}"
if [ -n "$only" ]; then
  # One case alone: the backend only, and Python's standard library.
  say "cargo build --release -p backend …"
  cargo build --release --quiet -p backend --manifest-path "$ROOT/Cargo.toml"
  if [ "$out_dir_given" = 0 ]; then
    if [ "$quick" = 1 ]; then args+=(--out-dir "$target_dir/bench"); else args+=(--out-dir "$ROOT/docs"); fi
  fi
  PYTHONDONTWRITEBYTECODE=1 exec python3 "$ROOT/scripts/bench/run.py" --root "$ROOT" \
    --backend "$target_dir/release/backend" "${args[@]}"
fi
say "cargo build --release -p backend -p bench-ceiling …"
cargo build --release --quiet -p backend -p bench-ceiling --manifest-path "$ROOT/Cargo.toml"

# 3. The peer: a throw-away virtualenv with pinned versions.
venv="$target_dir/bench-venv"
requirements="$ROOT/scripts/bench/requirements.txt"
stamp="$venv/.requirements"
if ! cmp -s "$requirements" "$stamp" 2>/dev/null; then
  say "virtualenv for the FastAPI peer in $venv …"
  if ! python3 -m venv "$venv"; then
    # Debian's own python3 needs its venv module as a package.
    say "installing python3-venv (Debian) …"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$stamp"
fi

# 4. The measurements.
if [ "$quick" = 1 ]; then
  args+=(--quick)
  [ "$out_dir_given" = 1 ] || args+=(--out-dir "$target_dir/bench")
else
  [ "$out_dir_given" = 1 ] || args+=(--out-dir "$ROOT/docs")
fi
# No __pycache__ in scripts/bench.
PYTHONDONTWRITEBYTECODE=1 exec "$venv/bin/python" "$ROOT/scripts/bench/run.py" --root "$ROOT" \
  --backend "$target_dir/release/backend" --ceiling "$target_dir/release/bench-ceiling" "${args[@]}"
