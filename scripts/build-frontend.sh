#!/usr/bin/env bash
# Release build of the lab (frontend/) into frontend/dist/, in three plain steps
# and no bundler:
#
#   1. cargo build --release --target wasm32-unknown-unknown -p frontend
#   2. wasm-bindgen --target web: the JS that loads the wasm (an ES module)
#   3. frontend/dist/: the JS, the wasm and the CSS under content-hashed names
#      (name-<16 hex>.ext, which the lab server caches for a year), the sandboxed
#      frame's files (static/) as they are, and index.html: frontend/index.html
#      with its {{js}}, {{wasm}} and {{css}} filled in.
#
# Then prints the size of what the browser downloads (JS + wasm, gzip -9) against
# the 150 KB budget. Installs the wasm tool chain first if missing.
#
# Honours CARGO_TARGET_DIR. Set LAB_WASM_ROUTE=debian|rustup to force a route.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { echo "build-frontend: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

eval "$("$ROOT/scripts/install-wasm-toolchain.sh" --env)"

# Small wasm: optimise for size, whole-program LTO, abort on panic, no symbol
# names (they are most of an unstripped wasm file). Set here
# rather than in the workspace profile, which the native crates share.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=z
export CARGO_PROFILE_RELEASE_LTO=fat
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
export CARGO_PROFILE_RELEASE_PANIC=abort
export CARGO_PROFILE_RELEASE_STRIP=symbols
# Leptos's `erase_components`: each component's view is one erased type rather than
# a new generic type per nesting, so far less code is generated (-24 KB gzip).
# With --target, RUSTFLAGS applies to the wasm crates only, not to build scripts.
export RUSTFLAGS="--cfg erase_components"

target_dir="${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps --manifest-path "$ROOT/Cargo.toml" | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')}"
frontend="$ROOT/frontend"
dist="$frontend/dist"

# 1. The lab, compiled to WebAssembly.
say "cargo build --release --target wasm32-unknown-unknown -p frontend (route: $LAB_WASM_ROUTE) …"
cargo build --quiet --release --locked --target wasm32-unknown-unknown \
  --manifest-path "$ROOT/Cargo.toml" -p frontend
cargo_wasm="$target_dir/wasm32-unknown-unknown/release/frontend.wasm"
[ -f "$cargo_wasm" ] || die "cargo built no $cargo_wasm"

# 2. wasm-bindgen writes the JS side of every #[wasm_bindgen] import and export.
bindgen="$target_dir/wasm-bindgen/release"
rm -rf "$bindgen"
mkdir -p "$bindgen"
wasm-bindgen --target web --no-typescript --out-dir "$bindgen" --out-name frontend "$cargo_wasm" 2>&1 |
  { grep -v 'target_features' || true; } >&2
[ ! -e "$bindgen/snippets" ] || die "wasm-bindgen wrote snippets/: copy them into dist/ too"

# 3. dist/, written afresh: nothing stale survives a build.
hash16() { sha256sum "$1" | cut -c1-16; }
js="frontend-$(hash16 "$bindgen/frontend.js").js"
wasm="frontend-$(hash16 "$bindgen/frontend_bg.wasm")_bg.wasm"
css="lab-$(hash16 "$frontend/style/lab.css").css"
rm -rf "$dist"
mkdir -p "$dist"
cp "$bindgen/frontend.js" "$dist/$js"
cp "$bindgen/frontend_bg.wasm" "$dist/$wasm"
cp "$frontend/style/lab.css" "$dist/$css"
cp "$frontend"/static/* "$dist/"
sed -e "s|{{js}}|$js|g" -e "s|{{wasm}}|$wasm|g" -e "s|{{css}}|$css|g" \
  "$frontend/index.html" >"$dist/index.html"
! grep -n '{{' "$dist/index.html" >&2 || die "frontend/index.html has a placeholder this script does not fill"

kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1024 }'; }
size() { wc -c <"$1" | tr -d ' '; }
gz() { gzip -9 -c "$@" | wc -c | tr -d ' '; }

echo "lab release build in $dist"
echo "  wasm from cargo:                $(kb "$(size "$cargo_wasm")")"
echo "  wasm shipped:                   $(kb "$(size "$dist/$wasm")")  $wasm"
echo "  js shipped:                     $(kb "$(size "$dist/$js")")  $js"
total_gz=$(($(gz "$dist/$wasm") + $(gz "$dist/$js")))
budget=$((150 * 1024))
verdict="within"
[ "$total_gz" -le "$budget" ] || verdict="OVER"
echo "  gzip -9 of shipped JS + wasm:   $(kb "$total_gz")  ($verdict the 150 KB budget)"
