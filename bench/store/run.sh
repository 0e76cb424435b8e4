#!/usr/bin/env bash
# Store benchmark: one poll of 20 sources x 5,000 packages (all changed) vs psql \copy of the same rows,
# the latest-state query for 100,000 packages, and bytes on disk per package per day at a 60 s interval
# with 1% of packages changing per poll. Starts its own throwaway PostgreSQL (.data/pg-bench-store).
# Usage: bench/store/run.sh [debug|release]   (default release). Output: bench/results/store-<date>.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh
. scripts/lib/bench.sh
. scripts/lib/pg.sh
tpgw_install_base
config=${1:-release}
tpgw_bench_build "$config"
trap tpgw_pg_stop EXIT INT TERM
tpgw_pg_start pg-bench-store
out=bench/results/store-$(date -u +%Y%m%dT%H%M%SZ).txt
{
  echo "# bench/store/run.sh $config  $(date -u +%FT%TZ)  $(nproc) cores  $(swift --version 2>&1 | head -1)"
  echo "# PostgreSQL: $(psql -X -qAt "$TPGW_PG_URL" -c 'SHOW server_version') with fsync=off, synchronous_commit=off (scripts/lib/pg.sh)"
  TPGW_TEST_DATABASE_URL=$TPGW_PG_URL tpgw_bench_run store 2>&1 || echo "✘ tpgw-bench store failed"
} | tee "$out"
grep -q '✘' "$out" && exit 1 || exit 0
