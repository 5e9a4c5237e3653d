# Sourced by up.sh and test.sh: installs and runs the real RabbitMQ and PostgreSQL that MotCua
# needs, bound to 127.0.0.1, with their data in a folder of the caller's choosing.
# Callers set: INFRA_DIR, PG_PORT, AMQP_PORT, RABBIT_NODE. The broker's management API (for the operator
# CLI's status and dead letters) listens on AMQP_PORT + 200 unless RABBIT_API_PORT says otherwise.

PG_BIN=/usr/lib/postgresql/15/bin
PG_USER=motcua
PG_PASSWORD=${MOTCUA_PG_PASSWORD:-motcua-local}

log() { printf '\033[1m[motcua]\033[0m %s\n' "$*"; }

install_missing() {
  local need=()
  command -v rabbitmq-server >/dev/null || need+=(rabbitmq-server)
  [ -x "$PG_BIN/initdb" ] || need+=(postgresql)
  # The papers are printed in Liberation Serif (Times New Roman's metrics, as Decree 30/2020 asks; every Vietnamese letter).
  [ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || need+=(fonts-liberation2)
  # The fast lane reads the printed papers back: pdftoppm draws a page, tesseract reads it in Vietnamese.
  command -v pdftoppm >/dev/null || need+=(poppler-utils)
  command -v tesseract >/dev/null || need+=(tesseract-ocr)
  ls /usr/share/tesseract-ocr/*/tessdata/vie.traineddata >/dev/null 2>&1 || need+=(tesseract-ocr-vie)
  # Signed papers: up.sh makes the local certificate authority with openssl; pdfsig (poppler-utils, above) validates a
  # paper's signature against an NSS database of trusted authorities made with certutil (libnss3-tools), in the tests and
  # by hand.
  command -v openssl >/dev/null || need+=(openssl)
  command -v pdfsig >/dev/null || need+=(poppler-utils)
  command -v certutil >/dev/null || need+=(libnss3-tools)
  [ $# -gt 0 ] && for extra in "$@"; do command -v "${extra%%:*}" >/dev/null || need+=("${extra##*:}"); done
  [ ${#need[@]} -eq 0 ] && return 0
  log "installing ${need[*]} through apt"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  # policy-rc.d keeps the packages' own services from starting: we run our own instances.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
}

rabbit_env() {
  export RABBITMQ_NODENAME="$RABBIT_NODE"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="$AMQP_PORT"
  export RABBITMQ_DIST_PORT=$((AMQP_PORT + 100))
  export ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_MNESIA_BASE="$INFRA_DIR/rabbitmq/mnesia"
  export RABBITMQ_LOG_BASE="$INFRA_DIR/rabbitmq/log"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$INFRA_DIR/rabbitmq/enabled_plugins"
  export RABBITMQ_PID_FILE="$INFRA_DIR/rabbitmq/rabbit.pid"
  export RABBITMQ_CONFIG_FILE="$INFRA_DIR/rabbitmq/rabbitmq.conf"
  RABBIT_API_PORT=${RABBIT_API_PORT:-$((AMQP_PORT + 200))}
}

start_rabbitmq() {
  rabbit_env
  if rabbitmqctl -q -n "$RABBIT_NODE" status >/dev/null 2>&1; then
    log "RabbitMQ $RABBIT_NODE already running on 127.0.0.1:$AMQP_PORT"; return 0
  fi
  mkdir -p "$INFRA_DIR/rabbitmq/mnesia" "$INFRA_DIR/rabbitmq/log"
  echo '[rabbitmq_management].' > "$RABBITMQ_ENABLED_PLUGINS_FILE"
  printf 'management.tcp.ip = 127.0.0.1\nmanagement.tcp.port = %s\n' "$RABBIT_API_PORT" > "$RABBITMQ_CONFIG_FILE"
  chown -R rabbitmq:rabbitmq "$INFRA_DIR/rabbitmq"
  log "starting RabbitMQ $RABBIT_NODE on 127.0.0.1:$AMQP_PORT"
  nohup rabbitmq-server > "$INFRA_DIR/rabbitmq/log/server.out" 2>&1 &
  local deadline=$((SECONDS + 120))
  until rabbitmqctl -q -n "$RABBIT_NODE" await_startup --timeout 5 >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ] || grep -q "BOOT FAILED" "$INFRA_DIR/rabbitmq/log/server.out"; then
      log "RabbitMQ did not start; see $INFRA_DIR/rabbitmq/log"; tail -20 "$INFRA_DIR/rabbitmq/log/server.out"; return 1
    fi
    sleep 1
  done
}

stop_rabbitmq() {
  rabbit_env
  rabbitmqctl -q -n "$RABBIT_NODE" stop >/dev/null 2>&1 || true
}

pg() { runuser -u postgres -- "$@"; }

start_postgres() {
  local data="$INFRA_DIR/postgres"
  mkdir -p "$data"
  chown postgres:postgres "$data"; chmod 700 "$data"
  if [ ! -f "$data/PG_VERSION" ]; then
    log "creating a PostgreSQL cluster in $data"
    local pwfile; pwfile=$(mktemp); echo "$PG_PASSWORD" > "$pwfile"; chown postgres "$pwfile"
    pg "$PG_BIN/initdb" -D "$data" -U "$PG_USER" --pwfile="$pwfile" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
  fi
  if pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "PostgreSQL already running on 127.0.0.1:$PG_PORT"; return 0
  fi
  log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  # pg_stat_statements: the benchmark suite reads which statements the database spends its time on.
  # log_error_verbosity=terse: an error's DETAIL and CONTEXT quote the row or JSON it failed on, a citizen's phone
  # and e-mail among them; the log keeps the error and the statement, not the data.
  # The ports sit in Linux's ephemeral range, so a client socket of a busy test run can hold one for a moment
  # ("Address already in use" with nothing listening): a few tries before giving up.
  local attempt
  for attempt in 1 2 3 4 5; do
    pg "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
      -o "-p $PG_PORT -k $data -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_preload_libraries=pg_stat_statements -c log_error_verbosity=terse" start >/dev/null \
      && return 0
    grep -q "could not bind" "$data/server.log" || return 1
    log "port $PG_PORT busy; trying again"; sleep 3
  done
  return 1
}

stop_postgres() {
  local data="$INFRA_DIR/postgres"
  [ -f "$data/PG_VERSION" ] && pg "$PG_BIN/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true
}

pg_connection() { echo "Host=127.0.0.1;Port=$PG_PORT;Username=$PG_USER;Password=$PG_PASSWORD;Database=$1"; }
amqp_uri() { echo "amqp://guest:guest@127.0.0.1:$AMQP_PORT/"; }
rabbit_api() { rabbit_env; echo "http://guest:guest@127.0.0.1:$RABBIT_API_PORT/"; }

# The dashboard and the counter workbench (web/), bundled into web/dist for the gateway to serve.
build_web() {
  log "building the web pages"
  ( cd "$ROOT/web" \
    && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; } \
    && npm run build --silent >/dev/null )
}
