# Sourced by smoke.sh: a container engine of the smoke run's own. Its data root, socket and
# containerd live under $SMOKE_DIR; DOCKER_HOST points every docker and compose command at it, so
# a dockerd already running on the machine is never addressed. Its images and build cache stay in
# the data root between runs (the cache); containers, networks and volumes go at the end.

start_engine() {
  local sock="$SMOKE_DIR/docker.sock"
  export DOCKER_HOST="unix://$sock"
  if [ -S "$sock" ] && docker version >/dev/null 2>&1; then
    log "a smoke engine from an earlier run still answers on $sock: stopping it first"
    stop_engine
  fi
  mkdir -p "$SMOKE_DIR/docker" "$SMOKE_DIR/exec"
  # --bridge none: no docker0, which a host dockerd may own; compose makes its own network.
  dockerd --data-root "$SMOKE_DIR/docker" --exec-root "$SMOKE_DIR/exec" --pidfile "$SMOKE_DIR/dockerd.pid" \
    --host "$DOCKER_HOST" --bridge none --log-level warn >"$SMOKE_DIR/dockerd.log" 2>&1 &
  wait_for "the container engine" 60 docker version
}

stop_engine() {
  local pid
  pid=$(cat "$SMOKE_DIR/dockerd.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  rm -f "$SMOKE_DIR/dockerd.pid"
  # dockerd leaves the machine's network namespace mounted under its exec root (exec/netns/default).
  local mount
  awk -v dir="$SMOKE_DIR/" 'index($2, dir) == 1 {print $2}' /proc/mounts | sort -r | while read -r mount; do
    umount "$mount" 2>/dev/null || umount -l "$mount"
  done
}
