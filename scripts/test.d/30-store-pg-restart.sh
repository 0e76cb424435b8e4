#!/usr/bin/env bash
# Restarts the throwaway PostgreSQL in the middle of a poller run (PostgresRestartTests).
# Runs alone, after the main `swift test`, because a restart breaks every other suite's connections.
# Needs TPGW_TEST_DATABASE_URL, TPGW_TEST_PG_CTL and TPGW_TEST_PG_OPTS from scripts/test.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${TPGW_TEST_DATABASE_URL:-}" ] || [ -z "${TPGW_TEST_PG_CTL:-}" ]; then
  echo "30-store-pg-restart: TPGW_TEST_DATABASE_URL / TPGW_TEST_PG_CTL not set (run via scripts/test)" >&2
  exit 1
fi
out=$(TPGW_TEST_PG_RESTART=1 swift test --skip-build --filter PostgresRestartTests 2>&1) || { echo "$out" >&2; exit 1; }
echo "$out" | grep -E "Test run with|✘" >&2
# A filter that matched nothing would pass silently: insist the test ran.
echo "$out" | grep -q "postgresRestartMidRun_nextPollSucceeds_andNothingWrittenIsLost() passed" \
  || { echo "$out" >&2; echo "30-store-pg-restart: the restart test did not run" >&2; exit 1; }
