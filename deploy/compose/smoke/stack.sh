# Sourced by smoke.sh: the compose project under test, run as provincial IT runs it, from an env
# file made the way .env.example asks (every secret generated, nothing else changed).

COMPOSE=()
compose_with() {
  local env_file=$1; shift
  # Compose v2 where it is installed, else Debian 12's docker-compose 1.29; asked once.
  if [ ${#COMPOSE[@]} -eq 0 ]; then
    if docker compose version >/dev/null 2>&1; then COMPOSE=(docker compose); else COMPOSE=(docker-compose); fi
  fi
  "${COMPOSE[@]}" --project-name "$PROJECT" --env-file "$env_file" -f docker-compose.yml -f "$HERE/docker-compose.smoke.yml" "$@"
}
compose() { compose_with "$SMOKE_DIR/smoke.env" "$@"; }

secret() { head -c 48 /dev/urandom | base64 | tr -d '/+=\n'; }

# .env.example with each REQUIRED secret filled in, as its comments ask.
write_env() {
  sed -e "s|^POSTGRES_PASSWORD=.*|POSTGRES_PASSWORD=$(secret)|" \
      -e "s|^RABBITMQ_PASSWORD=.*|RABBITMQ_PASSWORD=$(secret)|" \
      -e "s|^JWT_SIGNING_KEY=.*|JWT_SIGNING_KEY=$(secret)|" \
      -e "s|^MOTCUA_ADMIN_PASSWORD=.*|MOTCUA_ADMIN_PASSWORD=$(secret)|" \
      -e "s|^MOTCUA_GATEWAY_PORT=.*|MOTCUA_GATEWAY_PORT=$PORT|" \
      .env.example >"$SMOKE_DIR/smoke.env"
  chmod 600 "$SMOKE_DIR/smoke.env"
}
env_value() { sed -n "s/^$1=//p" "$SMOKE_DIR/smoke.env"; }

build_images() {
  local build_started=$SECONDS
  # The tools profile brings the operator tool's image along.
  if ! compose --profile tools build --force-rm >"$SMOKE_DIR/build.log" 2>&1; then
    tail -40 "$SMOKE_DIR/build.log"; fail "the images did not build (whole log: $SMOKE_DIR/build.log)"
  fi
  log "images built in $((SECONDS - build_started)) s"
  docker images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^motcua/' | sed 's/^/  /'
}

bring_up() {
  compose up -d >>"$SMOKE_DIR/up.log" 2>&1 || { tail -30 "$SMOKE_DIR/up.log"; fail "docker compose up"; }
  wait_for "every container healthy" "$PATIENCE" all_healthy
}

containers() { docker ps -a --filter "label=com.docker.compose.project=$PROJECT" --format '{{.Names}}'; }
service_containers() {
  docker ps -a --filter "label=com.docker.compose.project=$PROJECT" \
    --filter "label=com.docker.compose.service=$1" --format '{{.Names}}'
}

# Every container running and, where it has a health check, healthy; the one-shot volume
# initialiser exited 0.
all_healthy() {
  local name state
  for name in $(containers); do
    state=$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.ExitCode}}' "$name")
    case "$state" in
      "running healthy "* | "running none "* | "exited none 0") ;;
      *) return 1 ;;
    esac
  done
}

stack_diagnostics() {
  log "containers:"
  docker ps -a --filter "label=com.docker.compose.project=$PROJECT" \
    --format '  {{.Names}} {{.Status}} {{.Ports}}' 2>/dev/null || true
  local name
  for name in $(containers 2>/dev/null); do
    log "last lines of $name:"
    docker logs --tail 15 "$name" 2>&1 | sed 's/^/  /'
  done
}

# Containers, networks and volumes of the project; images stay in the engine's data root (the cache).
remove_stack() {
  [ -f "$SMOKE_DIR/smoke.env" ] || write_env
  compose --profile tools down --volumes --remove-orphans --timeout 30 >/dev/null 2>&1 || true
  local leftover; leftover=$(docker ps -aq --filter "label=com.docker.compose.project=$PROJECT")
  if [ -n "$leftover" ]; then docker rm -f $leftover >/dev/null; fi
  # The engine is the smoke run's alone: a failed build's containers go too. Untagged images stay:
  # the last layer of each shared build stage is one of them, and it is the build cache.
  docker container prune -f >/dev/null
}
