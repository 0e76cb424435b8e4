"""bce-sim checked against the official Python SDK (bce-python-sdk's EipTpClient).

If the SDK and bce-sim disagree, bce-sim is wrong. Run by scripts/test.d/20-bce-sdk.sh, which starts
`bce-sim --base-port 0` and passes its ports in BCE_SIM_PORTS (the JSON line it printed).
"""
import json
import os
import uuid

import pytest
from baidubce.auth.bce_credentials import BceCredentials
from baidubce.bce_client_configuration import BceClientConfiguration
from baidubce.exception import BceHttpClientError
from baidubce.retry.retry_policy import NoRetryPolicy
from baidubce.services.eip.eip_tp_client import EipTpClient

AK = os.environ.get("BCE_SIM_AK", "AK")
SK = os.environ.get("BCE_SIM_SK", "SK")
PORTS = json.loads(os.environ["BCE_SIM_PORTS"])["regions"]
PACKAGES = int(os.environ.get("BCE_SIM_PACKAGES", "250"))


def client(region="bj", sk=SK, ak=AK):
    config = BceClientConfiguration(
        credentials=BceCredentials(ak, sk), endpoint="127.0.0.1:%d" % PORTS[region], retry_policy=NoRetryPolicy())
    return EipTpClient(config)


def test_list_across_pages_returns_every_package_once():
    c = client()
    seen, marker, pages = [], None, 0
    while True:
        page = c.list_eip_tps(marker=marker, max_keys=1000)
        pages += 1
        seen.extend(p.id for p in page.package_list)
        if not page.is_truncated:
            break
        marker = page.next_marker
        assert marker == page.next_marker and marker
    assert len(seen) >= PACKAGES
    assert len(seen) == len(set(seen))
    assert seen == sorted(seen)
    assert pages >= 3  # the sim is started with --max-keys-cap 100


def test_list_marker_is_inclusive():
    c = client()
    first = c.list_eip_tps(max_keys=10)
    second = c.list_eip_tps(marker=first.next_marker, max_keys=10)
    assert second.package_list[0].id == first.next_marker
    assert first.package_list[-1].id < second.package_list[0].id


def test_list_filters_by_status_and_policy():
    c = client()
    page = c.list_eip_tps(deduct_policy="TimeDurationPackage", status="RUNNING", max_keys=100)
    assert all(p.deduct_policy == "TimeDurationPackage" and p.status == "RUNNING" for p in page.package_list)


def test_create_then_get_and_idempotent_client_token():
    c = client("gz")
    token = "sdk-" + uuid.uuid4().hex
    created = c.create_eip_tp(reservation_length=1, capacity="10G", deduct_policy="TimeDurationPackage", client_token=token)
    assert created.id.startswith("tp-")
    again = c.create_eip_tp(reservation_length=1, capacity="10G", deduct_policy="TimeDurationPackage", client_token=token)
    assert again.id == created.id
    detail = c.get_eip_tp_detail(created.id)
    assert detail.id == created.id
    assert detail.status == "RUNNING"
    assert int(detail.capacity) == 10 * 1024 ** 3
    assert detail.deduct_policy == "TimeDurationPackage"


def test_same_token_other_parameters_is_rejected():
    c = client("gz")
    token = "sdk-" + uuid.uuid4().hex
    c.create_eip_tp(reservation_length=1, capacity="10G", client_token=token)
    with pytest.raises(BceHttpClientError) as e:
        c.create_eip_tp(reservation_length=1, capacity="50G", client_token=token)
    assert e.value.last_error.status_code == 403
    assert e.value.last_error.code == "IdempotentParameterMismatch"


def test_price():
    assert client().get_eip_tp_price(reservation_length=1, capacity="10G").price == "7.20000"


def test_unknown_package_is_no_such_object():
    with pytest.raises(BceHttpClientError) as e:
        client().get_eip_tp_detail("tp-doesnotexist")
    assert e.value.last_error.status_code == 404
    assert e.value.last_error.code == "NoSuchObject"


def test_wrong_secret_is_rejected():
    with pytest.raises(BceHttpClientError) as e:
        client(sk="not-the-secret").list_eip_tps()
    assert e.value.last_error.status_code == 400
    assert e.value.last_error.code == "SignatureDoesNotMatch"


def test_unknown_access_key_is_rejected():
    with pytest.raises(BceHttpClientError) as e:
        client(ak="NOSUCHKEY").list_eip_tps()
    assert e.value.last_error.status_code == 403
    assert e.value.last_error.code == "InvalidAccessKeyId"


def test_invalid_capacity_for_length_is_rejected():
    with pytest.raises(BceHttpClientError) as e:
        client().create_eip_tp(reservation_length=1, capacity="60G")
    assert e.value.last_error.status_code == 400
