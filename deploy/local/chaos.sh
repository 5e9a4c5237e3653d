#!/usr/bin/env bash
# The reliability suite (tests/Reliability): a steady load of intakes and lifecycles while RabbitMQ and PostgreSQL
# restart, every service and the gateway die by SIGKILL, delivered events come again and every consumer gets a poison
# message; then every invariant is checked. It runs on a RabbitMQ and PostgreSQL of its own (.local/chaos, ports
# 58432/58672), because it restarts them.
#   deploy/local/chaos.sh            # the full run: thousands of dossiers; the table goes to bench/results/<date>-chaos.md
#   deploy/local/chaos.sh --short    # the version test.sh (and so CI) runs
# MOTCUA_CHAOS_SEED=<n> replays a run's order and moments of faults (each run prints its seed).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
scale=full; [ "${1:-}" = "--short" ] && scale=short

export INFRA_DIR="$ROOT/.local/chaos" PG_PORT=${MOTCUA_CHAOS_PG_PORT:-58432} AMQP_PORT=${MOTCUA_CHAOS_AMQP_PORT:-58672}
export RABBIT_NODE=motcua-chaos@localhost
source "$ROOT/deploy/local/infra.sh"
started=$SECONDS
install_missing

stop_rabbitmq; stop_postgres
rm -rf "$INFRA_DIR"
trap 'stop_rabbitmq; stop_postgres' EXIT
start_postgres
start_rabbitmq

export MOTCUA_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=$PG_USER;Password=$PG_PASSWORD"
export MOTCUA_TEST_AMQP="$(amqp_uri)" MOTCUA_TEST_RABBIT_API="$(rabbit_api)" MOTCUA_CHAOS=$scale
if [ "$scale" = full ]; then export MOTCUA_CHAOS_REPORT="$ROOT/bench/results/$(date -u +%Y-%m-%d-%H%M)-chaos.md"
else export MOTCUA_CHAOS_REPORT="$INFRA_DIR/report.md"; fi
# test.sh has built the solution already and says so.
if [ -z "${MOTCUA_CHAOS_BUILT:-}" ]; then
  build_web
  log "building"
  dotnet build tests/Reliability -c Debug -v quiet -nologo
fi
log "running the reliability suite ($scale)"
dotnet test tests/Reliability -c Debug --no-build --logger "console;verbosity=normal" --results-directory "$INFRA_DIR/results"
cat "$MOTCUA_CHAOS_REPORT"
log "chaos ($scale): every invariant held, in $((SECONDS - started)) s; report in ${MOTCUA_CHAOS_REPORT#$ROOT/}"
