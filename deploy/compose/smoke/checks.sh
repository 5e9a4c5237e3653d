# Sourced by smoke.sh: the checks, each as provincial IT would make it, through the gateway's one
# published port and the docker and compose commands they have.

new_id() { tr -d '-' </proc/sys/kernel/random/uuid; }

# api <method> <path> [json]: the answer's body in $BODY, its status in $STATUS (admin token).
api() {
  local args=(-sS -o "$SMOKE_DIR/body" -w '%{http_code}' -X "$1" -H 'Content-Type: application/json')
  [ -n "${TOKEN:-}" ] && args+=(-H "Authorization: Bearer $TOKEN")
  [ -n "${3:-}" ] && args+=(--data "$3")
  STATUS=$(curl "${args[@]}" "$GATEWAY$2") || STATUS=000
  BODY=$(cat "$SMOKE_DIR/body" 2>/dev/null || true)
}
expect() { [ "$STATUS" = "$1" ] || fail "$2: answered $STATUS, expected $1: $BODY"; }

# intake <trace id>: one dossier at the smoke run's commune counter, in that trace; prints
# "<code> <trace id>" and appends it to codes.txt.
intake() {
  local out status; out=$(mktemp -p "$SMOKE_DIR")
  status=$(curl -sS -o "$out" -w '%{http_code}' -X POST "$GATEWAY/api/dossiers" \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -H "traceparent: 00-$1-$(new_id | cut -c1-16)-01" \
    --data "{\"procedureCode\":\"SMOKE.KS\",\"unitId\":\"$UNIT\",\"channel\":\"counter\",
             \"applicant\":{\"fullName\":\"Nguyễn Thị Thử\",\"idNumber\":\"001190000123\",\"phone\":\"0912345678\"},
             \"papers\":[\"Tờ khai đăng ký khai sinh\"]}") || status=000
  if [ "$status" != 201 ]; then echo "intake answered $status: $(cat "$out")" >&2; rm -f "$out"; return 1; fi
  echo "$(jq -r .code "$out") $1" | tee -a "$SMOKE_DIR/codes.txt"
  rm -f "$out"
}

# intakes <count> <parallel>: that many dossiers, so many at a time; their "<code> <trace>" lines on stdout.
intakes() {
  local count=$1 parallel=$2 i out pids=(); out=$(mktemp -p "$SMOKE_DIR")
  for ((i = 0; i < count; i++)); do
    intake "$(new_id)" >>"$out" &
    pids+=($!)
    if (((i + 1) % parallel == 0)) || ((i + 1 == count)); then
      # Only these jobs: the engine started by this shell is a background job too.
      for pid in "${pids[@]}"; do wait "$pid" || fail "an intake failed (above)"; done
      pids=()
    fi
  done
  cat "$out"; rm -f "$out"
}

spans() { docker exec "$(service_containers otel-collector)" cat /sink/spans.tsv; }
logs_of() { local c; for c in $(service_containers "$1"); do docker logs "$c" 2>&1; done; }
# Every dossier of a "<code> <trace>" file has its SMS in Notification's log. (Read whole: grep -q
# would stop early, and pipefail would count the writer's broken pipe as a failure.)
every_sms_logged() {
  local logged code; logged=$(logs_of notification | grep -o 'sms (log): dossier [^ ]*' | awk '{print $4}' | sort -u)
  for code in $(awk '{print $1}' "$1"); do grep -Fx "$code" <<<"$logged" >/dev/null || return 1; done
}
restarts() { docker inspect -f '{{.RestartCount}}' "$1"; }

# "<queue> <messages>" for every queue holding a message.
busy_queues() {
  docker exec "$(service_containers rabbitmq)" rabbitmqctl list_queues -q name messages | awk '$2 ~ /^[0-9]+$/ && $2 != 0'
}
# Nothing waits in a working queue (dead-letter _error queues are no_dead_letters' business).
queues_drained() { local busy; busy=$(busy_queues) && ! grep -v '_error ' <<<"$busy" | grep . >/dev/null; }
no_dead_letters() {
  local dead; dead=$(busy_queues | grep '_error ' || true)
  [ -z "$dead" ] || fail "dead letters: $(tr '\n' ' ' <<<"$dead")"
}

check_missing_secret() {
  sed 's/^JWT_SIGNING_KEY=.*/JWT_SIGNING_KEY=/' "$SMOKE_DIR/smoke.env" >"$SMOKE_DIR/missing.env"
  local out
  if out=$(compose_with "$SMOKE_DIR/missing.env" config -q 2>&1); then fail "compose accepted an .env without JWT_SIGNING_KEY"; fi
  grep -q "set JWT_SIGNING_KEY in .env" <<<"$out" || fail "compose refused, but without naming JWT_SIGNING_KEY: $out"
  log "refused, naming it: $(grep -o 'set JWT_SIGNING_KEY in .env ([^)]*)' <<<"$out" | head -1)"
}

check_published_ports() {
  local published
  published=$(docker ps --filter "label=com.docker.compose.project=$PROJECT" \
    --format '{{.Label "com.docker.compose.service"}} {{.Ports}}' | awk '/->/ {print $1}' | sort -u | tr '\n' ' ')
  [ "$published" = "gateway " ] || fail "only the gateway may publish a port; published: ${published:-none}"
}

check_dossier_through_gateway() {
  api POST /api/auth/token "{\"username\":\"admin\",\"password\":\"$(env_value MOTCUA_ADMIN_PASSWORD)\"}"
  expect 200 "a token from the admin password in .env"
  TOKEN=$(jq -r .accessToken <<<"$BODY")
  api POST /api/units '{"code":"SMOKE-TINH","name":"Tỉnh Thử Nghiệm","type":"province"}'
  expect 201 "a province"
  api POST /api/units "{\"code\":\"SMOKE-XA\",\"name\":\"Xã Thử Nghiệm\",\"type\":\"commune\",
    \"parentId\":\"$(jq -r .id <<<"$BODY")\",\"agencyCode\":\"000.00.31.H99\"}"
  expect 201 "a commune"
  UNIT=$(jq -r .id <<<"$BODY")
  api POST /api/procedures '{"code":"SMOKE.KS","name":"Đăng ký khai sinh","field":"Hộ tịch",
    "processingTime":{"value":3,"unit":"workingDays"},
    "steps":[{"name":"Tiếp nhận","role":"counter","hours":4},{"name":"Thẩm định","role":"specialist","hours":8},
             {"name":"Phê duyệt","role":"leader","hours":8},{"name":"Trả kết quả","role":"counter","hours":4}]}'
  expect 201 "a procedure"
  : >"$SMOKE_DIR/codes.txt"
  local trace code; trace=$(new_id)
  wait_for "a dossier through the gateway" "$PATIENCE" intake_at_new_unit "$trace"
  code=$(awk '{print $1}' "$SMOKE_DIR/first.txt")
  log "dossier $code received through the gateway"
  wait_for "dossier $code's SMS in Notification's log" "$PATIENCE" every_sms_logged "$SMOKE_DIR/first.txt"
  log "its SMS: $(logs_of notification | grep -m1 "sms (log): dossier $code " | grep -o 'sms (log).*')"
  wait_for "dossier $code's trace from the gateway, Dossier and Notification in the OTLP sink" "$PATIENCE" trace_complete "$trace"
  log "its trace $trace in the sink: $(spans | awk -F'\t' -v t="$trace" '$3 == t {print $1}' | sort | uniq -c | tr -s ' \n' ' ')"
}
# Dossier learns of a new commune from Personnel's event a moment after it is created; until then an
# intake there is refused as an unknown unit. Any other refusal fails the run.
intake_at_new_unit() {
  intake "$1" >"$SMOKE_DIR/first.txt" 2>"$SMOKE_DIR/first.err" && return 0
  grep -F '"unitId"' "$SMOKE_DIR/first.err" >/dev/null && return 1
  fail "a dossier through the gateway: $(cat "$SMOKE_DIR/first.err")"
}
trace_complete() {
  local services; services=$(spans | awk -F'\t' -v t="$1" '$3 == t {print $1}' | sort -u)
  grep -qi gateway <<<"$services" && grep -qi dossier <<<"$services" && grep -qi notification <<<"$services"
}

check_wrong_database_password() {
  local name="$PROJECT-wrong-password"
  docker rm -f "$name" >/dev/null 2>&1 || true
  compose run -d --no-deps --name "$name" \
    -e "ConnectionStrings__Database=Host=postgres;Username=motcua;Password=not-the-password;Database=motcua_personnel" \
    personnel >/dev/null 2>>"$SMOKE_DIR/up.log"
  wait_for "the service to report the refused password" "$PATIENCE" password_refused_twice "$name"
  [ "$(docker inspect -f '{{.State.Status}}' "$name")" = running ] || fail "with a wrong password the service stopped"
  local ready live
  ready=$(docker exec "$name" curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/health/ready || true)
  live=$(docker exec "$name" curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/health/live || true)
  [ "$ready" = 503 ] && [ "$live" = 200 ] || fail "with a wrong password: ready answered $ready (503 expected), live $live (200 expected)"
  log "it waits, not ready (503), alive (200): $(docker logs "$name" 2>&1 | grep -m1 -o 'password authentication failed for user "[^"]*"')"
  docker rm -f "$name" >/dev/null
}
password_refused_twice() { [ "$(docker logs "$1" 2>&1 | grep -c 'password authentication failed')" -ge 2 ]; }

check_scale_out() {
  compose up -d --no-recreate --scale dossier=2 >>"$SMOKE_DIR/up.log" 2>&1 || fail "scaling Dossier to 2"
  wait_for "both Dossier instances healthy" "$PATIENCE" all_healthy
  [ "$(service_containers dossier | wc -l)" = 2 ] || fail "scale dossier=2 did not make two containers"
  # The gateway looks the name up again every 30 s (Gateway:DnsRefreshSeconds): rounds of intakes
  # until both instances have taken a share.
  : >"$SMOKE_DIR/scaled.txt"
  local deadline=$((SECONDS + PATIENCE))
  while :; do
    intakes 20 10 >>"$SMOKE_DIR/scaled.txt"
    wait_for "the intakes' spans from Dossier in the sink" "$PATIENCE" dossier_spans_for "$SMOKE_DIR/scaled.txt"
    [ "$(intakes_by_instance | wc -l)" -lt 2 ] || break
    [ "$SECONDS" -lt "$deadline" ] || fail "$(wc -l <"$SMOKE_DIR/scaled.txt") intakes all reached one Dossier instance"
  done
  log "$(wc -l <"$SMOKE_DIR/scaled.txt") intakes through the gateway, shared by both instances (intakes, instance):" \
    "$(intakes_by_instance | tr -s ' \n' ' ')"
}
# "<service.instance.id> <trace>" for each intake of a "<code> <trace>" file that Dossier's spans show.
intake_spans() {
  spans | awk -F'\t' 'NR == FNR {split($0, f, " "); t[f[2]] = 1; next} ($3 in t) && $4 == "POST /api/dossiers" {print $2, $3}' \
    "$1" - | sort -u
}
# "<intakes> <service.instance.id>" for each Dossier instance that took one of scaled.txt's intakes.
intakes_by_instance() { intake_spans "$SMOKE_DIR/scaled.txt" | awk '{print $1}' | uniq -c; }
dossier_spans_for() { [ "$(intake_spans "$1" | wc -l)" = "$(wc -l <"$1")" ]; }

check_crash_and_kill() {
  # A crash: the process dies under Docker (as on a fault or the kernel's OOM killer); the restart
  # policy brings it back, and the deliveries it had not made are made.
  local notification; notification=$(service_containers notification)
  local before; before=$(restarts "$notification")
  intakes 10 10 >"$SMOKE_DIR/crash.txt"
  kill -9 "$(docker inspect -f '{{.State.Pid}}' "$notification")"
  wait_for "Notification restarted by its restart policy" "$PATIENCE" restarted "$notification" "$before"
  wait_for "Notification healthy again" "$PATIENCE" all_healthy
  wait_for "the SMS of the 10 dossiers taken just before the crash" "$PATIENCE" every_sms_logged "$SMOKE_DIR/crash.txt"
  log "Notification crashed, came back by itself ($(restarts "$notification") restart), sent all 10 SMS"

  # A kill: Docker counts `docker kill` as an operator's stop, so no restart policy restarts it
  # (docker 20.10 here, as documented). Events wait in Evaluation's queues; `up -d` brings it back.
  local evaluation; evaluation=$(service_containers evaluation)
  docker kill "$evaluation" >/dev/null
  intakes 10 10 >"$SMOKE_DIR/kill.txt"
  compose up -d --no-recreate --scale dossier=2 >>"$SMOKE_DIR/up.log" 2>&1 || fail "up -d after docker kill"
  wait_for "Evaluation healthy again after docker kill and up -d" "$PATIENCE" all_healthy
  wait_for "every queue drained" "$PATIENCE" queues_drained
  no_dead_letters
  log "Evaluation killed, back with up -d; every queue drained, no dead letters"
}
restarted() { [ "$(restarts "$1")" -gt "$2" ]; }

# Every dossier taken so far answers through the gateway.
every_dossier_kept() {
  local code
  for code in $(awk '{print $1}' "$SMOKE_DIR/codes.txt"); do
    [ "$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$GATEWAY/api/dossiers/$code")" = 200 ] || return 1
  done
}

check_down_up() {
  local count; count=$(wc -l <"$SMOKE_DIR/codes.txt")
  compose down --timeout 60 >>"$SMOKE_DIR/up.log" 2>&1 || fail "docker compose down"
  [ -z "$(containers)" ] || fail "containers left after down: $(containers | tr '\n' ' ')"
  bring_up
  every_dossier_kept || fail "a dossier was lost across down and up"
  log "down, up: all $count dossiers still there (named volumes)"
}

check_backup_restore() {
  mkdir -p backups
  local before; before=$(ls backups)
  compose run --rm cli backup >"$SMOKE_DIR/backup.log" 2>&1 || { cat "$SMOKE_DIR/backup.log"; fail "cli backup"; }
  local folder; folder=$(comm -13 <(echo "$before") <(ls backups) | head -1)
  [ -n "$folder" ] && [ -f "backups/$folder/manifest.json" ] || fail "cli backup left no manifest in ./backups"
  SMOKE_BACKUPS+=("backups/$folder")
  log "backup $folder: $(jq -c '[.. | objects | select(has("service")) | .service]' "backups/$folder/manifest.json" 2>/dev/null)"

  local after; after=$(intake "$(new_id)" | awk '{print $1}') || fail "an intake after the backup"
  # As docs/operations.md has it; --yes answers the question a terminal would be asked.
  compose stop gateway dossier personnel evaluation notification >>"$SMOKE_DIR/up.log" 2>&1 || fail "stopping the services"
  compose run --rm cli restore "backups/$folder" --yes >"$SMOKE_DIR/restore.log" 2>&1 \
    || { cat "$SMOKE_DIR/restore.log"; fail "cli restore"; }
  compose start dossier personnel evaluation notification gateway >>"$SMOKE_DIR/up.log" 2>&1 || fail "starting the services"
  wait_for "every service ready after the restore" "$PATIENCE" all_healthy
  sed -i "/^$after /d" "$SMOKE_DIR/codes.txt"
  wait_for "the dossiers of the backup, through the gateway" "$PATIENCE" every_dossier_kept
  api GET "/api/dossiers/$after"
  expect 404 "dossier $after, taken after the backup, after the restore"
  log "restored: the backup's dossiers answer, $after (taken after it) is gone"
}

check_seed_demo() {
  compose run --rm cli seed demo >"$SMOKE_DIR/seed.log" 2>&1 || { cat "$SMOKE_DIR/seed.log"; fail "cli seed demo"; }
  local token
  token=$(curl -sS -X POST "$GATEWAY/api/auth/token" -H 'Content-Type: application/json' \
    --data '{"username":"t46-d01-01.counter1","password":"motcua-demo"}' | jq -r '.accessToken // empty')
  [ -n "$token" ] || fail "after cli seed demo, the demo counter officer t46-d01-01.counter1 cannot log in"
  log "demo province loaded; t46-d01-01.counter1 logs in: $(grep -o 'demo province loaded.*' "$SMOKE_DIR/seed.log" | head -c 200)"
}

check_memory_burst() {
  local name before=() names=()
  for name in $(containers); do names+=("$name"); before+=("$(restarts "$name")"); done
  intakes 200 20 >/dev/null
  wait_for "every queue drained after the burst" "$PATIENCE" queues_drained
  no_dead_letters
  local i
  for i in "${!names[@]}"; do
    name=${names[$i]}
    [ "$(docker inspect -f '{{.State.OOMKilled}}' "$name")" = false ] || fail "$name was killed for memory"
    [ "$(restarts "$name")" = "${before[$i]}" ] || fail "$name restarted during the burst"
  done
  log "200 intakes, 20 at a time: no container killed or restarted; memory (use / limit):"
  docker stats --no-stream --format '  {{.Name}} {{.MemUsage}}' $(docker ps -q --filter "label=com.docker.compose.project=$PROJECT")
}
