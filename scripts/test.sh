#!/usr/bin/env bash
# The whole test suite in one command: `swift test` with a PostgreSQL cluster to test against.
#
#   bash scripts/test.sh [swift test arguments…]     # e.g. --filter PostgresStoreTests
#
# Unless WEAVR_GATEWAY_TEST_DATABASE_URL is already set (a cluster where the tests may CREATE DATABASE),
# it starts a throwaway cluster with scripts/postgres.sh in a fresh temporary directory, exports its
# URL, runs `swift test "$@"` (without arguments: then the end-to-end suites once more on PostgreSQL), and stops and removes that cluster whatever happens (exit, failure,
# Ctrl-C). Exits with swift test's exit code. Without the URL the PostgreSQL tests fail, naming
# `scripts/postgres.sh start`.
set -euo pipefail
cd "$(dirname "$0")/.."

pgdir=""
cleanup() {
    if [ -n "$pgdir" ]; then
        bash scripts/postgres.sh stop "$pgdir" || echo "test.sh: could not stop the cluster in $pgdir" >&2
    fi
}
trap cleanup EXIT
# Turn Ctrl-C and a TERM into an ordinary exit so that the EXIT trap stops the cluster.
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "${WEAVR_GATEWAY_TEST_DATABASE_URL:-}" ]; then
    # Shown without a password (postgresql://user:SECRET@… → user:***@…) and without the query.
    shown="$(printf '%s\n' "${WEAVR_GATEWAY_TEST_DATABASE_URL%%\?*}" | sed -E 's#^([a-z]+://[^:/@]*):[^@/]*@#\1:***@#')"
    echo "== PostgreSQL: the given WEAVR_GATEWAY_TEST_DATABASE_URL ($shown)"
else
    # mktemp -d gives a fresh 0700 directory; as root, postgres.sh hands it to the postgres user.
    pgdir="$(mktemp -d "${TMPDIR:-/tmp}/weavr-gateway-pg.XXXXXX")"
    line="$(bash scripts/postgres.sh start "$pgdir")"
    case "$line" in
        "export WEAVR_GATEWAY_TEST_DATABASE_URL=postgresql://"*) eval "$line" ;;
        *) echo "test.sh: unexpected output from scripts/postgres.sh start: $line" >&2; exit 1 ;;
    esac
    export WEAVR_GATEWAY_TEST_DATABASE_URL
    echo "== PostgreSQL: throwaway cluster at $WEAVR_GATEWAY_TEST_DATABASE_URL ($pgdir)"
fi

status=0
swift test "$@" || status=$?
# Without arguments (the whole suite), the end-to-end suites run a second time with every gateway on
# PostgreSQL (tests about one engine's own files name SQLite and run on it either way).
if [ "$#" -eq 0 ] && [ "$status" -eq 0 ]; then
    echo "== the end-to-end suites again, on PostgreSQL (WEAVR_GATEWAY_TEST_HARNESS_BACKEND=postgres)"
    WEAVR_GATEWAY_TEST_HARNESS_BACKEND=postgres swift test --skip-build --filter GatewayTests || status=$?
fi
exit "$status"
