#!/usr/bin/env bash
# Installs what building the lab (frontend/) needs, and only what is missing:
#   - a Rust compiler that can target wasm32-unknown-unknown, by one of two routes:
#       rustup: `rustup target add wasm32-unknown-unknown` (where rustup can download);
#       debian: Debian's rustc-web/cargo-web/rust-web-src + lld, building std from
#               source (-Z build-std) for the target (where only Debian is reachable);
#   - wasm-bindgen-cli at the exact wasm-bindgen version of Cargo.lock (crates.io).
# No bundler: scripts/build-frontend.sh writes dist/ itself.
# wasm-opt is not used: Debian's binaryen (108) mis-writes the externref table of
# current wasm-bindgen output, and it saves under 1% once symbols are stripped.
# Fast and quiet when everything is present. Debian packages need root.
#
# Usage: scripts/install-wasm-toolchain.sh          install what is missing
#        scripts/install-wasm-toolchain.sh --env    same, then print the `export`
#                                                   lines the build needs (stdout)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { echo "install-wasm-toolchain: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

print_env=false
case "${1:-}" in
  --env) print_env=true ;;
  "") ;;
  *) die "unknown argument '$1' (use --env or nothing)" ;;
esac

export PATH="$HOME/.cargo/bin:$PATH"
is_root() { [ "$(id -u)" = 0 ]; }

apt_install() {
  is_root || die "missing Debian package(s): $*; run as root: apt-get install -y $*"
  say "apt-get install $* …"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; } ||
    die "apt-get install $* failed"
}

debian_ready() {
  [ -x /usr/bin/rustc ] && [ -x /usr/bin/cargo ] &&
    [ -d /usr/lib/rustlib/src/rust/library/std ] &&
    /usr/bin/rustc --print target-list 2>/dev/null | grep -x wasm32-unknown-unknown >/dev/null &&
    { command -v rust-lld >/dev/null || command -v wasm-ld >/dev/null || ls /usr/bin/wasm-ld* /usr/lib/llvm-*/bin/wasm-ld >/dev/null 2>&1; }
}

rustup_ready() {
  command -v rustup >/dev/null &&
    (cd "$ROOT" && rustup target list --installed 2>/dev/null) | grep -x wasm32-unknown-unknown >/dev/null
}

# 1. The compiler route.
if [ -n "${LAB_WASM_ROUTE:-}" ]; then
  route="$LAB_WASM_ROUTE"
elif rustup_ready; then
  route=rustup
elif debian_ready; then
  route=debian
elif command -v rustup >/dev/null && (cd "$ROOT" && timeout 120 rustup target add wasm32-unknown-unknown >/dev/null 2>&1); then
  say "added the wasm32-unknown-unknown target with rustup"
  route=rustup
else
  say "rustup cannot add wasm32-unknown-unknown here; using Debian's wasm-capable Rust"
  apt_install rustc-web cargo-web rust-web-src lld-22
  debian_ready || die "Debian's rustc-web is installed but cannot target wasm32 (is lld-22 there?)"
  route=debian
fi
case "$route" in rustup | debian) ;; *) die "LAB_WASM_ROUTE must be rustup or debian, got '$route'" ;; esac

# The tool runs for seconds per build: compile it for a quick install rather
# than for speed (no LTO, parallel codegen, light optimisation), as the
# Dockerfile does. Only the `cargo install` command below sees this.
quick_install() {
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
    cargo install --quiet "$@"
}

# 2. wasm-bindgen-cli, at exactly the version in Cargo.lock.
bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
[ -n "$bindgen_version" ] || die "no wasm-bindgen in $ROOT/Cargo.lock"
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $bindgen_version" ]; then
  say "cargo install wasm-bindgen-cli@$bindgen_version (takes a few minutes) …"
  quick_install --force "wasm-bindgen-cli@$bindgen_version" || die "cargo install wasm-bindgen-cli@$bindgen_version failed"
fi

say "ready (route: $route, $(wasm-bindgen --version))"

if $print_env; then
  echo "export PATH=\"$HOME/.cargo/bin:\$PATH\""
  if [ "$route" = debian ]; then
    # Debian's compiler first; it builds std for wasm32 from rust-web-src.
    echo 'export PATH="/usr/bin:$PATH"'
    echo 'export RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort'
  fi
  echo "export LAB_WASM_ROUTE=$route"
fi
