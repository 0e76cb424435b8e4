#!/usr/bin/env bash
# SIGTERM drains gracefully (in-flight request completes, exit 0); a second signal exits at once.
# Uses the debug tpgw-bench-server built by scripts/test. Every process is stopped by its PID.
set -uo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh
tpgw_apt_install curl python3 >/dev/null || true
BIN=.build/debug/tpgw-bench-server
[ -x "$BIN" ] || swift build --product tpgw-bench-server >/dev/null
fail=0
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
start_server() {
  PORT=$(free_port)
  TPGW_BENCH_TEST_ROUTES=1 "$BIN" --port "$PORT" 2>/dev/null & SERVER=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return 0; sleep 0.1; done
  echo "server did not start"; kill "$SERVER" 2>/dev/null; return 1
}

# 1. One SIGTERM: the 1.5 s request in flight still gets its answer, then the process exits 0.
start_server || exit 1
body=$(mktemp)
curl -s -o "$body" -w '%{http_code}' "http://127.0.0.1:$PORT/test/sleep/1500" > "$body.code" & CURL=$!
sleep 0.3
kill -TERM "$SERVER"
wait "$CURL"; wait "$SERVER"; rc=$?
if [ "$(cat "$body.code")" = 200 ] && [ "$(cat "$body")" = "slept 1500" ] && [ $rc = 0 ]; then
  echo "ok   SIGTERM lets the in-flight request finish, exit 0"
else
  echo "FAIL SIGTERM: http $(cat "$body.code") body '$(cat "$body")' exit $rc"; fail=1
fi
rm -f "$body" "$body.code"

# 2. Two signals: exit at once (status 130) although a 10 s request is in flight.
start_server || exit 1
curl -s -m 15 "http://127.0.0.1:$PORT/test/sleep/10000" >/dev/null & CURL=$!
sleep 0.3
start=$(date +%s.%N)
kill -TERM "$SERVER"; sleep 0.2; kill -INT "$SERVER"
wait "$SERVER"; rc=$?
took=$(python3 -c "import sys; print(round($(date +%s.%N) - $start, 2))")
kill "$CURL" 2>/dev/null; wait "$CURL" 2>/dev/null
if [ $rc = 130 ] && python3 -c "import sys; sys.exit(0 if $took < 2 else 1)"; then
  echo "ok   second signal exits at once (${took}s, exit 130)"
else
  echo "FAIL second signal: exit $rc after ${took}s"; fail=1
fi
exit $fail
