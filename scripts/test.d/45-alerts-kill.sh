#!/usr/bin/env bash
# At-least-once across kill -9: a real `tpgw serve` claims a delivery, the receiver holds the request, tpgw is
# killed -9 mid-send, restarted, and must send the same delivery id again once the lease (3 s) runs out.
set -uo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh
. scripts/lib/pg.sh

DIR=.data/alerts-kill
rm -rf "$DIR"; mkdir -p "$DIR"
PIDS=()
TPGW_PID=
cleanup() {
  [ -n "$TPGW_PID" ] && kill "$TPGW_PID" 2>/dev/null
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  tpgw_pg_stop
}
trap cleanup EXIT INT TERM
fail() { echo "alerts-kill: FAIL: $*" >&2; echo "alerts-kill: 0 passed, 1 failed"; tail -20 "$DIR/tpgw.log" >&2; exit 1; }

swift build --product tpgw >/dev/null 2>&1 && swift build --product bce-sim >/dev/null 2>&1 || fail "build"
BIN=$(swift build --show-bin-path)
tpgw_pg_start pg-alerts-kill || fail "postgres"

"$BIN/bce-sim" --regions bj --base-port 0 --ak KILLAK --sk KILLSECRET --packages 5 --seed 7 >"$DIR/sim.out" 2>"$DIR/sim.log" &
PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$DIR/sim.out" ] && break; sleep 0.1; done
SIM_PORT=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["regions"]["bj"])' "$DIR/sim.out") || fail "bce-sim port"

# Receiver: logs every delivery id; holds the first request (tpgw is killed meanwhile), answers 200 afterwards.
python3 - "$DIR" <<'PY' &
import http.server, sys, threading, time, os
d = sys.argv[1]
count = [0]
lock = threading.Lock()
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            count[0] += 1; n = count[0]
            with open(os.path.join(d, "received.log"), "a") as f: f.write(self.headers.get("X-TPGW-Delivery", "-") + "\n")
        if n == 1: time.sleep(120)
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
s.daemon_threads = True
open(os.path.join(d, "receiver.port"), "w").write(str(s.server_address[1]))
s.serve_forever()
PY
PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$DIR/receiver.port" ] && break; sleep 0.1; done
RECV_PORT=$(cat "$DIR/receiver.port")
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

cat >"$DIR/tpgw.json" <<JSON
{"listen": "127.0.0.1:$PORT", "databaseURL": "$TPGW_PG_URL", "pollIntervalSeconds": 5, "accessLog": false,
 "webhookAllowedNetworks": ["127.0.0.0/8"],
 "accounts": [{"name": "demo", "provider": "bce", "accessKeyId": "KILLAK", "secretAccessKeyEnv": "KILL_SECRET",
   "regions": ["bj"], "endpoints": {"bj": "http://127.0.0.1:$SIM_PORT"}}]}
JSON
export KILL_SECRET=KILLSECRET TPGW_CONFIG="$DIR/tpgw.json" TPGW_DELIVERY_LEASE_SECONDS=3 TPGW_DELIVERY_TIMEOUT_SECONDS=60
"$BIN/tpgw" migrate >/dev/null 2>>"$DIR/tpgw.log" || fail "migrate"
KEY=$("$BIN/tpgw" keys create --name kill --scope admin 2>>"$DIR/tpgw.log") || fail "key"
start_tpgw() {
  "$BIN/tpgw" serve >>"$DIR/tpgw.log" 2>&1 &
  TPGW_PID=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && return 0; sleep 0.1; done
  fail "tpgw did not start"
}
api() { curl -fsS -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' "$@"; }
start_tpgw
CHANNEL=$(api -d "{\"name\":\"kill\",\"format\":\"json\",\"url\":\"http://127.0.0.1:$RECV_PORT/hook\",\"secret\":\"s3cret-kill\"}" \
  "http://127.0.0.1:$PORT/v1/channels" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])') || fail "channel"
api -d "{\"name\":\"kill\",\"rules\":[{\"kind\":\"remainingBytes\",\"below\":1125899906842624,\"per\":\"pool\"}],\"channels\":[\"$CHANNEL\"],\"groupWaitSeconds\":0}" \
  "http://127.0.0.1:$PORT/v1/budgets" >/dev/null || fail "budget"

for _ in $(seq 1 300); do [ -s "$DIR/received.log" ] && break; sleep 0.1; done
[ -s "$DIR/received.log" ] || fail "no delivery reached the receiver"
FIRST=$(head -n1 "$DIR/received.log")
kill -9 "$TPGW_PID"; wait "$TPGW_PID" 2>/dev/null; TPGW_PID=
echo "alerts-kill: killed tpgw -9 while delivery $FIRST was in flight" >&2
start_tpgw
for _ in $(seq 1 300); do grep -c . "$DIR/received.log" | grep -qv '^1$' && break; sleep 0.1; done
SECOND=$(sed -n 2p "$DIR/received.log")
[ "$SECOND" = "$FIRST" ] || fail "expected $FIRST to be sent again, got '${SECOND:-nothing}'"
STATE=
for _ in $(seq 1 50); do
  STATE=$(api "http://127.0.0.1:$PORT/v1/deliveries?state=delivered" | python3 -c 'import json,sys; print(" ".join(i["id"] for i in json.load(sys.stdin)["items"]))')
  case " $STATE " in *" $FIRST "*) break ;; esac; sleep 0.1
done
case " $STATE " in *" $FIRST "*) ;; *) fail "delivery $FIRST not recorded as delivered" ;; esac
grep -q "s3cret-kill\|$RECV_PORT/hook?" "$DIR/tpgw.log" && fail "secret in logs"
echo "alerts-kill: 1 passed, 0 failed"
