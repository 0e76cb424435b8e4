#!/usr/bin/env bash
# Static checks of deploy/: Prometheus config and rules (promtool), rule unit tests, Grafana and
# other JSON, Kubernetes YAML, the systemd unit (systemd-analyze) and the Dockerfile (no Docker
# engine here, so only its shape). Prints "N passed, N failed"; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh

tpgw_apt_install prometheus >/dev/null || echo "could not install prometheus (promtool)" >&2
command -v systemd-analyze >/dev/null || tpgw_apt_install systemd >/dev/null 2>&1 || true
python3 -c 'import yaml' 2>/dev/null || tpgw_pip_install PyYAML >/dev/null 2>&1 || true

passed=0
failed=0
skipped=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# check NAME COMMAND...: runs the command, prints its output only when it fails.
check() {
  local name=$1
  shift
  if "$@" >"$work/out" 2>&1; then
    echo "ok    $name"
    passed=$((passed + 1))
  else
    echo "FAIL  $name"
    sed 's/^/      /' "$work/out"
    failed=$((failed + 1))
  fi
}

skip() {
  echo "skip  $1 ($2)"
  skipped=$((skipped + 1))
}

# --- Prometheus ---------------------------------------------------------------------------------
if command -v promtool >/dev/null; then
  check "promtool check config deploy/prometheus/prometheus.yml" promtool check config deploy/prometheus/prometheus.yml
  if promtool check config deploy/prometheus/prometheus-kubernetes.yml >"$work/k8s" 2>&1; then
    check "promtool check config deploy/prometheus/prometheus-kubernetes.yml" true
  elif grep -q "kubernetes_sd_configs not found" "$work/k8s"; then
    skip "promtool check config deploy/prometheus/prometheus-kubernetes.yml" "this promtool is built without Kubernetes discovery"
  else
    check "promtool check config deploy/prometheus/prometheus-kubernetes.yml" bash -c 'cat "$1"; false' _ "$work/k8s"
  fi
  check "promtool check rules deploy/prometheus/tpgw-rules.yml" promtool check rules deploy/prometheus/tpgw-rules.yml
  check "promtool test rules deploy/prometheus/tpgw-rules.test.yml" promtool test rules deploy/prometheus/tpgw-rules.test.yml
else
  echo "FAIL  promtool is not installed (apt-get install prometheus)"
  failed=$((failed + 1))
fi

# --- JSON ---------------------------------------------------------------------------------------
while IFS= read -r file; do
  check "valid JSON $file" python3 -m json.tool "$file"
done < <(find deploy docs -name '*.json' 2>/dev/null | sort)

# Every metric a dashboard or rule queries must be in the contract (docs/metrics.md).
check "dashboard and rules use only documented metrics" python3 - <<'PY'
import json, re, sys, yaml
documented = set(re.findall(r"`(tpgw_[a-z0-9_]+)`", open("docs/metrics.md").read()))
exprs = []
dash = json.load(open("deploy/grafana/tpgw-dashboard.json"))
for panel in dash["panels"]:
    exprs += [t["expr"] for t in panel.get("targets", [])]
for var in dash["templating"]["list"]:
    if isinstance(var.get("query"), dict):
        exprs.append(var["query"]["query"])
for group in yaml.safe_load(open("deploy/prometheus/tpgw-rules.yml"))["groups"]:
    exprs += [rule["expr"] for rule in group["rules"]]
unknown = set()
for expr in exprs:
    for name in re.findall(r"\btpgw_[a-z0-9_]+", expr):
        base = re.sub(r"_(bucket|sum|count)$", "", name)
        if name not in documented and base not in documented:
            unknown.add(name)
if unknown:
    sys.exit("not in docs/metrics.md: " + ", ".join(sorted(unknown)))
ids = [p["id"] for p in dash["panels"]]
if len(ids) != len(set(ids)):
    sys.exit("duplicate panel ids")
for title in ["Remaining by region", "Runway by pool", "Burn rate by region", "Usage over time", "Firing alerts",
              "Source health", "HTTP latency p50 / p95 by route", "Upstream latency p95 by region"]:
    if title not in [p["title"] for p in dash["panels"]]:
        sys.exit("dashboard lacks panel: " + title)
PY

# --- YAML and Kubernetes ------------------------------------------------------------------------
while IFS= read -r file; do
  check "valid YAML $file" python3 -c 'import sys, yaml; list(yaml.safe_load_all(open(sys.argv[1])))' "$file"
done < <(find deploy -name '*.yml' -o -name '*.yaml' | sort)

check "kubernetes manifests are complete" python3 - <<'PY'
import glob, json, sys, yaml
docs = {}
for path in sorted(glob.glob("deploy/k8s/*.yaml")):
    for doc in yaml.safe_load_all(open(path)):
        if doc is None or doc.get("kind") == "Kustomization":
            continue
        for key in ("apiVersion", "kind", "metadata"):
            if key not in doc: sys.exit(f"{path}: missing {key}")
        if not doc["metadata"].get("name"): sys.exit(f"{path}: missing metadata.name")
        docs[doc["kind"]] = doc
for kind in ("Deployment", "Service", "PodDisruptionBudget", "ConfigMap", "Secret", "ServiceMonitor"):
    if kind not in docs: sys.exit(f"no {kind} manifest")
dep = docs["Deployment"]["spec"]
pod = dep["template"]["spec"]
c = pod["containers"][0]
problems = []
if dep["replicas"] < 2: problems.append("replicas < 2")
if c["readinessProbe"]["httpGet"]["path"] != "/readyz": problems.append("readiness probe is not /readyz")
if c["livenessProbe"]["httpGet"]["path"] != "/healthz": problems.append("liveness probe is not /healthz")
if pod["terminationGracePeriodSeconds"] < 30: problems.append("terminationGracePeriodSeconds below 25 s shutdown + margin")
if not c["resources"].get("requests"): problems.append("no resource requests")
if not pod["securityContext"].get("runAsNonRoot"): problems.append("not runAsNonRoot")
if dep["template"]["metadata"]["annotations"].get("prometheus.io/scrape") != "true": problems.append("no scrape annotation")
envs = {e["name"]: e for e in c["env"]}
if "secretKeyRef" not in envs["TPGW_DATABASE_URL"].get("valueFrom", {}): problems.append("database URL not from a Secret")
config = json.loads(docs["ConfigMap"]["data"]["tpgw.json"])
for account in config["accounts"]:
    name = account.get("secretAccessKeyEnv")
    if name not in envs or "secretKeyRef" not in envs[name].get("valueFrom", {}):
        problems.append(f"account {account['name']}: {name} not set from a Secret")
for value in docs["Secret"].get("stringData", {}).values():
    if "REPLACE_WITH" not in value: problems.append("Secret example holds a non-placeholder value")
if problems: sys.exit("; ".join(problems))
PY

# --- systemd ------------------------------------------------------------------------------------
if command -v systemd-analyze >/dev/null; then
  # verify insists that ExecStart exists; check a copy that points at /bin/true instead.
  sed 's#^ExecStart=/usr/local/bin/tpgw#ExecStart=/bin/true#' deploy/systemd/tpgw.service >"$work/tpgw.service"
  check "systemd-analyze verify deploy/systemd/tpgw.service" systemd-analyze verify "$work/tpgw.service"
  if systemd-analyze security --offline=true "$work/tpgw.service" >"$work/security" 2>&1; then
    score=$(sed -n 's/.*Overall exposure level for tpgw.service: \([0-9.]*\).*/\1/p' "$work/security")
    check "systemd unit exposure ${score:-?} <= 2.0" python3 -c "import sys; sys.exit(0 if float('${score:-99}') <= 2.0 else 1)"
  else
    skip "systemd-analyze security" "offline mode not supported here"
  fi
else
  skip "systemd-analyze verify" "systemd-analyze is not available"
fi

# --- Dockerfile (static) ------------------------------------------------------------------------
check "Dockerfile shape: multi-stage, slim runtime, non-root, healthcheck, migrations" python3 - <<'PY'
import re, sys
text = open("deploy/Dockerfile").read()
lines = [l.strip() for l in re.sub(r"\\\n", " ", text).splitlines() if l.strip() and not l.strip().startswith("#")]
froms = [l.split()[1] for l in lines if l.upper().startswith("FROM ")]
problems = []
if len(froms) < 2: problems.append("not multi-stage")
if froms and froms[0] != "swift:6.3-bookworm": problems.append(f"build image is {froms[0]}")
if froms and froms[-1] != "debian:bookworm-slim": problems.append(f"runtime image is {froms[-1]}")
runtime = lines[max(i for i, l in enumerate(lines) if l.upper().startswith("FROM ")):]
users = [l.split()[1] for l in runtime if l.upper().startswith("USER ")]
if not users or users[-1].split(":")[0] in ("0", "root"): problems.append("runtime does not run as a non-root USER")
if not any(l.upper().startswith("HEALTHCHECK ") and "/healthz" in l for l in runtime): problems.append("no HEALTHCHECK on /healthz")
installs = " ".join(l for l in runtime if "apt-get install" in l)
for pkg in ("libcurl4", "libpq5"):
    if pkg not in installs.split(): problems.append(f"runtime does not install {pkg}")
for dev in ("-dev", "swift"):
    if dev in installs: problems.append(f"runtime installs build tools ({dev})")
if not any("migrations" in l and l.upper().startswith("COPY") for l in lines): problems.append("migrations not copied in")
if "TPGW_MIGRATIONS_DIR" not in text: problems.append("TPGW_MIGRATIONS_DIR not set")
if not any(l.upper().startswith("EXPOSE 8080") for l in runtime): problems.append("does not EXPOSE 8080")
if '"serve"' not in text: problems.append("does not run tpgw serve")
if problems: sys.exit("; ".join(problems))
PY

[ "$skipped" -eq 0 ] || echo "($skipped deploy checks skipped)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
