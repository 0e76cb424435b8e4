#!/usr/bin/env python3
"""Generates bce-auth-v1 test vectors with the official Python SDK (bce-python-sdk).

Output: Tests/TPGWBCETests/Fixtures/signer-vectors.json, read by BCESignerTests.

The SDK's sign() takes an already-encoded path (its clients run utils.append_uri, which encodes
everything but '/'), so we pass normalize_string(path, False) and store the raw path for Swift.
SDK quirk: given an explicit header list it still folds every x-bce-* header in. The vectors
therefore carry no x-bce-* header other than x-bce-date, and always sign x-bce-date, so the SDK
and the spec agree. Vectors with signedHeaders = null use the SDK's default set (empty field).
"""
import json
import os
import sys

from baidubce import utils
from baidubce.auth import bce_v1_signer
from baidubce.auth.bce_credentials import BceCredentials

AK = "0123456789abcdef0123456789abcdef"
SK = "fedcba9876543210fedcba9876543210"
TS = 1700000000  # 2023-11-14T22:13:20Z


def b(s):
    return s.encode("utf-8") if isinstance(s, str) else s


CASES = [
    dict(name="list_no_query", method="GET", path="/v1/eiptp", query=[], headers=[("Host", "eip.bj.baidubce.com")]),
    dict(name="list_paged", method="GET", path="/v1/eiptp",
         query=[("marker", "tp-87V5cnkwqO"), ("maxKeys", "1000")], headers=[("Host", "eip.bj.baidubce.com")]),
    dict(name="list_filters_several", method="GET", path="/v1/eiptp",
         query=[("status", "RUNNING"), ("deductPolicy", "TimeDurationPackage"), ("id", "tp-1"), ("maxKeys", "100"), ("marker", "tp-0")],
         headers=[("Host", "eip.gz.baidubce.com")]),
    dict(name="query_space_slash_plus_equals_tilde", method="GET", path="/v1/eiptp",
         query=[("q", "a b/c+d=e~f"), ("x", "1&2")], headers=[("Host", "eip.bj.baidubce.com")]),
    dict(name="query_non_ascii", method="GET", path="/v1/eiptp",
         query=[("text1", "测试"), ("text10", "test"), ("text", "")], headers=[("Host", "eip.bj.baidubce.com")]),
    dict(name="query_empty_values", method="GET", path="/v1/eiptp",
         query=[("a", ""), ("b", ""), ("marker", "")], headers=[("Host", "eip.su.baidubce.com")]),
    dict(name="query_key_needs_encoding", method="GET", path="/v1/eiptp",
         query=[("k y", "v/1"), ("ä", "ö")], headers=[("Host", "eip.bj.baidubce.com")]),
    dict(name="detail_path", method="GET", path="/v1/eiptp/tp-87V5cnkwqO", query=[], headers=[("Host", "eip.bj.baidubce.com")]),
    dict(name="path_needs_encoding", method="GET", path="/v1/eiptp/tp a+b~测", query=[], headers=[("Host", "eip.bj.baidubce.com")]),
    dict(name="host_with_port", method="GET", path="/v1/eiptp", query=[("maxKeys", "1000")], headers=[("Host", "127.0.0.1:9101")]),
    dict(name="create_post", method="POST", path="/v1/eiptp", query=[("clientToken", "c6f0b4d2-1b1e-4b0a-9e57-2a6f0c3f9d11")],
         headers=[("Host", "eip.bj.baidubce.com"), ("Content-Type", "application/json;charset=utf-8"), ("Content-Length", "101")]),
    dict(name="create_post_signing_body_headers", method="POST", path="/v1/eiptp", query=[("clientToken", "tok_1")],
         headers=[("Host", "eip.bj.baidubce.com"), ("Content-Type", "application/json;charset=utf-8"), ("Content-Length", "101")],
         signed=["content-length", "content-type", "host", "x-bce-date"]),
    dict(name="price_post", method="POST", path="/v1/eiptp/price", query=[("clientToken", "price-token-1")],
         headers=[("Host", "eip.hkg.baidubce.com"), ("Content-Type", "application/json;charset=utf-8"), ("Content-Length", "99")]),
    dict(name="header_value_trimmed", method="GET", path="/v1/eiptp", query=[],
         headers=[("Host", "  eip.bj.baidubce.com  ")]),
    dict(name="default_set_get", method="GET", path="/v1/eiptp", query=[("maxKeys", "1000")],
         headers=[("Host", "eip.bj.baidubce.com"), ("Content-Length", "0"), ("Content-Type", "application/json;charset=utf-8"),
                  ("Accept", "*/*"), ("User-Agent", "x")], signed=None),
    dict(name="default_set_post", method="POST", path="/v1/eiptp", query=[("clientToken", "abc")],
         headers=[("Host", "127.0.0.1:9101"), ("Content-Length", "57"), ("Content-Type", "application/json;charset=utf-8"),
                  ("Accept", "*/*")], signed=None),
]


def main(out_path):
    creds = BceCredentials(AK, SK)
    ts_text = utils.get_canonical_time(TS).decode()
    vectors = []
    for c in CASES:
        headers = list(c["headers"]) + [("x-bce-date", ts_text)]
        signed = c.get("signed", ["host", "x-bce-date"])
        auth = bce_v1_signer.sign(
            creds, b(c["method"]), utils.normalize_string(b(c["path"]), False),
            {b(k): b(v) for k, v in headers}, {b(k): b(v) for k, v in c["query"]},
            TS, 1800, [b(h) for h in signed] if signed is not None else None)
        vectors.append(dict(
            name=c["name"], method=c["method"], path=c["path"],
            query=[[k, v] for k, v in c["query"]], headers=[[k, v] for k, v in headers],
            signedHeaders=signed, timestamp=ts_text, expiration=1800, authorization=auth.decode()))
    doc = dict(
        generator="Tests/python/gen_signer_vectors.py",
        sdk="bce-python-sdk " + __import__("baidubce").SDK_VERSION.decode(),
        accessKeyID=AK, secretAccessKey=SK, vectors=vectors)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote %d vectors to %s" % (len(vectors), out_path))


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "TPGWBCETests", "Fixtures", "signer-vectors.json"))
