#!/usr/bin/env bash
# Installs the three browser engines the browser suite (e2e/) runs in, and their
# WebDriver servers, only what is missing:
#   - Chromium:  Debian's chromium + chromium-driver (chromedriver);
#   - Firefox:   Debian's firefox-esr, and geckodriver 0.37.1 from crates.io;
#   - WebKit:    Debian's webkit2gtk-driver (WebKitWebDriver, WebKitGTK's
#                MiniBrowser) and xvfb (WebKitGTK has no headless mode), plus
#                python3-gi and gir1.2-webkit2-4.1 for e2e/webkit/console-browser.py,
#                the WebKitGTK browser whose console the suite can read.
# Fast and quiet when everything is present. Debian packages need root.
#
# Usage: scripts/install-browsers.sh
set -euo pipefail

GECKODRIVER_VERSION=0.37.1
PACKAGES=(chromium chromium-driver firefox-esr webkit2gtk-driver xvfb python3-gi gir1.2-webkit2-4.1)
say() { echo "install-browsers: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

[ $# -eq 0 ] || die "no arguments expected, got '$*'"
export PATH="$HOME/.cargo/bin:$PATH"

installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

# 1. Debian packages.
missing=()
for package in "${PACKAGES[@]}"; do
  installed "$package" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing Debian package(s): ${missing[*]}; run as root: apt-get install -y ${missing[*]}"
  say "apt-get install ${missing[*]} …"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; } ||
    die "apt-get install ${missing[*]} failed"
fi

# 2. geckodriver, at the pinned version. It runs for seconds per test: compile it
# for a quick install (no LTO, parallel codegen, light optimisation), as the wasm
# tools are.
if [ "$(geckodriver --version 2>/dev/null | head -n 1 || true)" != "geckodriver $GECKODRIVER_VERSION" ]; then
  say "cargo install geckodriver@$GECKODRIVER_VERSION (takes a few minutes) …"
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
    cargo install --quiet --locked "geckodriver@$GECKODRIVER_VERSION" ||
    die "cargo install geckodriver@$GECKODRIVER_VERSION failed"
fi

# 3. Each engine's pieces are where the suite looks for them.
for program in chromium chromedriver firefox-esr geckodriver WebKitWebDriver xvfb-run; do
  command -v "$program" >/dev/null || die "$program is not on the PATH after installing"
done
ls /usr/lib/*/webkit2gtk-4.1/MiniBrowser >/dev/null 2>&1 || die "no WebKitGTK MiniBrowser (webkit2gtk-driver)"
/usr/bin/python3 -c 'import gi; gi.require_version("WebKit2", "4.1"); from gi.repository import WebKit2' 2>/dev/null ||
  die "/usr/bin/python3 cannot load WebKit2 4.1 through PyGObject (python3-gi, gir1.2-webkit2-4.1)"

say "ready: $(chromium --version 2>/dev/null | head -n 1), $(firefox-esr --version 2>/dev/null | head -n 1), WebKitGTK $(dpkg-query -W -f='${Version}' webkit2gtk-driver), $(geckodriver --version | head -n 1)"
