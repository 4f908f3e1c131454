#!/usr/bin/env bash
# The one command that builds and runs every test of cors-lab:
#
#   scripts/test.sh
#
# It installs what is missing (Rust components, the three browser engines and
# their WebDriver servers, the WebAssembly tool chain, Starlette in a throw-away
# virtualenv), checks formatting and lints, builds the lab, and runs every test of
# the workspace: the backend's tests against real servers, the lab's logic on the
# host, and the browser suite (Chromium, Firefox and WebKit on one origin, the
# backend on another); then, where a Docker engine runs (always in CI), it builds
# the images of docker-compose.yml and tests the containers under both ENVs,
# the browser suite included (scripts/test-compose.sh). It stops at the first
# failing step and ends with a one-line summary of the tests run. Debian packages
# are installed when running as root; otherwise it says which to install.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

step "tools"
command -v cargo >/dev/null || fail "cargo is not installed: install Rust from https://rustup.rs"
for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    command -v rustup >/dev/null || fail "cargo $component is missing and rustup is not there to add it"
    rustup component add "$component"
  fi
done
cargo --version

# The browser suite runs in three engines: Chromium (chromedriver), Firefox ESR
# (geckodriver) and WebKitGTK (WebKitWebDriver under Xvfb). The rules crate's
# Firefox test reads the installed Firefox's own strings.
scripts/install-browsers.sh || fail "the browser engines (scripts/install-browsers.sh)"

step "cargo fmt --check"
cargo fmt --all --check || fail "formatting: run 'cargo fmt --all'"

step "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings || fail "clippy found problems"

step "the lab's release build"
scripts/build-frontend.sh || fail "the lab's release build"

step "Starlette, for the differential test (a throw-away virtualenv)"
# backend/tests/starlette_differential.rs runs real Starlette beside the backend.
scripts/starlette-venv.sh || fail "Starlette for the differential test (scripts/starlette-venv.sh)"

step "cargo test"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
cargo test --workspace 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 0 ] || fail "cargo test"

# Every binary's "test result:" line, summed; the browser suite must have run.
summary=$(awk '/^test result:/ {
       for (i = 1; i <= NF; i++) {
         if ($(i+1) ~ /^passed/)  passed  += $i
         if ($(i+1) ~ /^failed/)  failed  += $i
         if ($(i+1) ~ /^ignored/) ignored += $i
       }
     }
     # Every browser test runs once per engine, as <test>::chromium, ::firefox, ::webkit.
     /^test .*::chromium \.\.\. ok$/ { engine["chromium"]++ }
     /^test .*::firefox \.\.\. ok$/  { engine["firefox"]++ }
     /^test .*::webkit \.\.\. ok$/   { engine["webkit"]++ }
     /Running tests\/fetch_in_browser.rs/ { fetch = 1 }
     /Running tests\/lab_page.rs/ { lab = 1 }
     /Running tests\/exhibits.rs/ { exhibits = 1 }
     /Running tests\/attack.rs/ { attack = 1 }
     /Running tests\/engine_facts.rs/ { facts = 1 }
     /Running tests\/readme.rs/ { readme = 1 }
     /Running tests\/check_exhibits.rs/ { probe = 1 }
     /Running tests\/starlette_differential.rs/ { starlette = 1 }
     END {
       if (passed == 0) { print "no test ran"; exit 1 }
       if (!fetch || !lab || !exhibits || !attack || !facts) { print "the browser suite did not run"; exit 1 }
       if (!engine["chromium"] || engine["firefox"] != engine["chromium"] || engine["webkit"] != engine["chromium"]) {
         printf "the browser suite did not run in every engine (Chromium %d, Firefox %d, WebKit %d tests passed)\n",
           engine["chromium"], engine["firefox"], engine["webkit"]
         exit 1
       }
       if (!readme) { print "the README check did not run"; exit 1 }
       if (!probe) { print "the probe tests (probe/tests) did not run"; exit 1 }
       if (!starlette) { print "the Starlette differential test did not run"; exit 1 }
       if (ignored > 0) { printf "%d tests were ignored: every test must run\n", ignored; exit 1 }
       printf "cargo test: %d passed, %d failed\n", passed, failed
     }' "$log") || fail "$summary"

step "containers: docker-compose.yml under ENV=development and ENV=production"
# Builds both images as users do, starts them, checks them from the host and runs
# the browser suite against them (scripts/test-compose.sh).
if docker info >/dev/null 2>&1; then
  scripts/test-compose.sh || fail "the compose test"
elif [ "${CI:-}" = true ]; then
  fail "CI needs a Docker engine for the compose test (docker info failed)"
else
  echo "skipped: no Docker engine here (CI runs this step)"
fi

printf '\n%s\n' "$summary"
