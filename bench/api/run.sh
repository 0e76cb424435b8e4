#!/usr/bin/env bash
# API benchmark: a real `tpgw serve` over 100,000 stored packages in 20 regions (read from bce-sim by a real poll),
# authenticated requests to /v1/summary and /v1/packages?limit=100, in one bench.sh run beside Hummingbird and
# nginx-limit (../shared/peers). Then the uncached cost (rebuild the view from PostgreSQL and
# render the summary and the first 100 packages at 100,000 packages: `tpgw-bench api-render`).
#   bench/api/run.sh [extra bench.sh options, e.g. --rounds 2]
# Output: the bench.sh table (also under .data/peers/results/), bench/results/api-render-<time>.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh
. scripts/lib/bench.sh
. scripts/lib/pg.sh
tpgw_install_base
tpgw_apt_install wrk nginx-light
PEERS=$(tpgw_peers_dir)
REGIONS=bj,gz,su,hkg,fwh,bd,nj,yq,cd,sin,fsh,cq,xa,wh,sh,hz,tj,ks,sz,qd
PER_REGION=5000

if [ "${TPGW_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  swift build -c release --product tpgw 2>&1 | tail -1
  swift build -c release --product bce-sim 2>&1 | tail -1
fi
BIN=$(swift build -c release --show-bin-path)
export TPGW_BIN="$BIN/tpgw"
WORK=.data/bench-api
rm -rf "$WORK"; mkdir -p "$WORK" bench/results
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  tpgw_pg_stop
}
trap cleanup EXIT INT TERM
tpgw_pg_start pg-bench-api

"$BIN/bce-sim" --regions "$REGIONS" --base-port 0 --ak BENCHAK --sk BENCHSECRET --packages $PER_REGION --seed 11 --time-scale 0 \
  >"$WORK/sim.out" 2>"$WORK/sim.log" &
PIDS+=($!)
for _ in $(seq 1 300); do [ -s "$WORK/sim.out" ] && break; sleep 0.1; done
python3 - "$(head -n1 "$WORK/sim.out")" "$TPGW_PG_URL" >"$WORK/tpgw.json" <<'PY'
import json, sys
ports = json.loads(sys.argv[1])["regions"]
print(json.dumps({
    "listen": "127.0.0.1:0", "databaseURL": sys.argv[2], "pollIntervalSeconds": 3600, "accessLog": False,
    "rateLimitPerSecond": 1000000, "rateLimitBurst": 1000000,
    "accounts": [{"name": "bench", "accessKeyId": "BENCHAK", "secretAccessKeyEnv": "TPGW_BENCH_SECRET",
                  "regions": sorted(ports), "endpoints": {r: f"http://127.0.0.1:{p}" for r, p in ports.items()}}],
}))
PY
export TPGW_CONFIG="$PWD/$WORK/tpgw.json" TPGW_BENCH_SECRET=BENCHSECRET
"$TPGW_BIN" migrate >/dev/null
KEY=$("$TPGW_BIN" keys create --name bench-read --scope read)
WKEY=$("$TPGW_BIN" keys create --name bench-write --scope write)

# One real poll of every source fills the store (then the sources are not due for an hour).
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
TPGW_LISTEN=127.0.0.1:$PORT "$TPGW_BIN" serve --no-migrate 2>"$WORK/fill.log" &
FILL=$!; PIDS+=($FILL)
for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
curl -fs -X POST -H "Authorization: Bearer $WKEY" "http://127.0.0.1:$PORT/v1/refresh" >"$WORK/refresh.json"
kill -TERM $FILL; wait $FILL 2>/dev/null || true
# A refresh does not move the schedule: push every source's next poll past the benchmark so no poll runs during it.
psql -X -q "$TPGW_PG_URL" -c "UPDATE sources SET next_poll_at = now() + interval '1 day'" >/dev/null
COUNT=$(psql -X -qAt "$TPGW_PG_URL" -c "SELECT count(*) FROM packages")
echo "# stored packages: $COUNT in $(echo $REGIONS | tr ',' '\n' | wc -l) regions" >&2

export TPGW_BENCH_LOG="$PWD/$WORK/serve.log"
"$PEERS/bench.sh" --only hummingbird,nginx-limit,extra --header "Authorization: Bearer $KEY" \
  --extra "$PWD/bench/api/serve.sh {PORT}" --extra-name tpgw-summary --extra-path /v1/summary \
  --extra "$PWD/bench/api/serve.sh {PORT}" --extra-name tpgw-packages-100 --extra-path '/v1/packages?limit=100' \
  "$@"

# Uncached: rebuild the view from the database at 100,000 packages (tpgw-bench, release build).
[ "${TPGW_BENCH_SKIP_RENDER:-0}" = 1 ] && exit 0
[ "${TPGW_BENCH_SKIP_BUILD:-0}" = 1 ] || swift build -c release --product tpgw-bench 2>&1 | tail -1
out=bench/results/api-render-$(date -u +%Y%m%dT%H%M%SZ).txt
TPGW_TEST_DATABASE_URL=$TPGW_PG_URL "$BIN/tpgw-bench" api-render 2>&1 | grep -E '^BENCH |tpgw-bench' | tee "$out"
