#!/usr/bin/env bash
# The browser suite against a backend and a lab that are already running on :8000
# and :5173 (the containers of scripts/test-compose.sh), for one ENV.
#
# Usage: scripts/test-browser-against.sh [--check] development|production
#
# Only the tests that need nothing but those two programs run here; the rest
# (a broken config, a second lab origin, the backend down) start programs of their
# own and run in the main suite.
#
# Each name below is a filter: it runs every test whose name contains it. Most
# tests run once per engine (`NAME::chromium`, `NAME::firefox`, `NAME::webkit`).
# A filter that matches no test fails the script, and so does one whose tests in
# an engine did not run, so a renamed or skipped test cannot drop out silently.
# `--check` only lists the tests (no browser, no server) and prints, for each
# filter, how many tests it matches in each engine.
set -euo pipefail
cd "$(dirname "$0")/.."

check_only=false
if [ "${1:-}" = "--check" ]; then
  check_only=true
  shift
fi

case "${1:-}" in
  development)
    tests=(development_allows the_cookie_goes_along only_the_exposed a_repeated_preflighted under_development every_exhibit_makes a_page_on_another)
    ;;
  production)
    tests=(production_refuses under_production a_bearer_token_works)
    ;;
  *) echo "usage: $0 [--check] development|production" >&2; exit 2 ;;
esac

# Reads test names, one a line. For each filter, prints "COUNT FILTER ENGINE" for
# each engine its tests run in: COUNT names contain FILTER (as the test harness
# matches it) and end in `::ENGINE`. ENGINE is `-` for a test of no one engine.
count_per_filter() {
  local names filter
  names=$(cat)
  for filter in "$@"; do
    { grep -F -- "$filter" <<<"$names" || true; } | awk -v filter="$filter" '
      { engine = "-" }
      match($0, /::(chromium|firefox|webkit)$/) { engine = substr($0, RSTART + 2) }
      { count[engine]++ }
      END { for (engine in count) print count[engine], filter, engine }' | sort -k3
  done
}

# Names, on stderr, each filter with no line in the counts on stdin, and fails if
# there is one.
every_filter_matches() {
  local counts filter missing=0
  counts=$(cat)
  for filter in "$@"; do
    if ! awk -v filter="$filter" '$2 == filter { found = 1 } END { exit !found }' <<<"$counts"; then
      echo "the filter '$filter' matches no e2e test (was a test renamed?)" >&2
      missing=1
    fi
  done
  return "$missing"
}

# Names, on stderr, each filter and engine of the list's counts ($1) that has no
# test among the ran counts ($2), and fails if there is one.
every_engine_ran() {
  local count filter engine missing=0
  while read -r count filter engine; do
    if ! awk -v f="$filter" -v e="$engine" '$2 == f && $3 == e { found = 1 } END { exit !found }' <<<"$2"; then
      echo "the filter '$filter' matched $count test(s) in $engine, but none of them ran" >&2
      missing=1
    fi
  done <<<"$1"
  return "$missing"
}

# The names of the e2e tests, without running any (`NAME: test` lines).
listed_tests() {
  cargo test -q -p e2e --tests -- --list 2>/dev/null | sed -n 's/: test$//p'
}

# The names of the tests that ran, in a log of `cargo test` (`test NAME ... ok`).
tests_that_ran() {
  sed -n 's/^test \(.*\) \.\.\. \(ok\|FAILED\)$/\1/p' "$1"
}

listed=$(listed_tests | count_per_filter "${tests[@]}")
if $check_only; then
  echo "$listed"
fi
every_filter_matches "${tests[@]}" <<<"$listed"
if $check_only; then
  exit 0
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
E2E_EXTERNAL_ENV="$1" cargo test -p e2e -- "${tests[@]}" 2>&1 | tee "$log"
ran=$(tests_that_ran "$log" | count_per_filter "${tests[@]}")
every_engine_ran "$listed" "$ran"
