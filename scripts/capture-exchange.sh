#!/usr/bin/env bash
# Shows both halves of a preflighted cross-origin call, as the server sees them:
# the OPTIONS preflight a browser sends before a JSON POST, then the POST itself.
# A browser hides the first one from the page; curl shows everything.
#
# Usage: scripts/capture-exchange.sh [API] [ORIGIN]
#   API     where the backend listens   (default http://localhost:8000)
#   ORIGIN  the page's origin to claim  (default http://localhost:5173)
set -euo pipefail

api="${1:-http://localhost:8000}"
origin="${2:-http://localhost:5173}"

command -v curl >/dev/null || { echo "capture-exchange: curl is not installed" >&2; exit 1; }
curl -sf -o /dev/null "$api/healthz" || {
  echo "capture-exchange: no backend answers at $api (start it: cargo run -p backend, or docker compose up)" >&2
  exit 1
}

# curl -v prints what it sends as "> " lines and what it gets as "< " lines.
exchange() {
  curl -sv "$@" 2>&1 | sed -n -e 's/\r$//' -e '/^[<>] /p' -e '/^[{[]/p' | grep -v -e '^[<>] $'
}

echo "== 1. preflight: may $origin send a POST with Content-Type: application/json? =="
exchange -X OPTIONS "$api/api/items" \
  -H "Origin: $origin" \
  -H 'Access-Control-Request-Method: POST' \
  -H 'Access-Control-Request-Headers: content-type'

echo
echo "== 2. actual request: sent only if the preflight said yes =="
exchange -X POST "$api/api/items" \
  -H "Origin: $origin" \
  -H 'Content-Type: application/json' \
  --data '{"name":"captured"}'
echo
