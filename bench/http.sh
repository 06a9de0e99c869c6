#!/usr/bin/env bash
# HTTP/1.1 keep-alive throughput, latency and memory: weavr-gateway vs nginx serving the same /healthz.
# See bench/README.md. All knobs are environment variables, printed at start.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD

W=${W:-1}                          # gateway --threads and nginx worker_processes
DURATION=${DURATION:-10}           # seconds per measured wrk run
WARMUP=${WARMUP:-2}                # seconds per warm-up wrk run (not reported)
CONNS=${CONNS:-"1 64 256"}         # wrk -c values
WRK_THREADS=${WRK_THREADS:-1}      # wrk -t
HOLD_N=${HOLD_N:-10000}            # idle keep-alive connections for the memory test
SETTLE=${SETTLE:-2}                # seconds to wait before reading RSS
PIN=${PIN:-1}                      # 1: pin with taskset; 0: no pinning
SERVER_CPUS=${SERVER_CPUS:-0}      # taskset -c list for both servers
WRK_CPUS=${WRK_CPUS:-1}            # taskset -c list for wrk and the connection holder
SKIP_BUILD=${SKIP_BUILD:-0}        # 1: use the existing release binary
KEEP_TMP=${KEEP_TMP:-0}            # 1: keep the temp dir (nginx config, raw wrk output, logs)

TMP=$(mktemp -d /tmp/weavr-bench.XXXXXX)
GW_PID="" NGINX_PID="" HOLD_PID="" WRK_PID="" NGINX_WORKERS=""

say() { printf '%s\n' "$*"; }
cmd() { printf '+'; printf ' %q' "$@"; printf '\n'; }   # print a command exactly as run

stop_pid() {  # stop_pid PID NAME: SIGTERM, wait up to 5 s, then SIGKILL
    local pid=$1 name=$2 i
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        say "cleanup: $name ($pid) ignored SIGTERM for 5 s, sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    local status=0
    wait "$pid" 2>/dev/null || status=$?
    case $name in
        weavr-gateway|nginx)
            if (( status > 128 )); then say "cleanup: $name exited by signal $((status - 128)) (status $status)"
            else say "cleanup: $name exited with status $status"; fi ;;
    esac
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_pid "$WRK_PID" wrk
    stop_pid "$HOLD_PID" hold_connections
    stop_pid "$GW_PID" weavr-gateway
    stop_pid "$NGINX_PID" nginx
    local w
    for w in $NGINX_WORKERS; do stop_pid "$w" nginx-worker; done
    if [[ $KEEP_TMP == 1 ]]; then say "kept $TMP"; else rm -rf "$TMP"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ $PIN == 1 ]]; then
    SERVER_PIN=(taskset -c "$SERVER_CPUS")
    CLIENT_PIN=(taskset -c "$WRK_CPUS")
else
    SERVER_PIN=()
    CLIENT_PIN=()
fi

for tool in wrk nginx python3 curl; do
    command -v "$tool" >/dev/null || { say "missing $tool (apt-get install -y wrk nginx curl python3)"; exit 1; }
done
[[ $PIN == 1 ]] && { command -v taskset >/dev/null || { say "missing taskset (util-linux)"; exit 1; }; }

# 10k connections need 10k+ descriptors in the gateway, nginx workers and the holder (all inherit this).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
NOFILE=$(ulimit -n)

# ---------------------------------------------------------------- machine and settings
say "== weavr-gateway vs nginx: HTTP/1.1 keep-alive GET /healthz"
say "date:      $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
say "machine:   nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
say "kernel:    $(uname -srm)"
gov=/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor
[[ -r $gov ]] && say "governor:  $(cat $gov)"
say "swift:     $(swift --version 2>&1 | head -1)"
say "nginx:     $(nginx -v 2>&1 | sed 's/^nginx version: //')"
say "wrk:       $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
say "python:    $(python3 --version 2>&1)"
say "commit:    $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (dirty)')"
say "loadavg:   $(cut -d' ' -f1-3 /proc/loadavg) (start)"
if [[ $PIN == 1 ]]; then
    say "settings:  W=$W  PIN=1 SERVER_CPUS=$SERVER_CPUS WRK_CPUS=$WRK_CPUS"
else
    say "settings:  W=$W  PIN=0 (no taskset)"
fi
say "           DURATION=${DURATION}s WARMUP=${WARMUP}s CONNS='$CONNS' WRK_THREADS=$WRK_THREADS HOLD_N=$HOLD_N ulimit -n=$NOFILE"
say ""

# ---------------------------------------------------------------- build
if [[ $SKIP_BUILD != 1 ]]; then
    cmd swift build -c release --product weavr-gateway
    t0=$SECONDS
    if ! swift build -c release --product weavr-gateway >"$TMP/build.log" 2>&1; then
        cat "$TMP/build.log"; exit 1
    fi
    say "  built in $((SECONDS - t0))s"
fi
GW_BIN=${BIN:-"$(swift build -c release --show-bin-path)/weavr-gateway"}  # BIN=path measures another build
[[ -x $GW_BIN ]] || { say "no binary at $GW_BIN"; exit 1; }

# ---------------------------------------------------------------- start weavr-gateway
cmd "${SERVER_PIN[@]}" "$GW_BIN" serve --host 127.0.0.1 --port 0 --threads "$W"
"${SERVER_PIN[@]}" "$GW_BIN" serve --host 127.0.0.1 --port 0 --threads "$W" >"$TMP/gw.out" 2>"$TMP/gw.err" &
GW_PID=$!
for _ in $(seq 100); do grep -q 'listening on' "$TMP/gw.out" 2>/dev/null && break; sleep 0.1; done
GW_PORT=$(sed -n 's|^weavr-gateway listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$TMP/gw.out")
[[ -n $GW_PORT ]] || { say "weavr-gateway did not start:"; cat "$TMP/gw.out" "$TMP/gw.err"; exit 1; }

# ---------------------------------------------------------------- start nginx
NGINX_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
WORKER_CONNECTIONS=$((HOLD_N + 4096))
mkdir -p "$TMP/nginx"
cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes $W;
worker_rlimit_nofile $NOFILE;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events {
    worker_connections $WORKER_CONNECTIONS;
}
http {
    access_log off;
    keepalive_requests 1000000000;
    keepalive_timeout 120s;
    client_body_temp_path $TMP/nginx/client_body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT reuseport;
        location = /healthz {
            default_type application/json;
            return 200 '{"status":"ok"}';
        }
    }
}
EOF
cmd "${SERVER_PIN[@]}" nginx -p "$TMP/nginx/" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf"
say "  nginx.conf:"
sed 's/^/    | /' "$TMP/nginx/nginx.conf"
"${SERVER_PIN[@]}" nginx -p "$TMP/nginx/" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" \
    >"$TMP/nginx/stdout.log" 2>&1 &
NGINX_PID=$!
for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/healthz" && break
    kill -0 "$NGINX_PID" 2>/dev/null || break
    sleep 0.1
done
NGINX_WORKERS=$(cat "/proc/$NGINX_PID/task/$NGINX_PID/children" 2>/dev/null || pgrep -P "$NGINX_PID" || true)
[[ -n $NGINX_WORKERS ]] || { say "nginx did not start:"; cat "$TMP/nginx/stdout.log" "$TMP/nginx/error.log" 2>/dev/null; exit 1; }

say ""
say "weavr-gateway pid $GW_PID port $GW_PORT threads $W; nginx master $NGINX_PID workers $(echo $NGINX_WORKERS) port $NGINX_PORT"
for pid in $GW_PID $NGINX_PID $NGINX_WORKERS; do
    say "  pid $pid affinity: $(taskset -cp "$pid" 2>/dev/null | sed 's/.*: //')"
done

# Both must answer 200 with the same body; show the full responses (headers differ a little).
for pair in "weavr-gateway $GW_PORT" "nginx $NGINX_PORT"; do
    set -- $pair
    say "  $1 GET /healthz:"
    curl -si "http://127.0.0.1:$2/healthz" | tr -d '\r' | sed 's/^/    | /'
    echo
    body=$(curl -s "http://127.0.0.1:$2/healthz")
    [[ $body == '{"status":"ok"}' ]] || { say "$1: unexpected body: $body"; exit 1; }
done

# ---------------------------------------------------------------- memory helpers
rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
gw_rss() { rss_kb "$GW_PID"; }
nginx_rss() {  # "total master workers" in kB (sum of VmRSS: shared pages counted in each process)
    local m w=0 p
    m=$(rss_kb "$NGINX_PID")
    for p in $NGINX_WORKERS; do w=$((w + $(rss_kb "$p"))); done
    echo "$((m + w)) $m $w"
}
mb() { awk -v k="$1" 'BEGIN{printf "%.1f MB", k/1024}'; }

read -r NG_FRESH_T NG_FRESH_M NG_FRESH_W <<<"$(nginx_rss)"
GW_FRESH=$(gw_rss)

# ---------------------------------------------------------------- throughput
to_ms() {  # wrk latency (123.45us / 1.23ms / 1.02s) -> milliseconds
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
        else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.3f", v * 60000 }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
        else printf "?" }'
}

run_wrk() {  # run_wrk OUTFILE DURATION C PORT  (in the background so the trap can stop it)
    local out=$1 d=$2 c=$3 port=$4
    [[ $d == "$DURATION" ]] && cmd "${CLIENT_PIN[@]}" wrk -t"$WRK_THREADS" -c"$c" -d"${d}s" --latency "http://127.0.0.1:$port/healthz"
    "${CLIENT_PIN[@]}" wrk -t"$WRK_THREADS" -c"$c" -d"${d}s" --latency "http://127.0.0.1:$port/healthz" >"$out" 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID" || { say "wrk failed:"; cat "$out"; exit 1; }
    WRK_PID=""
}

declare -A RPS P50 P99 ERR
say ""
if (( WARMUP > 0 )); then
    say "== throughput (wrk keep-alive; per server and connection count: ${WARMUP}s warm-up, then ${DURATION}s measured)"
    say "(each measured run below is preceded by the same command with -d${WARMUP}s as warm-up)"
else
    say "== throughput (wrk keep-alive; no warm-up, ${DURATION}s measured)"
fi
for c in $CONNS; do
    for pair in "weavr-gateway $GW_PORT" "nginx $NGINX_PORT"; do
        set -- $pair
        name=$1 port=$2
        (( WARMUP > 0 )) && run_wrk "$TMP/warmup-$name-$c.txt" "$WARMUP" "$c" "$port"
        f="$TMP/wrk-$name-$c.txt"
        run_wrk "$f" "$DURATION" "$c" "$port"
        RPS[$name,$c]=$(awk '/^Requests\/sec:/{print $2}' "$f")
        P50[$name,$c]=$(to_ms "$(awk '$1=="50%"{print $2}' "$f")")
        P99[$name,$c]=$(to_ms "$(awk '$1=="99%"{print $2}' "$f")")
        non2xx=$(awk '/Non-2xx/{print $NF}' "$f"); non2xx=${non2xx:-0}
        sockerr=$(awk '/Socket errors/{gsub(",", ""); print $4 + $6 + $8 + $10}' "$f"); sockerr=${sockerr:-0}
        ERR[$name,$c]=$((non2xx + sockerr))
        [[ ${ERR[$name,$c]} == 0 ]] || { say "  $name c=$c: errors in wrk output:"; sed 's/^/    | /' "$f"; }
    done
done

say ""
printf '%-14s %6s %12s %10s %10s %7s\n' server conns 'req/s' 'p50 ms' 'p99 ms' errors
for c in $CONNS; do
    for name in weavr-gateway nginx; do
        printf '%-14s %6s %12s %10s %10s %7s\n' "$name" "$c" "${RPS[$name,$c]}" "${P50[$name,$c]}" "${P99[$name,$c]}" "${ERR[$name,$c]}"
    done
done
say ""
for c in $CONNS; do
    awk -v c="$c" -v g="${RPS[weavr-gateway,$c]}" -v n="${RPS[nginx,$c]}" \
        'BEGIN { printf "ratio gateway/nginx req/s at c=%-4s %.2f\n", c, (n > 0 ? g / n : 0) }'
done

# ---------------------------------------------------------------- memory
say ""
say "== memory (VmRSS from /proc/PID/status; nginx = master + $W worker(s), summed)"
read -r NG_IDLE_T NG_IDLE_M NG_IDLE_W <<<"$(nginx_rss)"
GW_IDLE=$(gw_rss)

hold() {  # hold NAME PORT -> sets HELD_RSS / HELD_INFO
    local name=$1 port=$2 out="$TMP/hold-$1.out"
    cmd "${CLIENT_PIN[@]}" python3 bench/hold_connections.py --port "$port" -n "$HOLD_N"
    "${CLIENT_PIN[@]}" python3 "$ROOT/bench/hold_connections.py" --port "$port" -n "$HOLD_N" >"$out" 2>"$TMP/hold-$name.err" &
    HOLD_PID=$!
    for _ in $(seq 600); do
        grep -q '^ready' "$out" 2>/dev/null && break
        kill -0 "$HOLD_PID" 2>/dev/null || break
        sleep 0.1
    done
    grep -q '^ready' "$out" || { say "hold_connections failed:"; cat "$out" "$TMP/hold-$name.err"; exit 1; }
    sleep "$SETTLE"
    if [[ $name == nginx ]]; then HELD_RSS=$(nginx_rss); else HELD_RSS=$(gw_rss); fi
    kill -USR1 "$HOLD_PID"
    wait "$HOLD_PID" || true
    HOLD_PID=""
    HELD_INFO="$(grep '^ready' "$out" | cut -d' ' -f2-); after RSS read: $(grep '^still_open' "$out" || echo 'still_open=?')"
    [[ -s $TMP/hold-$name.err ]] && sed 's/^/    | /' "$TMP/hold-$name.err"
    sleep 1  # let the server close them before the next phase
}

hold weavr-gateway "$GW_PORT"; GW_HELD=$HELD_RSS; GW_HELD_INFO=$HELD_INFO
hold nginx "$NGINX_PORT"; read -r NG_HELD_T NG_HELD_M NG_HELD_W <<<"$HELD_RSS"; NG_HELD_INFO=$HELD_INFO

say ""
printf '%-14s %16s %16s %22s %14s\n' server 'fresh (start)' 'idle (after wrk)' "with $HOLD_N idle conns" 'per conn'
printf '%-14s %16s %16s %22s %14s\n' weavr-gateway "$(mb "$GW_FRESH")" "$(mb "$GW_IDLE")" "$(mb "$GW_HELD")" \
    "$(awk -v a="$GW_HELD" -v b="$GW_IDLE" -v n="$HOLD_N" 'BEGIN{printf "%.2f kB", (a-b)/n}')"
printf '%-14s %16s %16s %22s %14s\n' nginx "$(mb "$NG_FRESH_T")" "$(mb "$NG_IDLE_T")" "$(mb "$NG_HELD_T")" \
    "$(awk -v a="$NG_HELD_T" -v b="$NG_IDLE_T" -v n="$HOLD_N" 'BEGIN{printf "%.2f kB", (a-b)/n}')"
say "  nginx split master/workers: fresh $NG_FRESH_M/$NG_FRESH_W kB, idle $NG_IDLE_M/$NG_IDLE_W kB, held $NG_HELD_M/$NG_HELD_W kB"
say "  weavr-gateway holder: $GW_HELD_INFO"
say "  nginx holder:         $NG_HELD_INFO"
say "  (connections come from source addresses 127.0.0.2, .3, ... at 1000 each: the gateway allows 1024 per IP)"

say ""
say "loadavg:   $(cut -d' ' -f1-3 /proc/loadavg) (end); total ${SECONDS}s"
