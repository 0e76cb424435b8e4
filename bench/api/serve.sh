#!/usr/bin/env bash
# Used by bench/api/run.sh as bench.sh's --extra: becomes `tpgw serve` on 127.0.0.1:$1 (exec keeps the PID).
# Expects TPGW_CONFIG, TPGW_BENCH_SECRET and TPGW_BIN in the environment (exported by run.sh).
TPGW_LISTEN=127.0.0.1:$1 TPGW_ACCESS_LOG=${TPGW_BENCH_ACCESS_LOG:-0} exec "$TPGW_BIN" serve --no-migrate 2>>"${TPGW_BENCH_LOG:-/dev/null}"
