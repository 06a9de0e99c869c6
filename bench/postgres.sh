#!/usr/bin/env bash
# Several instances on PostgreSQL beside one instance on SQLite, all on this machine:
#   1. audited card blocks/unblocks per second (POST /v1/cards/{id}/block|unblock: quota, intent row, Weavr,
#      outcome row) — two gateways on one PostgreSQL (wrk c=32 on each, at once) vs one gateway on SQLite (c=64);
#   2. p50/p99 of an authenticated card read (GET /v1/cards/{id}) on PostgreSQL vs SQLite, c=1 and c=64;
#   3. revocation propagation: logout on A until B answers 401, and `keys retire` until both answer 401 (p50/p99).
# Everything (PostgreSQL, the simulator, the gateways, wrk) shares the machine's cores: the figures are
# bounded by that, and the script prints the core count. Environment: DURATION (s per wrk run, 10),
# SKIP_BUILD=1 to reuse the release binary, BENCH_DATABASE_URL (a cluster URL; default: a throwaway one).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

DURATION=${DURATION:-10}
BIN=$PWD/.build/release/weavr-gateway
TMP=$(mktemp -d /tmp/pg-bench.XXXXXX)
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

echo "== weavr-gateway: several instances on PostgreSQL vs one on SQLite"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "note:    no pinning: PostgreSQL, simulator, gateways and wrk share all $(nproc) cores"
[[ ${SKIP_BUILD:-0} == 1 ]] || swift build -c release --product weavr-gateway 2>&1 | tail -1

if [[ -z ${BENCH_DATABASE_URL:-} ]]; then
    PGDIR=$(mktemp -d /tmp/pg-bench-cluster.XXXXXX)
    eval "$(bash scripts/postgres.sh start "$PGDIR" 2>/dev/null)"
    BENCH_DATABASE_URL=$WEAVR_GATEWAY_TEST_DATABASE_URL
fi
unset WEAVR_GATEWAY_TEST_DATABASE_URL  # the gateway refuses WEAVR_GATEWAY_* variables it does not know
DBNAME=bench_$RANDOM$RANDOM
psql "$BENCH_DATABASE_URL" -qc "CREATE DATABASE $DBNAME"
PGURL=$(python3 -c 'import sys; u=sys.argv[1]; b,_,q=u.partition("?"); print(b.rsplit("/",1)[0]+"/"+sys.argv[2]+("?"+q if q else ""))' "$BENCH_DATABASE_URL" "$DBNAME")
echo "postgres: $(psql "$BENCH_DATABASE_URL" -Atc 'show server_version'), synchronous_commit=$(psql "$BENCH_DATABASE_URL" -Atc 'show synchronous_commit'), fsync=$(psql "$BENCH_DATABASE_URL" -Atc 'show fsync')"


"$BIN" simulator --port 0 --capture-limit 0 --no-admin-routes > "$TMP/sim.out" 2>&1 &
PIDS+=($!)
SIM=$(port_of "$TMP/sim.out")
export GATEWAY_MASTER_KEY=$(head -c 32 /dev/urandom | base64)
QUOTAS=(--quota rate.tenant_per_minute=1000000 --quota rate.session_per_minute=1000000
        --quota cards.block=10000000 --quota cards.unblock=10000000 --quota cards.issue=1000)
for db in "$PGURL" "$TMP/gw.sqlite"; do
    printf 'sim-demo-api-key' | "$BIN" tenant add bench --db "$db" --name Bench \
        --weavr-base-url "http://127.0.0.1:$SIM" --prepaid-profile EUR=101 --session-mode bearer "${QUOTAS[@]}" > /dev/null
done
echo "tenant:  rate limits and block quotas raised so the benchmark measures the path, not the limiters"

# CPU seconds (user + system) a set of processes has used so far, from /proc/PID/stat.
cpu_of() { python3 - "$@" <<'PY'
import os, sys
hz = os.sysconf("SC_CLK_TCK"); total = 0
for pid in sys.argv[1:]:
    try: fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError: continue
    total += int(fields[11]) + int(fields[12])
print(f"{total / hz:.2f}")
PY
}
idle_of() { awk '/^cpu /{print $5 + $6}' /proc/stat; }  # idle + iowait ticks of the whole machine
postgres_pids() { pgrep -x postgres | tr '\n' ' '; }

# Started in this shell, not in a `$(…)` subshell: a subshell's `PIDS+=` is lost, and then the CPU figures below
# measured the simulator (PIDS[-1]) instead of the gateways, and cleanup left the gateways running.
start() { # name db → STARTED (its pid)
    WEAVR_GATEWAY_RATE_LIMITS_LOGIN_PER_CLIENT_IP_PER_MINUTE=1000000 "$BIN" serve --port 0 --threads 1 --db "$2" > "$TMP/$1.out" 2>&1 &
    STARTED=$!
    PIDS+=($STARTED)
}
start a "$PGURL"; PID_A=$STARTED; A=$(port_of "$TMP/a.out")
start b "$PGURL"; PID_B=$STARTED; B=$(port_of "$TMP/b.out")
start s "$TMP/gw.sqlite"; PID_S=$STARTED; S=$(port_of "$TMP/s.out")
PID_SIM=${PIDS[0]}

login() { curl -s -X POST "http://127.0.0.1:$1/v1/auth/login" -H 'content-type: application/json' \
    -d '{"tenant":"bench","email":"alice@example.com","password":"Password1!","mode":"bearer"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
TOKEN_PG=$(login "$A"); TOKEN_SQ=$(login "$S")

# 128 fresh cards per store. Each wrk thread cycles over its own 64 (PostgreSQL: A the first 64, B the others) or
# 128 (SQLite), blocking then unblocking each in turn: with at most 32 or 64 requests in flight, no two requests
# ever meet on one card, so every response is a 2xx and the figures are the audited path, not 409s.
make_cards() { # port token file
    for i in $(seq 128); do
        curl -s -X POST "http://127.0.0.1:$1/v1/cards" -H "authorization: Bearer $2" -H 'content-type: application/json' \
            -d "{\"name\":\"Bench $i\",\"nameOnCard\":\"Alice Admin\",\"currency\":\"EUR\",\"mode\":\"prepaid\",\"billingAddress\":{\"line1\":\"1 Main Street\",\"city\":\"London\",\"postCode\":\"N1 9GU\",\"country\":\"GB\"}}" \
            | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
    done > "$3"
}
make_cards "$A" "$TOKEN_PG" "$TMP/cards-pg"; make_cards "$S" "$TOKEN_SQ" "$TMP/cards-sq"
head -64 "$TMP/cards-pg" > "$TMP/cards-pg-a"; tail -n +65 "$TMP/cards-pg" > "$TMP/cards-pg-b"
echo "cards:   $(wc -l < "$TMP/cards-pg") on PostgreSQL (64 for A's wrk, 64 for B's), $(wc -l < "$TMP/cards-sq") on SQLite"

cat > "$TMP/toggle.lua" <<'LUA'
-- One thread cycles over its cards, blocking then unblocking each in turn.
local cards, state, n = {}, {}, 0
function init(args)
    for line in io.lines(args[1]) do cards[#cards + 1] = line end
end
function request()
    n = n + 1
    local card = cards[(n % #cards) + 1]
    local action = state[card] and "unblock" or "block"
    state[card] = not state[card]
    return wrk.format("POST", "/v1/cards/" .. card .. "/" .. action, { ["authorization"] = "Bearer " .. token, ["content-length"] = "0" })
end
local shown = false
function response(status, headers, body)
    if status >= 300 and not shown then shown = true; io.stderr:write("first non-2xx: " .. status .. " " .. body .. "\n") end
end
LUA

summary() { # file → "req/s p50 p99 non2xx"
    python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
def lat(p):
    m = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)" % p, text)
    if not m: return "?"
    v, u = float(m.group(1)), m.group(2)
    return "%.2fms" % (v / 1000 if u == "us" else v * 1000 if u == "s" else v)
non = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
print(rps, lat(50), lat(99), non.group(1) if non else "0")
PY
}

echo
echo "-- 1. audited card blocks/unblocks per second (${DURATION}s)"
sed "s/token/\"$TOKEN_PG\"/" "$TMP/toggle.lua" > "$TMP/toggle-pg.lua"
cpu_before=("$(cpu_of $PID_A $PID_B)" "$(cpu_of $PID_SIM)" "$(cpu_of $(postgres_pids))" "$(idle_of)")
wrk -t1 -c32 -d"${DURATION}s" --latency -s "$TMP/toggle-pg.lua" "http://127.0.0.1:$A" -- "$TMP/cards-pg-a" > "$TMP/wrk-$A.txt" 2>>"$TMP/wrk-errors.txt" &
wrk -t1 -c32 -d"${DURATION}s" --latency -s "$TMP/toggle-pg.lua" "http://127.0.0.1:$B" -- "$TMP/cards-pg-b" > "$TMP/wrk-$B.txt" 2>>"$TMP/wrk-errors.txt" &
wait %?wrk 2>/dev/null || true; sleep 0.5
while pgrep -f "wrk -t1 -c32" >/dev/null; do sleep 0.2; done
cpu_after=("$(cpu_of $PID_A $PID_B)" "$(cpu_of $PID_SIM)" "$(cpu_of $(postgres_pids))" "$(idle_of)")
read -r ra pa qa na < <(summary "$TMP/wrk-$A.txt"); read -r rb pb qb nb < <(summary "$TMP/wrk-$B.txt")
printf "  PostgreSQL, 2 instances, c=32+32:  %8.0f req/s (A %s + B %s), p50 %s/%s, p99 %s/%s, non-2xx %s\n" \
    "$(python3 -c "print($ra+$rb)")" "$ra" "$rb" "$pa" "$pb" "$qa" "$qb" "$((na + nb))"
python3 - "$DURATION" "${cpu_before[@]}" "${cpu_after[@]}" <<'PY'
import os, sys
d = float(sys.argv[1]); b = list(map(float, sys.argv[2:6])); a = list(map(float, sys.argv[6:10]))
used = [x - y for x, y in zip(a, b)]
idle = used[3] / os.sysconf("SC_CLK_TCK") / d
print("  CPU during it (cores busy, of %d): gateways A+B %.2f, simulator %.2f, PostgreSQL %.2f, the rest (wrk, kernel) %.2f; idle %.2f"
      % (os.cpu_count(), used[0] / d, used[1] / d, used[2] / d, max(0, os.cpu_count() - idle - sum(used[:3]) / d), idle))
PY
sed "s/token/\"$TOKEN_SQ\"/" "$TMP/toggle.lua" > "$TMP/toggle-sq.lua"; cpu_before=("$(cpu_of $PID_S)" "$(cpu_of $PID_SIM)")
wrk -t1 -c64 -d"${DURATION}s" --latency -s "$TMP/toggle-sq.lua" "http://127.0.0.1:$S" -- "$TMP/cards-sq" > "$TMP/wrk-s.txt" 2>>"$TMP/wrk-errors.txt"
cpu_after=("$(cpu_of $PID_S)" "$(cpu_of $PID_SIM)")
sort "$TMP/wrk-errors.txt" | uniq -c | head -3 | sed "s/^/  /"
read -r rs ps qs ns < <(summary "$TMP/wrk-s.txt")
printf "  SQLite,     1 instance,  c=64:     %8.0f req/s, p50 %s, p99 %s, non-2xx %s\n" "$rs" "$ps" "$qs" "$ns"
python3 -c "import sys; d=float(sys.argv[1]); print('  CPU during it: gateway %.2f cores, simulator %.2f' % ((float(sys.argv[3])-float(sys.argv[2]))/d, (float(sys.argv[5])-float(sys.argv[4]))/d))" \
    "$DURATION" "${cpu_before[0]}" "${cpu_after[0]}" "${cpu_before[1]}" "${cpu_after[1]}"
echo "  audit rows: PostgreSQL $(psql "$PGURL" -Atc 'select count(*) from audit_log'), SQLite $(sqlite3 "$TMP/gw.sqlite" 'select count(*) from audit_log')"
"$BIN" audit verify --db "$PGURL" | head -1 | sed 's/^/  PostgreSQL chain: /'

echo
echo "-- 2. authenticated card read GET /v1/cards/{id} (${DURATION}s each)"
CARD=$(head -1 "$TMP/cards-pg"); CARD_SQ=$(head -1 "$TMP/cards-sq")
for c in 1 64; do
    t=$(( c < 2 ? 1 : 2 ))
    wrk -t$t -c$c -d"${DURATION}s" --latency -H "authorization: Bearer $TOKEN_PG" "http://127.0.0.1:$A/v1/cards/$CARD" > "$TMP/r-pg.txt"
    wrk -t$t -c$c -d"${DURATION}s" --latency -H "authorization: Bearer $TOKEN_SQ" "http://127.0.0.1:$S/v1/cards/$CARD_SQ" > "$TMP/r-sq.txt"
    read -r r1 p1 q1 n1 < <(summary "$TMP/r-pg.txt"); read -r r2 p2 q2 n2 < <(summary "$TMP/r-sq.txt")
    printf "  c=%-3s PostgreSQL %8.0f req/s p50 %s p99 %s | SQLite %8.0f req/s p50 %s p99 %s\n" "$c" "$r1" "$p1" "$q1" "$r2" "$p2" "$q2"
done

echo
echo "-- 3. revocation propagation between instances"
python3 - "$A" "$B" "$BIN" "$PGURL" <<'PY'
import json, subprocess, sys, time, urllib.request
a, b, binary, url = sys.argv[1:5]
def call(port, method, path, token=None, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, data=body)
    if token: req.add_header("authorization", "Bearer " + token)
    if body: req.add_header("content-type", "application/json")
    try:
        with urllib.request.urlopen(req) as r: return r.status, r.read()
    except urllib.error.HTTPError as e: return e.code, e.read()
def login(port):
    s, body = call(port, "POST", "/v1/auth/login", body=b'{"tenant":"bench","email":"alice@example.com","password":"Password1!","mode":"bearer"}')
    return json.loads(body)["token"]
def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
samples, stale = [], 0
for _ in range(200):
    t = login(a)
    assert call(b, "GET", "/v1/me", t)[0] == 200
    call(a, "POST", "/v1/auth/logout", t)
    start = time.monotonic(); first = True
    while call(b, "GET", "/v1/me", t)[0] != 401:
        first = False
    if not first: stale += 1
    samples.append((time.monotonic() - start) * 1000)
print(f"  logout on A → 401 on B: 200 sessions, B's first request after the logout refused in {200 - stale}/200; "
      f"time to B's 401 p50 {pct(samples, 50):.2f} ms, p99 {pct(samples, 99):.2f} ms (one request: sessions are read per request)")
keys = []
for _ in range(10):
    t = login(a)
    kid = t.split(".")[1]
    subprocess.run([binary, "keys", "rotate", "--db", url], check=True, capture_output=True)
    subprocess.run([binary, "keys", "retire", kid, "--db", url], check=True, capture_output=True)
    start = time.monotonic()
    while call(a, "GET", "/v1/me", t)[0] != 401 or call(b, "GET", "/v1/me", t)[0] != 401:
        time.sleep(0.005)
    keys.append((time.monotonic() - start) * 1000)
print(f"  keys retire (CLI) → 401 on A and B: 10 retirements, p50 {pct(keys, 50):.0f} ms, p99 {pct(keys, 99):.0f} ms (250 ms change-counter poll)")
PY
