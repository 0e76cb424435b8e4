#!/usr/bin/env python3
"""Generates TC3-HMAC-SHA256 test vectors with the official Python SDK (tencentcloud-sdk-python).

Output: Tests/TPGWTencentTests/Fixtures/tc3-vectors.json, read by TC3SignerTests.

Each vector is produced by the SDK's own request builder (AbstractClient._build_req_with_tc3_signature)
with time.time() pinned, so the body bytes (json.dumps with ", " and ": " separators, or the
urlencoded query of a GET), the Host and Content-Type headers and the Authorization are exactly what
the SDK would send. The Swift signer must reproduce the Authorization from the recorded
method, host, content type, query, body and timestamp.

    pip install tencentcloud-sdk-python-common tencentcloud-sdk-python-vpc
    python3 Tests/python/tencent/gen_tc3_vectors.py [out.json]
"""
import json
import os
import sys
import time
from unittest import mock

import tencentcloud
from tencentcloud.common import credential
from tencentcloud.common.http.request import RequestInternal
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.vpc.v20170312 import vpc_client

SECRET_ID = "AKIDtpgwVectors00000000000000000000"
SECRET_KEY = "tpgwVectorSecretKey0000000000000"

CASES = [
    dict(name="describe_first_page", ts=1767225600, method="POST", host="vpc.tencentcloudapi.com",
         region="ap-guangzhou", action="DescribeTrafficPackages", params={"Offset": 0, "Limit": 100}),
    dict(name="describe_second_page", ts=1767225600, method="POST", host="vpc.tencentcloudapi.com",
         region="ap-shanghai", action="DescribeTrafficPackages", params={"Offset": 100, "Limit": 100}),
    dict(name="describe_utc_date_before_beijing_midnight", ts=1767196800, method="POST", host="vpc.tencentcloudapi.com",
         region="ap-guangzhou", action="DescribeTrafficPackages", params={"Offset": 0, "Limit": 100}),
    dict(name="describe_last_second_of_year", ts=1767225599, method="POST", host="vpc.tencentcloudapi.com",
         region="ap-guangzhou", action="DescribeTrafficPackages", params={"Offset": 0, "Limit": 100}),
    dict(name="describe_by_ids", ts=1767225600, method="POST", host="vpc.ap-guangzhou.tencentcloudapi.com",
         region="ap-guangzhou", action="DescribeTrafficPackages",
         params={"TrafficPackageIds": ["tfp-g67jlh1j", "tfp-0000abcd"], "Offset": 0, "Limit": 100}),
    dict(name="describe_filters", ts=1767225600, method="POST", host="vpc.tencentcloudapi.com",
         region="ap-nanjing", action="DescribeTrafficPackages",
         params={"Filters": [{"Name": "status", "Values": ["AVAILABLE", "EXHAUSTED"]},
                             {"Name": "traffic-package-name", "Values": ["未命名"]}], "Offset": 0, "Limit": 50}),
    dict(name="describe_intl_host", ts=1700000000, method="POST", host="vpc.intl.tencentcloudapi.com",
         region="ap-singapore", action="DescribeTrafficPackages", params={"Offset": 0, "Limit": 100}),
    dict(name="describe_loopback_host_with_port", ts=1767225600, method="POST", host="127.0.0.1:9300",
         region="ap-guangzhou", action="DescribeTrafficPackages", params={"Offset": 0, "Limit": 100}),
    dict(name="create_one", ts=1767225600, method="POST", host="vpc.tencentcloudapi.com",
         region="ap-guangzhou", action="CreateTrafficPackages", params={"TrafficAmount": 10, "TrafficPackageCount": 1}),
    dict(name="create_several_idle", ts=1767225600, method="POST", host="vpc.tencentcloudapi.com",
         region="ap-shanghai", action="CreateTrafficPackages",
         params={"TrafficAmount": 5120, "TrafficPackageCount": 3, "DeductType": "IDLE_TIME"}),
    dict(name="describe_get", ts=1767225600, method="GET", host="vpc.tencentcloudapi.com",
         region="ap-guangzhou", action="DescribeTrafficPackages",
         params={"Filters": [{"Name": "status", "Values": ["AVAILABLE"]}], "Limit": 100, "Offset": 0}),
    dict(name="describe_get_non_ascii", ts=1767225600, method="GET", host="vpc.tencentcloudapi.com",
         region="ap-guangzhou", action="DescribeTrafficPackages",
         params={"Filters": [{"Name": "traffic-package-name", "Values": ["未命名 a+b/c"]}], "Limit": 20, "Offset": 0}),
]


def build(case):
    cred = credential.Credential(SECRET_ID, SECRET_KEY)
    http = HttpProfile(endpoint=case["host"], reqMethod=case["method"])
    client = vpc_client.VpcClient(cred, case["region"], ClientProfile(httpProfile=http))
    req = RequestInternal(case["host"], case["method"], "/", header={})
    with mock.patch("time.time", return_value=float(case["ts"])):
        client._build_req_with_tc3_signature(case["action"], case["params"], req)
    h = req.header
    query = req.data if case["method"] == "GET" else ""
    body = "" if case["method"] == "GET" else req.data
    return dict(
        name=case["name"], method=case["method"], host=h["Host"], contentType=h["Content-Type"],
        action=h["X-TC-Action"], region=h["X-TC-Region"], timestamp=int(h["X-TC-Timestamp"]),
        query=query, body=body, authorization=h["Authorization"])


def main(out_path):
    version = "unknown"
    try:
        from importlib.metadata import version as v
        version = v("tencentcloud-sdk-python-common")
    except Exception:
        pass
    doc = dict(
        generator="Tests/python/tencent/gen_tc3_vectors.py",
        sdk="tencentcloud-sdk-python-common " + version,
        secretId=SECRET_ID, secretKey=SECRET_KEY,
        vectors=[build(c) for c in CASES])
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("wrote %d vectors to %s" % (len(doc["vectors"]), out_path))


if __name__ == "__main__":
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
    default = os.path.join(root, "Tests", "TPGWTencentTests", "Fixtures", "tc3-vectors.json")
    main(sys.argv[1] if len(sys.argv) > 1 else default)
