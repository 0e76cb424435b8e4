#!/usr/bin/env bash
# Checks tencent-sim against the official Python SDK (tencentcloud-sdk-python, VPC 2017-03-12). Starts the built
# tencent-sim on a free port, runs Tests/python/tencent with pytest, stops tencent-sim by its PID. Prints pytest's
# "N passed" line.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh
tpgw_apt_install python3-pip >/dev/null 2>&1 || true
tpgw_pip_install tencentcloud-sdk-python-common tencentcloud-sdk-python-vpc pytest

SIM=.build/debug/tencent-sim
[ -x "$SIM" ] || swift build --product tencent-sim 2>&1 | tail -3
mkdir -p .data
out=$(mktemp)
"$SIM" --regions ap-guangzhou,ap-shanghai --port 0 --secret-id AKIDtencentsim --secret-key tencent-sim-secret \
  --packages 250 --seed 3 --time-scale 0 >"$out" 2>.data/tencent-sim-sdk.log &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 1 100); do
  [ -s "$out" ] && break
  kill -0 "$sim_pid" 2>/dev/null || { echo "tencent-sim exited early" >&2; cat .data/tencent-sim-sdk.log >&2; echo "0 passed, 1 failed"; exit 1; }
  sleep 0.1
done
TENCENT_SIM_PORTS=$(head -n1 "$out") TENCENT_SIM_SECRET_ID=AKIDtencentsim TENCENT_SIM_SECRET_KEY=tencent-sim-secret \
  TENCENT_SIM_PACKAGES=250 python3 -m pytest -q -p no:cacheprovider Tests/python/tencent
