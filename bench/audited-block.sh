#!/usr/bin/env bash
# What auditing costs on the path it guards: POST /v1/cards/{id}/block and /unblock (alternating, each with a fresh
# Idempotency-Key) through two builds of the same gateway, in-process in bench/audited-block-bench, one with auditing
# (the daily quota, the Idempotency-Key claim and replay record, the durable intent row before Weavr is called and
# the durable outcome row after) and one without (`--unaudited`: the same route, nothing around the Weavr calls).
# Weavr is "fast Weavr", an nginx answering GET /managed_cards/{id} with the simulator's card and the block/unblock
# POSTs with 204 from memory (everything else, the login, goes to the simulator), so the gateway is the bound.
# The gateway under test (one event loop) runs on SERVER_CPU; wrk, nginx and the simulator on LOAD_CPU; SQLite on the
# machine's disk (synchronous=FULL, group commit). Rows interleave (audited, unaudited) over ROUNDS.
# Environment: DURATION (5), WARMUP (1), CONNS ("1 64"), ROUNDS (2), SKIP_BUILD=1, SERVER_CPU (0), LOAD_CPU (1), SOAK;
# HOLD=file sets everything up, writes the toggle script's path and each gateway (label port token db) to the file
# and keeps them running until the script is stopped (for profiling by hand). SOAK=N instead keeps the audited
# gateway under load for N windows of DURATION at the highest c and prints each window's rate, the process's RSS and
# the audit rows so far: a cost that grows with the process's age (a leak, a structure that grows per request)
# shows as a falling rate or a rising RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

DURATION=${DURATION:-5}
WARMUP=${WARMUP:-1}
CONNS=${CONNS:-"1 64"}
ROUNDS=${ROUNDS:-2}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
CARD=100000000000000301
TMP=$(mktemp -d /tmp/audited-block.XXXXXX)
chmod 755 "$TMP"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

echo "== what auditing costs: POST /v1/cards/{id}/block|unblock, audited vs the same path unaudited"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)')"
echo "pinning: gateway (one event loop) on CPU $SERVER_CPU; wrk -t1, fast Weavr (nginx, 1 worker) and the simulator on CPU $LOAD_CPU"
echo "storage: SQLite in $TMP ($(df -T "$TMP" | awk 'NR==2 {print $2}')), synchronous=FULL, group commit"
read -r FSYNC_P50 FSYNC_P90 FSYNC_P99 < <(fsync_latency "$TMP")
echo "fsync:   this disk's fdatasync after a 4 KiB write: p50 ${FSYNC_P50} us, p90 ${FSYNC_P90} us, p99 ${FSYNC_P99} us (500 samples)"
echo "runs:    ${WARMUP}s warm-up + ${DURATION}s measured per row, c in {$CONNS}, $ROUNDS round(s), interleaved"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at start"
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    swift build -c release --product weavr-gateway 2>&1 | tail -1
    swift build -c release --product audited-block-bench 2>&1 | tail -1
fi
BIN=$PWD/.build/release/weavr-gateway
BENCH=$PWD/.build/release/audited-block-bench


taskset -c "$LOAD_CPU" "$BIN" simulator --port 0 --capture-limit 0 --no-admin-routes > "$TMP/sim.out" 2>&1 &
PIDS+=($!)
SIM=$(port_of "$TMP/sim.out")
capture_card "$SIM" "$CARD" "$TMP/card.json" > /dev/null
FAST=$(free_port)
fast_weavr_conf "$TMP/fast" "$SIM" "$FAST" "$TMP/card.json" <<'LOCATIONS'
        location ~ "^/managed_cards/[0-9]+/(block|unblock)$" {
            if ($request_method != POST) { return 405; }
            add_header request-ref fast-weavr-ref;
            return 204;
        }
LOCATIONS
taskset -c "$LOAD_CPU" nginx -p "$TMP/fast/" -e "$TMP/fast/error.log" -c "$TMP/fast/nginx.conf" &
PIDS+=($!)
wait_port "$FAST"
echo "upstream: fast Weavr (the simulator's card for GET, 204 for block/unblock, from memory)"

GATEWAYS=()  # "label port token db"
for mode in audited unaudited; do
    flag=""; [[ $mode == unaudited ]] && flag="--unaudited"
    taskset -c "$SERVER_CPU" "$BENCH" --db "$TMP/$mode.sqlite" --weavr-base-url "http://127.0.0.1:$FAST" $flag > "$TMP/$mode.out" 2>&1 &
    PIDS+=($!)
    port=$(port_of "$TMP/$mode.out")
    token=$(curl -sf -X POST "http://127.0.0.1:$port/v1/auth/login" -H 'content-type: application/json' \
        -d '{"tenant":"bench","email":"alice@example.com","password":"Password1!","mode":"bearer"}' | json_field token)
    status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/v1/cards/$CARD/block" \
        -H "authorization: Bearer $token" -H "idempotency-key: check-$mode")
    [[ $status == 200 ]] || { echo "$mode: a block answered $status"; exit 1; }
    GATEWAYS+=("$mode $port $token $TMP/$mode.sqlite")
done

cat > "$TMP/toggle.lua" <<'LUA'
-- Alternates block and unblock of one card; every request has its own Idempotency-Key (else it would be a replay).
local counter = 0
local token = os.getenv("BENCH_TOKEN")
local run = os.getenv("BENCH_RUN")
local card = os.getenv("BENCH_CARD")
request = function()
    counter = counter + 1
    local action = (counter % 2 == 1) and "block" or "unblock"
    return wrk.format("POST", "/v1/cards/" .. card .. "/" .. action,
        { ["authorization"] = "Bearer " .. token, ["idempotency-key"] = run .. "-" .. counter })
end
LUA

if [[ -n ${HOLD:-} ]]; then
    { echo "toggle=$TMP/toggle.lua card=$CARD"; printf '%s\n' "${GATEWAYS[@]}"; } > "$HOLD"
    echo "holding: $HOLD (label port token db); stop this script to end"
    while true; do sleep 3600; done
fi

if [[ -n ${SOAK:-} ]]; then
    read -r _ port token db <<< "${GATEWAYS[0]}"
    pid=$(ss -ltnp | grep ":$port " | grep -o 'pid=[0-9]*' | cut -d= -f2)
    c=$(tr ' ' '\n' <<< "$CONNS" | sort -n | tail -1)
    echo "soak:    the audited gateway (pid $pid) under c=$c for $SOAK window(s) of ${DURATION}s, one after another"
    echo
    printf "%-7s %10s %11s %12s\n" window req/s "RSS kB" "audit rows"
    for window in $(seq "$SOAK"); do
        rps=$(BENCH_TOKEN=$token BENCH_CARD=$CARD BENCH_RUN="soak-$window" taskset -c "$LOAD_CPU" wrk -t1 -c"$c" -d"${DURATION}s" -s "$TMP/toggle.lua" "http://127.0.0.1:$port" | awk '/Requests\/sec/ {print $2}')
        printf "%-7s %10s %11s %12s\n" "$window" "$rps" "$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")" "$(sqlite3 "$db" 'SELECT count(*) FROM audit_log')"
    done
    echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at end"
    exit 0
fi

run_row() {  # label port token conns round
    local out rps p50 p99 errors load
    load=$(cut -d' ' -f1 /proc/loadavg)
    BENCH_TOKEN=$3 BENCH_CARD=$CARD BENCH_RUN="w$5-$4-$1" taskset -c "$LOAD_CPU" wrk -t1 -c"$4" -d"${WARMUP}s" -s "$TMP/toggle.lua" "http://127.0.0.1:$2" > /dev/null
    out=$(BENCH_TOKEN=$3 BENCH_CARD=$CARD BENCH_RUN="m$5-$4-$1" taskset -c "$LOAD_CPU" wrk -t1 -c"$4" -d"${DURATION}s" --latency -s "$TMP/toggle.lua" "http://127.0.0.1:$2")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1=="50%" {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    errors=$(echo "$out" | awk '/Non-2xx/ {n += $5} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}')
    printf "%-12s %5s %11s %9s %9s %7s %6s\n" "$1" "$4" "$rps" "$p50" "$p99" "$errors" "$load"
    if [[ $errors != 0 ]]; then echo "  !! $1 had $errors errors or non-2xx responses: its figures are not valid" >&2; fi
    echo "$1 $4 $rps $p50 $p99" >> "$TMP/results"
}

echo
printf "%-12s %5s %11s %9s %9s %7s %6s\n" gateway conns req/s p50 p99 errors load1
for round in $(seq "$ROUNDS"); do
    for c in $CONNS; do
        for g in "${GATEWAYS[@]}"; do
            read -r label port token _ <<< "$g"
            run_row "$label" "$port" "$token" "$c" "$round"
        done
    done
done
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at end"
echo
python3 - "$TMP/results" "$FSYNC_P50" <<'PY'
import statistics, sys
def ms(v):
    return float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000
runs = {}
for label, c, rps, p50, p99 in (line.split() for line in open(sys.argv[1])):
    runs.setdefault((label, int(c)), []).append((float(rps), ms(p50), ms(p99)))
med = {k: tuple(statistics.median(x[i] for x in v) for i in range(3)) for k, v in runs.items()}
print("median of rounds; cost = how much longer an audited block takes than the unaudited one (req/s ratio - 1)")
for c in sorted({c for _, c in med}):
    a, u = med[("audited", c)], med[("unaudited", c)]
    print(f"c={c:<3} audited {a[0]:>8.0f} req/s (p50 {a[1]:.2f} ms, p99 {a[2]:.2f} ms)   unaudited {u[0]:>8.0f} req/s "
          f"(p50 {u[1]:.2f} ms, p99 {u[2]:.2f} ms)   cost {u[0] / a[0] - 1:+.0%}")
    if c == 1:
        # Alone on the disk, an audited block waits for two durable commits in turn (the intent before Weavr is
        # called, the outcome with the stored response before the answer); the unaudited one for none.
        floor = 2 * float(sys.argv[2]) / 1000
        print(f"      durability floor at c=1: 2 fdatasyncs in turn = {floor:.2f} ms = {floor / u[1]:+.0%} of the unaudited "
              f"block's p50, before any other work (target: cost <= +20%)")
PY
read -r _ _ _ db <<< "${GATEWAYS[0]}"
read -r _ _ _ udb <<< "${GATEWAYS[1]}"
echo "audit rows written: audited $(sqlite3 "$db" 'SELECT count(*) FROM audit_log'), unaudited $(sqlite3 "$udb" 'SELECT count(*) FROM audit_log') (the login's and the check's rows included)"
