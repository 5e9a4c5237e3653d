# Sourced by smoke.sh: what the run needs on the machine, installed from Debian's packages when
# missing (a fresh machine has none of it). dockerd is Debian's docker.io; compose is the
# `docker compose` plugin where present, else Debian 12's docker-compose 1.29.

install_prerequisites() {
  [ "$(id -u)" -eq 0 ] || fail "run as root: the smoke run starts a container engine of its own"
  local need=()
  command -v dockerd >/dev/null || need+=(docker.io)
  docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null || need+=(docker-compose)
  command -v debootstrap >/dev/null || need+=(debootstrap)
  command -v jq >/dev/null || need+=(jq)
  command -v curl >/dev/null || need+=(curl)
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]} through apt"
    apt-get update -qq
    # Should the package start a dockerd of the machine's own, the smoke run still uses only its own socket.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  command -v dotnet >/dev/null || fail "the .NET SDK (dotnet) is needed: the SDK stand-in image is made from it"
  command -v node >/dev/null || fail "Node.js 20 (node) is needed: the node stand-in image is made from it"
}
