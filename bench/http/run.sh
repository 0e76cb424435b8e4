#!/usr/bin/env bash
# HTTP server benchmark: tpgw-bench-server next to Hummingbird and nginx (one run, compare ratios).
#   bench/http/run.sh [extra bench.sh options, e.g. --rounds 2 --idle-conns 10000]
# Installs wrk and nginx-light; builds the peers from ../shared/peers (or $PEERS) in a writable copy (.data/peers).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh
. scripts/lib/bench.sh
tpgw_install_base
tpgw_apt_install wrk nginx-light
PEERS=$(tpgw_peers_dir)
swift build -c release --product tpgw-bench-server 2>&1 | tail -1
BIN="$(pwd)/.build/release/tpgw-bench-server"
exec "$PEERS/bench.sh" --only hummingbird,nginx-limit,extra \
  --extra "$BIN --port {PORT}" --extra-name tpgw --extra-path /v1/summary \
  --extra "$BIN --port {PORT}" --extra-name tpgw-cached --extra-path /v1/summary-cached \
  "$@"
