#!/usr/bin/env python3
"""A local webhook receiver for the demo: prints one line per delivery it gets.

Usage: webhook-receiver.py [--verbose] PORT [SECRET]
Each line: time, running count, channel format (recognised from the body: json, alertmanager, alertmanager-webhook,
slack, dingtalk, feishu, wecom), event (firing, resolved, ... or digest), the alert and its summary, how many alerts
the delivery carries, and the signature check. --verbose also prints every full body.
With SECRET, checks tpgw's signature header: X-TPGW-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>.
Listens on 127.0.0.1 only and answers 200 to everything.
"""
import hashlib
import hmac
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

args = [a for a in sys.argv[1:] if a != "--verbose"]
VERBOSE = "--verbose" in sys.argv[1:]
PORT = int(args[0])
SECRET = args[1].encode() if len(args) > 1 else None
COUNT = 0
LOCK = threading.Lock()


def signature_status(header, body):
    if SECRET is None or not header:
        return ""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    expected = hmac.new(SECRET, parts.get("t", "").encode() + b"." + body, hashlib.sha256).hexdigest()
    return "signature ok" if hmac.compare_digest(expected, parts.get("v1", "")) else "SIGNATURE MISMATCH"


def short(text, limit=90):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(doc):
    """(format, event, what, alert count) of a delivery body."""
    if isinstance(doc, list):  # Alertmanager API: a list of alerts with labels
        first = doc[0] if doc else {}
        labels = first.get("labels", {})
        ends = first.get("endsAt", "")
        state = "resolved" if ends and not ends.startswith("0001") and ends <= time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) else "firing"
        what = f'{labels.get("alertname", "?")}: {first.get("annotations", {}).get("summary", "")}'
        return "alertmanager", state, what, len(doc)
    if not isinstance(doc, dict):
        return "unknown", "-", short(doc), 0
    if doc.get("version") == "1" and "deliveryId" in doc:
        events = doc.get("events", [])
        if len(events) == 1:
            alert = events[0].get("alert", {})
            what = f'{alert.get("kind", "?")}: {alert.get("summary", doc.get("title", ""))}'
        else:
            what = doc.get("title", "")
        return "json", doc.get("event", "-"), what, len(events)
    if doc.get("version") == "4" and "alerts" in doc:
        alerts = doc["alerts"]
        first = alerts[0] if alerts else {}
        what = f'{first.get("labels", {}).get("alertname", "?")}: {first.get("annotations", {}).get("summary", "")}'
        return "alertmanager-webhook", doc.get("status", "-"), what, len(alerts)
    if "msg_type" in doc:
        content = doc.get("card") or doc.get("content") or {}
        return "feishu", "-", json.dumps(content, ensure_ascii=False), 1
    if "msgtype" in doc:
        md = doc.get("markdown", {})
        if "content" in md:
            return "wecom", "-", md["content"], 1
        return "dingtalk", "-", md.get("title") or md.get("text", ""), 1
    if "text" in doc or "blocks" in doc:
        return "slack", "-", doc.get("text", ""), 1
    return "unknown", "-", json.dumps(doc, ensure_ascii=False), 0


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global COUNT
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        check = signature_status(self.headers.get("X-TPGW-Signature"), body)
        try:
            doc = json.loads(body)
            fmt, event, what, alerts = describe(doc)
        except ValueError:
            doc, fmt, event, what, alerts = None, "text", "-", body.decode("utf-8", "replace"), 0
        with LOCK:
            COUNT += 1
            n = COUNT
        count = f"{alerts} alert" + ("" if alerts == 1 else "s")
        line = f"[webhook {time.strftime('%H:%M:%S')}] #{n} {fmt} {event}: {short(what)} ({count})"
        print(line + (f" {check}" if check else ""), flush=True)
        if VERBOSE:
            delivery = self.headers.get("X-TPGW-Delivery", "-")
            shown = json.dumps(doc, indent=2, ensure_ascii=False) if doc is not None else body.decode("utf-8", "replace")
            print(f"  {self.command} {self.path} delivery={delivery}\n{shown}\n", flush=True)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_PUT = do_POST

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
