#!/usr/bin/env bash
# An authenticated card read through weavr-gateway (GET /v1/cards/{id}) beside the same read through
# nginx proxy_pass (keep-alive upstream, nginx adding the api-key header: the shape of Weavr's own demo
# BFF), both in front of the same simulator. wrk at c=1 and c=64; req/s, p50, p99, ratio, added p99.
# Environment: DURATION (s per run, 10), CONNS ("1 64"), SKIP_BUILD=1 to reuse the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNS=${CONNS:-"1 64"}
CARD=100000000000000301
BIN=$PWD/.build/release/weavr-gateway
TMP=$(mktemp -d /tmp/gateway-bench.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

echo "== weavr-gateway vs nginx proxy_pass: authenticated GET of one card"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "pinning: server under test on CPU 0; simulator and wrk on CPU 1"
[[ ${SKIP_BUILD:-0} == 1 ]] || swift build -c release --product weavr-gateway 2>&1 | tail -1

port_of() { for _ in $(seq 100); do p=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$1" 2>/dev/null | grep -o '[0-9]*$' || true); [[ -n $p ]] && { echo "$p"; return; }; sleep 0.05; done; echo "no port in $1" >&2; exit 1; }

taskset -c 1 "$BIN" simulator --port 0 --capture-limit 0 --no-admin-routes > "$TMP/sim.out" 2>&1 &
PIDS+=($!)
SIM=$(port_of "$TMP/sim.out")

export GATEWAY_MASTER_KEY=$(head -c 32 /dev/urandom | base64)
printf 'sim-demo-api-key' | "$BIN" tenant add bench --db "$TMP/gw.sqlite" --name Bench \
    --weavr-base-url "http://127.0.0.1:$SIM" --prepaid-profile EUR=101 --session-mode bearer \
    --quota rate.tenant_per_minute=1000000 --quota rate.session_per_minute=1000000 > /dev/null
echo "tenant:  request-rate limits raised to 1,000,000/min so the benchmark measures the path, not the limiter"
taskset -c 0 "$BIN" serve --port 0 --threads 1 --db "$TMP/gw.sqlite" > "$TMP/gw.out" 2>&1 &
PIDS+=($!)
GW=$(port_of "$TMP/gw.out")

mkdir -p "$TMP/nginx"
NGINX_PORT=$((20000 + RANDOM % 20000))
cat > "$TMP/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000000;
    client_body_temp_path $TMP/nginx/body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    upstream weavr { server 127.0.0.1:$SIM; keepalive 64; }
    server {
        listen 127.0.0.1:$NGINX_PORT reuseport;
        location / {
            proxy_pass http://weavr;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header api-key "sim-demo-api-key";
        }
    }
}
CONF
taskset -c 0 nginx -p "$TMP/nginx/" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" &
PIDS+=($!)
sleep 0.5

GW_TOKEN=$(curl -sf -X POST "http://127.0.0.1:$GW/v1/auth/login" -H 'content-type: application/json' \
    -d '{"tenant":"bench","email":"alice@example.com","password":"Password1!","mode":"bearer"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
WEAVR_TOKEN=$(curl -sf -X POST "http://127.0.0.1:$NGINX_PORT/login_with_password" -H 'content-type: application/json' \
    -d '{"email":"alice@example.com","password":{"value":"Password1!"}}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
curl -sf "http://127.0.0.1:$GW/v1/cards/$CARD" -H "authorization: Bearer $GW_TOKEN" > /dev/null || { echo "gateway card read failed"; exit 1; }
curl -sf "http://127.0.0.1:$NGINX_PORT/managed_cards/$CARD" -H "authorization: Bearer $WEAVR_TOKEN" > /dev/null || { echo "nginx card read failed"; exit 1; }

run() {  # name url token conns
    local out
    taskset -c 1 wrk -t1 -c"$4" -d2s -H "authorization: Bearer $3" "$2" > /dev/null
    echo "+ taskset -c 1 wrk -t1 -c$4 -d${DURATION}s --latency -H 'authorization: Bearer …' $2" >&2
    out=$(taskset -c 1 wrk -t1 -c"$4" -d"${DURATION}s" --latency -H "authorization: Bearer $3" "$2")
    local rps p50 p99 errors
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1=="50%" {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    errors=$(echo "$out" | awk '/Non-2xx/ {print $5}')
    printf "%-14s %5s %11s %9s %9s %7s\n" "$1" "$4" "$rps" "$p50" "$p99" "${errors:-0}"
    if [[ -n $errors && $errors != 0 ]]; then echo "  !! $1 answered $errors non-2xx responses: the figures above are not valid" >&2; fi
    echo "$1 $4 $rps $p99" >> "$TMP/results"
}

echo
printf "%-14s %5s %11s %9s %9s %7s\n" server conns req/s p50 p99 non-2xx
for c in $CONNS; do
    run weavr-gateway "http://127.0.0.1:$GW/v1/cards/$CARD" "$GW_TOKEN" "$c"
    run nginx-proxy "http://127.0.0.1:$NGINX_PORT/managed_cards/$CARD" "$WEAVR_TOKEN" "$c"
done
echo
python3 - "$TMP/results" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1])]
def ms(v):
    return float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000
by = {(r[0], r[1]): (float(r[2]), ms(r[3])) for r in rows}
for c in sorted({r[1] for r in rows}, key=int):
    g, n = by[("weavr-gateway", c)], by[("nginx-proxy", c)]
    print(f"c={c}: throughput ratio gateway/nginx {g[0] / n[0]:.2f}, p99 gateway {g[1]:.2f} ms vs nginx {n[1]:.2f} ms (added {g[1] - n[1]:+.2f} ms)")
PY
