#!/usr/bin/env bash
# The shared request-rate statement on its own (issue 16): how many rate decisions per second PostgreSQL makes for
# one tenant's requests, one statement per request (the form before batching) against one statement per batch
# (SharedRateLimiter's statement, read from its source). PostgreSQL on CPU 1, pgbench on CPU 0.
#
#   bash bench/rate-statement.sh
#
# Environment: DURATION (s per row, 5), BATCHES ("1 16 64"), CLIENTS ("1 4").
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
BATCHES=${BATCHES:-"1 16 64"}
CLIENTS=${CLIENTS:-"1 4"}
PGBENCH=$(ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -1)
[[ -x $PGBENCH ]] || { echo "rate-statement.sh: pgbench not found (apt-get install postgresql)"; exit 1; }

TMP=$(mktemp -d /tmp/rate-statement.XXXXXX)
PGDIR=$(mktemp -d /tmp/rate-statement-pg.XXXXXX)
trap 'bash scripts/postgres.sh stop "$PGDIR" > /dev/null 2>&1 || true; rm -rf "$TMP" "$PGDIR"' EXIT
eval "$(bash scripts/postgres.sh start "$PGDIR")"
URL=$WEAVR_GATEWAY_TEST_DATABASE_URL
for pid in $(pgrep -x postgres); do taskset -pc 1 "$pid" > /dev/null 2>&1 || true; done
psql "$URL" -qc "CREATE UNLOGGED TABLE rate_limits (key TEXT PRIMARY KEY NOT NULL, tat BIGINT NOT NULL, granted BIGINT NOT NULL DEFAULT 0)"

NOW="CAST(extract(epoch from clock_timestamp()) * 1000000 AS bigint)"
# Limits far above what a run can spend (1,000,000,000/min), so every request is let through and moves the rows.
IV=60 TOL=59999999940
# The form before batching: one statement per request, the session's row and then the tenant's.
cat > "$TMP/single.sql" <<EOF
WITH first AS (
    INSERT INTO rate_limits (key, tat) VALUES ('sbenchone', $NOW + $IV)
    ON CONFLICT (key) DO UPDATE SET tat = GREATEST(rate_limits.tat, $NOW) + $IV
    WHERE GREATEST(rate_limits.tat, $NOW) - $TOL <= $NOW
    RETURNING tat
), second AS (
    INSERT INTO rate_limits (key, tat) SELECT 'tbench', $NOW + $IV WHERE EXISTS (SELECT 1 FROM first)
    ON CONFLICT (key) DO UPDATE SET tat = GREATEST(rate_limits.tat, $NOW) + $IV
    WHERE GREATEST(rate_limits.tat, $NOW) - $TOL <= $NOW
    RETURNING tat
)
SELECT (SELECT tat FROM first), (SELECT tat FROM second),
       (SELECT tat FROM rate_limits WHERE key = 'sbenchone'), (SELECT tat FROM rate_limits WHERE key = 'tbench');
EOF
# SharedRateLimiter's statement as the gateway sends it, its parameters as pgbench variables.
python3 - "$TMP/batched.sql" <<'EOF'
import re, sys
source = open("Sources/Gateway/Limits/SharedRateLimiter.swift").read()
sql = re.search(r'static let statement = """\n(.*?)\n\s*"""', source, re.S).group(1)
names = {1: "now", 2: "skeys", 3: "sivs", 4: "stols", 5: "tkeys", 6: "tivs", 7: "ttols"}
sql = re.sub(r"\$(\d)(?!\d)", lambda m: ":" + names[int(m.group(1))], sql)
open(sys.argv[1], "w").write("\\set now 0\n" + " ".join(line.strip() for line in sql.splitlines()) + ";\n")
EOF
sed -i "s/:now/$NOW/g; /\\\\set now/d" "$TMP/batched.sql"

run() {  # script clients [-D …] → tps
    taskset -c 0 "$PGBENCH" -n -M prepared -f "$1" -c "$2" -j 1 -T "$DURATION" "${@:3}" "$URL" 2>&1 \
        | awk '/^tps/ { printf "%.0f", $3 } /aborted|ERROR/ { print "pgbench: " $0 > "/dev/stderr" }'
}
join() {  # count element → {element,element,…}; element may use $i (the index)
    local out="" i
    for ((i = 0; i < $1; i++)); do
        [[ -n $out ]] && out+=","
        out+=$(eval "echo \"$2\"")
    done
    echo "{$out}"
}

echo "== the shared rate statement alone: rate decisions per second for one tenant"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
echo "commit:  $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (+ uncommitted changes)')"
echo "postgres: $(psql "$URL" -Atc 'show server_version') on CPU 1 (UNLOGGED table, autocommit), pgbench -M prepared on CPU 0"
echo "runs:    ${DURATION}s per row; 'batch' = requests decided by one statement (sessions: 4 per batch, round robin)"
echo
printf "%-34s %8s %8s %14s\n" form clients batch "decisions/s"
for clients in $CLIENTS; do
    printf "%-34s %8s %8s %14s\n" "one statement per request" "$clients" 1 "$(run "$TMP/single.sql" "$clients")"
done
for clients in $CLIENTS; do
    for batch in $BATCHES; do
        skeys=$(join "$batch" '\"sbench$((i % 4))\"'); tkeys=$(join "$batch" '\"tbench\"')
        ivs=$(join "$batch" "$IV"); tols=$(join "$batch" "$TOL")
        tps=$(run "$TMP/batched.sql" "$clients" -D "skeys=$skeys" -D "tkeys=$tkeys" -D "sivs=$ivs" -D "stols=$tols" -D "tivs=$ivs" -D "ttols=$tols")
        printf "%-34s %8s %8s %14s\n" "one statement per batch (gateway)" "$clients" "$batch" "$((tps * batch))"
    done
done
