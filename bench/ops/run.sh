#!/usr/bin/env bash
# Operations benchmark: GET /metrics and GET / (status page) over a view of 100,000 packages, through a real
# HTTPServer with the real ops routes and middleware, measured with curl; plus status page model and render times.
# `tpgw-bench ops` (bench/Sources/OpsBenchmark.swift), an ordinary build over the libraries' `package` API.
# Usage: bench/ops/run.sh [debug|release]   (default release; TPGW_BENCH_SKIP_BUILD=1 reuses the last build).
# Output: bench/results/ops-<date>.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh
. scripts/lib/bench.sh
tpgw_install_base
config=${1:-release}
if [ "${TPGW_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  swift build -c "$config" --product tpgw-bench 2>&1 | tail -1
fi
TPGW_BENCH_SKIP_BUILD=1 tpgw_bench_build "$config"
out=bench/results/ops-$(date -u +%Y%m%dT%H%M%SZ).txt
{
  echo "# bench/ops/run.sh $config  $(date -u +%FT%TZ)  $(nproc) cores  load $(cut -d' ' -f1-3 /proc/loadavg)  $(swift --version 2>&1 | head -1)"
  tpgw_bench_run ops 2>&1
} | tee "$out"
