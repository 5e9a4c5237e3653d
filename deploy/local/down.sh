#!/usr/bin/env bash
# Stops what up.sh started, by pid, then RabbitMQ and PostgreSQL. Data under .local/ is kept.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
export INFRA_DIR="$ROOT/.local" PG_PORT=${MOTCUA_PG_PORT:-55432} AMQP_PORT=${MOTCUA_AMQP_PORT:-55672}
export RABBIT_NODE=${MOTCUA_RABBIT_NODE:-motcua@localhost}
source "$ROOT/deploy/local/infra.sh"

for pidfile in .local/pids/*.pid; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    log "stopped $(basename "$pidfile" .pid)"
  fi
  rm -f "$pidfile"
done
stop_rabbitmq
stop_postgres
log "RabbitMQ and PostgreSQL stopped"
