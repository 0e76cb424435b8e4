"""tencent-sim checked against the official Python SDK (tencentcloud-sdk-python, VpcClient 2017-03-12).

If the SDK and tencent-sim disagree, tencent-sim is wrong. Run by scripts/test.d/21-tencent-sdk.sh, which starts
`tencent-sim --port 0` and passes the JSON line it printed in TENCENT_SIM_PORTS.
"""
import calendar
import json
import os
import time
import urllib.request
from datetime import datetime, timedelta, timezone

import pytest
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.vpc.v20170312 import models, vpc_client

SECRET_ID = os.environ.get("TENCENT_SIM_SECRET_ID", "AKIDtencentsim")
SECRET_KEY = os.environ.get("TENCENT_SIM_SECRET_KEY", "tencent-sim-secret")
PORT = json.loads(os.environ["TENCENT_SIM_PORTS"])["port"]
PACKAGES = int(os.environ.get("TENCENT_SIM_PACKAGES", "250"))
REGION = "ap-guangzhou"


def client(region=REGION, key=SECRET_KEY, secret_id=SECRET_ID, method="POST"):
    http = HttpProfile(protocol="http", endpoint="127.0.0.1:%d" % PORT, reqMethod=method, reqTimeout=10)
    return vpc_client.VpcClient(credential.Credential(secret_id, key), region, ClientProfile(httpProfile=http))


def describe(c=None, offset=0, limit=100, ids=None, filters=None):
    req = models.DescribeTrafficPackagesRequest()
    req.Offset, req.Limit = offset, limit
    if ids is not None:
        req.TrafficPackageIds = ids
    if filters is not None:
        req.Filters = []
        for name, values in filters:
            f = models.Filter()
            f.Name, f.Values = name, values
            req.Filters.append(f)
    return (c or client()).DescribeTrafficPackages(req)


def list_all(c=None, **kw):
    seen, offset, total = [], 0, None
    while True:
        page = describe(c, offset=offset, **kw)
        total = page.TotalCount if total is None else total
        assert page.TotalCount == total
        seen.extend(page.TrafficPackageSet)
        offset += len(page.TrafficPackageSet)
        if not page.TrafficPackageSet or offset >= page.TotalCount:
            return seen, total


def sdk_error(fn):
    with pytest.raises(TencentCloudSDKException) as e:
        fn()
    return e.value


def control(path, body=None, method="POST"):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (PORT, path), data=data, method=method)
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.loads(r.read() or b"{}")


def add_months(d, n):
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return d.replace(year=year, month=month, day=min(d.day, calendar.monthrange(year, month)[1]))


def utc(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def test_list_with_offset_paging_returns_every_package_once():
    packages, total = list_all()
    ids = [p.TrafficPackageId for p in packages]
    assert total >= PACKAGES
    assert len(ids) == total == len(set(ids))
    assert all(p.TrafficPackageId.startswith("tfp-") and len(p.TrafficPackageId) == 12 for p in packages)


def test_pages_hold_at_most_the_limit_and_default_to_20():
    assert len(describe(limit=100).TrafficPackageSet) == 100
    req = models.DescribeTrafficPackagesRequest()
    assert len(client().DescribeTrafficPackages(req).TrafficPackageSet) == 20


def test_limit_above_100_is_rejected():
    assert sdk_error(lambda: describe(limit=101)).code == "InvalidParameterValue.LimitExceeded"


def test_amounts_are_gb_numbers_and_deadline_is_a_month_minus_one_second_for_small_sizes():
    packages, _ = list_all()
    for p in packages:
        assert isinstance(p.TotalAmount, (int, float)) and isinstance(p.UsedAmount, (int, float))
        assert p.Status in ("AVAILABLE", "EXPIRED", "EXHAUSTED", "REFUNDED", "DELETED")
        assert p.DeductType in ("FULL_TIME", "IDLE_TIME")
        assert utc(p.Deadline) > utc(p.CreatedTime)
    statuses = {p.Status for p in packages}
    assert {"REFUNDED", "DELETED"} <= statuses


def test_get_requests_sign_the_query_string():
    packages, total = list_all(client(method="GET"), filters=[("status", ["AVAILABLE"])])
    assert packages and all(p.Status == "AVAILABLE" for p in packages)
    assert len(packages) == total


def test_status_filter_ors_values_and_refuses_refunded():
    packages, _ = list_all(filters=[("status", ["EXPIRED", "EXHAUSTED"])])
    assert packages and {p.Status for p in packages} <= {"EXPIRED", "EXHAUSTED"}
    assert sdk_error(lambda: describe(filters=[("status", ["REFUNDED"])])).code == "InvalidParameterValue"


def test_filters_by_id_name_and_ids_but_not_both():
    first = describe(limit=3).TrafficPackageSet
    ids = [p.TrafficPackageId for p in first]
    assert [p.TrafficPackageId for p in describe(ids=ids[:2] + ["tfp-zzzzzzzz"]).TrafficPackageSet] == ids[:2]
    assert [p.TrafficPackageId for p in describe(filters=[("traffic-package_id", [ids[2]])]).TrafficPackageSet] == [ids[2]]
    named = describe(filters=[("traffic-package-name", [first[0].TrafficPackageName])]).TrafficPackageSet
    assert named and all(p.TrafficPackageName == first[0].TrafficPackageName for p in named)
    assert sdk_error(lambda: describe(ids=ids, filters=[("status", ["AVAILABLE"])])).code == "InvalidParameter.Coexist"
    assert sdk_error(lambda: describe(filters=[("traffic-package-id", ids)])).code == "InvalidParameter.InvalidFilter"


def test_create_buys_several_packages_that_then_list():
    before = time.time()
    req = models.CreateTrafficPackagesRequest()
    req.TrafficAmount, req.TrafficPackageCount, req.DeductType = 10, 2, "IDLE_TIME"
    resp = client().CreateTrafficPackages(req)
    assert len(resp.TrafficPackageSet) == 2 and resp.RequestId
    bought = describe(ids=resp.TrafficPackageSet).TrafficPackageSet
    assert sorted(p.TrafficPackageId for p in bought) == sorted(resp.TrafficPackageSet)
    for p in bought:
        assert p.TotalAmount == 10 and p.UsedAmount == 0 and p.Status == "AVAILABLE" and p.DeductType == "IDLE_TIME"
        # The simulator runs at --time-scale 0: its clock stands at its start, which is before this test began.
        assert int(before) - 600 <= utc(p.CreatedTime).timestamp() <= time.time() + 1
        assert utc(p.Deadline) == add_months(utc(p.CreatedTime), 1) - timedelta(seconds=1)


def test_create_refuses_unsold_sizes_counts_and_a_client_token():
    req = models.CreateTrafficPackagesRequest()
    req.TrafficAmount = 600
    assert sdk_error(lambda: client().CreateTrafficPackages(req)).code == "InvalidParameterValue"
    req.TrafficAmount, req.TrafficPackageCount = 10, 21
    assert sdk_error(lambda: client().CreateTrafficPackages(req)).code == "InvalidParameterValue.Range"
    err = sdk_error(lambda: client().call_json("CreateTrafficPackages", {"TrafficAmount": 10, "ClientToken": "t-1"}))
    assert err.code == "UnknownParameter"


def test_wrong_key_id_region_are_refused():
    assert sdk_error(lambda: describe(client(key="wrong"))).code == "AuthFailure.SignatureFailure"
    assert sdk_error(lambda: describe(client(secret_id="AKIDunknown"))).code == "AuthFailure.SecretIdNotFound"
    assert sdk_error(lambda: describe(client(region="eu-frankfurt"))).code == "UnsupportedRegion"


def test_regions_are_separate_inventories():
    a = {p.TrafficPackageId for p in list_all()[0]}
    b = {p.TrafficPackageId for p in list_all(client(region="ap-shanghai"))[0]}
    assert a and b and not (a & b)


def test_throttling_fault_answers_request_limit_exceeded_then_clears():
    control("/__sim/faults", {"region": REGION, "throttle": True, "times": 1})
    try:
        assert sdk_error(lambda: describe()).code == "RequestLimitExceeded"
        assert describe().TotalCount >= PACKAGES
    finally:
        control("/__sim/faults", method="DELETE")
