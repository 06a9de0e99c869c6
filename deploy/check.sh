#!/usr/bin/env bash
# deploy/check.sh — offline checks of the deploy files (called from .ci/run).
# Checks what can be checked without a container engine, a cluster or systemd as PID 1:
#   - every Kubernetes manifest and the example config parse
#   - the manifests keep the rules that matter (one replica, Recreate, non-root, read-only root,
#     probes, grace period above the drain grace, admin port not in the Service)
#   - the manifests match the Kubernetes API schema (kubernetes-validate, when installed)
#   - the systemd unit passes `systemd-analyze verify` (in a throwaway root with a stub binary),
#     keeps TimeoutStopSec above the drain grace, and scores <= 2.0 in `systemd-analyze security`
#   - the Containerfile keeps a non-root user, the data volume and the entrypoint
# A tool that is missing is skipped with a message, never silently. Exit 1 on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0 failed=0 skipped=0
pass() { echo "  ok    $1"; passed=$((passed + 1)); }
fail() { echo "  FAIL  $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/        /'; failed=$((failed + 1)); }
skip() { echo "  skip  $1"; skipped=$((skipped + 1)); }

echo "== deploy/check.sh"
manifests=(deploy/kubernetes/*.yaml)

# --- Kubernetes manifests ---------------------------------------------------------------------
if python3 -c 'import yaml' 2>/dev/null; then
    if out=$(python3 -c 'import yaml,sys; [list(yaml.safe_load_all(open(f))) for f in sys.argv[1:]]' "${manifests[@]}" 2>&1); then
        pass "YAML parses: ${manifests[*]}"
    else
        fail "YAML parses" "$out"
    fi
    if out=$(python3 - "${manifests[@]}" <<'PY' 2>&1
import sys, yaml
docs = [d for f in sys.argv[1:] for d in yaml.safe_load_all(open(f)) if d]
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], []).append(d)
problems = []
def need(cond, msg):
    if not cond:
        problems.append(msg)
dep = by_kind["Deployment"][0]
spec = dep["spec"]; pod = spec["template"]["spec"]; c = pod["containers"][0]
need(spec.get("replicas") == 1, "Deployment: replicas must be 1 (SQLite: one writer)")
need(spec.get("strategy", {}).get("type") == "Recreate", "Deployment: strategy must be Recreate")
psc, csc = pod.get("securityContext", {}), c.get("securityContext", {})
need(psc.get("runAsNonRoot") is True or csc.get("runAsNonRoot") is True, "runAsNonRoot")
need(csc.get("readOnlyRootFilesystem") is True, "readOnlyRootFilesystem")
need(csc.get("allowPrivilegeEscalation") is False, "allowPrivilegeEscalation: false")
need(csc.get("capabilities", {}).get("drop") == ["ALL"], "capabilities drop ALL")
need((psc.get("seccompProfile") or csc.get("seccompProfile") or {}).get("type") == "RuntimeDefault", "seccompProfile RuntimeDefault")
need(c.get("livenessProbe", {}).get("httpGet", {}).get("path") == "/healthz", "livenessProbe on /healthz")
need(c.get("readinessProbe", {}).get("httpGet", {}).get("path") == "/readyz", "readinessProbe on /readyz")
need("startupProbe" in c, "startupProbe")
need("limits" in c.get("resources", {}), "resource limits")
grace = 10
for a in c.get("args", []):
    if a.startswith("--shutdown-grace="):
        grace = int(a.split("=", 1)[1])
need(pod.get("terminationGracePeriodSeconds", 30) > grace + 1,
     f"terminationGracePeriodSeconds must exceed --shutdown-grace ({grace}) + 1")
mounts = {m["mountPath"] for m in c.get("volumeMounts", [])}
need("/var/lib/weavr-gateway" in mounts and "/tmp" in mounts, "mounts for the data volume and /tmp")
need(any("persistentVolumeClaim" in v for v in pod.get("volumes", [])), "data volume is a PVC")
for pvc in by_kind.get("PersistentVolumeClaim", []):
    need(pvc["spec"]["accessModes"] == ["ReadWriteOnce"], "PVC must be ReadWriteOnce")
for svc in by_kind.get("Service", []):
    ports = [p.get("port") for p in svc["spec"]["ports"]] + [p.get("targetPort") for p in svc["spec"]["ports"]]
    need(9090 not in ports and "admin" not in ports, "the Service must not expose the admin port")
    need(svc["spec"].get("type", "ClusterIP") == "ClusterIP", "Service type ClusterIP")
if problems:
    print("\n".join(problems)); sys.exit(1)
PY
); then
        pass "manifest rules: replicas 1 + Recreate, non-root, read-only root, probes, grace > drain, admin port private"
    else
        fail "manifest rules" "$out"
    fi
else
    skip "YAML parse and manifest rules (python3 with PyYAML not available)"
fi

if command -v kubernetes-validate >/dev/null 2>&1; then
    if out=$(kubernetes-validate --strict --quiet "${manifests[@]}" 2>&1); then
        pass "Kubernetes schema (kubernetes-validate --strict, API $(kubernetes-validate --version 2>/dev/null))"
    else
        fail "Kubernetes schema (kubernetes-validate --strict)" "$out"
    fi
else
    skip "Kubernetes schema validation (kubernetes-validate not installed: pip install kubernetes-validate)"
fi

# --- example configuration --------------------------------------------------------------------
if out=$(python3 -c 'import json,sys; json.load(open(sys.argv[1]))' deploy/weavr-gateway.example.json 2>&1); then
    pass "example config parses: deploy/weavr-gateway.example.json"
else
    fail "example config" "$out"
fi
# Its keys and values must satisfy the binary's own validation (the files it names exist only on a real host,
# so those "no such file" complaints are the only ones allowed here).
if [ -x .build/debug/weavr-gateway ]; then
    out=$(env -i PATH=/usr/bin:/bin .build/debug/weavr-gateway config check deploy/weavr-gateway.example.json 2>&1)
    others=$(printf '%s\n' "$out" | grep -E '^  ' | grep -v 'no such file' || true)
    if [ -z "$others" ]; then
        pass "example config passes weavr-gateway config check (apart from host-only files)"
    else
        fail "example config: weavr-gateway config check" "$others"
    fi
else
    skip "example config against weavr-gateway config check (no .build/debug/weavr-gateway)"
fi

# --- systemd unit -----------------------------------------------------------------------------
unit=deploy/weavr-gateway.service
grace=$(grep -o -- '--shutdown-grace [0-9]*' "$unit" | head -1 | awk '{print $2}')
stop=$(sed -n 's/^TimeoutStopSec=\([0-9]*\)s\{0,1\}$/\1/p' "$unit")
if [ -n "$grace" ] && [ -n "$stop" ] && [ "$stop" -gt $((grace + 1)) ]; then
    pass "TimeoutStopSec ($stop s) above --shutdown-grace ($grace s) + 1"
else
    fail "TimeoutStopSec (${stop:-unset}) must exceed --shutdown-grace (${grace:-unset}) + 1"
fi

if command -v systemd-analyze >/dev/null 2>&1; then
    root=$(mktemp -d)
    trap 'rm -rf "$root"' EXIT
    units_dir=/usr/lib/systemd/system
    [ -d "$units_dir" ] || units_dir=/lib/systemd/system
    mkdir -p "$root/usr/lib/systemd" "$root/usr/local/bin" "$root/etc/systemd/system"
    cp -a "$units_dir" "$root/usr/lib/systemd/system"
    # A stub: verify checks that ExecStart= names an executable file.
    printf '#!/bin/sh\nexit 0\n' > "$root/usr/local/bin/weavr-gateway"
    chmod 0755 "$root/usr/local/bin/weavr-gateway"
    cp "$unit" "$root/etc/systemd/system/weavr-gateway.service"
    # verify exits 0 on unknown keys (it only warns), so any output counts as a failure.
    out=$(systemd-analyze verify --root="$root" --man=no weavr-gateway.service 2>&1); rc=$?
    if [ "$rc" -eq 0 ] && [ -z "$out" ]; then
        pass "systemd-analyze verify --root=<tmp> --man=no weavr-gateway.service ($(systemd-analyze --version | head -1)): no output"
    else
        fail "systemd-analyze verify (rc=$rc)" "$out"
    fi
    if out=$(systemd-analyze security --offline=yes --root="$root" weavr-gateway.service 2>&1); then
        score=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for weavr-gateway.service: \([0-9.]*\).*/\1/p')
        if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'; then
            pass "systemd-analyze security --offline=yes: exposure $score (<= 2.0)"
        else
            fail "systemd-analyze security: exposure ${score:-unknown} (want <= 2.0)" "$(printf '%s\n' "$out" | tail -3)"
        fi
    else
        skip "systemd-analyze security --offline (not supported by this systemd)"
    fi
else
    skip "systemd-analyze verify/security (systemd-analyze not installed: apt-get install systemd)"
fi

# --- Containerfile (static: no container engine is assumed) -----------------------------------
cf=deploy/Containerfile
problems=""
grep -q '^USER 10001' "$cf" || problems+="no 'USER 10001'\n"
grep -q '^VOLUME /var/lib/weavr-gateway' "$cf" || problems+="no VOLUME for /var/lib/weavr-gateway\n"
grep -q '^ENTRYPOINT \["/usr/local/bin/weavr-gateway"\]' "$cf" || problems+="ENTRYPOINT changed\n"
grep -q -- '--static-swift-stdlib' "$cf" || problems+="release build without --static-swift-stdlib\n"
grep -Eq '^FROM [^ ]*:latest' "$cf" && problems+="unpinned :latest base image\n"
for f in .dockerignore .containerignore; do grep -qx '\.build\*' "$f" 2>/dev/null || problems+="$f does not exclude .build*\n"; done
if [ -z "$problems" ]; then
    pass "Containerfile: non-root USER, data VOLUME, ENTRYPOINT, static stdlib; .dockerignore/.containerignore exclude .build*"
else
    fail "Containerfile" "$(printf "%b" "$problems")"
fi
skip "container build (needs a container engine and registry access; not assumed in CI)"

echo "deploy: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
