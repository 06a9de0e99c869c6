#!/usr/bin/env bash
# Durable audited writes per second (Audit + Storage): each "block" writes an intent row and
# then an outcome row, each append awaiting its durable commit (synchronous=FULL), with group
# commit vs one transaction per write (Database.Configuration.groupCommit = false), at
# concurrency 1 and 64. Target (issue 6): >= 5,000 blocks/s at c=64 and >= 10x the
# one-commit mode. ~25 s.
# Knobs (environment): SECONDS_PER_RUN (5), CONCURRENCY (1,64), DIR (a directory on the disk
# under test; default .build/audit-bench — not tmpfs, where fsync is free), SKIP_BUILD (1: reuse
# the release binary). The benchmark's source: bench/audit-bench/main.swift (target audit-bench).
set -euo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0; fi
cd "$(dirname "$0")/.."

SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
CONCURRENCY=${CONCURRENCY:-1,64}
DIR=${DIR:-.build/audit-bench}
SKIP_BUILD=${SKIP_BUILD:-0}

[[ $SKIP_BUILD == 1 ]] || swift build -c release --product audit-bench 2>&1 | tail -1
mkdir -p "$DIR"
echo "filesystem: $(df -T "$DIR" | awk 'NR==2 {print $2, $1}')"
source bench/lib.sh
read -r p50 p90 p99 < <(fsync_latency "$DIR")
echo "fsync:      fdatasync after a 4 KiB write: p50 $p50 us, p90 $p90 us, p99 $p99 us (500 samples)"
.build/release/audit-bench --seconds "$SECONDS_PER_RUN" --concurrency "$CONCURRENCY" --dir "$DIR"
