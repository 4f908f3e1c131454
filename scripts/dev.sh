#!/usr/bin/env bash
# Starts the whole lab from a clean clone:
#   backend  on http://localhost:8000   (ENV=development unless ENV is set)
#   the lab  on http://localhost:5173   (a different origin: real CORS)
#   the attacker page on http://localhost:5174 (served by the lab's server)
# Installs the wasm tool chain when missing, builds the lab in release mode,
# and stops both servers on Ctrl-C (or when either of them exits).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
say() { echo "dev: $*" >&2; }

export ENV="${ENV:-development}"
export LAB_HOST="${LAB_HOST:-127.0.0.1}"
export LAB_PORT="${LAB_PORT:-5173}"
export ATTACKER_PORT="${ATTACKER_PORT:-5174}"
export API_BASE_URL="${API_BASE_URL:-http://localhost:8000}"

say "building the lab (frontend) …"
"$ROOT/scripts/build-frontend.sh"

say "building the backend and the lab's static server …"
cargo build --quiet -p backend -p lab-server
target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"

pids=()
interrupted=false
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  say "stopped"
}
trap 'interrupted=true' INT TERM
trap stop EXIT

say "starting the backend (ENV=$ENV) on :8000 …"
"$target_dir/debug/backend" &
pids+=($!)
say "starting the lab on http://$LAB_HOST:$LAB_PORT and the attacker page on :$ATTACKER_PORT (API_BASE_URL=$API_BASE_URL) …"
LAB_DIST="$ROOT/frontend/dist" "$target_dir/debug/lab-server" &
pids+=($!)

say "open http://localhost:$LAB_PORT (the lab), then http://localhost:$ATTACKER_PORT (the attacker) — Ctrl-C stops both"
set +e
wait -n "${pids[@]}"
status=$?
set -e
if $interrupted; then
  say "interrupted: stopping both servers"
  exit 0
fi
say "a server exited (status $status); stopping the other"
exit "$status"
