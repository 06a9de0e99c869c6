#!/usr/bin/env bash
# Weavr client throughput: WeavrClient.getCard through NIOFreeHTTP's pooled client vs wrk, both against
# the same in-process demo simulator (GET /managed_cards/{id} with api-key + bearer). ~1 minute.
# Knobs (environment): DURATION (s per run, 15), CONCURRENCY (32), PIN (1: simulator on CPU 0, load on CPU 1),
# SKIP_BUILD (1: reuse the release binary). The benchmark's source: bench/upstream-bench/main.swift (target upstream-bench).
set -euo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0; fi
cd "$(dirname "$0")/.."

DURATION=${DURATION:-15}
CONCURRENCY=${CONCURRENCY:-32}
PIN=${PIN:-1}
SKIP_BUILD=${SKIP_BUILD:-0}
CARD=100000000000000301
API_KEY=sim-demo-api-key
BIN=.build/release/upstream-bench
SIM_PID=""
OUT=$(mktemp /tmp/upstream-bench.XXXXXX)

cleanup() {
    [[ -n $SIM_PID ]] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null || true
    rm -f "$OUT"
}
trap cleanup EXIT

pin() {  # pin CPU command...: taskset when PIN=1 and available
    local cpu=$1; shift
    if [[ $PIN == 1 ]] && command -v taskset >/dev/null; then taskset -c "$cpu" "$@"; else "$@"; fi
}

[[ $SKIP_BUILD == 1 ]] || swift build -c release --product upstream-bench 2>&1 | tail -1
command -v wrk >/dev/null || { echo "wrk not found"; exit 1; }

pin 0 "$BIN" serve --port 0 >"$OUT" &
SIM_PID=$!
for _ in $(seq 100); do grep -q '^port=' "$OUT" && break; sleep 0.05; done
PORT=$(sed -n 's/^port=//p' "$OUT")
URL=http://127.0.0.1:$PORT
echo "simulator: $URL (pid $SIM_PID), duration ${DURATION}s, concurrency $CONCURRENCY"

TOKEN=$(curl -sS -X POST "$URL/login_with_password" -H "api-key: $API_KEY" -H 'content-type: application/json' \
    -d '{"email":"alice@example.com","password":{"value":"Password1!"}}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
status=$(curl -s -o /dev/null -w '%{http_code}' "$URL/managed_cards/$CARD" -H "api-key: $API_KEY" -H "Authorization: Bearer $TOKEN")
[[ $status == 200 ]] || { echo "probe GET failed: $status"; exit 1; }

CLIENT_LINE=$(pin 1 "$BIN" run --url "$URL" --concurrency "$CONCURRENCY" --duration "$DURATION" --card "$CARD")
echo "$CLIENT_LINE"
CLIENT_RPS=$(sed -n 's/.*: \([0-9]*\) req\/s.*/\1/p' <<<"$CLIENT_LINE")

WRK_OUT=$(pin 1 wrk -t1 -c"$CONCURRENCY" -d"${DURATION}s" -H "api-key: $API_KEY" -H "Authorization: Bearer $TOKEN" "$URL/managed_cards/$CARD")
WRK_RPS=$(awk '/Requests\/sec/ {printf "%d", $2}' <<<"$WRK_OUT")
NON2XX=$(awk '/Non-2xx/ {print $NF}' <<<"$WRK_OUT")
echo "wrk: $WRK_RPS req/s, -c $CONCURRENCY${NON2XX:+, non-2xx $NON2XX}"
echo "$WRK_OUT" | grep -E 'Latency' | sed 's/^ */wrk latency (avg stdev max): /'

python3 - "$CLIENT_RPS" "$WRK_RPS" <<'PY'
import sys
client, wrk = (float(x or 0) for x in sys.argv[1:3])
print(f"ratio WeavrClient / wrk: {client / wrk:.2f}" if wrk else "ratio: n/a")
PY
