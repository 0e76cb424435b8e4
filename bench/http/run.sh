#!/usr/bin/env bash
# HTTP server benchmark: tpgw-bench-server next to Hummingbird and nginx (one run, compare ratios).
#   bench/http/run.sh [extra bench.sh options, e.g. --rounds 2 --idle-conns 10000]
# Needs wrk, nginx-light, python3 and the peers in ../shared/peers (or $PEERS).
set -euo pipefail
cd "$(dirname "$0")/../.."
PEERS=${PEERS:-$(cd .. && pwd)/shared/peers}
[ -x "$PEERS/bench.sh" ] || PEERS=/work/shared/peers
swift build -c release --product tpgw-bench-server 2>&1 | tail -1
BIN="$(pwd)/.build/release/tpgw-bench-server"
exec "$PEERS/bench.sh" --only hummingbird,nginx-limit,extra \
  --extra "$BIN --port {PORT}" --extra-name tpgw --extra-path /v1/summary \
  --extra "$BIN --port {PORT}" --extra-name tpgw-cached --extra-path /v1/summary-cached \
  "$@"
