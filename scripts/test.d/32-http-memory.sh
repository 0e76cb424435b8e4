#!/usr/bin/env bash
# The HTTP server's memory under unauthenticated bodies, measured on a real `tpgw serve` process (its own RSS, so
# nothing else running blurs it; no test runs alone behind a flag): 300 connections each announce 1 MiB without a
# key and send half of it. They are refused at the head (401) and the server buffers none of it (buffering would be
# 150 MB): its RSS may not grow by more than 32 MiB.
set -uo pipefail
cd "$(dirname "$0")/../.."
: "${TPGW_TEST_DATABASE_URL:?run through scripts/test (needs the throwaway PostgreSQL)}"
BIN=$(swift build --show-bin-path)
[ -x "$BIN/tpgw" ] || { echo "32-http-memory: build first (swift build)"; exit 1; }
WORK=.data/http-memory
rm -rf "$WORK"; mkdir -p "$WORK"
DB=tpgw_http_memory
psql -X -q "$TPGW_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null 2>&1 || exit 1
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf '{"listen": "127.0.0.1:%s", "databaseURL": "%s", "accessLog": false, "failedAuthPerSecond": 100000, "failedAuthBurst": 100000}\n' \
  "$PORT" "${TPGW_TEST_DATABASE_URL%/*}/$DB" >"$WORK/tpgw.json"
export TPGW_CONFIG="$WORK/tpgw.json"
"$BIN/tpgw" serve 2>"$WORK/tpgw.log" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
python3 - "$PORT" "$PID" <<'PY'
import socket, sys, time
port, pid = int(sys.argv[1]), int(sys.argv[2])
def rss():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"): return int(line.split()[1]) * 1024
head = b"POST /v1/channels HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n"
half = b"x" * (512 * 1024)
def attempt():
    s = socket.create_connection(("127.0.0.1", port), timeout=2)
    s.sendall(head)
    status = None
    try:
        status = int(s.recv(4096).split(b" ", 2)[1])
    except Exception:
        pass
    try:
        s.sendall(half)
    except OSError:
        pass  # closed after the 401: fine
    return s, status
for _ in range(5):  # warm-up: the loops' buffers and first allocations are not what is measured
    s, _ = attempt(); s.close()
before = rss()
conns, refused = [], 0
for _ in range(300):
    s, status = attempt()
    refused += status == 401
    conns.append(s)
peak = rss()
for _ in range(60):  # what the server reads arrives after our sends return: keep the peak over 3 s
    time.sleep(0.05)
    peak = max(peak, rss())
for s in conns: s.close()
grown = peak - before
print(f"32-http-memory: {refused}/300 refused at the head, RSS grew {grown >> 20} MiB (limit 32)", file=sys.stderr)
sys.exit(0 if refused == 300 and grown < 32 << 20 else 1)
PY
