#!/usr/bin/env bash
# deploy/check.sh — offline checks of the deploy files (called from .ci/run).
# Checks what can be checked without a container engine, a cluster or systemd as PID 1:
#   - every Kubernetes manifest, both kustomizations and the example config parse
#   - both Kubernetes variants keep the rules that matter. Both: non-root, read-only root, probes
#     (readiness on /readyz), grace period above the drain grace, admin port not in the Service, the
#     master key from a Secret, no password or database URL in args. SQLite (deploy/kubernetes/): one
#     replica, Recreate, a ReadWriteOnce PVC. PostgreSQL (deploy/kubernetes/postgres/): >= 2 replicas,
#     RollingUpdate with maxUnavailable 0, a PDB selecting the pods, no PVC, no --db, the database URL
#     only from a Secret, anti-affinity and spread constraints
#   - each kustomization lists its directory's manifests (never secret.yaml), and the PostgreSQL
#     variant's copies of the Service and namespace equal the SQLite ones
#   - the manifests match the Kubernetes API schema (kubernetes-validate, when installed)
#   - both systemd units (weavr-gateway.service, weavr-gateway@.service as instance @a) pass
#     `systemd-analyze verify` (in a throwaway root with a stub binary), keep TimeoutStopSec above the
#     drain grace, and score <= 2.0 in `systemd-analyze security`; the template names no --db and no
#     database URL
#   - the Containerfile keeps a non-root user, the data volume, the entrypoint and libpq
# A tool that is missing is skipped with a message, never silently. Exit 1 on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0 failed=0 skipped=0
pass() { echo "  ok    $1"; passed=$((passed + 1)); }
fail() { echo "  FAIL  $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/        /'; failed=$((failed + 1)); }
skip() { echo "  skip  $1"; skipped=$((skipped + 1)); }

echo "== deploy/check.sh"

# --- Kubernetes manifests ---------------------------------------------------------------------
# Two variants, each a directory with its own kustomization.yaml:
#   deploy/kubernetes/           SQLite: one replica, Recreate, a ReadWriteOnce PVC
#   deploy/kubernetes/postgres/  PostgreSQL: >= 2 replicas, RollingUpdate, a PDB, no PVC
sqlite_manifests=() postgres_manifests=()
for f in deploy/kubernetes/*.yaml; do
    [ "${f##*/}" = kustomization.yaml ] || sqlite_manifests+=("$f")
done
for f in deploy/kubernetes/postgres/*.yaml; do
    [ "${f##*/}" = kustomization.yaml ] || postgres_manifests+=("$f")
done
manifests=("${sqlite_manifests[@]}" "${postgres_manifests[@]}")
kustomizations=(deploy/kubernetes/kustomization.yaml deploy/kubernetes/postgres/kustomization.yaml)

# The rules for one variant: k8s_rules sqlite|postgres FILE…
k8s_rules() {
    python3 - "$@" <<'PY'
import re, sys, yaml
variant, files = sys.argv[1], sys.argv[2:]
docs = [d for f in files for d in yaml.safe_load_all(open(f)) if d]
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], []).append(d)
problems = []
def need(cond, msg):
    if not cond:
        problems.append(msg)
deps = by_kind.get("Deployment", [])
if len(deps) != 1:
    print(f"want exactly one Deployment, found {len(deps)}"); sys.exit(1)
dep = deps[0]
spec = dep["spec"]; pod = spec["template"]["spec"]; c = pod["containers"][0]
pod_labels = spec["template"].get("metadata", {}).get("labels", {})
def selects_pods(sel):
    ml = (sel or {}).get("matchLabels") or {}
    return bool(ml) and not (sel or {}).get("matchExpressions") and all(pod_labels.get(k) == v for k, v in ml.items())
need(selects_pods(spec.get("selector")), "Deployment: selector.matchLabels must match the pod template's labels")

# --- both variants: hardening, probes, drain, secrets ---
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
args = c.get("args", [])
grace = 10
for a in args:
    if a.startswith("--shutdown-grace="):
        grace = int(a.split("=", 1)[1])
pre_stop = 0
hook = c.get("lifecycle", {}).get("preStop", {})
cmd = hook.get("exec", {}).get("command", [])
if len(cmd) == 2 and cmd[0].endswith("/sleep"):
    pre_stop = int(cmd[1])
if "sleep" in hook:
    pre_stop = int(hook["sleep"]["seconds"])
need(pod.get("terminationGracePeriodSeconds", 30) > pre_stop + grace + 1,
     f"terminationGracePeriodSeconds must exceed the preStop pause ({pre_stop}) + --shutdown-grace ({grace}) + 1")
mounts = {m["mountPath"] for m in c.get("volumeMounts", [])}
need("/tmp" in mounts, "a /tmp mount (the root file system is read-only)")
env = {e["name"]: e for e in c.get("env", [])}
def from_secret(name):
    ref = env.get(name, {}).get("valueFrom", {}).get("secretKeyRef")
    return ref if ref and "value" not in env[name] else None
need(from_secret("GATEWAY_MASTER_KEY"), "GATEWAY_MASTER_KEY from a Secret (secretKeyRef)")
# Never a password or a database URL in args or in a literal env value (the pod spec and `ps` show them).
url_with_password = re.compile(r"://[^/\s@:]*:[^/\s@]+@")
for a in args:
    need(not url_with_password.search(a) and "password" not in a.lower(), f"args: a password in {a!r}")
    need(not re.search(r"postgres(ql)?://", a), f"args: a database URL in {a!r} (it comes from a Secret)")
for name, e in env.items():
    v = str(e.get("value", ""))
    need(not url_with_password.search(v) and not re.search(r"postgres(ql)?://", v), f"env {name}: a literal URL/password (use a secretKeyRef)")
for name in ("WEAVR_GATEWAY_DATABASE_URL", "PGPASSWORD"):
    if name in env:
        need(from_secret(name), f"env {name} must come from a Secret (secretKeyRef)")
for svc in by_kind.get("Service", []):
    ports = [p.get("port") for p in svc["spec"]["ports"]] + [p.get("targetPort") for p in svc["spec"]["ports"]]
    need(9090 not in ports and "admin" not in ports, "the Service must not expose the admin port")
    need(svc["spec"].get("type", "ClusterIP") == "ClusterIP", "Service type ClusterIP")
    need(selects_pods({"matchLabels": svc["spec"].get("selector")}), "the Service must select the Deployment's pods")

replicas = spec.get("replicas", 1)
strategy = spec.get("strategy", {})
volumes = pod.get("volumes", [])
db_flag = [a for a in args if a == "--db" or a.startswith("--db=")]
if variant == "sqlite":
    need(replicas == 1, "Deployment: replicas must be 1 (SQLite: one writer)")
    need(strategy.get("type") == "Recreate", "Deployment: strategy must be Recreate")
    need("/var/lib/weavr-gateway" in mounts, "a mount for the data volume")
    need(any("persistentVolumeClaim" in v for v in volumes), "data volume is a PVC")
    pvcs = by_kind.get("PersistentVolumeClaim", [])
    need(len(pvcs) == 1, "one PersistentVolumeClaim")
    for pvc in pvcs:
        need(pvc["spec"]["accessModes"] == ["ReadWriteOnce"], "PVC must be ReadWriteOnce")
    need(len(db_flag) == 1, "--db names the SQLite file")
elif variant == "postgres":
    need(isinstance(replicas, int) and replicas >= 2, "Deployment: replicas must be >= 2")
    ru = strategy.get("rollingUpdate", {})
    need(strategy.get("type") == "RollingUpdate", "Deployment: strategy must be RollingUpdate")
    need(ru.get("maxUnavailable") in (0, "0%"), "Deployment: rollingUpdate.maxUnavailable must be 0 (a new pod is Ready before an old one stops)")
    need(ru.get("maxSurge") not in (None, 0, "0%"), "Deployment: rollingUpdate.maxSurge must be >= 1")
    need(not any("persistentVolumeClaim" in v for v in volumes) and "PersistentVolumeClaim" not in by_kind,
         "no PVC (the state is in PostgreSQL)")
    need("/var/lib/weavr-gateway" not in mounts, "no data volume")
    need(not db_flag, "no --db flag (the database is WEAVR_GATEWAY_DATABASE_URL)")
    ref = from_secret("WEAVR_GATEWAY_DATABASE_URL")
    need(ref, "WEAVR_GATEWAY_DATABASE_URL from a Secret (secretKeyRef)")
    if ref:
        secrets = {s["metadata"]["name"]: s for s in by_kind.get("Secret", [])}
        s = secrets.get(ref["name"])
        need(s is not None and ref["key"] in (s.get("stringData") or {}) | (s.get("data") or {}),
             f"the Secret {ref['name']}/{ref['key']} is described (placeholder) in this variant's secret.yaml")
    pdbs = by_kind.get("PodDisruptionBudget", [])
    need(len(pdbs) >= 1, "a PodDisruptionBudget")
    for pdb in pdbs:
        ps = pdb["spec"]
        need(pdb["apiVersion"] == "policy/v1", "PodDisruptionBudget: apiVersion policy/v1")
        need(selects_pods(ps.get("selector")), "PodDisruptionBudget: its selector must match the Deployment's pods")
        if "minAvailable" in ps:
            m = ps["minAvailable"]
            need(isinstance(m, int) and 1 <= m < replicas, f"PodDisruptionBudget: minAvailable ({m}) must be >= 1 and below replicas ({replicas})")
        else:
            need(ps.get("maxUnavailable") not in (None, 0, "0%"), "PodDisruptionBudget: minAvailable or a non-zero maxUnavailable")
    aff = pod.get("affinity", {}).get("podAntiAffinity", {})
    need(aff.get("preferredDuringSchedulingIgnoredDuringExecution") or aff.get("requiredDuringSchedulingIgnoredDuringExecution"),
         "podAntiAffinity (replicas on different nodes)")
    need(pod.get("topologySpreadConstraints"), "topologySpreadConstraints")
else:
    problems.append(f"unknown variant {variant}")
if problems:
    print("\n".join(problems)); sys.exit(1)
PY
}

if python3 -c 'import yaml' 2>/dev/null; then
    if out=$(python3 -c 'import yaml,sys; [list(yaml.safe_load_all(open(f))) for f in sys.argv[1:]]' "${manifests[@]}" "${kustomizations[@]}" 2>&1); then
        pass "YAML parses: ${manifests[*]} ${kustomizations[*]}"
    else
        fail "YAML parses" "$out"
    fi
    if out=$(k8s_rules sqlite "${sqlite_manifests[@]}" 2>&1); then
        pass "manifest rules, SQLite (deploy/kubernetes/): replicas 1 + Recreate, RWO PVC, non-root, read-only root, probes, grace > drain, admin port private, no password in args"
    else
        fail "manifest rules, SQLite (deploy/kubernetes/)" "$out"
    fi
    if out=$(k8s_rules postgres "${postgres_manifests[@]}" 2>&1); then
        pass "manifest rules, PostgreSQL (deploy/kubernetes/postgres/): replicas >= 2, RollingUpdate 0/1, a PDB selecting the pods, readiness on /readyz, no PVC, no --db, database URL only from a Secret, no password in args, anti-affinity + spread, same hardening"
    else
        fail "manifest rules, PostgreSQL (deploy/kubernetes/postgres/)" "$out"
    fi
    # Each kustomization lists every manifest of its directory except secret.yaml (placeholders), only
    # files under its directory (kustomize refuses others); the PostgreSQL variant's copies of the
    # Service and namespace equal the originals.
    if out=$(python3 - "${kustomizations[@]}" <<'PY' 2>&1
import glob, os, sys, yaml
problems = []
for k in sys.argv[1:]:
    d = os.path.dirname(k)
    res = yaml.safe_load(open(k)).get("resources", [])
    for r in res:
        if r.startswith("/") or ".." in r.split("/"):
            problems.append(f"{k}: {r} is outside {d}/ (kustomize loads only files under its directory)")
        elif not os.path.isfile(os.path.join(d, r)):
            problems.append(f"{k}: {r} does not exist")
    if "secret.yaml" in res:
        problems.append(f"{k}: secret.yaml holds placeholders and must not be listed")
    for f in sorted(glob.glob(os.path.join(d, "*.yaml"))):
        b = os.path.basename(f)
        if b not in ("kustomization.yaml", "secret.yaml") and b not in res:
            problems.append(f"{k}: {b} is not listed")
for name in ("service.yaml", "namespace.yaml"):
    a = list(yaml.safe_load_all(open(f"deploy/kubernetes/{name}")))
    b = list(yaml.safe_load_all(open(f"deploy/kubernetes/postgres/{name}")))
    if a != b:
        problems.append(f"deploy/kubernetes/postgres/{name} differs from deploy/kubernetes/{name}")
if problems:
    print("\n".join(problems)); sys.exit(1)
PY
); then
        pass "kustomizations list their directory's manifests (not secret.yaml); postgres/service.yaml and namespace.yaml equal the SQLite ones"
    else
        fail "kustomizations" "$out"
    fi
else
    skip "YAML parse and manifest rules (python3 with PyYAML not available)"
fi

if command -v kubernetes-validate >/dev/null 2>&1; then
    if out=$(kubernetes-validate --strict --quiet "${manifests[@]}" 2>&1); then
        pass "Kubernetes schema, both variants (kubernetes-validate --strict, API $(kubernetes-validate --version 2>/dev/null))"
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

# --- systemd units ----------------------------------------------------------------------------
# weavr-gateway.service: one instance on a SQLite file. weavr-gateway@.service: a template for several
# instances sharing PostgreSQL, checked as instance "a".
units=(deploy/weavr-gateway.service deploy/weavr-gateway@.service)
for unit in "${units[@]}"; do
    grace=$(grep -o -- '--shutdown-grace [0-9]*' "$unit" | head -1 | awk '{print $2}')
    stop=$(sed -n 's/^TimeoutStopSec=\([0-9]*\)s\{0,1\}$/\1/p' "$unit")
    if [ -n "$grace" ] && [ -n "$stop" ] && [ "$stop" -gt $((grace + 1)) ]; then
        pass "${unit##*/}: TimeoutStopSec ($stop s) above --shutdown-grace ($grace s) + 1"
    else
        fail "${unit##*/}: TimeoutStopSec (${stop:-unset}) must exceed --shutdown-grace (${grace:-unset}) + 1"
    fi
done

# The template: the database only from its root-only environment file, never in the unit itself.
tmpl=deploy/weavr-gateway@.service
problems=""
grep -v '^#' "$tmpl" | grep -Eq -- '--db([ =]|$)' && problems+="ExecStart must not pass --db (the database is WEAVR_GATEWAY_DATABASE_URL)\n"
grep -v '^#' "$tmpl" | grep -Eq 'postgres(ql)?://' && problems+="a database URL in the unit (it belongs in /etc/weavr-gateway/database.env)\n"
grep -v '^#' "$tmpl" | grep -Eiq '^Environment=.*(PGPASSWORD|DATABASE_URL)' && problems+="a password or database URL in Environment=\n"
grep -qx 'EnvironmentFile=/etc/weavr-gateway/%i.env' "$tmpl" || problems+="no per-instance EnvironmentFile=/etc/weavr-gateway/%i.env\n"
grep -qx 'EnvironmentFile=/etc/weavr-gateway/database.env' "$tmpl" || problems+="no EnvironmentFile=/etc/weavr-gateway/database.env\n"
grep -Eq '^(StateDirectory|ReadWritePaths)=' "$tmpl" && problems+="a writable path (the instances keep no local state)\n"
if [ -z "$problems" ]; then
    pass "weavr-gateway@.service: no --db, no URL or password in the unit, database and ports from EnvironmentFile=, no writable path"
else
    fail "weavr-gateway@.service" "$(printf "%b" "$problems")"
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
    cp "${units[@]}" "$root/etc/systemd/system/"
    for name in weavr-gateway.service weavr-gateway@a.service; do
        # verify exits 0 on unknown keys (it only warns), so any output counts as a failure.
        out=$(systemd-analyze verify --root="$root" --man=no "$name" 2>&1); rc=$?
        if [ "$rc" -eq 0 ] && [ -z "$out" ]; then
            pass "systemd-analyze verify --root=<tmp> --man=no $name ($(systemd-analyze --version | head -1)): no output"
        else
            fail "systemd-analyze verify $name (rc=$rc)" "$out"
        fi
        if out=$(systemd-analyze security --offline=yes --root="$root" "$name" 2>&1); then
            score=$(printf '%s\n' "$out" | sed -n "s/.*Overall exposure level for $name: \([0-9.]*\).*/\1/p")
            if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'; then
                pass "systemd-analyze security --offline=yes $name: exposure $score (<= 2.0)"
            else
                fail "systemd-analyze security $name: exposure ${score:-unknown} (want <= 2.0)" "$(printf '%s\n' "$out" | tail -3)"
            fi
        else
            skip "systemd-analyze security --offline $name (not supported by this systemd)"
        fi
    done
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
grep -q 'libpq-dev' "$cf" && grep -q 'libpq5' "$cf" || problems+="no libpq-dev (build) / libpq5 (runtime): the binary links libpq\n"
grep -Eq '^FROM [^ ]*:latest' "$cf" && problems+="unpinned :latest base image\n"
for f in .dockerignore .containerignore; do grep -qx '\.build\*' "$f" 2>/dev/null || problems+="$f does not exclude .build*\n"; done
if [ -z "$problems" ]; then
    pass "Containerfile: non-root USER, data VOLUME, ENTRYPOINT, static stdlib, libpq; .dockerignore/.containerignore exclude .build*"
else
    fail "Containerfile" "$(printf "%b" "$problems")"
fi
skip "container build (needs a container engine and registry access; not assumed in CI)"

echo "deploy: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
