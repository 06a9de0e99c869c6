# Helpers shared by the bench/*.sh scripts (sourced, not run).

# The port a `weavr-gateway` (or benchmark) process printed in its "listening on http://HOST:PORT" line in FILE.
port_of() { for _ in $(seq 300); do p=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$1" 2>/dev/null | grep -o '[0-9]*$' || true); [[ -n $p ]] && { echo "$p"; return; }; sleep 0.05; done; echo "no port in $1" >&2; cat "$1" >&2; exit 1; }
# A loopback port free right now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Waits until something answers HTTP on loopback PORT.
wait_port() { for _ in $(seq 200); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return; sleep 0.05; done; echo "nothing on port $1" >&2; exit 1; }
# Field NAME of the JSON object on stdin.
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# nginx_conf DIR: DIR/nginx.conf for one worker in the foreground, no access log, unlimited keep-alive, all temp
# paths in DIR; the `http` block's server blocks come on stdin.
nginx_conf() {
    mkdir -p "$1"
    { cat <<CONF
worker_processes 1;
daemon off;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 8192; }
http {
    access_log off;
    keepalive_requests 1000000000;
    client_body_temp_path $1/body;
    proxy_temp_path $1/proxy;
    fastcgi_temp_path $1/fastcgi;
    uwsgi_temp_path $1/uwsgi;
    scgi_temp_path $1/scgi;
CONF
    cat; echo "}"; } > "$1/nginx.conf"
}

# The JSON in FILE as a single-quoted nginx string (for `return 200 '…'`); refuses a `$` (an nginx variable).
nginx_literal() {
    python3 - "$1" <<'PY'
import sys
text = open(sys.argv[1]).read().strip()
assert "$" not in text, "the JSON contains '$' (an nginx variable)"
print("'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'")
PY
}

# Logs alice in at the simulator on port $1, writes card $2 as the simulator answers it to file $3, and prints
# alice's Weavr token.
capture_card() {  # sim-port card file
    local token
    token=$(curl -sf -X POST "http://127.0.0.1:$1/login_with_password" -H 'api-key: sim-demo-api-key' -H 'content-type: application/json' \
        -d '{"email":"alice@example.com","password":{"value":"Password1!"}}' | json_field token)
    curl -sf "http://127.0.0.1:$1/managed_cards/$2" -H 'api-key: sim-demo-api-key' -H "authorization: Bearer $token" > "$3"
    echo "$token"
}

# Writes the config of "fast Weavr" to directory $1: an nginx on port $3 answering GET /managed_cards/{id} with the
# card in file $4 from memory, then the nginx locations read from standard input, and passing everything else to
# the simulator on port $2.
fast_weavr_conf() {  # dir sim-port port card-file < extra locations
    local extra literal
    extra=$(cat)
    literal=$(nginx_literal "$4")
    nginx_conf "$1" <<CONF
    upstream simulator { server 127.0.0.1:$2; keepalive 16; }
    server {
        listen 127.0.0.1:$3;
        location ~ "^/managed_cards/[0-9]+\$" {
            if (\$request_method != GET) { return 405; }
            default_type application/json;
            add_header request-ref fast-weavr-ref;
            return 200 $literal;
        }
$extra
        location / {
            proxy_pass http://simulator;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
CONF
}

# fdatasync latency of the disk under DIR: 500 times, a 4 KiB pwrite into a 256 KiB file and its fdatasync (what a
# durable SQLite WAL commit waits for). Prints "p50 p90 p99" in microseconds.
fsync_latency() {  # dir
    python3 - "$1" <<'PY'
import os, sys, time
path = os.path.join(sys.argv[1], "fsync-probe.bin")
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.pwrite(fd, b"\0" * 262144, 0); os.fsync(fd)
samples = []
for i in range(500):
    os.pwrite(fd, os.urandom(4096), (i % 64) * 4096)
    start = time.perf_counter(); os.fdatasync(fd); samples.append((time.perf_counter() - start) * 1e6)
os.close(fd); os.unlink(path)
samples.sort()
print(f"{samples[250]:.0f} {samples[450]:.0f} {samples[495]:.0f}")
PY
}
