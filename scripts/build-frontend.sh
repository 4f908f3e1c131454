#!/usr/bin/env bash
# Release build of the lab (frontend/) with trunk into frontend/dist/, then
# prints the size of the wasm after wasm-bindgen and the gzip size of what the
# browser downloads (JS + wasm). Installs the wasm tool chain first if missing.
#
# Honours CARGO_TARGET_DIR. Set LAB_WASM_ROUTE=debian|rustup to force a route.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { echo "build-frontend: $*" >&2; }

eval "$("$ROOT/scripts/install-wasm-toolchain.sh" --env)"

# Small wasm: optimise for size, whole-program LTO, abort on panic, no symbol
# names (they are most of an unstripped wasm file). Set here
# rather than in the workspace profile, which the native crates share.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=z
export CARGO_PROFILE_RELEASE_LTO=fat
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
export CARGO_PROFILE_RELEASE_PANIC=abort
export CARGO_PROFILE_RELEASE_STRIP=symbols
# trunk cannot see the workspace's Cargo.lock to compare wasm-bindgen versions;
# the install script has checked them already.
export TRUNK_SKIP_VERSION_CHECK=true

# trunk --offline makes cargo offline too: fetch the crates first.
cargo fetch --quiet --manifest-path "$ROOT/Cargo.toml"

say "trunk build --release (route: $LAB_WASM_ROUTE) …"
cd "$ROOT/frontend"
trunk --log warn build --release --offline
say "(wasm-bindgen's warning about a missing target_features section is expected: symbols are stripped on purpose)"

dist="$ROOT/frontend/dist"
wasm="$(ls "$dist"/*_bg.wasm)"
js="$(ls "$dist"/frontend-*.js)"
target_dir="${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps --manifest-path "$ROOT/Cargo.toml" | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')}"
bindgen_wasm="$target_dir/wasm-bindgen/release/frontend_bg.wasm"

kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1024 }'; }
size() { wc -c <"$1" | tr -d ' '; }
gz() { gzip -9 -c "$@" | wc -c | tr -d ' '; }

echo "lab release build in $dist"
if [ -f "$bindgen_wasm" ]; then
  echo "  wasm after wasm-bindgen:        $(kb "$(size "$bindgen_wasm")")"
fi
echo "  wasm shipped:                   $(kb "$(size "$wasm")")  $(basename "$wasm")"
echo "  js shipped:                     $(kb "$(size "$js")")  $(basename "$js")"
total_gz=$(($(gz "$wasm") + $(gz "$js")))
budget=$((150 * 1024))
verdict="within"
[ "$total_gz" -le "$budget" ] || verdict="OVER"
echo "  gzip -9 of shipped JS + wasm:   $(kb "$total_gz")  ($verdict the 150 KB budget)"
