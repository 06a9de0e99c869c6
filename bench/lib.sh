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
