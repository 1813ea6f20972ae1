#!/usr/bin/env bash
# Hookline's benchmark: one command, every scenario, one table (bench/README.md says what each
# figure means). Builds the release preset, starts a fast receiver once and a fresh hookline per
# scenario (temporary data dir), drives load on 127.0.0.1 only, prints the table and rewrites the
# generated part of bench/RESULTS.md.
#
#   bench/run.sh                            # full run, 10-20 minutes
#   BENCH_BACKLOG=100000 bench/run.sh       # quick run: smaller backlog
#
# Settings (environment): BENCH_DURATION (s per load phase, 10), BENCH_BACKLOG (1000000),
# BENCH_DELIVERIES (100000), BENCH_CONTACTS (10000), BENCH_PAD (670: ~1 KiB deliveries),
# BENCH_BATCH_CONNECTIONS (4), BENCH_RECEIVER_THREADS (2), BENCH_DOWN_HOLD (s the receiver stays
# down after the backlog is in, 10), BENCH_DRAIN_LIMIT (s, 600), BENCH_TIME_LIMIT (s for the whole
# run, 1500), BENCH_SKIP_BUILD=1, BENCH_BUILD_DIR, BENCH_RESULTS (file to rewrite; "-": none),
# BENCH_ONLY (space-separated scenario numbers, e.g. "0 3"), BENCH_KEEP=1 (keep the temp dir),
# BENCH_REVISION (what to call the build in RESULTS.md; default: git HEAD), BENCH_JOURNEY_NAMES
# (scenario 6: event names, 10 journeys each, 100), BENCH_JOURNEY_ROUNDS (scenario 6: rounds of
# without/with journeys, 3), BENCH_ISOLATION_EVENTS (scenario 7: events per
# phase, 20000), BENCH_SOAK_SECONDS (scenario 8: 60), BENCH_SOAK_KILLS (4), BENCH_SOAK_RATE (events/s
# posted during the soak, 1000), BENCH_RETENTION_SECONDS (scenario 9a: length of the paced load,
# 120), BENCH_RETENTION_RATE (events/s, 1000), BENCH_RETENTION (its --retention, 20s),
# BENCH_RETENTION_FILL (scenario 9b: delivered events in the filled store, 200000),
# BENCH_RETENTION_ROUNDS (rounds of without/with purge, 3), BENCH_PERF (wrk tags, e.g.
# "batch-one journeys-condition-1", or "deliveries" for scenario 3: perf-record hookline during
# those load phases; use with BENCH_KEEP=1), BENCH_SYSCALLS (tags as BENCH_PERF: count hookline's
# system calls during those load phases with perf trace, and log them per thread and per event),
# BENCH_PG_STATS=1 (scenario 10: load pg_stat_statements and print each phase's 15 costliest
# statements).
#
# A partial run (BENCH_ONLY) replaces only its own rows in RESULTS.md and keeps the others.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=$ROOT/bench
DURATION=${BENCH_DURATION:-10}
BACKLOG=${BENCH_BACKLOG:-1000000}
DELIVERIES=${BENCH_DELIVERIES:-100000}
CONTACTS=${BENCH_CONTACTS:-10000}
PAD=${BENCH_PAD:-670}
BATCH_CONNECTIONS=${BENCH_BATCH_CONNECTIONS:-4}
RECEIVER_THREADS=${BENCH_RECEIVER_THREADS:-2}
DOWN_HOLD=${BENCH_DOWN_HOLD:-10}
DRAIN_LIMIT=${BENCH_DRAIN_LIMIT:-600}
TIME_LIMIT=${BENCH_TIME_LIMIT:-1500}
BUILD_DIR=${BENCH_BUILD_DIR:-$ROOT/build/release}
RESULTS=${BENCH_RESULTS:-$BENCH_DIR/RESULTS.md}
ALL_SCENARIOS="0 1 2 3 4 5 6 7 8 9 10"
ONLY=${BENCH_ONLY:-$ALL_SCENARIOS}
JOURNEY_NAMES=${BENCH_JOURNEY_NAMES:-100}
JOURNEY_ROUNDS=${BENCH_JOURNEY_ROUNDS:-3}
ISOLATION_EVENTS=${BENCH_ISOLATION_EVENTS:-20000}
SOAK_SECONDS=${BENCH_SOAK_SECONDS:-60}
SOAK_KILLS=${BENCH_SOAK_KILLS:-4}
SOAK_RATE=${BENCH_SOAK_RATE:-1000}
RETENTION_SECONDS=${BENCH_RETENTION_SECONDS:-120}
RETENTION_RATE=${BENCH_RETENTION_RATE:-1000}
RETENTION=${BENCH_RETENTION:-20s}
RETENTION_FILL=${BENCH_RETENTION_FILL:-200000}
RETENTION_ROUNDS=${BENCH_RETENTION_ROUNDS:-3}
# A 5 s retry step: what waits for the receiver is due again soon after each refusal, so the drain
# measures hookline, not the schedule (README: "What waiting means in scenario 5").
BACKLOG_SCHEDULE="0s$(printf ',5s%.0s' $(seq 1 30))"

RUN_START=$(date +%s)
COMMAND="$({ env | grep -E '^BENCH_' || true; } | sort | sed "s/=\(.*\)/='\1'/" | tr '\n' ' ')bench/run.sh"
log() { printf '[bench %4ds] %s\n' $(($(date +%s) - RUN_START)) "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
remaining() { echo $((TIME_LIMIT - ($(date +%s) - RUN_START))); }
wants() { [[ " $ONLY " == *" $1 "* ]]; }
# min of two integers
min() { (($1 < $2)) && echo "$1" || echo "$2"; }

# ---- Tools: wrk (Debian's), jq, curl; then the release build.
missing=()
for tool in wrk jq curl bc; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  log "building the release preset"
  (cd "$ROOT" && cmake --preset release >/dev/null &&
    cmake --build --preset release --target hookline hookline-bench-receiver hookline-bench-load \
      >/dev/null) || die "build failed (run: cmake --preset release && cmake --build --preset release)"
fi
HOOKLINE=$BUILD_DIR/src/app/hookline
RECEIVER=$BUILD_DIR/bench/hookline-bench-receiver
LOAD=$BUILD_DIR/bench/hookline-bench-load
for bin in "$HOOKLINE" "$RECEIVER" "$LOAD"; do [ -x "$bin" ] || die "missing $bin"; done

WORK=$(mktemp -d /tmp/hookline-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "${PG_DIR:-}" ]; then
    "$ROOT/scripts/pg_server.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
export BENCH_LUA_DIR=$BENCH_DIR/lua

# ---- CPU accounting: how much of the machine went to processes outside the benchmark.
NCPU=$(nproc)
busy_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9; exit}' /proc/stat; }
# utime+stime(+children's, for this shell: the load tools it waited for) of the given pids.
proc_ticks() {
  local total=0 pid f
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    f=$(sed 's/^.*) //' "/proc/$pid/stat")
    total=$((total + $(awk '{print $12+$13+$14+$15}' <<<"$f")))
  done
  echo "$total"
}
cpu_mark() {
  CPU_T0=$(date +%s.%N) CPU_BUSY0=$(busy_ticks) CPU_OURS0=$(proc_ticks $$ "${PIDS[@]}")
  CPU_HL0=$(proc_ticks $HL_PID)
}
# hookline's CPU since cpu_mark, per unit of work: "N us/<unit>, P% of a core".
hl_cpu() {  # count, unit
  local ticks wall
  ticks=$(($(proc_ticks $HL_PID) - CPU_HL0))
  wall=$(echo "$(date +%s.%N) - $CPU_T0" | bc -l)
  LC_ALL=C printf "hookline CPU %.0f us/%s (%.0f%% of a core)" \
    "$(echo "$ticks * 10000 / ($1 + 0.000001)" | bc -l)" "$2" "$(echo "$ticks / $wall" | bc -l)"
}
# Share of the machine (%) used by other processes since cpu_mark.
cpu_foreign() {
  local busy ours wall
  busy=$(busy_ticks)
  ours=$(proc_ticks $$ "${PIDS[@]}")
  wall=$(echo "$(date +%s.%N) - $CPU_T0" | bc -l)
  echo "(($busy - $CPU_BUSY0) - ($ours - $CPU_OURS0)) / ($wall * 100 * $NCPU) * 100" | bc -l |
    awk '{v=$1; if (v<0) v=0; printf "%.0f", v}'
}

# ---- The receiver (one for the whole run).
start_receiver() {
  "$RECEIVER" --threads "$RECEIVER_THREADS" --dump-first "$WORK/delivery-body.json" \
    >"$WORK/receiver.out" 2>&1 &
  RECV_PID=$!
  PIDS+=("$RECV_PID")
  for _ in $(seq 1 100); do
    grep -q 'receiver ready' "$WORK/receiver.out" 2>/dev/null && break
    sleep 0.1
  done
  RECV_PORT=$(sed -n 's/.*data=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/receiver.out")
  RECV_CTL=$(sed -n 's/.*control=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/receiver.out")
  [ -n "$RECV_PORT" ] && [ -n "$RECV_CTL" ] || die "the receiver did not start"
}
recv() { curl -sS --max-time 30 -X "$1" "http://127.0.0.1:$RECV_CTL$2"; }
recv_stats() { recv GET /stats; }
# More receivers (scenarios 7 and 8): sets SIDE_PID, SIDE_PORT, SIDE_CTL.
start_side_receiver() {  # name, extra receiver arguments...
  local name=$1
  shift
  "$RECEIVER" --threads 1 "$@" >"$WORK/receiver-$name.out" 2>&1 &
  SIDE_PID=$!
  PIDS+=("$SIDE_PID")
  for _ in $(seq 1 100); do
    grep -q 'receiver ready' "$WORK/receiver-$name.out" 2>/dev/null && break
    sleep 0.1
  done
  SIDE_PORT=$(sed -n 's/.*data=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/receiver-$name.out")
  SIDE_CTL=$(sed -n 's/.*control=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/receiver-$name.out")
  [ -n "$SIDE_PORT" ] && [ -n "$SIDE_CTL" ] || die "the receiver $name did not start"
}
recv_at() { curl -sS --max-time 30 -X "$2" "http://127.0.0.1:$1$3"; }  # control port, method, path

# ---- hookline: a fresh one per scenario, on an empty data dir, or with HL_DATA_FROM=DIR on a
# copy of DIR (scenario 9: every round starts from the same filled store).
HL_PID=""
start_hookline() {  # name, extra serve arguments...
  local name=$1
  shift
  HL_DIR=$WORK/$name
  if [ -n "${HL_DATA_FROM:-}" ]; then
    mkdir -p "$HL_DIR"
    rm -rf "$HL_DIR/data"
    cp -a "$HL_DATA_FROM" "$HL_DIR/data" || die "could not copy $HL_DATA_FROM"
    timeout 120 sync || true  # the copy's writeback is not the measured phase's
  else
    mkdir -p "$HL_DIR/data"
  fi
  KEY="hk_bench_$RANDOM$RANDOM"
  # No API rate limit: scenario 6 creates 1000 journeys as fast as the API takes them.
  "$HOOKLINE" serve --listen 127.0.0.1:0 --data-dir "$HL_DIR/data" --api-key "$KEY" \
    --allow-targets 127.0.0.0/8 --api-rate-limit 0 "$@" >"$HL_DIR/stdout" 2>"$HL_DIR/log" &
  HL_PID=$!
  PIDS+=("$HL_PID")
  for _ in $(seq 1 300); do
    grep -q 'hookline ready on' "$HL_DIR/stdout" 2>/dev/null && break
    kill -0 "$HL_PID" 2>/dev/null || die "hookline exited: $(tail -3 "$HL_DIR/log")"
    sleep 0.1
  done
  HL_PORT=$(sed -n 's/^hookline ready on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$HL_DIR/stdout")
  [ -n "$HL_PORT" ] || die "hookline did not start"
}
stop_hookline() {  # [keep: leave the data dir in place]
  [ -n "$HL_PID" ] || return 0
  kill -TERM "$HL_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$HL_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$HL_PID" 2>/dev/null || true
  wait "$HL_PID" 2>/dev/null || true
  HL_PID=""
  # What the store keeps on disk once hookline stopped cleanly (its last connection checkpointed
  # the WAL into the database file), in bytes.
  HL_STORE_BYTES=$(du -sb "$HL_DIR/data" | cut -f1)
  [ "${BENCH_KEEP:-0}" = 1 ] || [ "${1:-}" = keep ] || rm -rf "$HL_DIR/data"
  # The next scenario starts on a quiet disk: a backlog's gigabytes still being written back would
  # slow its fsyncs (bounded: writeback of at most a few GiB).
  timeout 120 sync || true
}
api() {  # method, path, [json body]
  curl -sS --max-time 30 -X "$1" "http://127.0.0.1:$HL_PORT$2" -H "Authorization: Bearer $KEY" \
    -H 'Content-Type: application/json' ${3:+-d "$3"}
}
add_webhook() {  # name, url; subscribes to bench.event; prints the id
  local id
  id=$(api POST /v1/webhooks "{\"name\":\"$1\",\"url\":\"$2\",\"events\":[\"bench.event\"]}" | jq -r .id)
  [ -n "$id" ] && [ "$id" != null ] || die "could not create the webhook $1"
  echo "$id"
}
subscribe() {  # [more webhook fields, as JSON text starting with a comma]
  local id
  id=$(api POST /v1/webhooks \
    "{\"name\":\"bench\",\"url\":\"http://127.0.0.1:$RECV_PORT/hook\",\"events\":[\"bench.event\"]${1:-}}" |
    jq -r .id)
  [ -n "$id" ] && [ "$id" != null ] || die "could not create the webhook"
}
# A value from hookline's /metrics (Prometheus text), or "?" when it has none.
metric() { api GET /metrics | awk -v m="$1" '$1 == m {print $2; found=1} END {if (!found) print "?"}'; }
hwm_kib() { awk '/^VmHWM/{print $2}' "/proc/$HL_PID/status"; }
rss_kib() { awk '/^VmRSS/{print $2}' "/proc/$HL_PID/status"; }

# Waits until the receiver has seen `want` distinct webhook-ids, at most `limit` s, giving up
# earlier when nothing arrives for `stall` s. Prints the last stats.
wait_distinct() {  # want, limit, stall, [control port: the main receiver's]
  local want=$1 limit=$2 stall=$3 ctl=${4:-$RECV_CTL} stats distinct last=-1 since
  since=$(date +%s)
  local end=$(($(date +%s) + limit))
  while true; do
    stats=$(recv_at "$ctl" GET /stats)
    distinct=$(jq .distinct <<<"$stats")
    ((distinct >= want)) && break
    (($(date +%s) >= end)) && { log "gave up waiting: $distinct of $want delivered"; break; }
    if ((distinct != last)); then last=$distinct since=$(date +%s); fi
    (($(date +%s) - since >= stall)) && { log "stalled at $distinct of $want"; break; }
    sleep 0.2
  done
  echo "$stats"
}

# BENCH_SYSCALLS: hookline's system calls during a load phase, counted by `perf trace -s` from
# syscalls_start to syscalls_report, which logs the calls per unit of work of each thread (by
# name: hl-writer, hl-dispatcher, hl-api, ...; "hookline" is the main thread, an API thread too)
# with its four most frequent. Tracing slows hookline: the rates of a phase traced are not kept.
SYSCALLS_PID=""
syscalls_start() {  # tag
  SYSCALLS_PID=""
  [[ " ${BENCH_SYSCALLS:-} " == *" $1 "* ]] || return 0
  perf trace -s -o "$WORK/syscalls-$1.txt" -p "$HL_PID" >"$WORK/syscalls-$1.out" 2>&1 &
  SYSCALLS_PID=$!
  sleep 0.5  # attached before the load starts
}
syscalls_report() {  # tag, count, unit
  [ -n "$SYSCALLS_PID" ] || return 0
  kill -INT "$SYSCALLS_PID" 2>/dev/null || true
  wait "$SYSCALLS_PID" || true
  SYSCALLS_PID=""
  local line
  while IFS= read -r line; do log "system calls of $1: $line"; done < <(
    awk '/^ .* \([0-9]+\), [0-9]+ events/ { name = $1; next }
      name != "" && $1 ~ /^[a-z_0-9]+$/ && $2 ~ /^[0-9]+$/ { n[name "\t" $1] += $2 }
      END { for (k in n) print k "\t" n[k] }' "$WORK/syscalls-$1.txt" |
      sort -t$'\t' -k1,1 -k3,3nr |
      awk -F'\t' -v count="$2" -v unit="$3" '
        function flush() { if (name != "") printf "%s %.2f per %s (%s)\n", name, total / count, unit, top }
        $1 != name { flush(); name = $1; total = 0; top = ""; shown = 0 }
        { total += $3; if (shown++ < 4) top = top (top == "" ? "" : ", ") sprintf("%s %.2f", $2, $3 / count) }
        END { flush(); }')
  # No "lost" line is the usual case: grep's status 1 then must not end the run (pipefail).
  { grep -i "lost" "$WORK/syscalls-$1.txt" "$WORK/syscalls-$1.out" || true; } | head -2 |
    while IFS= read -r line; do log "system calls of $1: perf trace says: $line"; done
}

# wrk against hookline's event endpoints; prints the WRKJSON object.
wrk_events() {  # batch, connections, duration, tag, [event names: 0 = bench.event]
  local perf_pid=""
  if [[ " ${BENCH_PERF:-} " == *" $4 "* ]]; then  # profile hookline during this run (README)
    perf record -e cpu-clock -F 499 --call-graph dwarf,16384 -o "$WORK/perf-$4.data" \
      -p "$HL_PID" -- sleep "$3" >"$WORK/perf-$4.out" 2>&1 &
    perf_pid=$!
  fi
  syscalls_start "$4"
  BENCH_KEY=$KEY BENCH_BATCH=$1 BENCH_CONTACTS=$CONTACTS BENCH_PAD=$PAD BENCH_TAG=$4 \
    BENCH_EVENT_NAMES=${5:-0} \
    timeout $(($3 + 60)) wrk -t1 -c"$2" -d"$3"s --timeout 10s -s "$BENCH_LUA_DIR/events.lua" \
    "http://127.0.0.1:$HL_PORT/" >"$WORK/wrk-$4.txt" 2>&1 || true
  if [ -n "$perf_pid" ]; then
    wait "$perf_pid" || true
    log "profile of $4: perf report -i $WORK/perf-$4.data (kept: BENCH_KEEP=1)"
  fi
  local json
  json=$(grep '^WRKJSON' "$WORK/wrk-$4.txt" | sed 's/^WRKJSON //' | tail -1)
  [ -z "$json" ] ||
    syscalls_report "$4" "$(jq "(.requests - .status_errors) * $(($1 > 0 ? $1 : 1))" <<<"$json")" event
  echo "$json"
}
# Events accepted per second from a WRKJSON object and the batch size.
wrk_events_per_s() { jq -r --argjson b "$2" '((.requests - .status_errors) * ([$b,1]|max)) / (.duration_us / 1e6)' <<<"$1"; }

# ---- Results, as rows of a table: scenario | figure | value | unit | target | ratio | notes
ROWS=()
CEILING=""
row() { ROWS+=("$1|$2|$3|$4|$5|$6|$7"); log "$1 $2: $3 $4 ${7:+($7)}"; }
fmt() { LC_ALL=C printf "%.${2:-0}f" "$1"; }
ratio() { [ -n "$CEILING" ] && LC_ALL=C printf "%.3f" "$(echo "$1 / $CEILING" | bc -l)" || echo "n/a"; }
skip() { row "$1" "$2" "skipped" "" "" "" "$3"; }

log "work dir $WORK; time limit ${TIME_LIMIT}s"
start_receiver
log "receiver on :$RECV_PORT (control :$RECV_CTL, $RECEIVER_THREADS threads)"

# A real delivery body for the ceiling: one event through hookline to the receiver.
start_hookline sample
subscribe
"$LOAD" --port "$HL_PORT" --key "$KEY" --requests 1 --duration 10 --pad "$PAD" >/dev/null
wait_distinct 1 20 20 >/dev/null
stop_hookline
[ -s "$WORK/delivery-body.json" ] || die "no delivery reached the receiver"
DELIVERY_BYTES=$(wc -c <"$WORK/delivery-body.json")
log "a delivery body is $DELIVERY_BYTES bytes"

# ---- 0. Ceiling: wrk straight at the receiver with a delivery's body.
if wants 0; then
  recv POST /reset >/dev/null
  cpu_mark
  BENCH_BODY_FILE=$WORK/delivery-body.json timeout $((DURATION + 60)) \
    wrk -t2 -c64 -d"${DURATION}"s -s "$BENCH_LUA_DIR/ceiling.lua" "http://127.0.0.1:$RECV_PORT/" \
    >"$WORK/wrk-ceiling.txt" 2>&1 || true
  foreign=$(cpu_foreign)
  w=$(grep '^WRKJSON' "$WORK/wrk-ceiling.txt" | sed 's/^WRKJSON //')
  [ -n "$w" ] || die "wrk against the receiver failed: $(tail -3 "$WORK/wrk-ceiling.txt")"
  CEILING=$(jq -r '(.requests - .status_errors) / (.duration_us / 1e6)' <<<"$w")
  s=$(recv_stats)
  row 0 "ceiling: receiver hit directly (wrk -t2 -c64)" "$(fmt "$CEILING")" "req/s" "" "1.000" \
    "receiver counted $(jq .distinct <<<"$s") distinct ids; wrk p99 $(jq '.latency_p99_us/1000' <<<"$w") ms; other load ${foreign}%"
fi

# ---- 1. Batch ingest: 100 events per POST /v1/events/batch, several connections.
BATCH_ONE_RATE=""
if wants 1; then
  for variant in none one; do
    label=$([ "$variant" = one ] && echo "1 webhook subscribed" || echo "no webhook")
    if (($(remaining) < DURATION + 30)); then skip 1 "batch ingest, $label" "time limit"; continue; fi
    start_hookline "batch-$variant"
    [ "$variant" = one ] && subscribe
    recv POST /reset >/dev/null
    cpu_mark
    w=$(wrk_events 100 "$BATCH_CONNECTIONS" "$DURATION" "batch-$variant")
    foreign=$(cpu_foreign)
    cpu=$(hl_cpu "$(jq '(.requests - .status_errors) * 100' <<<"$w")" event)
    [ -n "$w" ] || die "wrk batch run failed: $(tail -3 "$WORK/wrk-batch-$variant.txt")"
    eps=$(wrk_events_per_s "$w" 100)
    note="$BATCH_CONNECTIONS connections; API p50 $(jq '.latency_p50_us/1000' <<<"$w") ms, p99 $(jq '.latency_p99_us/1000' <<<"$w") ms; non-2xx $(jq .status_errors <<<"$w"); peak RSS $(($(hwm_kib) / 1024)) MiB"
    [ "$variant" = one ] && note="$note; delivered meanwhile $(recv_stats | jq .distinct)"
    [ "$variant" = one ] && BATCH_ONE_RATE=$eps
    row 1 "batch ingest (100 events/request), $label" "$(fmt "$eps")" "events/s" "30000" "$(ratio "$eps")" "$note; $cpu; other load ${foreign}%"
    stop_hookline
  done
fi

# ---- 2. Single posts from 64 connections.
SINGLE_PEAK=""
SINGLE_ONE_RATE=""
if wants 2; then
  for variant in none one; do
    label=$([ "$variant" = one ] && echo "1 webhook subscribed" || echo "no webhook")
    if (($(remaining) < DURATION + 30)); then skip 2 "single-post ingest, $label" "time limit"; continue; fi
    start_hookline "single-$variant"
    [ "$variant" = one ] && subscribe
    recv POST /reset >/dev/null
    cpu_mark
    w=$(wrk_events 0 64 "$DURATION" "single-$variant")
    foreign=$(cpu_foreign)
    cpu=$(hl_cpu "$(jq '.requests - .status_errors' <<<"$w")" event)
    [ -n "$w" ] || die "wrk single-post run failed: $(tail -3 "$WORK/wrk-single-$variant.txt")"
    eps=$(wrk_events_per_s "$w" 0)
    note="API p50 $(jq '.latency_p50_us/1000' <<<"$w") ms, p99 $(jq '.latency_p99_us/1000' <<<"$w") ms; non-2xx $(jq .status_errors <<<"$w"); peak RSS $(($(hwm_kib) / 1024)) MiB"
    if [ "$variant" = one ]; then
      SINGLE_PEAK=$eps
      SINGLE_ONE_RATE=$eps
      s=$(recv_stats)
      note="$note; delivered meanwhile $(jq .distinct <<<"$s") (end-to-end p50 $(jq .p50_ms <<<"$s") ms, p99 $(jq .p99_ms <<<"$s") ms)"
    fi
    row 2 "single-post ingest (64 connections), $label" "$(fmt "$eps")" "events/s" "10000" "$(ratio "$eps")" "$note; $cpu; other load ${foreign}%"
    stop_hookline
  done
fi

# ---- 3. Deliveries per second to one fast receiver.
DELIVERY_RATE=""
# Scenario 3's load on a fresh hookline with one webhook (`fields`: more of its fields); sets
# DELIVERED_RATE and the note of its row in DELIVERED_NOTE.
deliver_batch_load() {  # tag, [fields]
  local tag=$1 fields=${2:-} perf_pid="" t0 l s ingest_s cpu foreign n
  start_hookline "$tag"
  subscribe "$fields"
  recv POST /reset >/dev/null
  cpu_mark
  if [[ " ${BENCH_PERF:-} " == *" $tag "* ]]; then  # the ingest and the first sends
    perf record -e cpu-clock -F 499 --call-graph dwarf,16384 -o "$WORK/perf-$tag.data" \
      -p "$HL_PID" -- sleep 10 >"$WORK/perf-$tag.out" 2>&1 &
    perf_pid=$!
  fi
  syscalls_start "$tag"
  t0=$(date +%s%N)
  l=$("$LOAD" --port "$HL_PORT" --key "$KEY" --batch 100 --connections "$BATCH_CONNECTIONS" \
    --requests $((DELIVERIES / 100)) --duration 300 --contacts "$CONTACTS" --pad "$PAD" --tag "$tag")
  ingest_s=$(echo "($(date +%s%N) - $t0) / 1000000000" | bc -l)
  s=$(wait_distinct "$DELIVERIES" "$(min 300 "$(remaining)")" 30)
  if [ -n "$perf_pid" ]; then
    wait "$perf_pid" || true
    log "profile of $tag: perf report -i $WORK/perf-$tag.data (kept: BENCH_KEEP=1)"
  fi
  foreign=$(cpu_foreign)
  n=$(jq .distinct <<<"$s")
  syscalls_report "$tag" "$n" "event+delivery"
  cpu=$(hl_cpu "$n" "event+delivery")
  DELIVERED_RATE=$(jq -r '(.distinct - 1) / ((.last_us - .first_us) / 1e6)' <<<"$s")
  DELIVERED_NOTE="$n of $DELIVERIES delivered, $(jq .duplicates <<<"$s") duplicates; first to last arrival; the ingest took $(fmt "$ingest_s" 1) s ($(jq -r '.events_per_s|floor' <<<"$l") events/s); peak RSS $(($(hwm_kib) / 1024)) MiB; $cpu; other load ${foreign}%"
}

if wants 3; then
  if (($(remaining) < 120)); then
    skip 3 "deliveries to one receiver" "time limit"
  else
    deliver_batch_load deliveries
    DELIVERY_RATE=$DELIVERED_RATE
    row 3 "deliveries/s to one receiver ($DELIVERIES events posted by batch)" "$(fmt "$DELIVERY_RATE")" "deliveries/s" "10000" "$(ratio "$DELIVERY_RATE")" "$DELIVERED_NOTE"
    stop_hookline
    row 3 "stored bytes per event with one webhook (data dir after a clean stop / events)" "$(fmt "$(echo "$HL_STORE_BYTES / $DELIVERIES" | bc -l)")" "bytes" "<= 2048" "n/a" \
      "data dir $((HL_STORE_BYTES / 1024)) KiB for $DELIVERIES events, each with a $DELIVERY_BYTES-byte delivery and its attempt; the WAL is checkpointed into the database file when hookline stops"
  fi
  # What ordering costs: the same load, the webhook sending one at a time per contact.
  if [ -z "$DELIVERY_RATE" ] || (($(remaining) < 120)); then
    skip 3 "deliveries, ordering per contact" "time limit"
  else
    deliver_batch_load deliveries-ordered ',"ordering":"per_contact"'
    row 3 "deliveries/s, the webhook delivering one at a time per contact (ratio: to the row above)" "$(fmt "$DELIVERED_RATE")" "deliveries/s" "" \
      "$(LC_ALL=C printf "%.3f" "$(echo "$DELIVERED_RATE / $DELIVERY_RATE" | bc -l)")" "$CONTACTS contacts, about $((DELIVERIES / CONTACTS)) events each, in random order; $DELIVERED_NOTE"
    stop_hookline
  fi
fi

# ---- 4. End-to-end latency at half the peak single-post rate (paced, open loop).
if wants 4; then
  rates=()
  if [ -n "$SINGLE_PEAK" ]; then rates+=("$(fmt "$(echo "$SINGLE_PEAK / 2" | bc -l)")|half the peak single-post rate"); fi
  if [ -n "$DELIVERY_RATE" ] && [ -n "$SINGLE_PEAK" ] &&
    (($(fmt "$DELIVERY_RATE") < $(fmt "$SINGLE_PEAK"))); then
    rates+=("$(fmt "$(echo "$DELIVERY_RATE / 2" | bc -l)")|half the delivery rate (the end-to-end peak)")
  fi
  ((${#rates[@]})) || rates+=("2500|fixed: scenarios 2 and 3 were not run")
  for entry in "${rates[@]}"; do
    rate=${entry%%|*} why=${entry#*|}
    if (($(remaining) < DURATION + 60)); then skip 4 "latency at $rate/s" "time limit"; continue; fi
    # The floor: the same paced driver straight at the receiver.
    recv POST /reset >/dev/null
    "$LOAD" --port "$RECV_PORT" --key none --rate "$rate" --duration 5 --connections 64 --pad "$PAD" \
      --tag floor >/dev/null
    floor=$(recv_stats)
    start_hookline "latency-$rate"
    subscribe
    recv POST /reset >/dev/null
    cpu_mark
    l=$("$LOAD" --port "$HL_PORT" --key "$KEY" --rate "$rate" --duration "$DURATION" --connections 64 \
      --contacts "$CONTACTS" --pad "$PAD" --tag latency)
    s=$(wait_distinct "$(jq .ok <<<"$l")" 60 15)
    foreign=$(cpu_foreign)
    cpu=$(hl_cpu "$(jq .distinct <<<"$s")" "event+delivery")
    achieved=$(jq -r '.events_per_s' <<<"$l")
    common="paced at $rate/s ($why), achieved $(fmt "$achieved")/s; $(jq .distinct <<<"$s") delivered"
    row 4 "end-to-end latency p50 at $rate events/s" "$(jq .p50_ms <<<"$s")" "ms" "" \
      "$(LC_ALL=C printf '%.1fx floor' "$(echo "$(jq .p50_ms <<<"$s") / $(jq .p50_ms <<<"$floor")" | bc -l)")" \
      "$common; floor (driver straight to receiver) p50 $(jq .p50_ms <<<"$floor") ms"
    row 4 "end-to-end latency p99 at $rate events/s" "$(jq .p99_ms <<<"$s")" "ms" "< 20" \
      "$(LC_ALL=C printf '%.1fx floor' "$(echo "$(jq .p99_ms <<<"$s") / $(jq .p99_ms <<<"$floor")" | bc -l)")" \
      "floor p99 $(jq .p99_ms <<<"$floor") ms; API response p99 $(jq .response_p99_ms <<<"$l") ms; max $(jq .max_ms <<<"$s") ms; $cpu; other load ${foreign}%"
    stop_hookline
  done
fi

# ---- 5. A backlog of BACKLOG deliveries for a receiver that is down; then the drain.
if wants 5; then
  if (($(remaining) < 120)); then
    skip 5 "backlog of $BACKLOG" "time limit"
  else
    start_hookline backlog --retry-schedule "$BACKLOG_SCHEDULE"
    subscribe
    recv POST /down >/dev/null
    recv POST /reset >/dev/null
    # RSS every second, for the record.
    (for _ in $(seq 1 $((TIME_LIMIT + 60))); do
      [ -r "/proc/$HL_PID/status" ] || break
      echo "$(date +%s) $(awk '/^VmRSS/{print $2}' "/proc/$HL_PID/status")"
      sleep 1
    done) >"$WORK/backlog-rss.txt" 2>/dev/null &
    SAMPLER=$!
    PIDS+=("$SAMPLER")
    cpu_mark
    t0=$(date +%s%N)
    l=$("$LOAD" --port "$HL_PORT" --key "$KEY" --batch 100 --connections "$BATCH_CONNECTIONS" \
      --requests $((BACKLOG / 100)) --duration "$(min 900 "$(remaining)")" --contacts "$CONTACTS" \
      --pad "$PAD" --tag backlog)
    ingest_s=$(echo "($(date +%s%N) - $t0) / 1000000000" | bc -l)
    accepted=$(jq .events_ok <<<"$l")
    hwm_ingest=$(hwm_kib)
    log "backlog: $accepted events in $(fmt "$ingest_s" 1) s; holding the receiver down ${DOWN_HOLD}s"
    sleep "$DOWN_HOLD"
    hwm_wait=$(hwm_kib) rss_wait=$(rss_kib)
    foreign_down=$(cpu_foreign)
    cpu_down=$(hl_cpu "$accepted" event)
    db_mib=$(du -sm "$HL_DIR/data" | cut -f1)
    failed_down=$(metric hookline_attempts_failed_total)
    breakers=$(metric hookline_breakers_open)
    recv POST /reset >/dev/null
    cpu_mark
    up_us=$(($(date +%s%N) / 1000))
    recv POST /up >/dev/null
    # A long stall limit: an open circuit breaker may hold the first try back for minutes.
    s=$(wait_distinct "$accepted" "$(min "$DRAIN_LIMIT" "$(($(remaining) - 10))")" 330)
    foreign_drain=$(cpu_foreign)
    cpu_drain=$(hl_cpu "$(jq .distinct <<<"$s")" delivery)
    drained=$(jq .distinct <<<"$s")
    drain_rate=$(jq -r --argjson up "$up_us" '.distinct / ((.last_us - $up) / 1e6)' <<<"$s")
    first_s=$(jq -r --argjson up "$up_us" 'if .first_us > 0 then (.first_us - $up) / 1e6 else -1 end' <<<"$s")
    steady_rate=$(jq -r '(.distinct - 1) / ((.last_us - .first_us) / 1e6 + 0.000001)' <<<"$s")
    hwm_all=$(hwm_kib)
    row 5 "peak RSS with $accepted deliveries waiting (receiver down)" "$((hwm_wait / 1024))" "MiB" "< 300" "n/a" \
      "VmHWM after the ingest ($(fmt "$ingest_s" 1) s, $(jq -r '.events_per_s|floor' <<<"$l") events/s) and ${DOWN_HOLD} s down; RSS then $((rss_wait / 1024)) MiB; data dir $db_mib MiB; $failed_down failed tries recorded while down, breakers open: $breakers; $cpu_down; other load ${foreign_down}%"
    row 5 "drain rate when the receiver comes back" "$(fmt "$drain_rate")" "deliveries/s" "" "$(ratio "$drain_rate")" \
      "$drained of $accepted delivered, $(jq .duplicates <<<"$s") duplicates, from POST /up to the last arrival; first arrival $(fmt "$first_s" 1) s after POST /up, then $(fmt "$steady_rate")/s first to last; peak RSS over the whole scenario $((hwm_all / 1024)) MiB; $cpu_drain; other load ${foreign_drain}%"
    kill "$SAMPLER" 2>/dev/null || true
    stop_hookline
  fi
fi

# ---- 6. Journeys on the hot path: batch ingest with no journeys, then with 10 x JOURNEY_NAMES
# active journeys (10 per event name, told apart by a filter on event_details.k), each event
# matching exactly one. The measured journey tests a contact field, then exits (trigger ->
# condition -> exit: matching, enrolment and running, no side effect). For comparison: journeys that
# also set a contact property (update_contact: a contact read and write each time; its
# contact.update event is stored only when something listens to it), and trigger -> exit only.
# curl config (-K) with one section per request, so one process and one keep-alive connection make
# them all: POST each body file (or each URL with no body).
curl_many() {  # config file, output file; bounded by 120 s
  sed -i '$d' "$1"  # the last "next" (nothing follows it)
  timeout 120 curl -sS -K "$1" >"$2" 2>"$2.err" || log "curl_many: $(tail -2 "$2.err")"
}
curl_section() {  # method, path, [body file]
  printf 'url = "http://127.0.0.1:%s%s"\nrequest = "%s"\nheader = "Authorization: Bearer %s"\n' \
    "$HL_PORT" "$2" "$1" "$KEY"
  printf 'header = "Content-Type: application/json"\nmax-time = 10\nwrite-out = "\\n"\n'
  [ -z "${3:-}" ] || printf 'data = "@%s"\n' "$3"
  printf 'next\n'
}
create_journeys() {  # names, shape (condition, update_contact, exit, split, goal, wait_lookup,
  # wait_every, delay_every or answer_every); sets JOURNEY_IDS
  # and JOURNEY_SETUP_S; dies unless all are active
  local names=$1 shape=$2 i k name dir=$HL_DIR/journeys t0 blocks edges
  local exit_block='{"id":"x","type":"exit","position":{"x":0,"y":240},"config":{}}'
  mkdir -p "$dir"
  t0=$(date +%s%N)
  local answering=""
  [ "$shape" != answer_every ] ||
    answering=$(add_webhook "answering" "http://127.0.0.1:$RECV_PORT/answer")
  : >"$dir/create.curl"
  for ((i = 0; i < names; i++)); do
    name=$(printf 'bench.j%03d' "$i")
    for k in 0 1 2 3 4 5 6 7 8 9; do
      case $shape in
        condition)  # every bench contact's email contains "@bench.test": all take "yes"
          blocks=',{"id":"c","type":"condition","position":{"x":0,"y":120},"config":{"field":"contact.email","op":"contains","value":"@bench.test"}},'$exit_block
          edges='{"source":"t","target":"c"},{"source":"c","target":"x","branch":"yes"}' ;;
        update_contact)
          blocks=$(printf ',{"id":"u","type":"update_contact","position":{"x":0,"y":120},"config":{"properties":{"bench_journey":"%s-%s"}}},%s' "$name" "$k" "$exit_block")
          edges='{"source":"t","target":"u"},{"source":"u","target":"x"}' ;;
        exit)
          blocks=,$exit_block
          edges='{"source":"t","target":"x"}' ;;
        split)  # half the contacts each way, both ways to the exit
          blocks=',{"id":"s","type":"split","position":{"x":0,"y":120},"config":{"branches":[{"name":"A","percent":50},{"name":"B","percent":50}]}},'$exit_block
          edges='{"source":"t","target":"s"},{"source":"s","target":"x","branch":"A"},{"source":"s","target":"x","branch":"B"}' ;;
        goal)  # the condition journey, with a goal on its own event name: every event is a goal
          # event to look up the contact's waiting enrolments for (there are none to convert)
          blocks=',{"id":"c","type":"condition","position":{"x":0,"y":120},"config":{"field":"contact.email","op":"contains","value":"@bench.test"}},'$exit_block$(printf ',{"id":"g","type":"goal","position":{"x":300,"y":0},"config":{"event":"%s"}}' "$name")
          edges='{"source":"t","target":"c"},{"source":"c","target":"x","branch":"yes"}' ;;
        wait_lookup)  # the condition journey, whose "no" branch (taken by none) waits until the
          # trigger's event comes again: every event is one a Wait until waits for, so it reads
          # its contact's waiting enrolments (there are none to move on)
          blocks=',{"id":"c","type":"condition","position":{"x":0,"y":120},"config":{"field":"contact.email","op":"contains","value":"@bench.test"}},'$exit_block$(printf ',{"id":"u","type":"wait_until","position":{"x":300,"y":120},"config":{"until":"event","event":"%s","timeout":"1d"}}' "$name")
          edges='{"source":"t","target":"c"},{"source":"c","target":"x","branch":"yes"},{"source":"c","target":"u","branch":"no"},{"source":"u","target":"x","branch":"happened"}' ;;
        wait_every)  # every contact waits until its event comes again (or a day): each event
          # moves on the wait its contact's previous one parked (happened -> exit), and parks a
          # new one: an enrolment row written per event, as a delay does
          blocks=$(printf ',{"id":"u","type":"wait_until","position":{"x":0,"y":120},"config":{"until":"event","event":"%s","timeout":"1d"}},%s' "$name" "$exit_block")
          edges='{"source":"t","target":"u"},{"source":"u","target":"x","branch":"happened"}' ;;
        delay_every)  # every contact waits a day at a delay: an enrolment row written per event,
          # the cost wait_every is measured against (its exits never run within the phase)
          blocks=',{"id":"d","type":"delay","position":{"x":0,"y":120},"config":{"duration":"1d"}},'$exit_block
          edges='{"source":"t","target":"d"},{"source":"d","target":"x"}' ;;
        answer_every)  # every contact waits at a Webhook block for the call's answer (the
          # receiver's 200): a delivery and an enrolment row written per event, then the
          # recorded outcome wakes the contact and it moves on to the exit
          blocks=$(printf ',{"id":"w","type":"webhook","position":{"x":0,"y":120},"config":{"webhook_id":"%s","wait_for_response":true}},%s' "$answering" "$exit_block")
          edges='{"source":"t","target":"w"},{"source":"w","target":"x","branch":"succeeded"}' ;;
        *) die "unknown journey shape $shape" ;;
      esac
      printf '{"name":"%s k=%s","reentry":"every_time","blocks":[{"id":"t","type":"trigger","position":{"x":0,"y":0},"config":{"event":"%s","filters":[{"field":"event_details.k","op":"eq","value":"%s"}]}}%s],"edges":[%s]}' \
        "$name" "$k" "$name" "$k" "$blocks" "$edges" >"$dir/$i-$k.json"
      curl_section POST /v1/journeys "$dir/$i-$k.json" >>"$dir/create.curl"
    done
  done
  curl_many "$dir/create.curl" "$dir/created.json"
  JOURNEY_IDS=$dir/ids.txt
  jq -r 'select(.id != null) | .id' "$dir/created.json" >"$JOURNEY_IDS" 2>/dev/null || true
  (($(wc -l <"$JOURNEY_IDS") == names * 10)) ||
    die "created $(wc -l <"$JOURNEY_IDS") of $((names * 10)) journeys: $(grep -m1 error "$dir/created.json")"
  : >"$dir/activate.curl"
  while read -r id; do curl_section POST "/v1/journeys/$id/activate" >>"$dir/activate.curl"; done <"$JOURNEY_IDS"
  curl_many "$dir/activate.curl" "$dir/activated.json"
  local active
  active=$(jq -r 'select(.status == "active") | .id' "$dir/activated.json" 2>/dev/null | wc -l)
  ((active == names * 10)) || die "activated $active of $((names * 10)) journeys"
  JOURNEY_SETUP_S=$(echo "($(date +%s%N) - $t0) / 1000000000" | bc -l)
}
# One load phase of scenario 6 on a fresh hookline: journeys of `shape` (none: no journeys), then
# batch ingest for DURATION s. Sets J_EPS[tag] and J_NOTE[tag]; the wrk tag is journeys-<tag>.
journey_phase() {  # shape, tag
  local shape=$1 tag=$2 setup="" w foreign accepted cpu e0 e1
  start_hookline "journeys-$tag"
  if [ "$shape" != none ]; then
    create_journeys "$JOURNEY_NAMES" "$shape"
    setup="; $njourneys journeys created and activated in $(fmt "$JOURNEY_SETUP_S" 1) s ($((njourneys * 2)) API calls)"
  fi
  cpu_mark
  w=$(wrk_events 100 "$BATCH_CONNECTIONS" "$DURATION" "journeys-$tag" "$JOURNEY_NAMES")
  foreign=$(cpu_foreign)
  [ -n "$w" ] || die "wrk batch run failed: $(tail -3 "$WORK/wrk-journeys-$tag.txt")"
  accepted=$(jq '(.requests - .status_errors) * 100' <<<"$w")
  cpu=$(hl_cpu "$accepted" event)
  J_EPS[$tag]=$(wrk_events_per_s "$w" 100)
  J_NOTE[$tag]="API p50 $(jq '.latency_p50_us/1000' <<<"$w") ms, p99 $(jq '.latency_p99_us/1000' <<<"$w") ms; non-2xx $(jq .status_errors <<<"$w"); peak RSS $(($(hwm_kib) / 1024)) MiB$setup; $cpu; other load ${foreign}%"
  if [ "$shape" != none ]; then
    # Did they run? Runs through the exit block of the first and last journey (the delay, where
    # the contacts of delay_every wait), against what an even spread gives (the counts are
    # committed with the events they come from).
    local seen=x what="exit block"
    [ "$shape" != delay_every ] || seen=d what="delay"
    e0=$(api GET "/v1/journeys/$(head -1 "$JOURNEY_IDS")" | jq ".stats.$seen.entered")
    e1=$(api GET "/v1/journeys/$(tail -1 "$JOURNEY_IDS")" | jq ".stats.$seen.entered")
    J_NOTE[$tag]="${J_NOTE[$tag]}; the first and last journey's $what entered $e0 and $e1 times (even spread: $((accepted / njourneys)))"
    ((e0 > 0 && e1 > 0)) || die "the journeys did not run (entered $e0, $e1)"
  fi
  stop_hookline
}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
if wants 6; then
  if (($(remaining) < (2 * JOURNEY_ROUNDS + 8) * (DURATION + 5) + 60)); then
    skip 6 "journeys on the hot path" "time limit"
  else
    njourneys=$((JOURNEY_NAMES * 10))
    declare -A J_EPS J_NOTE
    # Rounds of (no journeys, then journeys), each on a fresh server and data: the machine's drift
    # between two 10 s phases is of the order of the effect, so the figure is the median round.
    none_eps=() cond_eps=() ratios=()
    for ((r = 1; r <= JOURNEY_ROUNDS; r++)); do
      journey_phase none "none-$r"
      journey_phase condition "condition-$r"
      none_eps+=("${J_EPS[none-$r]}") cond_eps+=("${J_EPS[condition-$r]}")
      ratios+=("$(echo "${J_EPS[condition-$r]} / ${J_EPS[none-$r]}" | bc -l)")
    done
    journey_phase update_contact update_contact
    journey_phase exit exit
    journey_phase split split
    journey_phase goal goal
    journey_phase wait_lookup wait_lookup
    journey_phase wait_every wait_every
    journey_phase delay_every delay_every
    journey_phase answer_every answer_every
    none_median=$(median "${none_eps[@]}")
    per_round() { local v out=""; for v in "$@"; do out="$out${out:+, }$(fmt "$v" "${P:-0}")"; done; echo "$out"; }
    row 6 "batch ingest (100 events/request), $JOURNEY_NAMES event names, no journeys (median of $JOURNEY_ROUNDS rounds)" "$(fmt "$none_median")" "events/s" "" "$(ratio "$none_median")" "$BATCH_CONNECTIONS connections; rounds: $(per_round "${none_eps[@]}"); round 1: ${J_NOTE[none-1]}"
    row 6 "batch ingest, same events, $njourneys active journeys (each event matches one: trigger -> condition on contact.email -> exit; median)" "$(fmt "$(median "${cond_eps[@]}")")" "events/s" "" "$(ratio "$(median "${cond_eps[@]}")")" "rounds: $(per_round "${cond_eps[@]}"); round 1: ${J_NOTE[condition-1]}"
    row 6 "journeys on the hot path: rate with / rate without (median round)" "$(fmt "$(median "${ratios[@]}")" 3)" "ratio" ">= 0.80" "n/a" "per round: $(P=3 per_round "${ratios[@]}"); each round runs the two rows above one after the other"
    row 6 "for comparison: $njourneys journeys of trigger -> update_contact -> exit (each event also rewrites its contact; its contact.update event has no listener here, so it is not stored)" "$(fmt "${J_EPS[update_contact]}")" "events/s" "" "$(ratio "${J_EPS[update_contact]}")" "${J_NOTE[update_contact]}; $(fmt "$(echo "${J_EPS[update_contact]} / $none_median" | bc -l)" 3) of the median rate with no journeys"
    row 6 "for comparison: $njourneys journeys of trigger -> split 50/50 -> exit (both branches)" "$(fmt "${J_EPS[split]}")" "events/s" "" "$(ratio "${J_EPS[split]}")" "${J_NOTE[split]}; $(fmt "$(echo "${J_EPS[split]} / $none_median" | bc -l)" 3) of the median rate with no journeys"
    row 6 "for comparison: $njourneys journeys of trigger -> condition -> exit with a goal on the trigger's event (each event also reads its contact's waiting enrolments)" "$(fmt "${J_EPS[goal]}")" "events/s" "" "$(ratio "${J_EPS[goal]}")" "${J_NOTE[goal]}; $(fmt "$(echo "${J_EPS[goal]} / $none_median" | bc -l)" 3) of the median rate with no journeys"
    row 6 "for comparison: $njourneys journeys of trigger -> condition -> exit, whose untaken no branch waits until the trigger's event (each event also reads its contact's waiting enrolments)" "$(fmt "${J_EPS[wait_lookup]}")" "events/s" "" "$(ratio "${J_EPS[wait_lookup]}")" "${J_NOTE[wait_lookup]}; $(fmt "$(echo "${J_EPS[wait_lookup]} / $none_median" | bc -l)" 3) of the median rate with no journeys"
    row 6 "for comparison: $njourneys journeys of trigger -> wait until the trigger's event comes again (1 d) -> exit (each event moves on its contact's last wait and parks a new one)" "$(fmt "${J_EPS[wait_every]}")" "events/s" "" "$(ratio "${J_EPS[wait_every]}")" "${J_NOTE[wait_every]}; $(fmt "$(echo "${J_EPS[wait_every]} / $none_median" | bc -l)" 3) of the median rate with no journeys"
    row 6 "for comparison: $njourneys journeys of trigger -> delay 1 d -> exit (each event parks its contact: one enrolment row written per event)" "$(fmt "${J_EPS[delay_every]}")" "events/s" "" "$(ratio "${J_EPS[delay_every]}")" "${J_NOTE[delay_every]}; $(fmt "$(echo "${J_EPS[delay_every]} / $none_median" | bc -l)" 3) of the median rate with no journeys"
    row 6 "for comparison: $njourneys journeys of trigger -> webhook waiting for the answer -> succeeded -> exit (each event makes a call, parks its contact, and the recorded 200 moves it on)" "$(fmt "${J_EPS[answer_every]}")" "events/s" "" "$(ratio "${J_EPS[answer_every]}")" "${J_NOTE[answer_every]}; $(fmt "$(echo "${J_EPS[answer_every]} / $none_median" | bc -l)" 3) of the median rate with no journeys"
    row 6 "for comparison: $njourneys journeys of trigger -> exit only" "$(fmt "${J_EPS[exit]}")" "events/s" "" "$(ratio "${J_EPS[exit]}")" "${J_NOTE[exit]}; $(fmt "$(echo "${J_EPS[exit]} / $none_median" | bc -l)" 3) of the median rate with no journeys"
  fi
fi

# ---- 7. Isolation: ten webhooks on bench.event; eight point at the main receiver (the healthy
# ones: every arrival there counts), one at receiver "hang", one at receiver "fail". Phase a: all
# three answer 200. Phase b: "hang" accepts and never answers, "fail" answers 500. Each phase posts
# ISOLATION_EVENTS events by batch; the figure is the main receiver's arrival rate, first to last.
if wants 7; then
  if (($(remaining) < 240)); then
    skip 7 "isolation" "time limit"
  else
    start_side_receiver hang
    HANG_PID=$SIDE_PID HANG_PORT=$SIDE_PORT HANG_CTL=$SIDE_CTL
    start_side_receiver fail
    FAIL_PID=$SIDE_PID FAIL_PORT=$SIDE_PORT FAIL_CTL=$SIDE_CTL
    start_hookline isolation
    for i in 1 2 3 4 5 6 7 8; do add_webhook "healthy-$i" "http://127.0.0.1:$RECV_PORT/healthy/$i" >/dev/null; done
    add_webhook hang "http://127.0.0.1:$HANG_PORT/hang" >/dev/null
    add_webhook fail "http://127.0.0.1:$FAIL_PORT/fail" >/dev/null
    healthy_want=$((8 * ISOLATION_EVENTS))
    declare -A I_RATE I_NOTE
    for phase in a b; do
      if [ "$phase" = b ]; then
        recv_at "$HANG_CTL" POST /hang >/dev/null
        recv_at "$FAIL_CTL" POST /fail >/dev/null
      fi
      for c in "$RECV_CTL" "$HANG_CTL" "$FAIL_CTL"; do recv_at "$c" POST /reset >/dev/null; done
      failed0=$(metric hookline_attempts_failed_total)
      cpu_mark
      t0=$(date +%s%N)
      l=$("$LOAD" --port "$HL_PORT" --key "$KEY" --batch 100 --connections "$BATCH_CONNECTIONS" \
        --requests $((ISOLATION_EVENTS / 100)) --duration 300 --contacts "$CONTACTS" --pad "$PAD" \
        --tag "isolation-$phase")
      ingest_s=$(echo "($(date +%s%N) - $t0) / 1000000000" | bc -l)
      s=$(wait_distinct "$healthy_want" "$(min 300 "$(remaining)")" 30)
      foreign=$(cpu_foreign)
      cpu=$(hl_cpu "$(jq .distinct <<<"$s")" "healthy delivery")
      if [ "$phase" = a ]; then  # the other two must be done too, or phase b starts with their rest
        sh=$(wait_distinct "$ISOLATION_EVENTS" 120 30 "$HANG_CTL")
        sf=$(wait_distinct "$ISOLATION_EVENTS" 120 30 "$FAIL_CTL")
      else
        sh=$(recv_at "$HANG_CTL" GET /stats) sf=$(recv_at "$FAIL_CTL" GET /stats)
      fi
      failed=$(metric hookline_attempts_failed_total)
      I_RATE[$phase]=$(jq -r '(.distinct - 1) / ((.last_us - .first_us) / 1e6 + 0.000001)' <<<"$s")
      I_NOTE[$phase]="$(jq .distinct <<<"$s") of $healthy_want healthy deliveries, $(jq .duplicates <<<"$s") duplicates, first to last arrival in $(jq -r '(.last_us - .first_us) / 1e6 | . * 10 | round / 10' <<<"$s") s; end-to-end p50 $(jq .p50_ms <<<"$s") ms, p99 $(jq .p99_ms <<<"$s") ms; the ingest took $(fmt "$ingest_s" 1) s ($(jq -r '.events_per_s|floor' <<<"$l") events/s x 10 webhooks); the hang receiver got $(jq .count <<<"$sh") requests, the fail receiver $(jq .count <<<"$sf"); failed tries in the phase $(echo "$failed - $failed0" | bc), breakers open at the end $(metric hookline_breakers_open); $cpu; other load ${foreign}%"
    done
    row 7 "isolation (a): deliveries/s to the 8 healthy webhooks, all 10 receivers healthy" "$(fmt "${I_RATE[a]}")" "deliveries/s" "" "$(ratio "${I_RATE[a]}")" "${I_NOTE[a]}"
    row 7 "isolation (b): the same 8 while one receiver hangs and one answers 500" "$(fmt "${I_RATE[b]}")" "deliveries/s" "" "$(ratio "${I_RATE[b]}")" "${I_NOTE[b]}; webhook timeout 15 s (default)"
    row 7 "isolation: healthy rate (b) / (a)" "$(fmt "$(echo "${I_RATE[b]} / ${I_RATE[a]}" | bc -l)" 3)" "ratio" ">= 0.90" "n/a" "$ISOLATION_EVENTS events per phase, 10 deliveries each; same hookline, phase a then b"
    stop_hookline
    for pid in "$HANG_PID" "$FAIL_PID"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  fi
fi

# ---- 8. Soak: events posted (paced) by 8 connections for SOAK_SECONDS while hookline is killed
# with kill -9 and restarted SOAK_KILLS times and the receiver fails at random (refuses
# connections, or answers 500). Then everything comes back; every accepted event (2xx) must arrive.
# The load driver logs the seq of each accepted event; the soak receiver logs the seq of each
# delivery.
SOAK_FAILED=0
if wants 8; then
  if (($(remaining) < SOAK_SECONDS + 300)); then
    skip 8 "soak" "time limit"
  else
    start_side_receiver soak --log-seq "$WORK/soak-delivered.txt"
    SOAK_PID=$SIDE_PID SOAK_CTL=$SIDE_CTL
    start_hookline soak --retry-schedule "$BACKLOG_SCHEDULE"
    add_webhook soak "http://127.0.0.1:$SIDE_PORT/soak" >/dev/null
    soak_port=$HL_PORT
    "$LOAD" --port "$HL_PORT" --key "$KEY" --batch 10 --rate $((SOAK_RATE / 10)) \
      --duration "$SOAK_SECONDS" --connections 8 --contacts "$CONTACTS" --pad "$PAD" --tag soak \
      --log-accepted "$WORK/soak-accepted.txt" >"$WORK/soak-load.json" 2>"$WORK/soak-load.err" &
    SOAK_LOAD=$!
    PIDS+=("$SOAK_LOAD")
    # The receiver's faults: every 1-3 s, up (200, 60% of the time), down (refused) or 500.
    (for _ in $(seq 1 $((SOAK_SECONDS)) ); do
      kill -0 "$SOAK_LOAD" 2>/dev/null || break
      case $((RANDOM % 5)) in
        0) echo "fault down"; recv_at "$SOAK_CTL" POST /down >/dev/null ;;
        1) echo "fault 500"; { recv_at "$SOAK_CTL" POST /up; recv_at "$SOAK_CTL" POST /fail; } >/dev/null ;;
        *) echo "fault none"; { recv_at "$SOAK_CTL" POST /up; recv_at "$SOAK_CTL" POST /ok; } >/dev/null ;;
      esac
      sleep $((1 + RANDOM % 3))
    done) >"$WORK/soak-faults.txt" 2>&1 &
    SOAK_FAULTS=$!
    PIDS+=("$SOAK_FAULTS")
    kills=0
    gap=$((SOAK_SECONDS / (SOAK_KILLS + 1)))
    for ((c = 1; c <= SOAK_KILLS; c++)); do
      sleep $((gap - 2 + RANDOM % 4))
      kill -KILL "$HL_PID" 2>/dev/null || true
      wait "$HL_PID" 2>/dev/null || true
      kills=$((kills + 1))
      sleep 1
      # The same data dir, key and port (the driver reconnects to it).
      "$HOOKLINE" serve --listen "127.0.0.1:$soak_port" --data-dir "$HL_DIR/data" --api-key "$KEY" \
        --allow-targets 127.0.0.0/8 --api-rate-limit 0 --retry-schedule "$BACKLOG_SCHEDULE" \
        >"$HL_DIR/stdout.$c" 2>"$HL_DIR/log.$c" &
      HL_PID=$!
      PIDS+=("$HL_PID")
      for _ in $(seq 1 300); do
        grep -q 'hookline ready on' "$HL_DIR/stdout.$c" 2>/dev/null && break
        kill -0 "$HL_PID" 2>/dev/null || die "hookline did not restart: $(tail -3 "$HL_DIR/log.$c")"
        sleep 0.1
      done
      log "soak: kill -9 and restart $c of $SOAK_KILLS"
    done
    for _ in $(seq 1 $((SOAK_SECONDS + 60))); do kill -0 "$SOAK_LOAD" 2>/dev/null || break; sleep 1; done
    wait "$SOAK_LOAD" 2>/dev/null || true
    kill "$SOAK_FAULTS" 2>/dev/null || true
    wait "$SOAK_FAULTS" 2>/dev/null || true
    recv_at "$SOAK_CTL" POST /up >/dev/null
    recv_at "$SOAK_CTL" POST /ok >/dev/null
    sort -u "$WORK/soak-accepted.txt" >"$WORK/soak-accepted.sorted"
    accepted=$(wc -l <"$WORK/soak-accepted.sorted")
    log "soak: $accepted events accepted; waiting for them to arrive"
    # Bounded: the breaker may hold the first probe back up to a minute.
    drain_start=$(date +%s)
    end=$(($(date +%s) + $(min 300 "$(($(remaining) - 10))")))
    while true; do
      recv_at "$SOAK_CTL" GET /stats >/dev/null  # flushes the log
      grep -v '^-1$' "$WORK/soak-delivered.txt" | sort -u >"$WORK/soak-delivered.sorted"
      missing=$(comm -23 "$WORK/soak-accepted.sorted" "$WORK/soak-delivered.sorted" | wc -l)
      ((missing == 0)) && break
      (($(date +%s) >= end)) && break
      sleep 2
    done
    t_drain=$(($(date +%s) - drain_start))
    s=$(recv_at "$SOAK_CTL" GET /stats)
    arrivals=$(grep -vc '^-1$' "$WORK/soak-delivered.txt" || true)
    delivered=$(wc -l <"$WORK/soak-delivered.sorted")
    extra=$(comm -13 "$WORK/soak-accepted.sorted" "$WORK/soak-delivered.sorted" | wc -l)
    l=$(cat "$WORK/soak-load.json")
    note="$(jq .sent <<<"$l") requests of 10 events sent, $(jq .ok <<<"$l") accepted, $(jq .io_errors <<<"$l") connection errors, $(jq .status_5xx <<<"$l") 5xx; $kills kill -9 + restart; $delivered distinct events delivered ($extra of them not acknowledged to the client: committed, then killed before the answer); $arrivals arrivals answered 200 ($(jq .count <<<"$s") requests in all, 500s and cut connections included); waited ${t_drain} s after the load ended; receiver faults: $(grep -c 'fault down' "$WORK/soak-faults.txt" || true) times down (refusing), $(grep -c 'fault 500' "$WORK/soak-faults.txt" || true) times answering 500, for 1-3 s each"
    if ((missing > 0)); then
      SOAK_FAILED=1
      log "FAILED: soak: $missing accepted events never arrived (first: $(comm -23 "$WORK/soak-accepted.sorted" "$WORK/soak-delivered.sorted" | head -3 | tr '\n' ' '))"
      note="**FAILED: $missing accepted events never arrived**; $note"
    fi
    row 8 "soak: accepted events ($SOAK_SECONDS s at $SOAK_RATE/s, kill -9 x $kills, receiver failing at random)" "$accepted" "events" "" "n/a" "$note"
    row 8 "soak: accepted events missing at the end" "$missing" "events" "0" "n/a" "$( ((missing == 0)) && echo "every accepted event delivered" || echo "FAILED")"
    row 8 "soak: duplicates (200-answered arrivals of an event already answered 200)" "$((arrivals - delivered))" "deliveries" "" "n/a" "at-least-once: a kill -9 between a 200 and its record sends again"
    stop_hookline
    kill "$SOAK_PID" 2>/dev/null || true
    wait "$SOAK_PID" 2>/dev/null || true
  fi
fi

# ---- 9. Retention. (a) Soak: paced single posts with one webhook for RETENTION_SECONDS with
# --retention RETENTION; every 10 s the data dir's size (database + WAL, du) and the store's own
# figures from /metrics. Once the oldest rows are older than the retention, each pass frees about
# what came in since the last one and new rows reuse those pages: the size should level off.
# (b) Purge cost on ingest: a store filled with RETENTION_FILL delivered events, copied for each
# phase; batch ingest (scenario 1's method, the filled store's webhook) without a purge
# (--retention 365d), then with everything filled already expired (--retention 1s), so the purge
# runs during the load. RETENTION_ROUNDS rounds of the two; medians.
dir_bytes() { du -sb "$1" 2>/dev/null | cut -f1 || true; }
mib() { LC_ALL=C printf '%.1f' "$(echo "$1 / 1048576" | bc -l)"; }
if wants 9; then
  if (($(remaining) < RETENTION_SECONDS + 90)); then
    skip 9 "retention soak" "time limit"
  else
    start_hookline retention-soak --retention "$RETENTION"
    [ "$(metric hookline_store_database_bytes)" != "?" ] || die "this hookline has no store metrics"
    subscribe
    recv POST /reset >/dev/null
    cpu_mark
    t0=$(date +%s.%N)
    "$LOAD" --port "$HL_PORT" --key "$KEY" --rate "$RETENTION_RATE" --duration "$RETENTION_SECONDS" \
      --connections 64 --contacts "$CONTACTS" --pad "$PAD" --tag retention-soak \
      >"$WORK/retention-soak-load.json" 2>"$WORK/retention-soak-load.err" &
    R_LOAD=$!
    PIDS+=("$R_LOAD")
    series="" mid_t=$((RETENTION_SECONDS / 20 * 10)) mid_bytes="" mid_db="" end_bytes="" end_db="" end_t=0
    for ((t = 10; t <= RETENTION_SECONDS; t += 10)); do
      wait_s=$(echo "$t0 + $t - $(date +%s.%N)" | bc -l)
      [[ $wait_s == -* ]] || sleep "$wait_s"
      bytes=$(dir_bytes "$HL_DIR/data")
      db=$(metric hookline_store_database_bytes) free=$(metric hookline_store_free_bytes)
      wal=$(metric hookline_store_wal_bytes)
      echo "$t $bytes $db $free $wal" >>"$WORK/retention-soak-sizes.txt"
      series="$series${series:+, }${t}s: $(mib "$bytes") MiB (db $(mib "$db"), free $(mib "$free"), WAL $(mib "$wal"))"
      if ((t == mid_t)); then mid_bytes=$bytes mid_db=$db; fi
      end_bytes=$bytes end_db=$db end_t=$t
    done
    for _ in $(seq 1 60); do kill -0 "$R_LOAD" 2>/dev/null || break; sleep 1; done
    wait "$R_LOAD" 2>/dev/null || true
    foreign=$(cpu_foreign)
    l=$(cat "$WORK/retention-soak-load.json")
    [ -n "$l" ] || die "the retention soak's load failed: $(tail -3 "$WORK/retention-soak-load.err")"
    cpu=$(hl_cpu "$(jq .events_ok <<<"$l")" event)
    s=$(recv_stats)
    removed_d=$(metric hookline_retention_deliveries_removed_total)
    removed_e=$(metric hookline_retention_events_removed_total)
    row 9 "retention soak: data dir size over time ($RETENTION_SECONDS s of single posts at $RETENTION_RATE events/s, 1 webhook, --retention $RETENTION)" "$(mib "$end_bytes")" "MiB" "" "n/a" \
      "du -sb of the data dir (database + WAL) and, from /metrics, the database file, its free pages and the WAL: $series"
    if [ -n "$mid_bytes" ] && ((end_t > mid_t)); then
      row 9 "retention soak: growth over the second half (data dir at ${end_t}s / at ${mid_t}s)" "$(fmt "$(echo "$end_bytes / $mid_bytes" | bc -l)" 3)" "ratio" "~1.0" "n/a" \
        "$(mib "$mid_bytes") -> $(mib "$end_bytes") MiB; the database file alone $(mib "$mid_db") -> $(mib "$end_db") MiB ($(fmt "$(echo "$end_db / $mid_db" | bc -l)" 3)); a store that kept everything would grow by about $(fmt "$(echo "$end_t / $mid_t" | bc -l)" 1)x"
    else
      skip 9 "retention soak: growth over the second half" "BENCH_RETENTION_SECONDS < 20"
    fi
    row 9 "retention soak: rows removed by retention during the soak" "$removed_d" "deliveries" "" "n/a" \
      "and $removed_e events; $(jq .events_ok <<<"$l") events accepted ($(fmt "$(jq .events_per_s <<<"$l")")/s achieved; non-2xx $(jq '.status_4xx + .status_5xx' <<<"$l"), connection errors $(jq .io_errors <<<"$l"); API p99 $(jq .response_p99_ms <<<"$l") ms), $(jq .distinct <<<"$s") delivered (end-to-end p99 $(jq .p99_ms <<<"$s") ms); peak RSS $(($(hwm_kib) / 1024)) MiB; $cpu; other load ${foreign}%"
    stop_hookline
  fi

  fill_requests=$((RETENTION_FILL / 100))
  if (($(remaining) < 2 * RETENTION_ROUNDS * (DURATION + 30) + RETENTION_FILL / 2000 + 120)); then
    skip 9 "purge cost on ingest" "time limit"
  else
    # The filled store: RETENTION_FILL events by batch, one webhook, all delivered; kept.
    start_hookline retention-fill --retention 365d
    [ "$(metric hookline_retention_deliveries_removed_total)" != "?" ] || die "this hookline has no retention metrics"
    subscribe
    recv POST /reset >/dev/null
    t0=$(date +%s%N)
    l=$("$LOAD" --port "$HL_PORT" --key "$KEY" --batch 100 --connections "$BATCH_CONNECTIONS" \
      --requests "$fill_requests" --duration 600 --contacts "$CONTACTS" --pad "$PAD" --tag retention-fill)
    s=$(wait_distinct "$((fill_requests * 100))" "$(min 300 "$(remaining)")" 30)
    fill_s=$(echo "($(date +%s%N) - $t0) / 1000000000" | bc -l)
    filled=$(jq .distinct <<<"$s")
    ((filled == fill_requests * 100)) || die "the store was not filled: $filled of $((fill_requests * 100)) delivered"
    sleep 1  # the last deliveries' results reach the store
    stop_hookline keep
    FILL_DIR=$HL_DIR/data
    fill_note="store filled with $filled events by batch and all delivered in $(fmt "$fill_s" 1) s, $(mib "$HL_STORE_BYTES") MiB after a clean stop, copied (cp -a) for each phase"
    declare -A P_EPS P_P99 P_NOTE P_END
    for ((r = 1; r <= RETENTION_ROUNDS; r++)); do
      for variant in keep purge; do
        tag=retention-$variant-$r
        HL_DATA_FROM=$FILL_DIR start_hookline "$tag" --retention "$([ "$variant" = keep ] && echo 365d || echo 1s)"
        recv POST /reset >/dev/null
        d0=$(metric hookline_retention_deliveries_removed_total)
        e0=$(metric hookline_retention_events_removed_total)
        cpu_mark
        w=$(wrk_events 100 "$BATCH_CONNECTIONS" "$DURATION" "$tag")
        foreign=$(cpu_foreign)
        [ -n "$w" ] || die "wrk batch run failed: $(tail -3 "$WORK/wrk-$tag.txt")"
        d1=$(metric hookline_retention_deliveries_removed_total)
        e1=$(metric hookline_retention_events_removed_total)
        cpu=$(hl_cpu "$(jq '(.requests - .status_errors) * 100' <<<"$w")" event)
        P_EPS[$tag]=$(wrk_events_per_s "$w" 100)
        P_P99[$tag]=$(jq '.latency_p99_us/1000' <<<"$w")
        P_END[$tag]="$d1 deliveries and $e1 events"
        P_NOTE[$tag]="API p50 $(jq '.latency_p50_us/1000' <<<"$w") ms; non-2xx $(jq .status_errors <<<"$w"); delivered meanwhile $(recv_stats | jq .distinct); removed during the load $((d1 - d0)) deliveries and $((e1 - e0)) events ($d0 and $e0 before it started); $cpu; other load ${foreign}%"
        stop_hookline
      done
    done
    [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$FILL_DIR"
    keep_eps=() purge_eps=() keep_p99=() purge_p99=() p99_ratios=()
    for ((r = 1; r <= RETENTION_ROUNDS; r++)); do
      keep_eps+=("${P_EPS[retention-keep-$r]}") purge_eps+=("${P_EPS[retention-purge-$r]}")
      keep_p99+=("${P_P99[retention-keep-$r]}") purge_p99+=("${P_P99[retention-purge-$r]}")
      p99_ratios+=("$(echo "${P_P99[retention-purge-$r]} / ${P_P99[retention-keep-$r]}" | bc -l)")
    done
    fmt_list() { local v out=""; for v in "${@:2}"; do out="$out${out:+, }$(fmt "$v" "$1")"; done; echo "$out"; }
    keep_eps_m=$(median "${keep_eps[@]}") purge_eps_m=$(median "${purge_eps[@]}")
    keep_p99_m=$(median "${keep_p99[@]}") purge_p99_m=$(median "${purge_p99[@]}")
    row 9 "purge cost: batch ingest (100 events/request), 1 webhook, on a store of $filled delivered events, no purge (--retention 365d; median of $RETENTION_ROUNDS rounds)" "$(fmt "$keep_eps_m")" "events/s" "" "$(ratio "$keep_eps_m")" \
      "$BATCH_CONNECTIONS connections; API p99 $(fmt "$keep_p99_m" 3) ms (rounds: $(fmt_list 3 "${keep_p99[@]}")); events/s rounds: $(fmt_list 0 "${keep_eps[@]}"); round 1: ${P_NOTE[retention-keep-1]}; $fill_note"
    row 9 "purge cost: the same while retention purges the filled store (--retention 1s: every filled event expired; median)" "$(fmt "$purge_eps_m")" "events/s" "" "$(ratio "$purge_eps_m")" \
      "API p99 $(fmt "$purge_p99_m" 3) ms (rounds: $(fmt_list 3 "${purge_p99[@]}")); events/s rounds: $(fmt_list 0 "${purge_eps[@]}"); $(for ((r = 1; r <= RETENTION_ROUNDS; r++)); do printf 'round %s: %s; ' "$r" "${P_NOTE[retention-purge-$r]}"; done)removed since the start when the load ended: $(for ((r = 1; r <= RETENTION_ROUNDS; r++)); do printf '%s%s' "${P_END[retention-purge-$r]}" "$( ((r < RETENTION_ROUNDS)) && echo ', ' || true)"; done) of the $filled filled (a pass removes deliveries oldest first, then events; once past the filled ones it also removes those ingested in the phase, older than 1 s and delivered)"
    row 9 "purge cost: batch-ingest API p99 with purge / without (medians)" "$(fmt "$(echo "$purge_p99_m / $keep_p99_m" | bc -l)" 3)" "ratio" "<= 1.20" "n/a" \
      "p99 $(fmt "$purge_p99_m" 3) ms with, $(fmt "$keep_p99_m" 3) ms without; per round: $(fmt_list 3 "${p99_ratios[@]}"); events/s with / without: $(fmt "$(echo "$purge_eps_m / $keep_eps_m" | bc -l)" 3); each round runs without, then with, each on its own copy of the filled store"
  fi
fi

# ---- 10. PostgreSQL: scenarios 1 (one webhook), 2 (one webhook) and 3 with one node on a
# PostgreSQL store (a throwaway server on a unix socket, scripts/pg_server.sh), each against the
# SQLite figure of this run; then scenario 3 with two nodes on one database, the load split
# between them. Two nodes on this machine share its cores with each other and with PostgreSQL.
if wants 10; then
  PG_DIR=$(mktemp -d /tmp/hookline-bench-pg.XXXXXX)  # outside $WORK: the postgres user reaches it
  PG_URI=$("$ROOT/scripts/pg_server.sh" start "$PG_DIR") || die "could not start PostgreSQL"
  # The test server runs without durability; a store compared with SQLite's (an fsync per
  # committed batch) must sync its commits too.
  psql "$PG_URI" -qc "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" \
    -c "ALTER SYSTEM SET full_page_writes = on" -c "SELECT pg_reload_conf()" >/dev/null ||
    die "could not make PostgreSQL durable"
  if [ "${BENCH_PG_STATS:-0}" = 1 ]; then  # statement statistics per phase (README): a restart
    psql "$PG_URI" -qc "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'" >/dev/null &&
      "$ROOT/scripts/pg_server.sh" stop "$PG_DIR" >/dev/null &&
      "$ROOT/scripts/pg_server.sh" start "$PG_DIR" >/dev/null &&
      psql "$PG_URI" -qc "CREATE EXTENSION pg_stat_statements" >/dev/null ||
      die "could not load pg_stat_statements"
  fi
  # utime+stime of the server's processes: its backends live as long as hookline's connections,
  # so read before hookline stops.
  pg_ticks() { proc_ticks $(pgrep -u postgres -d ' ' postgres); }
  # "ticks class" per server process: the backends serving hookline, each helper by its title,
  # the postmaster with the helpers that exited (autovacuum workers) in its children's time.
  pg_ticks_by_kind() {
    local pid title
    for pid in $(pgrep -u postgres postgres); do
      title=$(tr -s '\0 ' '  ' <"/proc/$pid/cmdline" 2>/dev/null) || continue
      case "$title" in
        *"[local]"*) title=backends ;;
        "postgres: "*) title=${title#postgres: } title=${title% } title=${title// /-} ;;
        *) title=postmaster+exited ;;
      esac
      echo "$(proc_ticks "$pid") $title"
    done
  }
  pg_mark() {
    PG_T0=$(pg_ticks)
    pg_ticks_by_kind >"$WORK/pg-ticks-start"
    [ "${BENCH_PG_STATS:-0}" = 1 ] && psql "$PG_URI" -qAtc "SELECT pg_stat_statements_reset()" >/dev/null
    return 0
  }
  pg_cpu() {  # count, unit, tag: "PostgreSQL CPU N us/<unit>"; with BENCH_PG_STATS, its top statements
    if [ "${BENCH_PG_STATS:-0}" = 1 ]; then
      psql "$PG_URI" -qc "SELECT calls, round(total_exec_time) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 150) AS query FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15" >"$WORK/pg-stats-$3.txt"
      log "statements of $3 (pg_stat_statements, by time): $WORK/pg-stats-$3.txt"
      cat "$WORK/pg-stats-$3.txt" >&2
      log "PostgreSQL CPU of $3 by process, us/$2: $(pg_ticks_by_kind | awk -v n="$1" '
        NR == FNR { start[$2] += $1; next } { now[$2] += $1 }
        END { for (k in now) printf "%s %.0f; ", k, (now[k] - start[k]) * 10000 / n }' "$WORK/pg-ticks-start" -)"
    fi
    LC_ALL=C printf "PostgreSQL CPU %.0f us/%s" "$(echo "($(pg_ticks) - $PG_T0) * 10000 / ($1 + 0.000001)" | bc -l)" "$2"
  }
  # A PostgreSQL store needs the key that seals webhook secrets, the same for both nodes.
  (umask 077 && head -c 32 /dev/urandom | base64 >"$WORK/secrets.key") || die "could not make a secrets key"
  export HOOKLINE_SECRETS_KEY_FILE=$WORK/secrets.key
  pg_store() {  # name: a fresh database; prints its URI
    local db="bench_$1_$RANDOM"
    psql "$PG_URI" -qc "CREATE DATABASE $db" >/dev/null || die "could not create database $db"
    echo "${PG_URI/\/postgres\?//$db?}"
  }
  vs_sqlite() {  # value, SQLite figure of this run
    [ -n "$2" ] && LC_ALL=C printf '%.3f of SQLite' "$(echo "$1 / $2" | bc -l)" || echo "n/a"
  }
  if (($(remaining) < DURATION + 30)); then skip 10 "batch ingest on PostgreSQL" "time limit"; else
    start_hookline pg-batch --store "$(pg_store batch)"
    subscribe
    recv POST /reset >/dev/null
    cpu_mark
    pg_mark
    w=$(wrk_events 100 "$BATCH_CONNECTIONS" "$DURATION" "pg-batch")
    foreign=$(cpu_foreign)
    events=$(jq '(.requests - .status_errors) * 100' <<<"$w")
    cpu="$(hl_cpu "$events" event), $(pg_cpu "$events" event pg-batch)"
    [ -n "$w" ] || die "wrk batch run on PostgreSQL failed"
    eps=$(wrk_events_per_s "$w" 100)
    row 10 "batch ingest (100 events/request), 1 webhook, one node on PostgreSQL" "$(fmt "$eps")" "events/s" "" "$(vs_sqlite "$eps" "$BATCH_ONE_RATE")" \
      "SQLite in this run: ${BATCH_ONE_RATE:+$(fmt "$BATCH_ONE_RATE")}; $(ratio "$eps") of the ceiling; API p50 $(jq '.latency_p50_us/1000' <<<"$w") ms, p99 $(jq '.latency_p99_us/1000' <<<"$w") ms; non-2xx $(jq .status_errors <<<"$w"); $cpu; other load ${foreign}% (PostgreSQL's included)"
    stop_hookline
  fi
  if (($(remaining) < DURATION + 30)); then skip 10 "single-post ingest on PostgreSQL" "time limit"; else
    start_hookline pg-single --store "$(pg_store single)"
    subscribe
    recv POST /reset >/dev/null
    cpu_mark
    pg_mark
    w=$(wrk_events 0 64 "$DURATION" "pg-single")
    foreign=$(cpu_foreign)
    events=$(jq '.requests - .status_errors' <<<"$w")
    cpu="$(hl_cpu "$events" event), $(pg_cpu "$events" event pg-single)"
    [ -n "$w" ] || die "wrk single-post run on PostgreSQL failed"
    eps=$(wrk_events_per_s "$w" 0)
    row 10 "single-post ingest (64 connections), 1 webhook, one node on PostgreSQL" "$(fmt "$eps")" "events/s" "" "$(vs_sqlite "$eps" "$SINGLE_ONE_RATE")" \
      "SQLite in this run: ${SINGLE_ONE_RATE:+$(fmt "$SINGLE_ONE_RATE")}; $(ratio "$eps") of the ceiling; API p50 $(jq '.latency_p50_us/1000' <<<"$w") ms, p99 $(jq '.latency_p99_us/1000' <<<"$w") ms; non-2xx $(jq .status_errors <<<"$w"); $cpu; other load ${foreign}% (PostgreSQL's included)"
    stop_hookline
  fi
  for nodes in 1 2; do
    if (($(remaining) < 120)); then skip 10 "deliveries on PostgreSQL, $nodes nodes" "time limit"; continue; fi
    store=$(pg_store "deliveries$nodes")
    start_hookline "pg-deliveries-$nodes" --store "$store" --node-id bench-1
    subscribe
    first_pid=$HL_PID first_port=$HL_PORT first_dir=$HL_DIR ports=("$HL_PORT")
    if ((nodes == 2)); then
      start_hookline "pg-deliveries-2b" --store "$store" --node-id bench-2  # the webhook is shared
      ports+=("$HL_PORT")
    fi
    recv POST /reset >/dev/null
    cpu_mark
    pg_mark
    t0=$(date +%s%N)
    load_pids=()
    for port in "${ports[@]}"; do
      "$LOAD" --port "$port" --key "$KEY" --batch 100 --connections "$BATCH_CONNECTIONS" \
        --requests $((DELIVERIES / 100 / nodes)) --duration 300 --contacts "$CONTACTS" --pad "$PAD" \
        --tag "pg-deliveries-$nodes-$port" >"$WORK/pg-load-$port.json" &
      load_pids+=($!)
    done
    for pid in "${load_pids[@]}"; do wait "$pid" || log "a load driver of pg-deliveries-$nodes failed"; done
    ingest_s=$(echo "($(date +%s%N) - $t0) / 1000000000" | bc -l)
    s=$(wait_distinct "$DELIVERIES" "$(min 300 "$(remaining)")" 30)
    foreign=$(cpu_foreign)
    n=$(jq .distinct <<<"$s")
    cpu="$(hl_cpu "$n" event+delivery)$( ((nodes == 2)) && echo ' (one of the two nodes)'), $(pg_cpu "$n" event+delivery "pg-deliveries-$nodes")"
    rate=$(jq -r '(.distinct - 1) / ((.last_us - .first_us) / 1e6)' <<<"$s")
    row 10 "deliveries/s to one receiver, $nodes node(s) on PostgreSQL ($DELIVERIES events posted by batch$( ((nodes == 2)) && echo ', half to each node'))" "$(fmt "$rate")" "deliveries/s" ">= 0.5 of SQLite" "$(vs_sqlite "$rate" "$DELIVERY_RATE")" \
      "SQLite in this run: ${DELIVERY_RATE:+$(fmt "$DELIVERY_RATE")}; $(ratio "$rate") of the ceiling; $n of $DELIVERIES delivered, $(jq .duplicates <<<"$s") duplicates; the ingest took $(fmt "$ingest_s" 1) s; $cpu; other load ${foreign}% (PostgreSQL's included)"
    if ((nodes == 2)); then stop_hookline; fi
    HL_PID=$first_pid HL_PORT=$first_port HL_DIR=$first_dir
    stop_hookline
  done
fi

# ---- The table.
TOTAL_S=$(($(date +%s) - RUN_START))
table() {
  echo "| # | figure | value | unit | target | ratio to ceiling | notes |"
  echo "|---|---|---:|---|---|---:|---|"
  for r in "${ROWS[@]}"; do
    IFS='|' read -r n what value unit target ratio notes <<<"$r"
    echo "| $n | $what | $value | $unit | $target | $ratio | $notes |"
  done
}
echo
table
echo
log "done in ${TOTAL_S}s"

[ "$RESULTS" = - ] && exit "$SOAK_FAILED"
PARTIAL=0
for n in $ALL_SCENARIOS; do wants "$n" || PARTIAL=1; done
if [ -n "${BENCH_REVISION:-}" ]; then
  REV_TEXT=$BENCH_REVISION
elif REV_TEXT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null); then
  git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || REV_TEXT="$REV_TEXT (src/ with local changes)"
else
  REV_TEXT="unknown (not a git checkout; set BENCH_REVISION)"
fi
CPU_MODEL=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)
generated=$(
  echo "<!-- BEGIN GENERATED by bench/run.sh: everything up to END is rewritten on each run -->"
  echo "## Latest run"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- command: \`$COMMAND\` (took ${TOTAL_S} s)"
  echo "- machine: $NCPU cores ($CPU_MODEL), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, kernel $(uname -r); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- hookline: $REV_TEXT, release preset (RelWithDebInfo)"
  echo "- sizes: load phases ${DURATION} s; delivery body $DELIVERY_BYTES bytes; $CONTACTS contacts; batch connections $BATCH_CONNECTIONS; receiver threads $RECEIVER_THREADS; deliveries scenario $DELIVERIES; backlog $BACKLOG"
  echo "- \"other load\" is the share of the machine's CPU used by processes outside the benchmark during that scenario (the machine is shared)."
  echo
  table
  echo "<!-- END GENERATED -->"
)
has_block() { [ -f "$RESULTS" ] && grep -q '<!-- BEGIN GENERATED' "$RESULTS" && grep -q '<!-- END GENERATED' "$RESULTS"; }
if [ "$PARTIAL" = 1 ] && has_block; then
  # A partial run: keep the block's header and the rows of the scenarios not run; replace the rows
  # of those run; say when and how they were run. Earlier rerun lines for scenarios all rerun now go.
  old=$(awk '/<!-- BEGIN GENERATED/{on=1; next} /<!-- END GENERATED/{on=0} on' "$RESULTS")
  generated=$(
    echo "<!-- BEGIN GENERATED by bench/run.sh: everything up to END is rewritten on each run -->"
    awk -v only=" $ONLY " '
      /^- rerun of scenarios / {
        split(substr($0, 21), f, ":"); n = split(f[1], s, " "); all = 1
        for (i = 1; i <= n; i++) if (index(only, " " s[i] " ") == 0) all = 0
        if (all) next
      }
      /^\| [0-9]+ \|/ || /^\| # \|/ || /^\|---/ { exit }
      { print }' <<<"$old" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
    echo "- rerun of scenarios $ONLY: $(date -u '+%Y-%m-%d %H:%M UTC'), \`$COMMAND\` (took ${TOTAL_S} s), hookline $REV_TEXT; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg). Their rows below replace those of the run above; the other rows are from it."
    echo
    echo "| # | figure | value | unit | target | ratio to ceiling | notes |"
    echo "|---|---|---:|---|---|---:|---|"
    {
      # A rerun of the ceiling keeps the full run's beside it, for the rows not rerun: the one
      # already kept from an earlier rerun, else the old one relabelled (never a rerun's).
      kept_ceiling=0
      grep -q "^| 0 | earlier run's ceiling" <<<"$old" && kept_ceiling=1
      awk -v only=" $ONLY " -v kept="$kept_ceiling" '/^\| [0-9]+ \|/ { split($0, f, "|"); n = f[2]; gsub(/ /, "", n)
        if (index(only, " " n " ") == 0) print n "\t" $0
        else if (n == "0" && /earlier run/) print n "\t" $0
        else if (n == "0" && !kept) { sub(/\| ceiling: /, "| earlier run'"'"'s ceiling (the rows not rerun are from that run): "); print n "\t" $0 } }' <<<"$old"
      table | awk '/^\| [0-9]+ \|/ { split($0, f, "|"); n = f[2]; gsub(/ /, "", n); print n "\t" $0 }'
    } | sort -s -n -k1,1 | cut -f2-
    echo "<!-- END GENERATED -->"
  )
fi
if has_block; then
  awk -v gen="$generated" '
    /<!-- BEGIN GENERATED/ { print gen; skipping = 1; next }
    /<!-- END GENERATED/ { skipping = 0; next }
    !skipping { print }' "$RESULTS" >"$RESULTS.tmp" && mv "$RESULTS.tmp" "$RESULTS"
else
  { echo "# Benchmark results"; echo; echo "$generated"; } >"$RESULTS"
fi
log "wrote $RESULTS"
exit "$SOAK_FAILED"
