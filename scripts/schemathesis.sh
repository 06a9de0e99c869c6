#!/usr/bin/env bash
# Runs schemathesis against the served /openapi.json of a live gateway (demo mode: the built-in Weavr
# simulator, SQLite in a temporary directory, the demo tenant), with every default check and a bounded
# number of examples per operation. Requires 0 failures. Builds nothing: run `swift build` first.
#
#   bash scripts/schemathesis.sh [BINARY]      # default .build/debug/weavr-gateway
#   SCHEMATHESIS_EXAMPLES=N                    # examples per operation (default 50)
#
# Only 127.0.0.1 is contacted. The gateway is always stopped, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

binary="${1:-.build/debug/weavr-gateway}"
examples="${SCHEMATHESIS_EXAMPLES:-50}"
[ -x "$binary" ] || { echo "schemathesis.sh: $binary not built (swift build first)" >&2; exit 1; }
command -v schemathesis >/dev/null || { echo "schemathesis.sh: schemathesis missing (pip install -r scripts/requirements.txt)" >&2; exit 1; }

work="$(mktemp -d)"
gateway_pid=""
cleanup() {
    if [ -n "$gateway_pid" ] && kill -0 "$gateway_pid" 2>/dev/null; then
        kill "$gateway_pid" 2>/dev/null || true
        wait "$gateway_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

"$binary" demo --data-dir "$work/data" --port 0 --simulator-port 0 --admin-port 0 >"$work/demo.log" 2>&1 &
gateway_pid=$!
base=""
for _ in $(seq 1 200); do
    base="$(sed -n 's/^  gateway: *\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$work/demo.log" | head -1)"
    [ -n "$base" ] && break
    kill -0 "$gateway_pid" 2>/dev/null || { cat "$work/demo.log" >&2; echo "schemathesis.sh: the gateway exited" >&2; exit 1; }
    sleep 0.05
done
[ -n "$base" ] || { cat "$work/demo.log" >&2; echo "schemathesis.sh: the gateway did not start" >&2; exit 1; }
case "$base" in http://127.0.0.1:*) ;; *) echo "schemathesis.sh: refusing non-loopback $base" >&2; exit 1 ;; esac

# Thousands of requests from one session in a minute: lift the demo tenant's request rates and daily
# quotas (admin API, loopback) so the run tests the operations instead of the 429s that guard them.
admin="$(sed -n 's/^  admin API: *\(http:\/\/127\.0\.0\.1:[0-9]*\).*token for this run: \([a-z0-9_]*\).*/\1 \2/p' "$work/demo.log" | head -1)"
[ -n "$admin" ] || { echo "schemathesis.sh: no admin API in the demo output" >&2; exit 1; }
curl -sS -f -o /dev/null -X PATCH "${admin% *}/admin/v1/tenants/demo" -H "Authorization: Bearer ${admin#* }" \
    -H 'content-type: application/json' \
    -d '{"quotas":{"rate.tenant_per_minute":1000000,"rate.session_per_minute":1000000,"cards.issue":1000000,
         "cards.block":1000000,"cards.unblock":1000000,"cards.destroy":1000000,"bulk.operations":10000000,"transfers.create":1000000}}'

token="$(curl -sS -X POST "$base/v1/auth/login" -H 'content-type: application/json' \
    -d '{"tenant":"demo","email":"alice@example.com","password":"Password1!","mode":"bearer"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"

echo "== schemathesis $(schemathesis --version | awk '{print $NF}') against $base/openapi.json ($examples examples per operation)"
start=$(date +%s)
status=0
# POST /v1/auth/logout would end the session every later request uses; it is excluded (README, "schemathesis").
schemathesis --config-file scripts/schemathesis.toml run "$base/openapi.json" \
    --header "Authorization: Bearer $token" \
    --checks all \
    --max-examples "$examples" \
    --seed 1 \
    --workers 1 \
    --exclude-operation-id logout \
    ${SCHEMATHESIS_ARGS:-} \
    --suppress-health-check too_slow,filter_too_much \
    --report junit --report-junit-path "$work/junit.xml" \
    || status=$?
echo "== schemathesis finished in $(( $(date +%s) - start )) s, exit $status"
# The session must have survived the run: a run that only saw 401s proves nothing.
me="$(curl -sS -o /dev/null -w '%{http_code}' "$base/v1/me" -H "Authorization: Bearer $token")"
if [ "$me" != "200" ]; then
    echo "schemathesis.sh: the session did not survive the run (GET /v1/me → $me)" >&2
    tail -50 "$work/demo.log" >&2
    status=1
fi
exit "$status"
