#!/usr/bin/env bash
# Provincial IT's way in, run for real: builds every image from deploy/docker/Dockerfile, brings the
# platform up with docker-compose.yml under a container engine of its own, and checks it as
# provincial IT would (smoke/checks.sh: health, the one published port, a token, a dossier through
# the gateway with its SMS and trace, a wrong database password, scale-out, a crash and a kill,
# down/up, backup/restore, the demo province, memory), then tears everything down. No image registry is reachable here, so the base images are
# stand-ins built locally (smoke/standins.sh); smoke/docker-compose.smoke.yml says what else differs.
#
#   deploy/compose/smoke.sh            # as root (it starts dockerd): 10 min cold, 6 to 8 with its cache
#
# Settings: MOTCUA_SMOKE_PATIENCE (seconds any one condition may take, default 300),
# MOTCUA_SMOKE_PORT (the gateway's host port, default 58080), MOTCUA_SMOKE_KEEP=1 (leave the stack
# up at the end, for a look; `deploy/compose/smoke.sh --down` then removes it).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
HERE="$ROOT/deploy/compose/smoke"
SMOKE_DIR="$ROOT/.local/smoke"
PATIENCE=${MOTCUA_SMOKE_PATIENCE:-300}
PORT=${MOTCUA_SMOKE_PORT:-58080}
PROJECT=motcua-smoke
GATEWAY="http://127.0.0.1:$PORT"

log() { printf '\033[1m[smoke]\033[0m %s\n' "$*"; }
fail() { printf '\033[1;31m[smoke] FAILED:\033[0m %s\n' "$*" >&2; exit 1; }

# wait_for <what> <seconds> <command…>: until the command succeeds, polled every second.
wait_for() {
  local what=$1 limit=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$what: not within $limit s"
    sleep 1
  done
}

source "$HERE/prerequisites.sh"
source "$HERE/engine.sh"
source "$HERE/standins.sh"
source "$HERE/stack.sh"
source "$HERE/checks.sh"

mkdir -p "$SMOKE_DIR"
if [ "${1:-}" = --down ]; then start_engine; remove_stack; stop_engine; exit 0; fi

started=$SECONDS
SMOKE_BACKUPS=()
[ -d backups ] || SMOKE_MADE_BACKUPS_FOLDER=1
install_prerequisites
start_engine
finish() {
  local status=$?
  if [ "$status" -ne 0 ]; then stack_diagnostics || true; fi
  if [ "${MOTCUA_SMOKE_KEEP:-}" = 1 ] && [ "$status" -eq 0 ]; then
    log "stack left up (MOTCUA_SMOKE_KEEP=1): gateway $GATEWAY, DOCKER_HOST=$DOCKER_HOST; remove with $0 --down"
  else
    remove_stack || true
    stop_engine
  fi
  # The backups the run made, written by the operator tool into ./backups like any backup.
  [ ${#SMOKE_BACKUPS[@]} -eq 0 ] || rm -rf "${SMOKE_BACKUPS[@]}"
  [ -z "${SMOKE_MADE_BACKUPS_FOLDER:-}" ] || rmdir backups 2>/dev/null || true
}
trap finish EXIT
trap 'exit 130' INT TERM
# One env file and one compose log for the whole run.
write_env
: >"$SMOKE_DIR/up.log"
remove_stack

phase() { log "── $1 ($((SECONDS - started)) s)"; }
phase "stand-in base images";            build_standins
phase "a missing secret stops compose";  check_missing_secret
phase "building the platform's images";  build_images
phase "up";                              bring_up
phase "only the gateway publishes";      check_published_ports
phase "a dossier through the gateway";   check_dossier_through_gateway
phase "a wrong database password";       check_wrong_database_password
phase "scale-out";                       check_scale_out
phase "a crash and a kill";              check_crash_and_kill
phase "down and up keeps the data";      check_down_up
phase "backup and restore";              check_backup_restore
phase "the demo province (cli seed demo)"; check_seed_demo
phase "memory under a burst";            check_memory_burst
log "all checks passed in $((SECONDS - started)) s"
