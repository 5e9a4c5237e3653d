#!/usr/bin/env bash
# Benchmarks that print figures (not part of CI's pass/fail). Starts the platform on the simulated clock with the
# demo province, then runs the chosen benchmark against it: deploy/local/bench.sh storm [count]
# (storm | notifications | feed | projection | report; see tests/Performance)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
what=${1:-storm}; shift || true

# A fresh start, so the settings below reach every process.
deploy/local/down.sh >/dev/null 2>&1 || true
export Notification__Sms__Url="http://127.0.0.1:59090/sms"
MOTCUA_CLOCK=simulated deploy/local/up.sh --demo
set -a; source .local/secrets.env; set +a
export MOTCUA_GATEWAY="http://127.0.0.1:${MOTCUA_GATEWAY_PORT:-8080}/"
db="Host=127.0.0.1;Port=${MOTCUA_PG_PORT:-55432};Username=motcua;Password=${MOTCUA_PG_PASSWORD:-motcua-local};Database=motcua"
export MOTCUA_DOSSIER_DB="${db}_dossier" MOTCUA_NOTIFICATION_DB="${db}_notification" MOTCUA_EVALUATION_DB="${db}_evaluation"
export MOTCUA_AMQP="amqp://guest:guest@127.0.0.1:${MOTCUA_AMQP_PORT:-55672}/"
dotnet run --project tests/Performance -c Release -- "$what" "$@"
