#!/usr/bin/env bash
# Checks bce-sim against the official Python SDK (bce-python-sdk). Starts the built bce-sim on free
# ports, runs Tests/python with pytest, stops bce-sim by its PID. Prints pytest's "N passed" line.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh
tpgw_apt_install python3-pip >/dev/null 2>&1 || true
tpgw_pip_install bce-python-sdk pytest

SIM=.build/debug/bce-sim
[ -x "$SIM" ] || swift build --product bce-sim 2>&1 | tail -3
mkdir -p .data
out=$(mktemp)
"$SIM" --regions bj,gz --base-port 0 --ak AK --sk SK --packages 250 --max-keys-cap 100 --seed 3 >"$out" 2>.data/bce-sim-sdk.log &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 1 100); do
  [ -s "$out" ] && break
  kill -0 "$sim_pid" 2>/dev/null || { echo "bce-sim exited early" >&2; cat .data/bce-sim-sdk.log >&2; echo "0 passed, 1 failed"; exit 1; }
  sleep 0.1
done
BCE_SIM_PORTS=$(head -n1 "$out") BCE_SIM_AK=AK BCE_SIM_SK=SK BCE_SIM_PACKAGES=250 \
  python3 -m pytest -q -p no:cacheprovider Tests/python
