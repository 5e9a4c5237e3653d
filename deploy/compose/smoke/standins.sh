# Sourced by smoke.sh: the base images the compose file and deploy/docker/Dockerfile name, built
# here because no image registry can be reached. Each is a real server or toolchain: a Debian
# bookworm root file system made by debootstrap from Debian's packages, with this machine's own
# .NET and Node where the official image has them (standins/*/Dockerfile say what each one is).

STANDIN_BASE=motcua-standin/debian:bookworm

build_standins() {
  if ! docker image inspect "$STANDIN_BASE" >/dev/null 2>&1; then
    make_base_image
  fi
  # busybox:1.36 only runs `chown` on Jaeger's volume: the Debian base has it.
  docker tag "$STANDIN_BASE" busybox:1.36

  local ctx="$SMOKE_DIR/context"
  rm -rf "$ctx"; mkdir -p "$ctx"
  cp -a "$HERE/standins/." "$ctx/"
  local dotnet_root; dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  cp -a "$dotnet_root" "$ctx/sdk/dotnet"
  mkdir -p "$ctx/aspnet/dotnet/shared"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$ctx/aspnet/dotnet/"
  cp -a "$dotnet_root/shared/Microsoft.NETCore.App" "$dotnet_root/shared/Microsoft.AspNetCore.App" "$ctx/aspnet/dotnet/shared/"
  cp "$(readlink -f "$(command -v node)")" "$ctx/node/node"
  cp -a "$(dirname "$(readlink -f "$(command -v npm)")")/.." "$ctx/node/npm"

  standin mcr.microsoft.com/dotnet/sdk:10.0 sdk
  standin mcr.microsoft.com/dotnet/aspnet:10.0 aspnet
  standin node:20-bookworm-slim node
  standin postgres:15 postgres
  standin rabbitmq:3.13-management rabbitmq
  standin otel/opentelemetry-collector-contrib:0.111.0 otlp-sink
  rm -rf "$ctx"
}

# standin <image name> <folder under standins/>: built with the host's network (the only way to
# Debian's packages here); unchanged recipes come from the engine's build cache.
standin() {
  log "stand-in $1"
  docker build --force-rm --network host --tag "$1" "$SMOKE_DIR/context/$2" >"$SMOKE_DIR/standin-$2.log" 2>&1 \
    || { tail -30 "$SMOKE_DIR/standin-$2.log"; fail "stand-in $1 (whole log: $SMOKE_DIR/standin-$2.log)"; }
}

make_base_image() {
  log "making the Debian bookworm base with debootstrap"
  local rootfs="$SMOKE_DIR/rootfs"
  rm -rf "$rootfs"
  debootstrap --variant=minbase --include=ca-certificates,curl,libicu72,tzdata \
    bookworm "$rootfs" http://deb.debian.org/debian >"$SMOKE_DIR/debootstrap.log" 2>&1 \
    || { tail -20 "$SMOKE_DIR/debootstrap.log"; return 1; }
  # Debian's updates and security fixes too, as the official images carry them.
  cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SOURCES
  # Packages installed in an image never start their services (as in Docker's own Debian images).
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"; chmod +x "$rootfs/usr/sbin/policy-rc.d"
  # The registries are reached through this machine's proxy, whose certificate authorities the
  # machine trusts: the images trust them too, or no package restores inside a build.
  cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/" 2>/dev/null || true
  chroot "$rootfs" update-ca-certificates >/dev/null
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
  tar -C "$rootfs" -c . | docker import --change 'CMD ["bash"]' --change 'ENV LANG=C.UTF-8' - "$STANDIN_BASE" >/dev/null
  rm -rf "$rootfs"
}
