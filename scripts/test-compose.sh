#!/usr/bin/env bash
# The containers test: what `docker compose up` gives a user, checked for real.
#
#   scripts/test-compose.sh                  both services, ENV=development and production
#   scripts/test-compose.sh --backend-only   only the backend service
#
# 1. makes sure the base image exists (a local stand-in where no registry is
#    reachable: scripts/docker-base-images.sh);
# 2. validates docker-compose.yml and builds the images with compose;
# 3. for each ENV: `up -d`, waits until every service is healthy, then checks
#    from the host, as the browser on the host would see it
#    (scripts/test-compose-checks.sh):
#    - what compose takes away from each container (`docker inspect`): a
#      read-only root filesystem, every capability, new privileges; and the
#      limits it sets: memory, processes, log size;
#    - the preflights of the lab's origins (http://localhost:5173,
#      http://127.0.0.1:5173) are allowed under development and refused under
#      production; check-config's `lab:` line and warnings;
#    - the lab serves its page and its config, the attacker page is on :5174
#      (its own origin) with its script and a strict Content-Security-Policy,
#      the processes are not root;
#    - the holes of issue 22 stay closed: a foreign Host answers 421 on each
#      port, a cross-site form POST to /api/login answers 403 without a cookie,
#      and under production /lab answers 404 unless APP__LAB__ENABLED=true;
#    then the browser suite (scripts/test-browser-against.sh: needs cargo and the
#    three engines; under production the backend is recreated with the lab's
#    instruments on first), sampling `docker stats` meanwhile; then `stop`
#    (timed: each service must end in under 2 s, and none was killed for memory);
# 4. prints image sizes, build time, the time from `up` to healthy and the
#    memory peaks;
# 5. `down` at the end, on failure and on Ctrl-C too.
#
# Standalone and idempotent: a second run reuses the images' build cache.
# Uses `docker compose` (v2) when present, else `docker-compose` (v1).
# Env: TEST_COMPOSE_ENVS (default "development production"),
#      EXTRA_CA_CERTS   (PEM for the build; default: the host's extra CAs in
#                        /usr/local/share/ca-certificates, for TLS-intercepting proxies),
#      COMPOSE_PROJECT_NAME (default cors-lab-test, so a user's own stack is not touched).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf 'test-compose: %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

services=(backend frontend)
case "${1:-}" in
  --backend-only) services=(backend) ;;
  "") ;;
  *) die "unknown argument '$1' (use --backend-only or nothing)" ;;
esac
envs=(${TEST_COMPOSE_ENVS:-development production})
export COMPOSE_PROJECT_NAME="${COMPOSE_PROJECT_NAME:-cors-lab-test}"
API=http://localhost:8000
LAB=http://localhost:5173
ATTACKER=http://localhost:5174
LAB_ORIGINS=(http://localhost:5173 http://127.0.0.1:5173)
STOP_LIMIT_MS=2000
HEALTHY_TIMEOUT_S=90

# ----------------------------------------------------------------- results
passed=0
failed=0
failures=()
pass() { passed=$((passed + 1)); printf '  ok    %s\n' "$*"; }
fail() { failed=$((failed + 1)); failures+=("$*"); printf '  FAIL  %s\n' "$*"; }
check() { # check DESCRIPTION COMMAND...
  local description="$1"; shift
  if "$@"; then pass "$description"; else fail "$description"; fi
}

now_ms() { date +%s%3N; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f s", ms / 1000 }'; }

# ----------------------------------------------------------------- tools
command -v docker >/dev/null || die "docker is not installed"
docker info >/dev/null 2>&1 || die "the Docker engine is not reachable"
command -v curl >/dev/null || die "curl is needed for the checks"
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null; then
  compose=(docker-compose)
else
  die "neither 'docker compose' nor 'docker-compose' is installed"
fi
say "using: $("${compose[@]}" version 2>/dev/null | head -n 1)"

if [ -z "${EXTRA_CA_CERTS:-}" ] && compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  EXTRA_CA_CERTS="$(cat /usr/local/share/ca-certificates/*.crt)"
fi
export EXTRA_CA_CERTS="${EXTRA_CA_CERTS:-}"

# ----------------------------------------------------------------- teardown
down() {
  "${compose[@]}" down --remove-orphans --timeout 5 >/dev/null 2>&1 || true
}
on_exit() {
  local status=$?
  if [ "$status" -ne 0 ] || [ "$failed" -gt 0 ]; then
    say "logs of the last run:"
    "${compose[@]}" logs --no-color --tail 40 2>/dev/null | sed 's/^/    /' >&2 || true
  fi
  down
  exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ----------------------------------------------------------------- build
"$ROOT/scripts/docker-base-images.sh"

say "docker-compose.yml is valid:"
"${compose[@]}" config -q || die "compose config is invalid"
[[ "$(ENV=production "${compose[@]}" config)" == *"ENV: production"* ]] ||
  die "ENV=production is not passed through to the backend"
[[ "$(env -u ENV "${compose[@]}" config)" == *"ENV: development"* ]] ||
  die "ENV does not default to development"
# The log limits come from the file, not from the engine's defaults (which
# `docker inspect` would show just the same): one max-size and max-file per service.
for option in max-size max-file; do
  [ "$("${compose[@]}" config | grep -c "^ *$option:")" -eq 2 ] ||
    die "docker-compose.yml does not set the log's $option for each of its 2 services"
done
[[ "$(APP__LAB__ENABLED=true "${compose[@]}" config)" =~ APP__LAB__ENABLED:\ [\'\"]?true ]] ||
  die "APP__LAB__ENABLED is not passed through to the backend"
[[ "$(env -u APP__LAB__ENABLED "${compose[@]}" config)" != *"APP__LAB__ENABLED: "[\'\"]* ]] ||
  die "docker-compose.yml gives APP__LAB__ENABLED a value: it must only pass the shell's through"

# From scratch when the engine holds no image but the base one (a new machine, or
# after `docker system prune -a`): then the build time is what a user's first
# `docker compose up` costs, and the summary says so.
cold=false
docker images -a --format '{{.Repository}}:{{.Tag}}' | grep -qvx 'debian:bookworm-slim' || cold=true
say "building ${services[*]} (a cold build takes about 15 min on two cores; a cached one seconds) …"
build_start=$(now_ms)
for service in "${services[@]}"; do
  "${compose[@]}" build "$service" >"/tmp/test-compose-build-$service.log" 2>&1 || {
    tail -n 60 "/tmp/test-compose-build-$service.log" >&2
    die "building $service failed (full log: /tmp/test-compose-build-$service.log)"
  }
done
build_ms=$(($(now_ms) - build_start))
say "built in $(secs "$build_ms")"

# ----------------------------------------------------------------- helpers
container_of() { "${compose[@]}" ps -q "$1"; }
health_of() { docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$1" 2>/dev/null || echo gone; }

# wait_healthy START SERVICE...: waits until each is healthy; prints the ms since START.
wait_healthy() {
  local start="$1" service id status deadline=$(($(date +%s) + HEALTHY_TIMEOUT_S))
  shift
  for service in "$@"; do
    while :; do
      id="$(container_of "$service")"
      status="$( [ -n "$id" ] && health_of "$id" || echo missing)"
      [ "$status" = healthy ] && break
      case "$status" in unhealthy | gone | none) say "$service is $status"; return 1 ;; esac
      [ "$(date +%s)" -lt "$deadline" ] || { say "$service not healthy after ${HEALTHY_TIMEOUT_S}s ($status)"; return 1; }
      sleep 0.2
    done
  done
  echo $(($(now_ms) - start))
}

expect_eq() { # expect_eq DESCRIPTION EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected '$2', got '$3'"; fi
}
# hold_connection SERVICE: an idle HTTP/1.1 keep-alive connection on fd 7.
hold_connection() {
  local port=8000 path=/healthz line
  [ "$1" = frontend ] && port=5173 path=/config.json
  exec 7<>"/dev/tcp/127.0.0.1/$port" || return 0
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n' "$path" >&7
  read -r -t 5 line <&7 || true # the status line: the request is answered, the connection idle
}
# term_to_exit_ms CONTAINER SINCE: ms from the engine's SIGTERM (kill event) to `die`.
term_to_exit_ms() {
  docker events --since "$2" --until "$(($(date +%s) + 1))" --filter "container=$1" \
    --filter event=kill --filter event=die --format '{{.TimeNano}} {{.Action}}' 2>/dev/null |
    awk '$2 == "kill" && !k { k = $1 } $2 == "die" { d = $1 }
         END { if (k && d) printf "%d\n", (d - k) / 1e6; else print "?" }'
}
# The checks themselves: hardening, the API, the lab, the holes.
# shellcheck source=scripts/test-compose-checks.sh
. "$ROOT/scripts/test-compose-checks.sh"

# ----------------------------------------------------------------- memory
# sample_memory FILE: every second, one line per service, "SERVICE MiB", from
# `docker stats` (what the engine counts against mem_limit). Runs until killed.
sample_memory() {
  local service usage
  while :; do
    for service in "${services[@]}"; do
      usage="$(docker stats --no-stream --format '{{.MemUsage}}' "$(container_of "$service")" 2>/dev/null)" || continue
      awk -v s="$service" '{ v = $1 + 0; u = $1; sub(/^[0-9.]+/, "", u)
        m = (u == "GiB") ? 1024 : (u == "MiB") ? 1 : (u == "KiB") ? 1 / 1024 : 1 / 1048576
        printf "%s %.1f\n", s, v * m }' <<<"$usage"
    done
    sleep 1
  done >>"$1"
}
# peak_mib FILE SERVICE → the highest sample, in MiB.
peak_mib() { awk -v s="$2" '$1 == s && $2 > p { p = $2 } END { printf "%.1f\n", p }' "$1"; }

# ----------------------------------------------------------------- browser suite
# The real-browser suite against the containers, once per ENV: Chromium, Firefox
# and WebKit on the lab's origin, the API on the other
# (scripts/test-browser-against.sh). `docker stats` is sampled meanwhile: the
# peak each service reaches is what its mem_limit was set from.
run_browser_suite() {
  local env="$1"
  local samples="/tmp/test-compose-memory-$env.txt" sampler service peak limit
  if [[ " ${services[*]} " != *" frontend "* ]]; then
    say "browser suite: needs the lab's container, not started with --backend-only"
    return 0
  fi
  : >"$samples"
  sample_memory "$samples" &
  sampler=$!
  check "ENV=$env: the browser suite against the containers" \
    "$ROOT/scripts/test-browser-against.sh" "$env"
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  # The limit must leave room: at most half of it used by the whole suite.
  for service in "${services[@]}"; do
    peak="$(peak_mib "$samples" "$service")"
    limit="$(awk -v b="${mem_limit[$service]:-0}" 'BEGIN { printf "%.0f", b / 1048576 }')"
    memory_peak[$env.$service]="$peak MiB of $limit MiB"
    check "ENV=$env: $service's memory peak during the suite, $peak MiB, is under half its limit ($limit MiB)" \
      awk -v p="$peak" -v l="$limit" 'BEGIN { exit !(p > 0 && p < l / 2) }'
  done
}

# up_healthy SERVICE...: `up -d` with the caller's environment, then waits until
# each is healthy; prints the ms from `up` to healthy (compose's output on failure).
up_healthy() {
  local start
  start=$(now_ms)
  "${compose[@]}" up -d "$@" >/tmp/test-compose-up.log 2>&1 || {
    cat /tmp/test-compose-up.log >&2
    return 1
  }
  wait_healthy "$start" "$@"
}

# ----------------------------------------------------------------- one ENV
declare -A healthy_ms stop_ms mem_limit memory_peak
run_env() {
  local env="$1" start ms service id status origin
  echo
  say "ENV=$env: up -d ${services[*]}"
  for port in 8000 5173 5174; do
    port_free "$port" || die "port $port is in use on this machine: stop what listens there first"
  done
  if ! ms="$(ENV="$env" up_healthy "${services[@]}")"; then
    fail "ENV=$env: up -d, every service healthy within ${HEALTHY_TIMEOUT_S}s"
    return 0
  fi
  healthy_ms[$env]=$ms
  pass "ENV=$env: ${services[*]} healthy $(secs "$ms") after up"

  for service in "${services[@]}"; do
    check_hardening "$service"
  done
  check_backend "$env"
  [[ " ${services[*]} " != *" frontend "* ]] || check_lab "$env"
  check_holes "$env"
  if [ "$env" = production ]; then
    check_instruments "$env" off
    # The browser suite reads the server's side through /lab: recreate the
    # backend with the instruments on, as a user would to follow the tutorial.
    say "ENV=$env APP__LAB__ENABLED=true: up -d backend (recreated)"
    if ENV="$env" APP__LAB__ENABLED=true up_healthy backend >/dev/null; then
      pass "ENV=$env APP__LAB__ENABLED=true: backend recreated and healthy"
      check_instruments "$env" on
    else
      fail "ENV=$env APP__LAB__ENABLED=true: backend recreated and healthy"
    fi
  else
    check_instruments "$env" on
  fi

  run_browser_suite "$env"

  # Stop each service on its own (frontend first: it depends on the backend),
  # with an idle keep-alive connection open, as a browser leaves one. Timed from
  # the engine's events: SIGTERM sent → process gone; and the command's wall time.
  for ((i = ${#services[@]} - 1; i >= 0; i--)); do
    service="${services[$i]}"
    id="$(container_of "$service")"
    hold_connection "$service"
    since=$(date +%s)
    start=$(now_ms)
    "${compose[@]}" stop --timeout 10 "$service" >/dev/null 2>&1
    ms=$(($(now_ms) - start))
    exec 7>&- 2>/dev/null || true
    stop_ms[$env.$service]="$(term_to_exit_ms "$id" "$since")"
    status="$(docker inspect -f '{{.State.ExitCode}}' "$id" 2>/dev/null || echo '?')"
    expect_eq "ENV=$env: $service was not killed for memory" false \
      "$(docker inspect -f '{{.State.OOMKilled}}' "$id" 2>/dev/null)"
    local took="${stop_ms[$env.$service]}"
    if [ "$took" != "?" ] && [ "$took" -lt "$STOP_LIMIT_MS" ]; then
      pass "ENV=$env: $service ends $(secs "$took") after SIGTERM (compose stop: $(secs "$ms"), exit code $status)"
    else
      fail "ENV=$env: $service took ${took} ms after SIGTERM (limit $STOP_LIMIT_MS ms; compose stop: $(secs "$ms"), exit code $status)"
    fi
  done
  down
}

# An APP__ variable from the user's shell reaches the backend through compose and
# overrides the files: the production policy plus the lab's origin.
run_override() {
  local override=http://localhost:5173
  echo
  say "ENV=production APP__CORS__ALLOW_ORIGINS=$override: up -d backend"
  ENV=production APP__CORS__ALLOW_ORIGINS="$override" up_healthy backend >/dev/null || {
    fail "ENV=production with APP__CORS__ALLOW_ORIGINS: up -d, backend healthy"
    down
    return 0
  }
  expect_eq "APP__CORS__ALLOW_ORIGINS=$override: preflight from $override allowed" \
    "200 $override" "$(preflight "$override")"
  expect_eq "APP__CORS__ALLOW_ORIGINS=$override: preflight from https://app.example.com refused (replaced, not added)" \
    "400 -" "$(preflight https://app.example.com)"
  down
}

for env in "${envs[@]}"; do
  run_env "$env"
done
[[ " ${envs[*]} " != *" production "* ]] || run_override

# ----------------------------------------------------------------- summary
echo
echo "images:"
for service in "${services[@]}"; do
  docker image inspect -f '{{.Size}}' "cors-lab-$service" |
    awk -v name="cors-lab-$service" '{ printf "  %-20s %6.1f MB\n", name, $1 / 1e6 }'
done
if $cold; then
  echo "cold build (empty engine):  $(secs "$build_ms")  (a user's first docker compose up, before up → healthy)"
else
  echo "build (this run):          $(secs "$build_ms")"
fi
for env in "${envs[@]}"; do
  [ -n "${healthy_ms[$env]:-}" ] && echo "up → healthy, ENV=$env: $(secs "${healthy_ms[$env]}")"
done
for env in "${envs[@]}"; do
  for service in "${services[@]}"; do
    [ -n "${memory_peak[$env.$service]:-}" ] &&
      echo "memory peak, browser suite, ENV=$env: $service ${memory_peak[$env.$service]}"
  done
done
if [ "$failed" -gt 0 ]; then
  echo "failed:"
  printf '  %s\n' "${failures[@]}"
fi
echo
echo "compose: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
