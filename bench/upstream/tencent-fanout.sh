#!/usr/bin/env bash
# Tencent upstream fan-out benchmark, beside Baidu's (run.sh): 30 sources x 2,500 packages, 100 ms added to every
# answer of tencent-sim (in process, on loopback port 0, all regions on one port as Tencent serves every region
# from one domain), read by TencentClient.listPackages (offset paging, pages of 100) all at once, as the poller does
# (`tpgw-bench tencent-fanout`). Target: fan-out <= 1.3x the slowest single source (exit 1 above it).
# Usage: bench/upstream/tencent-fanout.sh [debug|release]   (default release)
# Env: TPGW_BENCH_SKIP_BUILD=1 uses the existing build.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/bench.sh
tpgw_bench_build "${1:-release}"
status=0
TPGW_BENCH_OUT=bench/results/tencent-fanout.json tpgw_bench_run tencent-fanout || status=$?
python3 - <<'PY'
import json
r = json.load(open("bench/results/tencent-fanout.json"))
print("tencent fan-out %.3fs over %d sources x %d packages, slowest single %.3fs (%s), ratio %.2f (<= 1.3 required)" % (
    r["fanOutWallSeconds"], r["sources"], r["packagesPerSource"], r["slowestSingleSeconds"], r["slowestRegion"], r["ratio"]))
print("median single source %.3fs (%d pages of %d); fan-out runs %s; client CPU per fan-out %.2fs (sim in process)" % (
    r["medianSingleSeconds"], (r["packagesPerSource"] + r["pageLimit"] - 1) // r["pageLimit"], r["pageLimit"],
    ", ".join("%.3f" % x for x in r["fanOutRuns"]), r["processCPUPerFanOutSeconds"]))
PY
exit "$status"
