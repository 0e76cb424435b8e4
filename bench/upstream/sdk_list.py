#!/usr/bin/env python3
"""Lists every package of every source one after another with the official Python SDK, as a baseline.

Usage: sdk_list.py '<bce-sim ports JSON>' AK SK  -> prints {"sdkSeconds": ..., "packages": ...}
"""
import json
import sys
import time

from baidubce.auth.bce_credentials import BceCredentials
from baidubce.bce_client_configuration import BceClientConfiguration
from baidubce.services.eip.eip_tp_client import EipTpClient

ports = json.loads(sys.argv[1])["regions"]
ak, sk = sys.argv[2], sys.argv[3]
start = time.monotonic()
total = 0
for region, port in ports.items():
    c = EipTpClient(BceClientConfiguration(credentials=BceCredentials(ak, sk), endpoint="127.0.0.1:%d" % port))
    marker = None
    while True:
        page = c.list_eip_tps(marker=marker, max_keys=1000)
        total += len(page.package_list)
        if not page.is_truncated:
            break
        marker = page.next_marker
print(json.dumps({"sdkSeconds": time.monotonic() - start, "packages": total}))
