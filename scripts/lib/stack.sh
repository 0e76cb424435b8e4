# Starts and stops a local tpgw stack (bce-sim with every region, tpgw serve) against a PostgreSQL started with
# scripts/lib/pg.sh. Sourced by scripts/demo and scripts/test.d/5*.sh. Every process is stopped by its PID.
#
#   tpgw_stack_start DIR PACKAGES POLL_SECONDS TIME_SCALE [EXTRA_CONFIG_JSON]
#     needs TPGW_PG_URL and TPGW_BIN (the directory holding tpgw and bce-sim); EXTRA_CONFIG_JSON is merged into the
#     top level of the configuration, and TPGW_STACK_EXTRA_ACCOUNTS (a JSON list) is appended to its accounts;
#     sets TPGW_STACK_URL (http://127.0.0.1:PORT), TPGW_STACK_KEY (an admin API key), TPGW_STACK_CONFIG,
#     TPGW_STACK_SECRET (the simulated account's secret access key), and logs to DIR/tpgw.log, DIR/bce-sim.log.
#     Optional: TPGW_STACK_PORT (default a free port), TPGW_STACK_ACCOUNT (account name, default sim),
#     TPGW_STACK_KEY_NAME (default stack), TPGW_STACK_REGIONS (default every BCE region), TPGW_STACK_SIM_ARGS (more
#     bce-sim options, e.g. --demo), TPGW_STACK_TENCENT=1 (also start tencent-sim with three regions and add a
#     Tencent Cloud account "tc" reading from it; needs tencent-sim in TPGW_BIN).
#   tpgw_stack_wait_poll [SECONDS [ACCOUNT]]   waits until every source (of ACCOUNT) was polled successfully once
#   tpgw_stack_stop                  stops tpgw and bce-sim (by PID)

TPGW_STACK_PIDS=()
TPGW_STACK_REGIONS=${TPGW_STACK_REGIONS:-bj,gz,su,hkg,fwh,bd,nj,yq,cd,sin,fsh}

tpgw_stack_start() {
  local dir=$1 packages=$2 poll=$3 scale=$4 extra=${5:-"{}"}
  mkdir -p "$dir"
  TPGW_STACK_SECRET=${TPGW_STACK_SECRET:-SimSecret$(python3 -c 'import secrets; print(secrets.token_hex(12))')}
  "$TPGW_BIN/bce-sim" --regions "$TPGW_STACK_REGIONS" --base-port 0 --ak SIMAK --sk "$TPGW_STACK_SECRET" \
    --packages "$packages" --seed 7 --time-scale "$scale" ${TPGW_STACK_SIM_ARGS:-} >"$dir/bce-sim.out" 2>"$dir/bce-sim.log" &
  TPGW_STACK_PIDS+=($!)
  local _
  for _ in $(seq 1 100); do [ -s "$dir/bce-sim.out" ] && break; sleep 0.1; done
  [ -s "$dir/bce-sim.out" ] || { echo "bce-sim did not start" >&2; cat "$dir/bce-sim.log" >&2; return 1; }
  local tencent_account="[]"
  if [ -n "${TPGW_STACK_TENCENT:-}" ]; then
    TPGW_TC_SECRET=TcSecret$(python3 -c 'import secrets; print(secrets.token_hex(12))')
    export TPGW_TC_SECRET
    "$TPGW_BIN/tencent-sim" --regions ap-guangzhou,ap-shanghai,ap-beijing --port 0 --secret-id AKIDTPGWSTACK \
      --secret-key "$TPGW_TC_SECRET" --packages "$packages" --seed 7 --time-scale "$scale" >"$dir/tencent-sim.out" 2>"$dir/tencent-sim.log" &
    TPGW_STACK_PIDS+=($!)
    for _ in $(seq 1 100); do [ -s "$dir/tencent-sim.out" ] && break; sleep 0.1; done
    [ -s "$dir/tencent-sim.out" ] || { echo "tencent-sim did not start" >&2; cat "$dir/tencent-sim.log" >&2; return 1; }
    tencent_account=$(python3 -c '
import json, sys
port = json.loads(sys.argv[1])["port"]
print(json.dumps([{"name": "tc", "provider": "tencent", "secretId": "AKIDTPGWSTACK", "secretKeyEnv": "TPGW_TC_SECRET",
                   "regions": ["ap-beijing", "ap-guangzhou", "ap-shanghai"], "endpoint": f"http://127.0.0.1:{port}"}]))' "$(head -n1 "$dir/tencent-sim.out")")
  fi
  local port=${TPGW_STACK_PORT:-}
  [ -n "$port" ] || port=$(tpgw_free_port)
  TPGW_STACK_CONFIG=$dir/tpgw.json
  python3 - "$(head -n1 "$dir/bce-sim.out")" "$port" "$TPGW_PG_URL" "$poll" "$extra" "${TPGW_STACK_EXTRA_ACCOUNTS:-[]}" "${TPGW_STACK_ACCOUNT:-sim}" "$tencent_account" \
    >"$TPGW_STACK_CONFIG" <<'PY'
import json, sys
ports = json.loads(sys.argv[1])["regions"]
config = {
    "listen": f"127.0.0.1:{sys.argv[2]}",
    "databaseURL": sys.argv[3],
    "pollIntervalSeconds": int(sys.argv[4]),
    "publicURL": f"http://127.0.0.1:{sys.argv[2]}",
    "migrationsDir": "migrations",
    "accounts": [{
        "name": sys.argv[7], "provider": "bce", "accessKeyId": "SIMAK", "secretAccessKeyEnv": "TPGW_SIM_SECRET",
        "regions": sorted(ports), "endpoints": {r: f"http://127.0.0.1:{p}" for r, p in ports.items()},
        "pollIntervalSeconds": int(sys.argv[4]),
    }],
}
config.update(json.loads(sys.argv[5]))
config["accounts"] += json.loads(sys.argv[8])
for account in json.loads(sys.argv[6]):
    account.setdefault("regions", sorted(ports))
    account.setdefault("endpoints", {r: f"http://127.0.0.1:{p}" for r, p in ports.items() if r in account["regions"]})
    config["accounts"].append(account)
print(json.dumps(config, indent=2))
PY
  export TPGW_SIM_SECRET=$TPGW_STACK_SECRET
  TPGW_CONFIG=$TPGW_STACK_CONFIG "$TPGW_BIN/tpgw" migrate >"$dir/migrate.out" 2>>"$dir/tpgw.log" \
    || { echo "tpgw migrate failed" >&2; tail -n 20 "$dir/tpgw.log" >&2; return 1; }
  TPGW_STACK_KEY=$(TPGW_CONFIG=$TPGW_STACK_CONFIG "$TPGW_BIN/tpgw" keys create --name "${TPGW_STACK_KEY_NAME:-stack}" --scope admin 2>>"$dir/tpgw.log")
  TPGW_CONFIG=$TPGW_STACK_CONFIG "$TPGW_BIN/tpgw" serve --no-migrate 2>>"$dir/tpgw.log" &
  TPGW_STACK_PIDS+=($!)
  TPGW_STACK_URL=http://127.0.0.1:$port
  for _ in $(seq 1 100); do curl -fs "$TPGW_STACK_URL/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fs "$TPGW_STACK_URL/healthz" >/dev/null || { echo "tpgw did not start" >&2; tail -n 20 "$dir/tpgw.log" >&2; return 1; }
  export TPGW_STACK_URL TPGW_STACK_KEY TPGW_STACK_CONFIG TPGW_STACK_SECRET
}

tpgw_stack_wait_poll() {
  local limit=${1:-60} account=${2:-} i
  for i in $(seq 1 $((limit * 2))); do
    if curl -fs -H "Authorization: Bearer $TPGW_STACK_KEY" "$TPGW_STACK_URL/v1/sources" | python3 -c '
import json, sys
items = [s for s in json.load(sys.stdin)["items"] if sys.argv[1] in ("", s["account"])]
sys.exit(0 if items and all(s["status"] == "ok" for s in items) else 1)' "$account"
    then return 0; fi
    sleep 0.5
  done
  echo "sources were not all polled within ${limit}s" >&2
  return 1
}

tpgw_stack_stop() {
  local pid
  for pid in "${TPGW_STACK_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${TPGW_STACK_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  TPGW_STACK_PIDS=()
}
