#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite (and for trying the PostgreSQL backend by hand).
#
#   eval "$(scripts/postgres.sh start [DIR])"   # init + start; prints ONE line on stdout:
#                                               #   export WEAVR_GATEWAY_TEST_DATABASE_URL=postgresql://weavr@127.0.0.1:PORT/postgres
#   scripts/postgres.sh url [DIR]               # prints the URL of the cluster running in DIR (exit 1 if none)
#   scripts/postgres.sh stop [DIR]              # pg_ctl stop -m fast, then removes DIR
#
# DIR defaults to ${TMPDIR:-/tmp}/weavr-gateway-pg. Everything the cluster has lives in DIR: data/, the
# log (postgres.log) and the unix socket. `start` on a cluster already running in DIR prints its URL
# again; `start` on a stopped one starts it again (on a new port). Only stdout carries the export line;
# progress and errors go to stderr, so `eval "$(…)"` sees nothing else.
#
# It never touches a system cluster: no /etc/postgresql, no pg_ctlcluster, its own port. The server
# listens on 127.0.0.1 only, on a free port chosen at start, and keeps PostgreSQL's durable defaults
# (fsync, full_page_writes, synchronous_commit on), so tests see the same commit behaviour as production.
#
# Who runs the server: initdb and postgres refuse to run as root. As root (CI) the cluster runs as the
# `postgres` system user that Debian's postgresql package creates (override: WEAVR_GATEWAY_PG_OS_USER),
# and DIR is chowned to it; otherwise as the current user.
#
# Binaries: $PG_BINDIR if set, else the newest /usr/lib/postgresql/*/bin (Debian/Ubuntu), else
# `pg_config --bindir`, else the directory of `initdb` on PATH. Debian's /usr/bin/psql and
# /usr/bin/pg_isready are pg_wrapper scripts; the ones beside initdb are used instead.
set -euo pipefail

# stdout is reserved for the single export line (fd 3); everything else, including the output of the
# PostgreSQL tools, goes to stderr.
exec 3>&1 1>&2

prog=postgres.sh
die() { echo "$prog: $*" >&2; exit 1; }
say() { echo "$prog: $*" >&2; }

superuser=weavr        # the cluster's superuser (initdb -U); the tests connect as it
marker=.weavr-gateway-pg

usage() {
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

cmd="${1:-}"
[ -n "$cmd" ] || usage
shift
dir="${1:-${TMPDIR:-/tmp}/weavr-gateway-pg}"
[ "$#" -le 1 ] || usage
case "$dir" in
    /*) ;;
    *) dir="$PWD/$dir" ;;
esac
dir="${dir%/}"
[ -n "$dir" ] || die "refusing DIR /"
data="$dir/data"
log="$dir/postgres.log"

# --- binaries ------------------------------------------------------------------------------------
find_bindir() {
    local d candidates=()
    [ -n "${PG_BINDIR:-}" ] && candidates+=("$PG_BINDIR")
    # Newest major version first.
    while IFS= read -r d; do
        [ -d "$d" ] && candidates+=("$d")
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV)
    if command -v pg_config >/dev/null 2>&1; then
        d="$(pg_config --bindir 2>/dev/null || true)"
        [ -n "$d" ] && candidates+=("$d")
    fi
    if command -v initdb >/dev/null 2>&1; then
        candidates+=("$(dirname "$(readlink -f "$(command -v initdb)")")")
    fi
    for d in "${candidates[@]}"; do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/pg_isready" ]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

# --- who runs the server -------------------------------------------------------------------------
os_user=""
if [ "$(id -u)" -eq 0 ]; then
    os_user="${WEAVR_GATEWAY_PG_OS_USER:-postgres}"
    id "$os_user" >/dev/null 2>&1 \
        || die "running as root, and there is no '$os_user' user to run PostgreSQL as (initdb refuses root); install Debian's postgresql package or set WEAVR_GATEWAY_PG_OS_USER"
fi

# Runs a command as the cluster's owner, from DIR (a root-only cwd such as /root would make the tools
# complain), with a clean locale. fd 3 (the caller's stdout) is closed for it: the postmaster that
# pg_ctl leaves running would otherwise hold it open, and `$(scripts/postgres.sh start)` would never end.
as_owner() {
    if [ -n "$os_user" ]; then
        if command -v runuser >/dev/null 2>&1; then
            (cd "$dir" && LC_ALL=C runuser -u "$os_user" -- "$@") 3>&-
        else
            (cd "$dir" && LC_ALL=C su -s /bin/sh "$os_user" -c "$(printf '%q ' "$@")") 3>&-
        fi
    else
        (cd "$dir" && LC_ALL=C "$@") 3>&-
    fi
}

# The port of the postmaster running in $data, or nothing. postmaster.pid line 4 is the port; the
# pid file can outlive a crashed server, so pg_ctl status decides whether it runs.
running_port() {
    [ -f "$data/postmaster.pid" ] || return 1
    as_owner "$bindir/pg_ctl" status -D "$data" >/dev/null 2>&1 || return 1
    sed -n '4p' "$data/postmaster.pid"
}

url_for() { echo "postgresql://$superuser@127.0.0.1:$1/postgres"; }

free_port() {
    python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# DIR must be ours (it has the marker) or empty/absent: `stop` deletes it, so never adopt a directory
# that holds anything else.
check_dir_is_ours() {
    if [ -e "$dir" ] && [ ! -e "$dir/$marker" ]; then
        [ -d "$dir" ] || die "$dir exists and is not a directory"
        [ -z "$(ls -A "$dir")" ] || die "$dir is not empty and was not made by $prog; choose another DIR"
    fi
}

cmd_start() {
    check_dir_is_ours
    if port="$(running_port)" && [ -n "$port" ]; then
        say "already running in $dir (port $port)"
        echo "export WEAVR_GATEWAY_TEST_DATABASE_URL=$(url_for "$port")" >&3
        return 0
    fi

    mkdir -p "$dir"
    chmod 0700 "$dir"
    touch "$dir/$marker"
    if [ -n "$os_user" ]; then
        chown "$os_user": "$dir"
        # The owner must also be able to reach DIR (e.g. not under root's 0700 home).
        as_owner test -w "$dir" \
            || die "user $os_user cannot write $dir (a parent directory is not searchable by it?); choose a DIR under /tmp"
    fi

    if [ ! -f "$data/PG_VERSION" ]; then
        say "initdb $data (superuser $superuser, $("$bindir/initdb" --version))"
        # Authentication: trust, on 127.0.0.1/::1 and the socket in DIR only. Acceptable for a
        # throwaway test cluster — any local user of this machine can connect as the superuser while
        # it runs — and it keeps passwords out of the URL, the environment and the logs. Never copy
        # this pg_hba.conf to a real server.
        as_owner "$bindir/initdb" -D "$data" -U "$superuser" --auth-local=trust --auth-host=trust \
            --encoding=UTF8 --locale=C --no-instructions >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
        # Appended settings win over initdb's. fsync etc. are left at their (durable) defaults.
        cat >>"$data/postgresql.conf" <<EOF

# --- scripts/postgres.sh (throwaway test cluster) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
# The suites run in parallel, each with its own connections and databases.
max_connections = 2000
fsync = on
logging_collector = off
log_min_messages = warning
EOF
        [ -z "$os_user" ] || chown "$os_user": "$data/postgresql.conf"
    fi

    # The port is picked now and passed on the command line: a restarted cluster gets a fresh one.
    # Another process can take the port between the pick and the bind, so retry a few times.
    local attempt
    for attempt in 1 2 3 4 5; do
        port="$(free_port)"
        rm -f -- "$log"
        if as_owner "$bindir/pg_ctl" start -D "$data" -l "$log" -w -t 60 -o "-p $port" >/dev/null; then
            break
        fi
        port=""
        if grep -q 'could not bind\|Address already in use' "$log" 2>/dev/null; then
            say "port taken, retrying ($attempt)"
            continue
        fi
        tail -20 "$log" >&2 2>/dev/null || true
        die "pg_ctl start failed (log: $log)"
    done
    [ -n "$port" ] || { tail -20 "$log" >&2; die "could not start on a free port (log: $log)"; }

    local _
    for _ in $(seq 1 120); do
        if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$superuser" -d postgres; then
            say "ready on 127.0.0.1:$port (data $data, log $log)"
            echo "export WEAVR_GATEWAY_TEST_DATABASE_URL=$(url_for "$port")" >&3
            return 0
        fi
        sleep 0.5
    done
    tail -20 "$log" >&2 || true
    die "pg_isready did not succeed within 60 s (log: $log)"
}

cmd_url() {
    if port="$(running_port)" && [ -n "$port" ]; then
        url_for "$port" >&3
    else
        die "no cluster running in $dir (start one: scripts/postgres.sh start)"
    fi
}

cmd_stop() {
    if [ ! -e "$dir" ]; then
        say "nothing in $dir"
        return 0
    fi
    if [ -d "$dir" ] && [ -z "$(ls -A "$dir")" ]; then
        rmdir -- "$dir"
        say "removed the empty $dir"
        return 0
    fi
    [ -e "$dir/$marker" ] || die "$dir was not made by $prog; not touching it"
    if [ -f "$data/postmaster.pid" ] && as_owner "$bindir/pg_ctl" status -D "$data" >/dev/null 2>&1; then
        as_owner "$bindir/pg_ctl" stop -D "$data" -m fast -w -t 60 >/dev/null \
            || die "pg_ctl stop failed (log: $log); $dir left in place"
        say "stopped the cluster in $dir"
    fi
    rm -rf -- "$dir"
    say "removed $dir"
}

bindir="$(find_bindir)" \
    || die "PostgreSQL server binaries (initdb, pg_ctl, pg_isready) not found; install Debian's postgresql package or set PG_BINDIR"

case "$cmd" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    url) cmd_url ;;
    -h|--help|help) usage ;;
    *) usage ;;
esac
