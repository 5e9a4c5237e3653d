#!/usr/bin/env bash
# Starts the whole platform on this machine: RabbitMQ and PostgreSQL on 127.0.0.1 (installed
# through apt when missing), then the four services and the gateway in the background.
# Everything lives under .local/ (git-ignored). Running it again is harmless.
set -euo pipefail
DEMO=false
REPLICAS=1
usage() {
  echo "usage: up.sh [--demo] [--replicas N]"
  echo "  --demo        load the demo province (152 communes, 3,355 officials) and a morning of dossiers"
  echo "  --replicas N  run N instances of every service behind the gateway (1 to 4; default 1)"
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --demo) DEMO=true ;;
    --replicas) [ $# -ge 2 ] || usage; REPLICAS=$2; shift ;;
    --replicas=*) REPLICAS=${1#--replicas=} ;;
    *) usage ;;
  esac
  shift
done
[[ "$REPLICAS" =~ ^[1-4]$ ]] || { echo "--replicas: a number from 1 to 4, not '$REPLICAS'"; exit 2; }
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

export INFRA_DIR="$ROOT/.local" PG_PORT=${MOTCUA_PG_PORT:-55432} AMQP_PORT=${MOTCUA_AMQP_PORT:-55672}
export RABBIT_NODE=${MOTCUA_RABBIT_NODE:-motcua@localhost}
GATEWAY_PORT=${MOTCUA_GATEWAY_PORT:-8080}
source "$ROOT/deploy/local/infra.sh"

mkdir -p .local/logs .local/pids
install_missing
start_postgres
start_rabbitmq

# Secrets made once per machine and kept in .local/secrets.env; the environment wins.
if [ ! -f .local/secrets.env ]; then
  umask 077
  {
    echo "MOTCUA_ADMIN_PASSWORD=${MOTCUA_ADMIN_PASSWORD:-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')}"
    echo "JWT_SIGNING_KEY=$(head -c 48 /dev/urandom | base64)"
  } > .local/secrets.env
  umask 022
fi
# Added to a secrets.env made before papers were signed.
grep -q '^SIGNING_CA_PASSWORD=' .local/secrets.env \
  || echo "SIGNING_CA_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" >> .local/secrets.env
admin_from_env=${MOTCUA_ADMIN_PASSWORD:-}
set -a; source .local/secrets.env; set +a
MOTCUA_ADMIN_PASSWORD=${admin_from_env:-$MOTCUA_ADMIN_PASSWORD}

# Signed papers, for development: a local certificate authority made once with openssl. Units are created at run time
# (the demo province after the services start, merges and splits later), so no list of units exists here to issue
# certificates for: the Dossier service, told of this authority, issues a unit its certificate on the unit's first
# paper, into .local/signing, the folder an operator fills with real certificates in production (docs/operations.md).
# .local/signing-ca/nssdb trusts the authority, for pdfsig: pdfsig -nssdir sql:.local/signing-ca/nssdb paper.pdf
make_signing_authority() {
  local dir=.local/signing-ca
  mkdir -p .local/signing "$dir"; chmod 700 .local/signing "$dir"
  [ -f "$dir/ca.p12" ] && return 0
  log "making the local certificate authority for signed papers ($dir)"
  openssl req -x509 -newkey rsa:3072 -sha256 -days 3650 -nodes -keyout "$dir/ca.key" -out "$dir/ca.pem" -utf8 \
    -subj "/C=VN/O=MotCua - chứng thư thử nghiệm/CN=MotCua Local CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -addext "subjectKeyIdentifier=hash" 2>/dev/null
  openssl pkcs12 -export -inkey "$dir/ca.key" -in "$dir/ca.pem" -out "$dir/ca.p12" -passout "pass:$SIGNING_CA_PASSWORD"
  rm -f "$dir/ca.key"
  rm -rf "$dir/nssdb"; mkdir -p "$dir/nssdb"
  certutil -N -d "sql:$dir/nssdb" --empty-password && certutil -A -d "sql:$dir/nssdb" -n motcua-local-ca -t "CT,C,C" -i "$dir/ca.pem"
}
make_signing_authority

build_web
log "building"
dotnet build Platform.sln -c Release -v quiet -nologo > .local/logs/build.log 2>&1 || { tail -30 .local/logs/build.log; exit 1; }

# Instance k of a service listens on its base port + 100 (k - 1): dossier on 5101, 5201, ...
declare -A BASE_PORTS=([dossier]=5101 [personnel]=5102 [evaluation]=5103 [notification]=5104)
declare -A PROJECTS=([dossier]=Dossier [personnel]=Personnel [evaluation]=Evaluation [notification]=Notification)
INSTANCES=(gateway)

running() { [ -f ".local/pids/$1.pid" ] && kill -0 "$(cat ".local/pids/$1.pid")" 2>/dev/null; }

# Each process runs in its own build output, as in the container (/app) and the tests. Its content root then holds only
# its own files: run from the repository's root, the configuration's file watcher put 1,434 inotify watches on the tree
# and took every write under .local/ (PostgreSQL's and RabbitMQ's data, the logs) as a change to look at.
launch() { # name dll port [env...]
  local name=$1 dll=$2 port=$3; shift 3
  if running "$name"; then log "$name already running"; return; fi
  (cd "$(dirname "$dll")" && exec env "$@" \
    Jwt__SigningKey="$JWT_SIGNING_KEY" \
    RabbitMq__Uri="$(amqp_uri)" \
    MOTCUA_ADMIN_PASSWORD="$MOTCUA_ADMIN_PASSWORD" \
    MOTCUA_CLOCK="${MOTCUA_CLOCK:-system}" \
    ASPNETCORE_ENVIRONMENT=Production \
    nohup dotnet "$(basename "$dll")" --urls "http://127.0.0.1:$port" >> "$ROOT/.local/logs/$name.log" 2>&1) &
  echo $! > ".local/pids/$name.pid"
  log "$name started on 127.0.0.1:$port (log .local/logs/$name.log)"
}

# Consumers first: their queues must exist before the gateway takes traffic.
declare -A ADDRESSES=()
for name in notification evaluation personnel dossier; do
  project=${PROJECTS[$name]}
  for k in $(seq 1 "$REPLICAS"); do
    instance=$name; [ "$k" -gt 1 ] && instance="$name-$k"
    port=$((BASE_PORTS[$name] + 100 * (k - 1)))
    extra=()
    [ "$name" = dossier ] && extra=(Signing__Directory="$ROOT/.local/signing"
      Signing__DevelopmentAuthority__Certificate="$ROOT/.local/signing-ca/ca.p12"
      Signing__DevelopmentAuthority__Password="$SIGNING_CA_PASSWORD")
    launch "$instance" "services/$project/bin/Release/net10.0/MotCua.$project.dll" "$port" \
      ConnectionStrings__Database="$(pg_connection "motcua_$name")" "${extra[@]}"
    INSTANCES+=("$instance")
    ADDRESSES[$name]="${ADDRESSES[$name]:+${ADDRESSES[$name]},}http://127.0.0.1:$port"
  done
done
launch gateway gateway/bin/Release/net10.0/MotCua.Gateway.dll "$GATEWAY_PORT" \
  Services__dossier="${ADDRESSES[dossier]}" \
  Services__personnel="${ADDRESSES[personnel]}" \
  Services__evaluation="${ADDRESSES[evaluation]}" \
  Services__notification="${ADDRESSES[notification]}" \
  Gateway__WebRoot="$ROOT/web/dist"

# Where the operator tool finds this platform (deploy/local/motcua reads it).
umask 077
cat > .local/motcua.env <<ENV
MOTCUA_GATEWAY='http://127.0.0.1:$GATEWAY_PORT/'
MOTCUA_ADMIN_PASSWORD='$MOTCUA_ADMIN_PASSWORD'
MOTCUA_POSTGRES='Host=127.0.0.1;Port=$PG_PORT;Username=$PG_USER;Password=$PG_PASSWORD'
MOTCUA_RABBITMQ='$(amqp_uri)'
MOTCUA_RABBITMQ_API='$(rabbit_api)'
ENV
umask 022

log "waiting for the gateway to be ready"
deadline=$((SECONDS + 180))
until curl -fsS "http://127.0.0.1:$GATEWAY_PORT/health/ready" >/dev/null 2>&1; do
  if [ $SECONDS -ge $deadline ]; then
    log "not ready after 180 s:"; curl -sS "http://127.0.0.1:$GATEWAY_PORT/health/ready" || true; echo
    exit 1
  fi
  for name in "${INSTANCES[@]}"; do
    running "$name" || { log "$name exited; last lines of .local/logs/$name.log:"; tail -20 ".local/logs/$name.log"; exit 1; }
  done
  sleep 1
done

if $DEMO; then
  deploy/local/motcua seed demo || { log "loading the demo failed"; exit 1; }
  DEMO_NOTE="  Demo         officials log in as <unit code>.<role><n>, e.g. t46-d01-01.counter1, password motcua-demo
  Dashboard    http://127.0.0.1:$GATEWAY_PORT/dashboard    Counter  http://127.0.0.1:$GATEWAY_PORT/counter"
fi

cat <<MSG

MotCua is running.
  Gateway      http://127.0.0.1:$GATEWAY_PORT   (health: /health/ready)
  Log in       curl -s -X POST http://127.0.0.1:$GATEWAY_PORT/api/auth/token \\
                 -H 'Content-Type: application/json' -d '{"username":"admin","password":"<password>"}'
  Admin        user 'admin', password in .local/secrets.env (MOTCUA_ADMIN_PASSWORD)
  Logs         .local/logs/
  Instances    $REPLICAS of each service (dossier: ${ADDRESSES[dossier]})
  RabbitMQ     amqp://127.0.0.1:$AMQP_PORT (management $(rabbit_api | sed 's#//[^@]*@#//#'))    PostgreSQL 127.0.0.1:$PG_PORT (user $PG_USER)
  Operate      deploy/local/motcua status | dead-letters list | backup | ...  (--help)
  Signed PDFs  units' certificates in .local/signing (issued on a unit's first paper by the local CA in .local/signing-ca);
               check one: pdfsig -nssdir sql:.local/signing-ca/nssdb paper.pdf
  Stop         deploy/local/down.sh
${DEMO_NOTE:-}
MSG
