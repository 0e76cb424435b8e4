#!/usr/bin/env python3
"""A local webhook receiver for the demo: prints every request it gets (tpgw's signed JSON alerts, or anything else).

Usage: webhook-receiver.py PORT [SECRET]
With SECRET, checks tpgw's signature header: X-TPGW-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>.
Listens on 127.0.0.1 only and answers 200 to everything.
"""
import hashlib
import hmac
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

PORT = int(sys.argv[1])
SECRET = sys.argv[2].encode() if len(sys.argv) > 2 else None


def signature_status(header, body):
    if SECRET is None or not header:
        return ""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    expected = hmac.new(SECRET, parts.get("t", "").encode() + b"." + body, hashlib.sha256).hexdigest()
    return " signature ok" if hmac.compare_digest(expected, parts.get("v1", "")) else " SIGNATURE MISMATCH"


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        delivery = self.headers.get("X-TPGW-Delivery", "-")
        check = signature_status(self.headers.get("X-TPGW-Signature"), body)
        try:
            shown = json.dumps(json.loads(body), indent=2, ensure_ascii=False)
        except ValueError:
            shown = body.decode("utf-8", "replace")
        print(f"[webhook {time.strftime('%H:%M:%S')}] {self.command} {self.path} delivery={delivery}{check}\n{shown}\n", flush=True)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_PUT = do_POST

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
