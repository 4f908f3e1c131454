#!/usr/bin/env bash
# The browser suite against a backend and a lab that are already running on :8000
# and :5173 (the containers of scripts/test-compose.sh), for one ENV.
#
# Usage: scripts/test-browser-against.sh development|production
#
# Only the tests that need nothing but those two programs run here; the rest
# (a broken config, a second lab origin, the backend down) start programs of their
# own and run in the main suite.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  development)
    tests=(development_allows the_cookie_goes_along only_the_exposed a_repeated_preflighted under_development every_exhibit_makes a_page_on_another)
    ;;
  production)
    tests=(production_refuses under_production a_bearer_token_works)
    ;;
  *) echo "usage: $0 development|production" >&2; exit 2 ;;
esac

log=$(mktemp)
trap 'rm -f "$log"' EXIT
E2E_EXTERNAL_ENV="$1" cargo test -q -p e2e -- "${tests[@]}" 2>&1 | tee "$log"
# Each filter must have matched a test that ran.
ran=$(awk '/^test result:/ { n += $4 } END { print n + 0 }' "$log")
[ "$ran" -ge "${#tests[@]}" ] || { echo "only $ran of ${#tests[@]} browser tests ran" >&2; exit 1; }
