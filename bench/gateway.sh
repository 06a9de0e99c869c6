#!/usr/bin/env bash
# An authenticated card read through weavr-gateway (GET /v1/cards/{id}) beside the same read through nginx
# proxy_pass (keep-alive upstream pool, nginx adding the api-key header: the shape of Weavr's own demo BFF),
# in two modes, for sessions on SQLite and on PostgreSQL:
#   simulator-bound: both in front of the simulator (one event loop encoding a full card with Foundation:
#                    it is the bound, so this shows the gateway keeps up with it, not the gateway's cost);
#   gateway-bound:   both in front of "fast Weavr", an nginx answering GET /managed_cards/{id} from memory
#                    with the simulator's own card (captured once at start) and passing everything else
#                    (the login) to the simulator, so the measured path is only the authenticated card read.
# Then GET /healthz, gateway --threads 1 vs nginx worker_processes 1.
# The server under test (gateway or nginx proxy, one thread / one worker) runs on SERVER_CPU; wrk, the
# simulator, fast Weavr and PostgreSQL on LOAD_CPU. Runs are interleaved (nginx, gateway[, baseline]) and
# repeated ROUNDS times; the summary takes the median per row and prints ratios vs nginx. Each row also gives
# the server process's user and kernel CPU time per request (/proc/<pid>/stat over the measured run; for the
# gateway on PostgreSQL, PostgreSQL's own time is not in it), so the gap to nginx can be read as work.
# Environment: DURATION (s per run, 10), WARMUP (2), CONNS ("1 64"), ROUNDS (1), BACKENDS ("sqlite postgres"),
# MODES ("simulator gateway"), HEALTHZ (1), SKIP_BUILD=1 reuses the release binary, BASELINE_BIN=path adds
# a second gateway binary (e.g. a build of an earlier commit) measured interleaved beside this one,
# BENCH_DATABASE_URL (PostgreSQL cluster URL; default: a throwaway one from scripts/postgres.sh),
# BIN (the release build) to measure another binary, HOLD=file sets everything up, writes the ports and tokens
# to the file and keeps it running (for perf by hand), SERVER_CPU (0) / LOAD_CPU (1), PROFILE=1 to end with `perf record -g` of each gateway (this one, then the
# baseline) under the gateway-bound card read at the highest c and print `perf report --no-children`'s top entries.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONNS=${CONNS:-"1 64"}
ROUNDS=${ROUNDS:-1}
BACKENDS=${BACKENDS:-"sqlite postgres"}
MODES=${MODES:-"simulator gateway"}
HEALTHZ=${HEALTHZ:-1}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
CARD=100000000000000301
BIN=${BIN:-$PWD/.build/release/weavr-gateway}
BASELINE_BIN=${BASELINE_BIN:-}
TMP=$(mktemp -d /tmp/gateway-bench.XXXXXX)
chmod 755 "$TMP"
PIDS=()
PGDIR=""
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [[ -n $PGDIR ]] && bash scripts/postgres.sh stop "$PGDIR" >/dev/null 2>&1 || true
    rm -rf "$TMP"
}
trap cleanup EXIT

echo "== weavr-gateway vs nginx proxy_pass: authenticated GET of one card"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)')"
echo "tools:   $(nginx -v 2>&1 | cut -d/ -f2), wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}')"
echo "pinning: server under test (gateway --threads 1 / nginx worker_processes 1) on CPU $SERVER_CPU;"
echo "         wrk -t1, simulator, fast Weavr (nginx, 1 worker) and PostgreSQL on CPU $LOAD_CPU"
echo "runs:    ${WARMUP}s warm-up + ${DURATION}s measured per row, c in {$CONNS}, $ROUNDS round(s), interleaved"
[[ -n $BASELINE_BIN ]] && echo "baseline: $BASELINE_BIN (row gateway-base)"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at start"
[[ ${SKIP_BUILD:-0} == 1 ]] || swift build -c release --product weavr-gateway 2>&1 | tail -1


taskset -c "$LOAD_CPU" "$BIN" simulator --port 0 --capture-limit 0 --no-admin-routes > "$TMP/sim.out" 2>&1 &
PIDS+=($!)
SIM=$(port_of "$TMP/sim.out")
WEAVR_TOKEN=$(capture_card "$SIM" "$CARD" "$TMP/card.json")

# Fast Weavr: the card from memory (the simulator's own JSON), every other call passed to the simulator.
FAST=$(free_port)
fast_weavr_conf "$TMP/fast" "$SIM" "$FAST" "$TMP/card.json" < /dev/null
taskset -c "$LOAD_CPU" nginx -p "$TMP/fast/" -e "$TMP/fast/error.log" -c "$TMP/fast/nginx.conf" &
PIDS+=($!)

# The nginx under test: proxy_pass (adding the api-key) to the simulator and to fast Weavr; /healthz.
NGX_SIM=$(free_port); NGX_FAST=$(free_port); NGX_HEALTH=$(free_port)
nginx_conf "$TMP/proxy" <<CONF
    upstream simulator { server 127.0.0.1:$SIM; keepalive 64; }
    upstream fast { server 127.0.0.1:$FAST; keepalive 64; }
    server {
        listen 127.0.0.1:$NGX_SIM;
        location / { proxy_pass http://simulator; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header api-key "sim-demo-api-key"; }
    }
    server {
        listen 127.0.0.1:$NGX_FAST;
        location / { proxy_pass http://fast; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header api-key "sim-demo-api-key"; }
    }
    server {
        listen 127.0.0.1:$NGX_HEALTH;
        location = /healthz { default_type application/json; return 200 '{"status":"ok"}'; }
    }
CONF
taskset -c "$SERVER_CPU" nginx -p "$TMP/proxy/" -e "$TMP/proxy/error.log" -c "$TMP/proxy/nginx.conf" &
PIDS+=($!)
NGX_MASTER=$!
wait_port "$FAST"; wait_port "$NGX_SIM"; wait_port "$NGX_FAST"
curl -sf "http://127.0.0.1:$NGX_FAST/managed_cards/$CARD" -H "authorization: Bearer $WEAVR_TOKEN" | cmp -s - "$TMP/card.json" \
    || { echo "fast Weavr does not answer the simulator's card"; exit 1; }
echo "upstream: fast Weavr answers the simulator's card ($(wc -c < "$TMP/card.json") bytes of JSON) from memory"

PGURL=""
if [[ " $BACKENDS " == *" postgres "* ]]; then
    if [[ -z ${BENCH_DATABASE_URL:-} ]]; then
        PGDIR=$(mktemp -d /tmp/gw-bench-cluster.XXXXXX)
        eval "$(bash scripts/postgres.sh start "$PGDIR" 2>/dev/null)"
        BENCH_DATABASE_URL=$WEAVR_GATEWAY_TEST_DATABASE_URL
    fi
    for pid in $(pgrep -x postgres); do taskset -pc "$LOAD_CPU" "$pid" > /dev/null 2>&1 || true; done
    echo "postgres: $(psql "$BENCH_DATABASE_URL" -Atc 'show server_version') on CPU $LOAD_CPU, synchronous_commit=$(psql "$BENCH_DATABASE_URL" -Atc 'show synchronous_commit')"
fi
unset WEAVR_GATEWAY_TEST_DATABASE_URL  # the gateway refuses WEAVR_GATEWAY_* variables it does not know
export GATEWAY_MASTER_KEY=$(head -c 32 /dev/urandom | base64)
echo "tenants: request-rate limits raised to 1,000,000/min so the benchmark measures the path, not the limiter"

# A database for one gateway binary on one backend, with a tenant per mode ("sim" → the simulator,
# "fast" → fast Weavr). Prints the --db argument.
make_db() {  # bin backend name
    local db
    if [[ $2 == sqlite ]]; then
        db=$TMP/$3.sqlite
    else
        local name="bench_$3_$RANDOM$RANDOM"
        psql "$BENCH_DATABASE_URL" -qc "CREATE DATABASE $name"
        db=$(python3 -c 'import sys; u=sys.argv[1]; b,_,q=u.partition("?"); print(b.rsplit("/",1)[0]+"/"+sys.argv[2]+("?"+q if q else ""))' "$BENCH_DATABASE_URL" "$name")
    fi
    for tenant in sim:$SIM fast:$FAST; do
        printf 'sim-demo-api-key' | "$1" tenant add "${tenant%%:*}" --db "$db" --name Bench \
            --weavr-base-url "http://127.0.0.1:${tenant##*:}" --prepaid-profile EUR=101 --session-mode bearer \
            --quota rate.tenant_per_minute=1000000 --quota rate.session_per_minute=1000000 > /dev/null
    done
    echo "$db"
}

start_gateway() {  # bin db name → sets GW_PORT, GW_PID
    taskset -c "$SERVER_CPU" "$1" serve --port 0 --threads 1 --db "$2" > "$TMP/$3.out" 2>&1 &
    GW_PID=$!
    PIDS+=($GW_PID)
    GW_PORT=$(port_of "$TMP/$3.out")
}

login() {  # port tenant
    curl -sf -X POST "http://127.0.0.1:$1/v1/auth/login" -H 'content-type: application/json' \
        -d "{\"tenant\":\"$2\",\"email\":\"alice@example.com\",\"password\":\"Password1!\",\"mode\":\"bearer\"}" | json_field token
}

cpu_ticks() {  # pid → "user system" clock ticks of the whole process so far
    awk '{print $14, $15}' "/proc/$1/stat"
}

run() {  # label url token conns server-pid → one row
    local out rps p50 p99 errors load requests u0 s0 u1 s1 user_us sys_us
    load=$(cut -d' ' -f1 /proc/loadavg)
    taskset -c "$LOAD_CPU" wrk -t1 -c"$4" -d"${WARMUP}s" -H "authorization: Bearer $3" "$2" > /dev/null
    read -r u0 s0 < <(cpu_ticks "$5")
    out=$(taskset -c "$LOAD_CPU" wrk -t1 -c"$4" -d"${DURATION}s" --latency -H "authorization: Bearer $3" "$2")
    read -r u1 s1 < <(cpu_ticks "$5")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    # The server's CPU per request (its user and kernel time over the measured run / requests answered).
    user_us=$(awk -v t="$((u1 - u0))" -v n="$requests" -v hz="$CLK_TCK" 'BEGIN {printf "%.1f", t * 1e6 / hz / n}')
    sys_us=$(awk -v t="$((s1 - s0))" -v n="$requests" -v hz="$CLK_TCK" 'BEGIN {printf "%.1f", t * 1e6 / hz / n}')
    p50=$(echo "$out" | awk '$1=="50%" {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    errors=$(echo "$out" | awk '/Non-2xx/ {n += $5} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}')
    printf "%-32s %5s %11s %9s %9s %7s %6s %7s %7s\n" "$1" "$4" "$rps" "$p50" "$p99" "$errors" "$load" "$user_us" "$sys_us"
    if [[ $errors != 0 ]]; then echo "  !! $1 had $errors errors or non-2xx responses: its figures are not valid" >&2; fi
    echo "$1 $4 $rps $p99 $errors $user_us $sys_us" >> "$TMP/results"
}

# Gateways: this binary (and the baseline) per backend, each with its tenants and sessions.
GATEWAYS=()  # "label port simtoken fasttoken pid"
for backend in $BACKENDS; do
    for which in gateway ${BASELINE_BIN:+gateway-base}; do
        bin=$BIN; [[ $which == gateway-base ]] && bin=$BASELINE_BIN
        db=$(make_db "$bin" "$backend" "${which//-/_}_$backend")
        start_gateway "$bin" "$db" "$which-$backend"
        sim_token=$(login "$GW_PORT" sim); fast_token=$(login "$GW_PORT" fast)
        curl -sf "http://127.0.0.1:$GW_PORT/v1/cards/$CARD" -H "authorization: Bearer $fast_token" > /dev/null \
            || { echo "$which-$backend: card read through fast Weavr failed"; exit 1; }
        GATEWAYS+=("$which-$backend $GW_PORT $sim_token $fast_token $GW_PID")
    done
done

if [[ -n ${HOLD:-} ]]; then
    # For profiling by hand: write what is running to $HOLD and keep it up until this script is stopped.
    { echo "nginx_fast=$NGX_FAST nginx_sim=$NGX_SIM nginx_health=$NGX_HEALTH weavr_token=$WEAVR_TOKEN card=$CARD"
      printf '%s\n' "${GATEWAYS[@]}"; } > "$HOLD"
    echo "holding: $HOLD (label port sim-token fast-token pid); stop this script to end"
    while true; do sleep 3600; done
fi

# The nginx under test is one worker process (worker_processes 1), a child of the master started above.
NGX_WORKER=$(pgrep -P "$NGX_MASTER" | head -1)
CLK_TCK=$(getconf CLK_TCK)
echo
echo "cpu:     user and kernel time of the server process per request (µs), from /proc/<pid>/stat over each measured run"
printf "%-32s %5s %11s %9s %9s %7s %6s %7s %7s\n" "mode/server" conns req/s p50 p99 errors load1 "user us" "sys us"
for round in $(seq "$ROUNDS"); do
    for mode in $MODES; do
        for c in $CONNS; do
            if [[ $mode == simulator ]]; then nport=$NGX_SIM; else nport=$NGX_FAST; fi
            run "$mode/nginx-proxy" "http://127.0.0.1:$nport/managed_cards/$CARD" "$WEAVR_TOKEN" "$c" "$NGX_WORKER"
            for g in "${GATEWAYS[@]}"; do
                read -r label port sim_token fast_token pid <<< "$g"
                token=$sim_token; [[ $mode == gateway ]] && token=$fast_token
                run "$mode/$label" "http://127.0.0.1:$port/v1/cards/$CARD" "$token" "$c" "$pid"
            done
        done
    done
    if [[ $HEALTHZ == 1 ]]; then
        for c in $CONNS; do
            run "healthz/nginx" "http://127.0.0.1:$NGX_HEALTH/healthz" none "$c" "$NGX_WORKER"
            read -r label port _ _ pid <<< "${GATEWAYS[0]}"
            run "healthz/${label%-*}" "http://127.0.0.1:$port/healthz" none "$c" "$pid"
            if [[ -n $BASELINE_BIN ]]; then
                read -r label port _ _ pid <<< "${GATEWAYS[1]}"
                run "healthz/${label%-*}" "http://127.0.0.1:$port/healthz" none "$c" "$pid"
            fi
        done
    fi
done
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at end"

echo
[[ -s $TMP/results ]] && python3 - "$TMP/results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
def ms(v):
    return float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000
runs = {}
for label, c, rps, p99, _, user, system in rows:
    runs.setdefault((label, c), []).append((float(rps), ms(p99), float(user), float(system)))
med = {k: tuple(statistics.median(x[i] for x in v) for i in range(4)) for k, v in runs.items()}
print("median of rounds; ratio = req/s of the row / req/s of nginx in the same mode and c;")
print("cpu = the server's user + kernel µs per request against nginx's (the gap is the gateway's own work)")
for (label, c), (rps, p99, user, system) in med.items():
    mode, server = label.split("/", 1)
    if server.startswith("nginx"):
        continue
    ref = med.get((f"{mode}/nginx-proxy" if mode != "healthz" else "healthz/nginx", c))
    head = f"{mode:>9}-bound" if mode != "healthz" else f"{'healthz':>15}"
    print(f"{head}  c={c:<3} {server:<24} {rps:>10.0f} req/s  {rps / ref[0]:.2f}x nginx ({ref[0]:.0f} req/s)  p99 {p99:.2f} ms vs {ref[1]:.2f} ms"
          f"  cpu {user:.1f}+{system:.1f} us vs {ref[2]:.1f}+{ref[3]:.1f} us")
PY

if [[ ${PROFILE:-0} == 1 ]]; then
    c=$(echo "$CONNS" | tr ' ' '\n' | sort -n | tail -1)
    for g in "${GATEWAYS[@]}"; do
        read -r label port _ fast_token pid <<< "$g"
        echo
        echo "-- profile: $label, gateway-bound card read, c=$c, ${DURATION}s: perf record -g -p $pid; perf report --no-children (top 25)"
        taskset -c "$LOAD_CPU" wrk -t1 -c"$c" -d"$((DURATION + 2))s" -H "authorization: Bearer $fast_token" "http://127.0.0.1:$port/v1/cards/$CARD" > "$TMP/profile-wrk.txt" &
        wrk_pid=$!
        sleep 1
        perf record -q -g -F 999 -p "$pid" -o "$TMP/perf.data" -- sleep "$DURATION" > /dev/null 2>&1
        wait "$wrk_pid"
        echo "   (under it: $(awk '/Requests\/sec/ {print $2}' "$TMP/profile-wrk.txt") req/s; load $(cut -d' ' -f1 /proc/loadavg))"
        echo "   by shared object:"
        perf report -i "$TMP/perf.data" --no-children --stdio --sort dso -g none 2>/dev/null \
            | grep -v '^#' | grep -v '^$' | head -8 || true
        echo "   by symbol:"
        perf report -i "$TMP/perf.data" --no-children --stdio --sort dso,symbol --percent-limit 0.5 -g none 2>/dev/null \
            | grep -v '^#' | grep -v '^$' | head -25 | swift demangle --simplified | cut -c1-150 || true
    done
fi
