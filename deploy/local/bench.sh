#!/usr/bin/env bash
# Benchmarks that print figures (not part of CI's pass/fail). Starts the platform itself on the simulated clock with the
# demo province, then runs the whole suite (the default) or one benchmark:
#   deploy/local/bench.sh                       # suite: baselines, intake, event pipeline, storm, reads, memory, micro
#   deploy/local/bench.sh storm 100000          # or: notifications [n] | feed [n] | projection [n] | report [n]
# The suite writes bench/results/<date>-suite.json and .md and prints the table.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
what=${1:-suite}; shift || true
started=$SECONDS

# A fresh start from empty databases and broker, so figures do not depend on what earlier runs left: the local
# platform's data under .local/ is reset (its secrets are kept).
deploy/local/down.sh >/dev/null 2>&1 || true
rm -rf .local/postgres .local/rabbitmq
# The SMS provider is played by the benchmark on loopback; the load comes from one address and one account, so the
# gateway's per-caller limits (meant for people at counters) are lifted for the run, the cap on one official's live
# streams too (the subscriber benchmark opens its thousand streams as the admin), and tokens last the whole run.
export Notification__Sms__Url="http://127.0.0.1:59090/sms"
export RateLimits__authenticated__PermitLimit=100000000 RateLimits__token__PermitLimit=100000 RateLimits__public__PermitLimit=100000
export Feed__MaxStreamsPerOfficial=100000 Jwt__LifetimeMinutes=600
MOTCUA_CLOCK=simulated deploy/local/up.sh --demo
set -a; source .local/secrets.env; set +a
export MOTCUA_GATEWAY="http://127.0.0.1:${MOTCUA_GATEWAY_PORT:-8080}/" MOTCUA_DOSSIER_URL="http://127.0.0.1:5101/"
db="Host=127.0.0.1;Port=${MOTCUA_PG_PORT:-55432};Username=motcua;Password=${MOTCUA_PG_PASSWORD:-motcua-local};Database=motcua"
export MOTCUA_DOSSIER_DB="${db}_dossier" MOTCUA_NOTIFICATION_DB="${db}_notification" MOTCUA_EVALUATION_DB="${db}_evaluation" \
  MOTCUA_PERSONNEL_DB="${db}_personnel"
amqp_port=${MOTCUA_AMQP_PORT:-55672}
export MOTCUA_AMQP="amqp://guest:guest@127.0.0.1:$amqp_port/" MOTCUA_RABBIT_API="http://guest:guest@127.0.0.1:$((amqp_port + 200))/"
export MOTCUA_PIDS="$ROOT/.local/pids"
dotnet build tests/Performance -c Release -v quiet -nologo >/dev/null
dotnet tests/Performance/bin/Release/net10.0/MotCua.Performance.dll "$what" "$@"
echo "bench.sh: $((SECONDS - started)) s in all, platform start and build included"
