# The checks that scripts/test-compose.sh runs on the containers, from the host.
# Sourced by it, not run alone: it uses its `compose`, `container_of`, `check`,
# `pass`, `fail`, `expect_eq`, and API, LAB, ATTACKER, LAB_ORIGINS.
#
#   check_hardening SERVICE   what docker-compose.yml takes away from a container
#   check_backend ENV         the API's policy for the ENV, and its check-config
#   check_lab ENV             the lab's page, its config, the attacker page
#   check_holes ENV           the holes of issue 22, tried as an attacker would
#   check_instruments ENV on|off   /lab answers, or answers 404
#
# shellcheck shell=bash disable=SC2154,SC2034,SC2004
# (compose, services and the mem_limit table belong to test-compose.sh.)

# ----------------------------------------------------------------- helpers
inspect_of() { docker inspect -f "$2" "$(container_of "$1")"; }

# http_status URL [CURL ARGS...] → the status code, or "-" without an answer.
# The answer's head is enough: /lab/events streams, so curl gives up after 3 s.
http_status() {
  { curl -sS -o /dev/null -D - --max-time 3 "$@" 2>/dev/null || true; } |
    awk 'NR == 1 { status = $2 } END { print (status == "" ? "-" : status) }'
}

# preflight ORIGIN → prints "STATUS ALLOW-ORIGIN"
preflight() {
  curl -sS -o /dev/null -D - -X OPTIONS "$API/api/items" \
    -H "Origin: $1" \
    -H 'Access-Control-Request-Method: POST' \
    -H 'Access-Control-Request-Headers: content-type' |
    awk 'NR == 1 { status = $2 }
         tolower($1) == "access-control-allow-origin:" { origin = $2 }
         END { gsub(/\r/, "", origin); printf "%s %s\n", status, (origin == "" ? "-" : origin) }'
}
# simple_get ORIGIN → prints the Access-Control-Allow-Origin of a simple GET, or "-"
simple_get() {
  curl -sS -o /dev/null -D - "$API/api/items" -H "Origin: $1" |
    awk 'tolower($1) == "access-control-allow-origin:" { gsub(/\r/, "", $2); o = $2 } END { print (o == "" ? "-" : o) }'
}
not_root() { [ "$(docker exec "$(container_of "$1")" id -u)" != 0 ]; }

# check_config_in_a_run ENV: the README's `docker compose run … backend check-config`.
# (grep reads all of it: with -q and pipefail, an early exit could fail the writer.)
check_config_in_a_run() {
  "${compose[@]}" run --rm --no-deps -e ENV="$1" backend check-config 2>/dev/null |
    grep "effective CORS policy (ENV=$1)" >/dev/null
}

# ----------------------------------------------------------------- hardening
# What the kernel says of every process in the container, one line per distinct
# answer: its effective capabilities, the bounding set (what it could ever get;
# cap_drop empties it, while a user without privileges has none in effect
# anyway) and its no_new_privs flag.
process_privileges() {
  docker exec "$(container_of "$1")" sh -c \
    'for f in /proc/[0-9]*/status; do awk "/^(CapEff|CapBnd|NoNewPrivs):/ { printf \"%s%s \", \$1, \$2 }" "$f"; echo; done' |
    sed 's/ $//' | sort -u | grep .
}
# A write where the user could write on a normal root filesystem (/tmp is 1777).
# (The write fails, so its status is dropped: pipefail would fail the check.)
cannot_write() {
  { docker exec "$(container_of "$1")" sh -c ': >/tmp/test-compose-probe' 2>&1 || true; } |
    grep 'Read-only file system' >/dev/null
}
expect_set() { # expect_set DESCRIPTION VALUE: set, and not zero
  case "$2" in "" | 0 | "<nil>" | "<no value>") fail "$1: not set" ;; *) pass "$1: $2" ;; esac
}

check_hardening() {
  local s="$1" memory
  expect_eq "$s: the root filesystem is read-only" true "$(inspect_of "$s" '{{.HostConfig.ReadonlyRootfs}}')"
  check "$s: a write to /tmp fails with 'Read-only file system'" cannot_write "$s"
  expect_eq "$s: every capability is dropped" '["ALL"]' "$(inspect_of "$s" '{{json .HostConfig.CapDrop}}')"
  expect_eq "$s: no-new-privileges is set" '["no-new-privileges:true"]' \
    "$(inspect_of "$s" '{{json .HostConfig.SecurityOpt}}')"
  expect_eq "$s: each process has no capability, can get none, and cannot gain privileges" \
    "CapEff:0000000000000000 CapBnd:0000000000000000 NoNewPrivs:1" "$(process_privileges "$s")"
  memory="$(inspect_of "$s" '{{.HostConfig.Memory}}')"
  expect_set "$s: memory limit (bytes)" "$memory"
  mem_limit[$s]=$memory
  expect_set "$s: process and thread limit" "$(inspect_of "$s" '{{.HostConfig.PidsLimit}}')"
  expect_eq "$s: the log driver is json-file" json-file "$(inspect_of "$s" '{{.HostConfig.LogConfig.Type}}')"
  expect_set "$s: the log rotates at max-size" "$(inspect_of "$s" '{{index .HostConfig.LogConfig.Config "max-size"}}')"
  expect_set "$s: the log keeps max-file files" "$(inspect_of "$s" '{{index .HostConfig.LogConfig.Config "max-file"}}')"
}

# ----------------------------------------------------------------- the API
check_backend() {
  local env="$1" origin report
  expect_eq "ENV=$env: GET /healthz" '{"status":"ok"}' "$(curl -sS "$API/healthz")"
  expect_eq "ENV=$env: the backend runs with ENV=$env" "$env" \
    "$(docker exec "$(container_of backend)" printenv ENV)"
  if report="$(docker exec "$(container_of backend)" backend check-config 2>&1)"; then
    pass "ENV=$env: backend check-config passes in the image"
  else
    fail "ENV=$env: backend check-config passes in the image: $report"
  fi
  local lab_line=enabled
  [ "$env" = production ] && lab_line=disabled
  check "ENV=$env: check-config prints 'lab: $lab_line'" \
    grep -q "^lab: $lab_line" <<<"$report"
  if [ "$env" = development ]; then
    # The container binds 0.0.0.0: the exhibits are reachable beyond loopback.
    check "ENV=$env: check-config warns that the exhibits are on and server.host is not loopback" \
      awk '/ WARN / && /exhibits/ && /server\.host/ { found = 1 } END { exit !found }' <<<"$report"
  fi
  check "ENV=$env: docker compose run … backend check-config prints the $env policy" \
    check_config_in_a_run "$env"
  for origin in "${LAB_ORIGINS[@]}"; do
    if [ "$env" = production ]; then
      expect_eq "ENV=$env: preflight from $origin refused" "400 -" "$(preflight "$origin")"
      expect_eq "ENV=$env: simple GET from $origin not shared" "-" "$(simple_get "$origin")"
    else
      expect_eq "ENV=$env: preflight from $origin allowed" "200 $origin" "$(preflight "$origin")"
      expect_eq "ENV=$env: simple GET from $origin shared" "$origin" "$(simple_get "$origin")"
    fi
  done
  expect_eq "ENV=$env: preflight from http://evil.example refused" "400 -" "$(preflight http://evil.example)"
  if [ "$env" = production ]; then
    expect_eq "ENV=$env: preflight from https://app.example.com allowed" \
      "200 https://app.example.com" "$(preflight https://app.example.com)"
  fi
  check "ENV=$env: backend process is not root" not_root backend
}

# ----------------------------------------------------------------- the lab
check_lab() {
  local env="$1"
  check "ENV=$env: the lab serves its page on $LAB" \
    bash -c "curl -sSf '$LAB/' | grep -qi '<html'"
  expect_eq "ENV=$env: the lab tells the browser where the API, the attacker page and the lab are" \
    "{\"api_base_url\":\"$API\",\"attacker_url\":\"$ATTACKER\",\"lab_url\":\"$LAB\"}" \
    "$(curl -sSf "$LAB/config.json")"
  check "ENV=$env: the lab serves its wasm" \
    bash -c "wasm=\$(curl -sSf '$LAB/' | grep -o '[a-z0-9_-]*_bg\.wasm' | head -n 1) && [ -n \"\$wasm\" ] && curl -sSf -o /dev/null '$LAB/'\"\$wasm\""
  check "ENV=$env: the attacker page is served on $ATTACKER" \
    bash -c "curl -sSf '$ATTACKER/' | grep -q 'data-testid=\"attack-exhibit\"'"
  check "ENV=$env: the attacker page's script is served" \
    bash -c "curl -sSf '$ATTACKER/attacker.js' | grep -q '/exhibits/reflect-any-origin'"
  check "ENV=$env: the attacker page has a strict Content-Security-Policy" \
    bash -c "curl -sSf -o /dev/null -D - '$ATTACKER/' | grep -qi \"^content-security-policy: default-src 'none'; script-src 'self';\""
  check "ENV=$env: lab process is not root" not_root frontend
}

# ----------------------------------------------------------------- the holes
# login_from_a_foreign_site → "STATUS with a cookie" or "STATUS no cookie": what a
# cross-site form gets, posted with no body.
login_from_a_foreign_site() {
  curl -sS -o /dev/null -D - -X POST "$API/api/login" \
    -H 'Origin: https://evil.example' \
    -H 'Content-Type: application/x-www-form-urlencoded' --data-binary '' |
    awk 'NR == 1 { status = $2 }
         tolower($1) == "set-cookie:" { cookie = 1 }
         END { printf "%s %s\n", status, (cookie ? "with a cookie" : "no cookie") }'
}

check_holes() {
  local env="$1" url port urls=("$API/api/items")
  [[ " ${services[*]} " == *" frontend "* ]] && urls+=("$LAB/" "$ATTACKER/")
  # DNS rebinding: the attacker's name, resolved to this machine, reaches the port.
  for url in "${urls[@]}"; do
    port="${url##*:}"
    port="${port%%/*}"
    expect_eq "ENV=$env: a foreign Host on :$port answers 421" 421 \
      "$(http_status "$url" -H "Host: rebind.attacker.example:$port")"
  done
  # Login CSRF: a form on another site posts to /api/login.
  expect_eq "ENV=$env: a cross-site form POST to /api/login answers 403 and sets no cookie" \
    "403 no cookie" "$(login_from_a_foreign_site)"
}

# check_instruments ENV on|off: the recorder's routes answer 200, or 404 like the exhibits.
check_instruments() {
  local env="$1" expected=200 path
  [ "$2" = off ] && expected=404
  for path in /lab/exchanges /lab/events; do
    expect_eq "ENV=$env, instruments $2: GET $path answers $expected" "$expected" \
      "$(http_status "$API$path" -H 'Origin: http://localhost:5173')"
  done
}
