#!/usr/bin/env bash
# Alerts benchmark: evaluate 50 budgets (8 rules each) over 100,000 packages (pure, and through the engine with
# PostgreSQL), dispatch 10,000 deliveries to a local receiver (deliveries/s, transition->receipt latency), and 25,000
# alerts of 50 budgets firing at once to a json and a DingTalk-format channel (messages, time to last message, rows).
# Starts its own throwaway PostgreSQL (.data/pg-bench-alerts).
# Usage: bench/alerts/run.sh [debug|release]   (default release). Output: bench/results/alerts-<date>.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh
. scripts/lib/bench.sh
. scripts/lib/pg.sh
tpgw_install_base
config=${1:-release}
tpgw_bench_build "$config"
trap tpgw_pg_stop EXIT INT TERM
tpgw_pg_start pg-bench-alerts
out=bench/results/alerts-$(date -u +%Y%m%dT%H%M%SZ).txt
{
  echo "# bench/alerts/run.sh $config  $(date -u +%FT%TZ)  $(nproc) cores  $(swift --version 2>&1 | head -1)"
  echo "# PostgreSQL: $(psql -X -qAt "$TPGW_PG_URL" -c 'SHOW server_version') with fsync=off, synchronous_commit=off (scripts/lib/pg.sh)"
  TPGW_TEST_DATABASE_URL=$TPGW_PG_URL tpgw_bench_run alerts 2>&1 || echo "✘ tpgw-bench alerts failed"
} | tee "$out"
grep -q '✘' "$out" && exit 1 || exit 0
