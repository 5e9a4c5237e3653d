#!/usr/bin/env bash
# Benchmarks that print figures (not part of CI's pass/fail). Starts the platform on the simulated clock with the
# demo province, then runs the chosen benchmark against it: deploy/local/bench.sh storm [count]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
what=${1:-storm}; shift || true

MOTCUA_CLOCK=simulated deploy/local/up.sh --demo
set -a; source .local/secrets.env; set +a
export MOTCUA_GATEWAY="http://127.0.0.1:${MOTCUA_GATEWAY_PORT:-8080}/"
export MOTCUA_DOSSIER_DB="Host=127.0.0.1;Port=${MOTCUA_PG_PORT:-55432};Username=motcua;Password=${MOTCUA_PG_PASSWORD:-motcua-local};Database=motcua_dossier"
dotnet run --project tests/Performance -c Release -- "$what" "$@"
