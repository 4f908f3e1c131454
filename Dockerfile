# Images of cors-lab, built by docker-compose.yml (`docker compose up`):
#
#   target `backend`   the API on :8000                        (cors-lab-backend)
#   target `frontend`  the lab's static server on :5173 + dist/ (cors-lab-frontend),
#                      and the attacker page on :5174 (compiled into the server)
#
# Everything is built from Debian bookworm's own packages: Rust (rustc-web,
# cargo-web, 1.96 from bookworm-security) and, for the WebAssembly lab, std built
# from source for wasm32-unknown-unknown (rust-web-src, -Z build-std) and lld;
# wasm-bindgen-cli comes from crates.io at the version of Cargo.lock.
# No rustup and no prebuilt downloads, so the same file builds with only
# deb.debian.org and crates.io reachable.
#
# Layers, from the most to the least stable: tool chain; pinned tools; the
# dependencies of Cargo.lock (built against stub sources, so editing the code
# does not rebuild them); the project's own crates. Small runtime images:
# debian:bookworm-slim with one binary, config/ or dist/, and a non-root user.
#
# The file uses only classic Dockerfile syntax: it builds with BuildKit
# (`docker compose`, `docker buildx`) and with the legacy builder
# (`docker-compose` v1). Stages are ordered so that the legacy builder, which
# builds every stage before the target, builds no wasm tool chain for `backend`.

# ---------------------------------------------------------------------------
# skeleton: Cargo.toml + Cargo.lock of every crate, with stub sources. Its
# output changes only when a manifest or the lock file does, so the dependency
# layers below stay cached while the code changes.
FROM debian:bookworm-slim AS skeleton
WORKDIR /src
COPY . .
RUN set -eu; \
    mkdir -p /skeleton; \
    cp Cargo.toml Cargo.lock /skeleton/; \
    find . -mindepth 2 -name Cargo.toml -not -path './target*' | sort | while read -r manifest; do \
      dir=$(dirname "$manifest"); \
      mkdir -p "/skeleton/$dir/src"; \
      cp "$manifest" "/skeleton/$dir/"; \
      [ ! -f "$dir/build.rs" ] || cp "$dir/build.rs" "/skeleton/$dir/"; \
      [ ! -f "$dir/src/lib.rs" ] || : >"/skeleton/$dir/src/lib.rs"; \
      [ ! -f "$dir/src/main.rs" ] || echo 'fn main() {}' >"/skeleton/$dir/src/main.rs"; \
      for bin in "$dir"/src/bin/*.rs; do \
        [ -f "$bin" ] || continue; \
        mkdir -p "/skeleton/$dir/src/bin"; \
        echo 'fn main() {}' >"/skeleton/$bin"; \
      done; \
    done; \
    find /skeleton -type f | sort

# ---------------------------------------------------------------------------
# rust: Debian's Rust tool chain for native builds.
FROM debian:bookworm-slim AS rust
# Extra CA certificates (PEM) to trust while building, for networks whose proxy
# intercepts TLS (crates.io is fetched over HTTPS). Empty on most machines; the
# runtime images never get them.
ARG EXTRA_CA_CERTS=""
ENV CARGO_HOME=/usr/local/cargo \
    CARGO_TERM_COLOR=never \
    CARGO_NET_RETRY=5 \
    PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN set -eu; \
    apt-get update -q; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      ca-certificates gcc libc6-dev rustc-web cargo-web; \
    rm -rf /var/lib/apt/lists/*; \
    if [ -n "$EXTRA_CA_CERTS" ]; then \
      printf '%s\n' "$EXTRA_CA_CERTS" >/usr/local/share/ca-certificates/build-extra.crt; \
      update-ca-certificates; \
    fi; \
    rustc --version; cargo --version

# ---------------------------------------------------------------------------
# native-deps: every dependency of the two native binaries, compiled once.
# Each package is built on its own, as later stages build it, so that cargo's
# feature unification gives the same artifacts.
FROM rust AS native-deps
WORKDIR /src
COPY --from=skeleton /skeleton/ ./
RUN cargo fetch --locked \
 && cargo build --release --locked -p backend \
 && cargo build --release --locked -p lab-server

# ---------------------------------------------------------------------------
# backend-build: the API itself.
FROM native-deps AS backend-build
COPY cors-rules ./cors-rules
COPY types ./types
COPY backend ./backend
# The stubs' build outputs are newer than the copied sources: touch them.
RUN find cors-rules types backend -name '*.rs' -exec touch {} + \
 && cargo build --release --locked --offline -p backend \
 && ./target/release/backend --help >/dev/null

# ---------------------------------------------------------------------------
# backend: the runtime image of the API.
FROM debian:bookworm-slim AS backend
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY config ./config
COPY --from=backend-build /src/target/release/backend /usr/local/bin/backend
# Listen on every interface of the container (config/ says 127.0.0.1, which
# would be unreachable through a published port). ENV picks the policy file.
ENV ENV=development \
    APP_CONFIG_DIR=/app/config \
    APP__SERVER__HOST=0.0.0.0 \
    APP__SERVER__PORT=8000 \
    RUST_LOG=info
USER app
EXPOSE 8000
# No curl in the slim image: bash's /dev/tcp sends the request.
HEALTHCHECK --interval=2s --timeout=2s --start-period=30s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/${APP__SERVER__PORT:-8000} && printf "GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && grep -q "\"status\":\"ok\"" <&3'
# Exec form: the binary is PID 1 (or tini's child with `init: true`) and gets
# SIGTERM itself; it stops within a second.
ENTRYPOINT ["/usr/local/bin/backend"]

# ---------------------------------------------------------------------------
# lab-server-build: the lab's static server (native).
FROM native-deps AS lab-server-build
# The project's crates it uses (the Host check of lab-types, and cors-rules' origin of a URL).
COPY cors-rules ./cors-rules
COPY types ./types
COPY frontend/server ./frontend/server
# The attacker page's files, compiled into the binary (include_str!).
COPY frontend/attacker ./frontend/attacker
RUN find cors-rules types frontend/server -name '*.rs' -exec touch {} + \
 && cargo build --release --locked --offline -p lab-server

# ---------------------------------------------------------------------------
# wasm-tools: what building the lab for the browser needs: std's sources and
# lld for wasm32, and wasm-bindgen-cli at a pinned version, cached until it
# changes. No bundler: scripts/build-frontend.sh writes dist/ itself.
FROM rust AS wasm-tools
# Must equal wasm-bindgen in Cargo.lock (scripts/install-wasm-toolchain.sh
# checks, and installs the right one if this pin is stale).
ARG WASM_BINDGEN_VERSION=0.2.130
RUN set -eu; \
    apt-get update -q; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      rust-web-src rust-web-llvm lld-22; \
    rm -rf /var/lib/apt/lists/*
# The tool runs for seconds per build: compile it for a quick install (no LTO,
# parallel codegen, light optimisation) rather than for speed, which on two
# cores takes several times longer.
# (ARGs: they apply to this stage's commands only, not to the lab's build.)
ARG CARGO_PROFILE_RELEASE_LTO=off
ARG CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
ARG CARGO_PROFILE_RELEASE_OPT_LEVEL=1
RUN cargo install "wasm-bindgen-cli@$WASM_BINDGEN_VERSION" \
 && rm -rf "$CARGO_HOME/registry" \
 && wasm-bindgen --version

# ---------------------------------------------------------------------------
# lab-deps: the lab's dependencies and std, compiled for wasm32 once, with the
# settings scripts/build-frontend.sh uses (so its build reuses them; if
# they drift apart, the lab still builds, only less of it is cached).
FROM wasm-tools AS lab-deps
WORKDIR /src
COPY --from=skeleton /skeleton/ ./
RUN cargo fetch --locked \
 && RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_PROFILE_RELEASE_LTO=fat \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_PANIC=abort \
    CARGO_PROFILE_RELEASE_STRIP=symbols RUSTFLAGS="--cfg erase_components" \
    cargo build --release --locked --target wasm32-unknown-unknown -p frontend

# ---------------------------------------------------------------------------
# lab-build: the lab (wasm → wasm-bindgen → frontend/dist), by the project's own
# build script.
FROM lab-deps AS lab-build
COPY cors-rules ./cors-rules
COPY types ./types
COPY frontend ./frontend
COPY scripts/install-wasm-toolchain.sh scripts/build-frontend.sh ./scripts/
RUN find cors-rules types frontend -name '*.rs' -exec touch {} + \
 && LAB_WASM_ROUTE=debian scripts/build-frontend.sh \
 && test -f frontend/dist/index.html

# ---------------------------------------------------------------------------
# frontend: the runtime image of the lab.
FROM debian:bookworm-slim AS frontend
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=lab-server-build /src/target/release/lab-server /usr/local/bin/lab-server
COPY --from=lab-build /src/frontend/dist ./dist
# API_BASE_URL is where the *browser* finds the API: see docker-compose.yml.
ENV LAB_HOST=0.0.0.0 \
    LAB_PORT=5173 \
    ATTACKER_PORT=5174 \
    LAB_DIST=/app/dist \
    API_BASE_URL=http://localhost:8000 \
    RUST_LOG=info
USER app
# The lab, and the attacker page (another origin on the same host).
EXPOSE 5173 5174
HEALTHCHECK --interval=2s --timeout=2s --start-period=30s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/${LAB_PORT:-5173} && printf "GET /config.json HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && grep -q "api_base_url" <&3'
ENTRYPOINT ["/usr/local/bin/lab-server"]
