#!/usr/bin/env bash
# Three pollers on one database against nine sources (ReplicaSchedulingTests), run alone: its 2 s interval needs
# the machine's cores to itself to mean "once per interval".
set -uo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${TPGW_TEST_DATABASE_URL:-}" ]; then
  echo "31-poller-replicas: TPGW_TEST_DATABASE_URL not set (run via scripts/test)" >&2
  exit 1
fi
out=$(TPGW_TEST_SOLO=1 swift test --skip-build --filter ReplicaSchedulingTests 2>&1) || { echo "$out" >&2; exit 1; }
echo "$out" | grep -E "Test run with|✘" >&2
echo "$out" | grep -q "threeReplicas_pollEachSourceOncePerInterval_andTakeOverFromADeadOne() passed" \
  || { echo "$out" >&2; echo "31-poller-replicas: the test did not run" >&2; exit 1; }
