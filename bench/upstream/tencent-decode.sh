#!/usr/bin/env bash
# Tencent decode benchmark: CPU per 1,000 packages of TencentWireDecoder.listPage over 2,500 packages in pages of
# 100 as tencent-sim serves them, plus a whole listPackages walk over loopback (`tpgw-bench tencent-decode`). Compare
# with the Baidu "decode CPU … per 1,000 packages" line of bench/upstream/run.sh (same build configuration).
# Usage: bench/upstream/tencent-decode.sh [debug|release]   (default release)
# Env: TPGW_BENCH_SKIP_BUILD=1 uses the existing build.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/bench.sh
tpgw_bench_build "${1:-release}"
TPGW_BENCH_OUT=bench/results/tencent-decode.json tpgw_bench_run tencent-decode
python3 - <<'PY'
import json
r = json.load(open("bench/results/tencent-decode.json"))
print("tencent decode CPU %.2f ms per 1,000 packages (pages of %d, %.0f bytes per package); listPackages walk of %d: %.3fs" % (
    r["decodeCPUMsPer1000"], r["pageSize"], r["bytesPerPackage"], r["packages"], r["listWalkMedianSeconds"]))
PY
