#!/usr/bin/env bash
# The status page in a real browser: starts PostgreSQL, bce-sim (every region) and `tpgw serve`, waits until every
# source was polled and the pools' sparklines have data, checks GET / (200, HTML, headers, well-formed markup, every
# section, no script or external asset) and GET /metrics (live series, promtool check metrics), then takes a headless Chromium screenshot and checks it (a PNG of the window
# size, not blank, no console or CSP errors). TPGW_SCREENSHOT_OUT=PATH also copies the screenshot there
# (docs/status-page.png is made that way, with TPGW_STATUS_PAGE_WAIT=150 for some history). Every process started
# here is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh
. scripts/lib/pg.sh
. scripts/lib/stack.sh

tpgw_install_base
tpgw_apt_install chromium fonts-dejavu-core
CHROMIUM=$(command -v chromium || command -v chromium-browser)
DIR=$(pwd)/.data/status-page
rm -rf "$DIR"; mkdir -p "$DIR"

swift build 2>&1 | sed -E '/^\[[0-9]+\/[0-9]+\]/d' | grep -v '^Building\|^Build complete' || true
TPGW_BIN=$(swift build --show-bin-path)

CHROME_PID=
cleanup() {
  [ -n "$CHROME_PID" ] && kill "$CHROME_PID" 2>/dev/null || true
  tpgw_stack_stop
  tpgw_pg_stop
}
trap cleanup EXIT INT TERM
fail() { echo "50-status-page: FAIL: $*" >&2; exit 1; }

tpgw_pg_start pg-status-page
tpgw_stack_start "$DIR" 25 5 600 '{"statusPageRefreshSeconds": 30}'
tpgw_stack_wait_poll 90 || fail "sources not polled"

# TPGW_STATUS_PAGE_WAIT=SECONDS lets history build up first (for the docs screenshot).
sleep "${TPGW_STATUS_PAGE_WAIT:-0}"
# Wait until the sparklines show usage (the sim's usage moves 600x faster than real time).
URL=$TPGW_STACK_URL/
for _ in $(seq 1 60); do
  code=$(curl -s -D "$DIR/page.headers" -o "$DIR/page.html" -w '%{http_code}' "$URL")
  [ "$code" = 200 ] || fail "GET / answered $code"
  grep -q '<polyline class="spark"[^>]*points="[^"]* [0-9.]*,[0-9]\.[0-9]' "$DIR/page.html" 2>/dev/null && break
  sleep 1
done

python3 - "$DIR/page.html" "$DIR/page.headers" <<'PY' || fail "the page is not right (see above)"
import re, sys
from html.parser import HTMLParser

html = open(sys.argv[1], encoding="utf-8").read()
headers = open(sys.argv[2], encoding="utf-8").read().lower()
problems = []
VOID = {"meta", "br", "img", "input", "link", "hr", "rect", "polyline", "path", "circle", "line", "col", "wbr"}

class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.ids, self.tags = [], set(), {}
    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for name, value in attrs:
            if name == "id":
                if value in self.ids: problems.append(f"duplicate id {value!r}")
                self.ids.add(value)
            if name.startswith("on"): problems.append(f"event handler attribute {name} on <{tag}>")
            if name in ("src", "href") and value and not value.startswith("#"): problems.append(f"external reference {name}={value!r}")
        if tag not in VOID: self.stack.append((tag, self.getpos()))
    def handle_startendtag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
    def handle_endtag(self, tag):
        if tag in VOID: return
        if not self.stack: problems.append(f"stray </{tag}> at {self.getpos()}"); return
        open_tag, pos = self.stack.pop()
        if open_tag != tag: problems.append(f"</{tag}> at {self.getpos()} closes <{open_tag}> from {pos}")

c = Checker()
c.feed(html)
c.close()
if c.stack: problems.append(f"unclosed: {[t for t, _ in c.stack][:5]}")
if not html.startswith("<!doctype html>"): problems.append("no doctype")
for tag in ("script", "iframe", "link", "img", "object"):
    if c.tags.get(tag): problems.append(f"<{tag}> present")
for section in ("alerts", "regions", "pools", "packages", "sources"):
    if section not in c.ids: problems.append(f"section #{section} missing")
if c.tags.get("tr", 0) < 20: problems.append(f"only {c.tags.get('tr', 0)} table rows")
if not re.search(r'<meta http-equiv="refresh" content="30">', html): problems.append("no refresh meta tag of 30 s")
if "content-type: text/html; charset=utf-8" not in headers: problems.append("content type is not text/html; charset=utf-8")
if "content-security-policy: default-src 'none'" not in headers: problems.append("no content security policy")
if ">11/11 ok<" not in html: problems.append("the sources chip does not say 11/11 ok")
for p in problems: print("  -", p, file=sys.stderr)
print(f"page: {len(html)} bytes, {c.tags.get('tr', 0)} rows, {c.tags.get('svg', 0)} svg", file=sys.stderr)
sys.exit(1 if problems else 0)
PY

echo "==> GET /metrics" >&2
code=$(curl -s -o "$DIR/metrics.txt" -w '%{http_code}' "$TPGW_STACK_URL/metrics")
[ "$code" = 200 ] || fail "GET /metrics answered $code"
[ "$(grep -c '^tpgw_source_up{.*} 1$' "$DIR/metrics.txt")" = 11 ] || fail "/metrics does not show 11 sources up"
grep -q '^tpgw_package_remaining_bytes{provider="bce",account="sim",region="bj",package_id=' "$DIR/metrics.txt" || fail "no package series"
grep -q '^tpgw_http_requests_total{method="GET",route="/",status="200"} [1-9]' "$DIR/metrics.txt" || fail "no HTTP request counter for GET /"
grep -q '^tpgw_upstream_requests_total{region="bj",operation="list",outcome="ok"} [1-9]' "$DIR/metrics.txt" || fail "no upstream counter"
grep -q '^tpgw_poll_duration_seconds_count{account="sim",region="bj"} [1-9]' "$DIR/metrics.txt" || fail "no poll durations"
grep -q '^tpgw_snapshots_written_total [1-9]' "$DIR/metrics.txt" || fail "no snapshots counted"
if command -v promtool >/dev/null; then
  promtool check metrics <"$DIR/metrics.txt" >&2 || fail "promtool check metrics found problems in a live scrape"
fi

echo "==> chromium screenshot" >&2
timeout 180 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars \
  --user-data-dir="$DIR/chromium-profile" --enable-logging=stderr --v=0 \
  --screenshot="$DIR/status-page.png" --window-size=1400,1000 "$URL" >"$DIR/chromium.log" 2>&1 &
CHROME_PID=$!
wait "$CHROME_PID" || { tail -n 30 "$DIR/chromium.log" >&2; CHROME_PID=; fail "chromium failed"; }
CHROME_PID=

grep -E 'CONSOLE|Refused to|Uncaught|net::ERR_' "$DIR/chromium.log" >&2 && fail "the browser reported errors on the page"
python3 - "$DIR/status-page.png" <<'PY' || fail "the screenshot is not right"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n": sys.exit("not a PNG")
width, height = struct.unpack(">II", data[16:24])
if (width, height) != (1400, 1000): sys.exit(f"size {width}x{height}, expected 1400x1000")
if len(data) < 20_000: sys.exit(f"only {len(data)} bytes: blank page?")
# Decode enough to see that the image is not one flat colour.
pos, idat = 8, b""
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT": idat += data[pos + 8:pos + 8 + length]
    pos += 12 + length
raw = zlib.decompress(idat)
if len(set(raw[::97])) < 8: sys.exit("the screenshot is nearly one colour")
print(f"screenshot: {width}x{height}, {len(data)} bytes", file=sys.stderr)
PY

if [ -n "${TPGW_SCREENSHOT_OUT:-}" ]; then cp "$DIR/status-page.png" "$TPGW_SCREENSHOT_OUT"; fi
echo "50-status-page: ok ($DIR/status-page.png)" >&2
