#!/usr/bin/env bash
# Operations benchmark: GET /metrics and GET / (status page) over a view of 100,000 packages, through a real
# HTTPServer with the real ops routes and middleware, measured with curl; plus status page model and render times.
# Usage: bench/ops/run.sh [debug|release]   (default release). Output: bench/results/ops-<date>.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh
tpgw_install_base
config=${1:-release}
# Still a test behind TPGW_BENCH_OPS (OpsBenchmark in GatewayTests): it needs internal gateway types, so the release
# build keeps -enable-testing here until it becomes a `tpgw-bench` subcommand like the others.
if [ "$config" = release ]; then
  swift build -c release --build-tests -Xswiftc -enable-testing 2>&1 | tail -1
  TPGW_BENCH_FLAGS=(-c release -Xswiftc -enable-testing)
else
  swift build --build-tests 2>&1 | tail -1
  TPGW_BENCH_FLAGS=()
fi
mkdir -p bench/results
out=bench/results/ops-$(date -u +%Y%m%dT%H%M%SZ).txt
{
  echo "# bench/ops/run.sh $config  $(date -u +%FT%TZ)  $(nproc) cores  load $(cut -d' ' -f1-3 /proc/loadavg)  $(swift --version 2>&1 | head -1)"
  TPGW_BENCH_OPS=1 swift test "${TPGW_BENCH_FLAGS[@]}" --skip-build --filter OpsBenchmark 2>&1 | grep -E '^BENCH |✘' || true
} | tee "$out"
grep -q '✘' "$out" && exit 1 || exit 0
