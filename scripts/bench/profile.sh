#!/usr/bin/env bash
# Counts the instructions a server spends per request, with valgrind's callgrind:
# unlike times, the counts barely move when other work shares the machine.
#
#   scripts/bench/profile.sh BINARY preflight|get|get-no-origin [SECONDS]
#
# BINARY is the backend or scripts/bench/ceiling's bench-ceiling (release builds),
# run with ENV=production and config/ under callgrind, pinned to core 1, while wrk
# (core 0, 8 connections) sends the request for SECONDS (8). Prints the requests
# answered and the instructions per request inside actix-http's request loop
# (`poll_request`: parsing, the app, the answer; start-up excluded), then the
# functions that cost most (callgrind_annotate --inclusive). Needs valgrind and wrk.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
say() { echo "profile: $*" >&2; }
[ $# -ge 2 ] || { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
binary="$(realpath "$1")"
seconds="${3:-8}"
origin="https://app.example.com"
case "$2" in
  preflight) method=OPTIONS; headers=(-H "Origin: $origin" -H "Access-Control-Request-Method: POST"
                                     -H "Access-Control-Request-Headers: content-type,x-request-id") ;;
  get) method=GET; headers=(-H "Origin: $origin") ;;
  get-no-origin) method=GET; headers=() ;;
  *) say "error: unknown request kind '$2' (preflight, get, get-no-origin)"; exit 2 ;;
esac
for tool in valgrind callgrind_annotate wrk curl; do
  command -v "$tool" >/dev/null || { say "error: $tool is not installed"; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# From an empty directory: a developer's .env must not change the figures.
(cd "$work" && exec env ENV=production APP_CONFIG_DIR="$ROOT/config" APP__SERVER__HOST=127.0.0.1 \
  APP__SERVER__PORT="$port" RUST_LOG="${RUST_LOG:-info}" taskset -c 1 \
  valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "$binary" 2>"$work/server.log") &
server=$!
for _ in $(seq 200); do
  curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break
  sleep 0.2
done
report="$(BENCH_METHOD=$method taskset -c 0 wrk -t1 -c8 -d"${seconds}s" \
  -s "$ROOT/scripts/bench/wrk_report.lua" "${headers[@]}" "http://127.0.0.1:$port/api/items" | tail -1)"
kill -TERM "$server"
wait "$server" || true
requests="$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["requests"])' "$report")"
annotated="$(callgrind_annotate --inclusive=yes "$work/callgrind.out" 2>/dev/null)"
in_loop="$(grep -m1 'InnerDispatcher<T,S,B,X,U>::poll_request' <<<"$annotated" | awk '{gsub(",", "", $1); print $1}')"
echo "requests answered: $requests"
echo "instructions per request in poll_request: $((in_loop / requests))"
grep -E '^ *[0-9,]+ \(' <<<"$annotated" | head -40 | cut -c1-160
