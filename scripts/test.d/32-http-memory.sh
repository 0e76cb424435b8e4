#!/usr/bin/env bash
# The HTTP server's memory under unauthenticated bodies (HTTPServerMemoryTests), run alone: it compares this
# process's RSS before and after, which other tests running in parallel would blur.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=$(TPGW_TEST_SOLO=1 swift test --skip-build --filter HTTPServerMemoryTests 2>&1) || { echo "$out" >&2; exit 1; }
echo "$out" | grep -E "Test run with|✘" >&2
echo "$out" | grep -q "unauthenticatedBodies_doNotGrowMemory() passed" \
  || { echo "$out" >&2; echo "32-http-memory: the test did not run" >&2; exit 1; }
