#!/usr/bin/env bash
# Forecast accuracy benchmark: backtests the probabilistic forecaster on every synthetic family and prints the
# per-family table (MdAPE, P10-P90 coverage, warned >= 24 h share, false-warning share, sample counts).
# Usage: bench/forecast/run.sh [packages per family] [seed] [confidence]   (release build; confidence 0.9 by default). Exit 1 when a target is missed.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product tpgw-bench-forecast 2>&1 | tail -1
echo "# bench/forecast/run.sh ${*:-}  $(date -u +%FT%TZ)  commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources bench || echo '+dirty')"
exec .build/release/tpgw-bench-forecast "$@"
