#!/usr/bin/env bash
# Makes sure the base image that the Dockerfile builds FROM exists locally:
# debian:bookworm-slim.
#
# On a machine that reaches Docker Hub nothing is needed: `docker compose build`
# pulls the official image (and run without root, this script just pulls it). On machines that reach no container registry (this
# project's CI) this script builds a local stand-in with the very same name from
# Debian's own packages: `debootstrap --variant=minbase bookworm`, trimmed the way
# the official slim image is (no docs, man pages or apt lists), with the same apt
# sources (bookworm, bookworm-updates, bookworm-security), then `docker import`.
# The Dockerfile and docker-compose.yml stay exactly what users run.
#
# Idempotent and fast when the image exists (pulled or imported): it does nothing.
#
# Usage: scripts/docker-base-images.sh            create what is missing
#        scripts/docker-base-images.sh --force    rebuild the stand-in anyway
# Env:   DEBIAN_MIRROR (default http://deb.debian.org/debian)
#        ROOTFS_DIR    (default /tmp/cors-lab-rootfs; kept outside the repository)
set -euo pipefail

IMAGE=debian:bookworm-slim
SUITE=bookworm
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
ROOTFS_DIR="${ROOTFS_DIR:-/tmp/cors-lab-rootfs}"
say() { echo "docker-base-images: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

force=false
case "${1:-}" in
  --force) force=true ;;
  "") ;;
  *) die "unknown argument '$1' (use --force or nothing)" ;;
esac

command -v docker >/dev/null || die "docker is not installed"
docker info >/dev/null 2>&1 || die "the Docker engine is not reachable (is dockerd running? are you in the docker group?)"

if ! $force && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  say "$IMAGE is present"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  # No root for debootstrap: a machine with a registry can simply pull.
  say "not root: trying docker pull $IMAGE instead of building a stand-in …"
  docker pull -q "$IMAGE" >/dev/null && { say "pulled $IMAGE"; exit 0; }
  die "cannot pull $IMAGE, and building a stand-in needs root (debootstrap): run sudo $0"
fi
if ! command -v debootstrap >/dev/null; then
  say "apt-get install debootstrap …"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null; } ||
    die "cannot install debootstrap"
fi

rootfs="$ROOTFS_DIR/$SUITE"
case "$rootfs" in /tmp/* | /var/tmp/*) ;; *) say "note: rootfs in $rootfs" ;; esac
rm -rf "$rootfs"
mkdir -p "$rootfs"
trap 'rm -rf "$rootfs"' EXIT

say "debootstrap --variant=minbase $SUITE from $MIRROR (a minute or two) …"
start=$(date +%s)
debootstrap --variant=minbase "$SUITE" "$rootfs" "$MIRROR" >"$ROOTFS_DIR/debootstrap.log" 2>&1 ||
  die "debootstrap failed; see $ROOTFS_DIR/debootstrap.log"

# The apt sources of the official image, including the security suite (newer
# packages such as Debian's rustc-web live there).
rm -f "$rootfs/etc/apt/sources.list"
cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR%/debian}/debian-security
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF

# Slim like the official image: packages installed later leave out docs too.
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
cat >"$rootfs/etc/apt/apt.conf.d/docker-no-recommends" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
EOF
find "$rootfs/usr/share/doc" -mindepth 2 ! -name copyright -delete 2>/dev/null || true
rm -rf "$rootfs"/usr/share/{man,info}/* "$rootfs"/var/lib/apt/lists/* \
  "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
  "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs"/tmp/* "$rootfs"/root/.bash_history
: >"$rootfs/etc/hostname"
: >"$rootfs/etc/resolv.conf"

say "docker import → $IMAGE …"
tar --numeric-owner -C "$rootfs" -c . |
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    --change 'LABEL org.cors-lab.stand-in="debootstrap minbase '"$SUITE"'"' \
    - "$IMAGE" >/dev/null
say "created $IMAGE in $(($(date +%s) - start)) s ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
