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

# The items of a comma-separated list, sorted: "PUT, GET" becomes "GET, PUT".
sorted_list() {
  tr ',' '\n' <<<"$1" | sed 's/^ *//' | LC_ALL=C sort | paste -sd, - | sed 's/,/, /g'
}

# One response header, as printed. The server sends its method and header lists
# in no fixed order, so they are sorted here to give the same output every run.
response_header() {
  local name="${1%%: *}" value="${1#*: }"
  case "$name" in
    access-control-allow-methods | access-control-allow-headers)
      echo "< $name: $(sorted_list "$value")" ;;
    *) echo "< $1" ;;
  esac
}

# curl -v prints what it sends as "> " lines and what it gets as "< " lines.
# This keeps the request line, the headers a browser would send, the status, and
# the response headers sorted by name (their order also changes between runs).
# It drops what only curl adds (Host, User-Agent, Accept, Content-Length) and the
# headers that say nothing about CORS (content-length, date).
exchange() {
  local line
  local -a received=()
  while IFS= read -r line; do
    line="${line%$'\r'}"
    case "$line" in
      '> Host: '* | '> User-Agent: '* | '> Accept: '* | '> Content-Length: '* | '> ') ;;
      '> '* | '< HTTP/'*) echo "$line" ;;
      '< content-length: '* | '< date: '*) ;;
      '< ')
        if ((${#received[@]})); then printf '%s\n' "${received[@]}" | LC_ALL=C sort; fi
        received=()
        ;;
      '< '*) received+=("$(response_header "${line#< }")") ;;
    esac
  done < <(curl -sv -o /dev/null "$@" 2>&1)
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
