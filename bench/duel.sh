#!/usr/bin/env bash
# Two gateway builds measured against each other on one core at the same time, for changes smaller than this
# VM's drift between runs (runs of bench/gateway.sh minutes apart differ by up to 2x here).
# bench/gateway.sh HOLD=… sets up both (BIN, BASELINE_BIN; SQLite sessions, fast Weavr); then, per round, both
# gateways (pinned to CPU 0, one event loop each) are loaded at once by their own wrk -t1 -c64 (on CPU 1):
# the core is shared, so noise hits both alike and the ratio of their req/s is the inverse ratio of their CPU
# cost per request. Then, unless ALLOCS=0, malloc calls per request of each (a uprobe on libc's malloc,
# perf stat, wrk -c16 for 3 s; needs root).
# Environment: BIN, BASELINE_BIN (required), ROUNDS (4; 0 for allocations only), DURATION (5), PATHS ("/v1/cards/… /healthz"),
# BACKEND (sqlite, or postgres: sessions and rates in a throwaway PostgreSQL cluster on CPU 1, shared by both).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BIN:?BIN=path of the build under test}" "${BASELINE_BIN:?BASELINE_BIN=path of the build to compare with}"
ROUNDS=${ROUNDS:-4}
DURATION=${DURATION:-5}
PATHS=${PATHS:-"/v1/cards/100000000000000301 /healthz"}
BACKEND=${BACKEND:-sqlite}
HOLD=$(mktemp /tmp/duel-hold.XXXXXX)
rm -f "$HOLD"
SKIP_BUILD=1 BIN=$BIN BASELINE_BIN=$BASELINE_BIN BACKENDS=$BACKEND MODES=gateway HOLD=$HOLD bash bench/gateway.sh > "$HOLD.log" 2>&1 &
SETUP=$!
CG=/sys/fs/cgroup/cpu
cleanup() {
    kill $SETUP 2>/dev/null || true; wait $SETUP 2>/dev/null || true
    # The cgroups can go once the gateways in them have exited.
    for _ in $(seq 300); do
        rmdir "$CG/duel-new-$$" "$CG/duel-base-$$" 2>/dev/null || true
        [[ -d $CG/duel-new-$$ || -d $CG/duel-base-$$ ]] || break
        sleep 0.1
    done
    rm -f "$HOLD" "$HOLD.log" /tmp/duel-$$.*
}
trap cleanup EXIT
for _ in $(seq 120); do [[ -s $HOLD ]] && break; sleep 1; done
[[ -s $HOLD ]] || { echo "setup failed:"; cat "$HOLD.log"; exit 1; }
read -r _ port_new _ token_new pid_new < <(sed -n 2p "$HOLD")
read -r _ port_base _ token_base pid_base < <(sed -n 3p "$HOLD")
# The kernel shares a core fairly per thread: a build that waits on more threads (readers, a pool) would get
# more of CPU 0 than one that does the same work on its event loop. Each gateway goes into a cpu cgroup of its
# own with equal shares, so each gets half of the core whatever its threads.
fairness="per thread (no writable cpu cgroup: builds with different thread counts are not comparable)"
if mkdir "$CG/duel-new-$$" "$CG/duel-base-$$" 2>/dev/null \
    && echo "$pid_new" > "$CG/duel-new-$$/cgroup.procs" && echo "$pid_base" > "$CG/duel-base-$$/cgroup.procs"; then
    fairness="per process (a cpu cgroup each, equal cpu.shares)"
fi

echo "== two gateway builds on one core at once"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD)"
echo "new:     $BIN"
echo "base:    $BASELINE_BIN"
echo "how:     sessions on $BACKEND; both on CPU 0 (--threads 1), each under wrk -t1 -c64 -d${DURATION}s on CPU 1, $ROUNDS rounds"
echo "sharing: CPU 0 $fairness"
for path in $PATHS; do
    for round in $(seq "$ROUNDS"); do
        taskset -c 1 wrk -t1 -c64 -d"${DURATION}s" -H "authorization: Bearer $token_new" "http://127.0.0.1:$port_new$path" > /tmp/duel-$$.new &
        a=$!
        taskset -c 1 wrk -t1 -c64 -d"${DURATION}s" -H "authorization: Bearer $token_base" "http://127.0.0.1:$port_base$path" > /tmp/duel-$$.base &
        b=$!
        wait $a $b
        grep -q "Non-2xx" /tmp/duel-$$.new /tmp/duel-$$.base && { echo "non-2xx answers: the setup is broken"; exit 1; }
        new=$(awk '/Requests\/sec/ {print $2}' /tmp/duel-$$.new)
        base=$(awk '/Requests\/sec/ {print $2}' /tmp/duel-$$.base)
        printf '%-32s round %d  new %9.0f req/s  base %9.0f req/s  new/base %.3f\n' "$path" "$round" "$new" "$base" "$(python3 -c "print($new/$base)")"
    done
done

[[ ${ALLOCS:-1} == 1 ]] || exit 0
libc=$(readlink -f "$(ldd "$BIN" | awk '$1 == "libc.so.6" {print $3}')")
offset=$(nm -D "$libc" | awk '$3 ~ /^malloc@@/ {print $1}')
echo "p:weavr_duel_malloc $libc:0x$offset" >> /sys/kernel/tracing/uprobe_events 2>/dev/null || true
echo "allocations (malloc calls per request; uprobe on $libc malloc, wrk -c16 -d3s):"
for path in $PATHS; do
    for side in new base; do
        if [[ $side == new ]]; then port=$port_new token=$token_new pid=$pid_new; else port=$port_base token=$token_base pid=$pid_base; fi
        perf stat -e uprobes:weavr_duel_malloc -p "$pid" -o /tmp/duel-$$.stat -- sleep 5 &
        s=$!
        sleep 0.5
        taskset -c 1 wrk -t1 -c16 -d3s -H "authorization: Bearer $token" "http://127.0.0.1:$port$path" > /tmp/duel-$$.wrk
        wait $s
        requests=$(awk '/requests in/ {print $1}' /tmp/duel-$$.wrk)
        mallocs=$(awk '/weavr_duel_malloc/ {gsub(",", "", $1); print $1}' /tmp/duel-$$.stat)
        printf '%-32s %-4s %6.1f mallocs/request (%s over %s requests)\n' "$path" "$side" "$(python3 -c "print($mallocs/$requests)")" "$mallocs" "$requests"
    done
done
