#!/usr/bin/env bash
# Operations benchmark: GET /metrics and GET / (status page) over a view of 100,000 packages, through a real
# HTTPServer with the real ops routes and middleware, measured with curl; plus status page model and render times.
# Usage: bench/ops/run.sh [debug|release]   (default release). Output: bench/results/ops-<date>.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh
. scripts/lib/bench.sh
tpgw_install_base
config=${1:-release}
tpgw_bench_build "$config"
mkdir -p bench/results
out=bench/results/ops-$(date -u +%Y%m%dT%H%M%SZ).txt
{
  echo "# bench/ops/run.sh $config  $(date -u +%FT%TZ)  $(nproc) cores  load $(cut -d' ' -f1-3 /proc/loadavg)  $(swift --version 2>&1 | head -1)"
  TPGW_BENCH_OPS=1 swift test "${TPGW_BENCH_FLAGS[@]}" --skip-build --filter OpsBenchmark 2>&1 | grep -E '^BENCH |✘' || true
} | tee "$out"
grep -q '✘' "$out" && exit 1 || exit 0
