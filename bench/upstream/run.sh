#!/usr/bin/env bash
# Upstream fan-out benchmark: 30 sources x 2,500 packages, 100 ms added latency per request.
# Starts bce-sim (30 "regions" s01..s30 on free ports), runs `tpgw-bench upstream-fanout` (tpgw's BCE client),
# then the official Python SDK listing the same sources one after another. Stops bce-sim by PID.
# Usage: bench/upstream/run.sh [debug|release]   (default release)
# Env: TPGW_BENCH_SKIP_BUILD=1 uses the existing build; TPGW_BENCH_NO_SDK=1 skips the Python SDK run (~30 s).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh
tpgw_pip_install bce-python-sdk
. scripts/lib/bench.sh
tpgw_bench_build "${1:-release}"
sim=$TPGW_BENCH_BIN/bce-sim
regions=$(seq -f 's%02g' 1 30 | paste -sd, -)
out=$(mktemp)
"$sim" --regions "$regions" --base-port 0 --ak AK --sk SK --packages 2500 --seed 11 --time-scale 0 >"$out" 2>bench/results/bce-sim.log &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 1 200); do [ -s "$out" ] && break; sleep 0.1; done
ports=$(head -n1 "$out")
first_port=$(python3 -c 'import json,sys; print(next(iter(json.loads(sys.argv[1])["regions"].values())))' "$ports")
curl -sf -X POST "http://127.0.0.1:$first_port/__sim/faults" -d '{"region":"*","latencyMs":100}' >/dev/null

sim_cpu() { awk '{print ($14 + $15) / 100}' /proc/$sim_pid/stat; }
sim_cpu0=$(sim_cpu)
status=0
TPGW_BENCH_SIM_PORTS="$ports" TPGW_BENCH_SIM_PID="$sim_pid" TPGW_BENCH_OUT=bench/results/upstream-swift.json \
  tpgw_bench_run upstream-fanout || status=$?
sim_cpu1=$(sim_cpu)
if [ -z "${TPGW_BENCH_NO_SDK:-}" ]; then
  python3 bench/upstream/sdk_list.py "$ports" AK SK | tee bench/results/upstream-sdk.json
fi
sim_rss=$(awk '/VmHWM/ {print $2}' /proc/$sim_pid/status)
python3 - "$sim_rss" "$sim_cpu0" "$sim_cpu1" <<'PY'
import json, sys
import os
s = json.load(open("bench/results/upstream-swift.json"))
p = None if os.environ.get("TPGW_BENCH_NO_SDK") else json.load(open("bench/results/upstream-sdk.json"))
print("fan-out %.3fs, slowest single %.3fs (%s), ratio %.2f (<= 1.3 required)" % (s["fanOutWallSeconds"], s["slowestSingleSeconds"], s["slowestRegion"], s["ratio"]))
print("median single source %.3fs; fan-out / median single %.2f" % (s["medianSingleSeconds"], s["fanOutWallSeconds"] / s["medianSingleSeconds"]))
print("fan-out runs %s; same fan-out without added latency %.3fs" % (", ".join("%.3f" % x for x in s["fanOutRuns"]), s["fanOutNoLatencySeconds"]))
print("CPU per fan-out: client %.3fs, bce-sim %.3fs; bce-sim CPU during the whole Swift benchmark %.2fs" % (
    s["clientCPUPerFanOutSeconds"], s["simCPUPerFanOutSeconds"], float(sys.argv[3]) - float(sys.argv[2])))
if p:
  print("python SDK sequential %.2fs for %d packages; SDK/fan-out = %.1fx" % (p["sdkSeconds"], p["packages"], p["sdkSeconds"] / s["fanOutWallSeconds"]))
print("decode CPU %.2f ms per 1,000 packages; client process CPU %.2fs; client peak RSS %.1f MiB; bce-sim peak RSS %.1f MiB" % (
    s["decodeCPUMsPer1000"], s["processCPUSeconds"], s["peakRSSMiB"], int(sys.argv[1]) / 1024))
PY
exit "$status"
