"""The billing adapter and its simulated Simponi: codes, payments and signed callbacks."""

import hashlib
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from billing.gateway import (
    BillingRequest,
    CallbackRejected,
    GatewayError,
    PaymentNotice,
    SimulatedGateway,
    _signature,
    billing_code_valid,
    callback_secret,
    gateway,
    notice_sign,
    notice_verify,
)

NOW = datetime(2025, 3, 10, 9, 30, tzinfo=UTC)
SECRET = "test-callback-secret"


def _request(*, expires_at: datetime = NOW + timedelta(days=30), amount: int = 150_000):
    return BillingRequest(
        invoice_number="INV-2025-00001",
        amount=amount,
        payer_name="Alice Wulandari",
        payer_email="alice@example.com",
        description="Statistical products, order ORD-2025-00001",
        expires_at=expires_at,
    )


@pytest.fixture
def sim() -> SimulatedGateway:
    return SimulatedGateway(clock=lambda: NOW)


@pytest.fixture
def notice(sim) -> PaymentNotice:
    code = sim.billing_create(request=_request()).code
    return sim.payment_make(code=code, amount=150_000, paid_at=NOW)


def _codes(sim, n: int = 50) -> list[str]:
    return [sim.billing_create(request=_request()).code for _ in range(n)]


# --- billing codes --------------------------------------------------------------------------------


def test_it_issues_codes_of_simponis_shape(sim):
    """8, the date of issue (YYYYMMDD), a six-digit sequence: 15 digits."""
    for code in _codes(sim):
        assert len(code) == 15 and code.isdigit()
        assert code.startswith("8" + NOW.strftime("%Y%m%d"))
        assert billing_code_valid(code)


@pytest.mark.parametrize(
    "code",
    # Real Simponi billing codes carry no check digit: any sequence is genuine.
    ["820220922465628", "820230105000001", "820261125999999", "720240101123456"],
)
def test_it_accepts_real_simponi_codes(code):
    assert billing_code_valid(code)


@pytest.mark.parametrize(
    "code",
    ["", "81234567890123", "8123456789012345", "81234567890123a", "612345678901234", None, 812],
)
def test_it_rejects_malformed_codes(code):
    assert not billing_code_valid(code)


def test_a_code_is_valid_for_7_days_when_the_invoice_runs_longer(sim):
    issued = sim.billing_create(request=_request(expires_at=NOW + timedelta(days=30)))
    assert issued.expires_at == NOW + timedelta(days=7)


def test_a_code_never_outlives_its_invoice(sim):
    invoice_expiry = NOW + timedelta(days=3, hours=4)
    issued = sim.billing_create(request=_request(expires_at=invoice_expiry))
    assert issued.expires_at == invoice_expiry


def test_it_refuses_a_code_for_an_expired_invoice_or_nothing_to_pay(sim):
    with pytest.raises(GatewayError):
        sim.billing_create(request=_request(expires_at=NOW - timedelta(seconds=1)))
    with pytest.raises(GatewayError):
        sim.billing_create(request=_request(amount=0))


def test_it_refuses_a_naive_invoice_expiry(sim):
    with pytest.raises(ValueError):
        sim.billing_create(request=_request(expires_at=datetime(2025, 4, 1)))


# --- simulated payments ---------------------------------------------------------------------------


def test_a_payment_reports_a_well_formed_ntpn_and_ntb(sim):
    code = sim.billing_create(request=_request()).code
    for _ in range(20):
        notice = sim.payment_make(code=code, amount=150_000, channel="atm")
        assert len(notice.ntpn) == 16
        assert notice.ntpn.isalnum() and notice.ntpn == notice.ntpn.upper()
        assert notice.ntpn.isascii()
        assert len(notice.ntb) == 12 and notice.ntb.isdigit()
        assert (notice.code, notice.amount, notice.channel) == (code, 150_000, "atm")
        assert notice.paid_at == NOW


def test_each_payment_has_its_own_notice_id_and_ntpn(sim):
    code = sim.billing_create(request=_request()).code
    notices = [sim.payment_make(code=code, amount=150_000) for _ in range(50)]
    assert len({n.notice_id for n in notices}) == 50
    assert len({n.ntpn for n in notices}) == 50


@pytest.mark.parametrize("mangle", [lambda c: c[:14], lambda c: "6" + c[1:], lambda c: c + "0"])
def test_the_bank_refuses_what_is_not_a_billing_code(sim, mangle):
    code = sim.billing_create(request=_request()).code
    with pytest.raises(GatewayError):
        sim.payment_make(code=mangle(code), amount=150_000)


# --- signed callbacks -----------------------------------------------------------------------------


def test_a_signed_notice_verifies_to_the_same_notice(notice):
    payload = notice_sign(notice=notice, secret=SECRET)
    assert notice_verify(payload=payload, secret=SECRET, now=NOW) == notice


def test_a_redelivered_notice_is_byte_for_byte_the_same(notice):
    assert notice_sign(notice=notice, secret=SECRET) == notice_sign(notice=notice, secret=SECRET)


def test_a_signed_notice_survives_a_json_round_trip(notice):
    payload = json.loads(json.dumps(notice_sign(notice=notice, secret=SECRET)))
    assert notice_verify(payload=payload, secret=SECRET, now=NOW) == notice


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("code", "800000000000000"),
        ("amount", 1),
        ("amount", "150000"),
        ("ntpn", "AAAAAAAAAAAAAAAA"),
        ("ntb", "000000000000"),
        ("paid_at", (NOW - timedelta(minutes=1)).isoformat()),
        ("channel", "atm"),
        ("notice_id", "someone-elses-id"),
        ("extra", "added"),
    ],
)
def test_it_rejects_a_payload_with_any_field_changed(notice, field, value):
    payload = notice_sign(notice=notice, secret=SECRET)
    payload[field] = value
    with pytest.raises(CallbackRejected, match="bad signature"):
        notice_verify(payload=payload, secret=SECRET, now=NOW)


@pytest.mark.parametrize("signature", [None, "", 42])
def test_it_rejects_a_payload_without_a_signature(notice, signature):
    payload = notice_sign(notice=notice, secret=SECRET)
    if signature is None:
        del payload["signature"]
    else:
        payload["signature"] = signature
    with pytest.raises(CallbackRejected, match="missing signature"):
        notice_verify(payload=payload, secret=SECRET, now=NOW)


def test_it_rejects_a_payload_signed_with_another_secret(notice):
    payload = notice_sign(notice=notice, secret="not-the-secret")
    with pytest.raises(CallbackRejected, match="bad signature"):
        notice_verify(payload=payload, secret=SECRET, now=NOW)


def test_it_rejects_a_payload_that_is_not_an_object():
    with pytest.raises(CallbackRejected):
        notice_verify(payload=["not", "a", "dict"], secret=SECRET, now=NOW)


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("code", "612345678901230", "invalid billing code"),
        ("amount", 0, "invalid amount"),
        ("amount", -5, "invalid amount"),
        ("amount", 1.5, "invalid amount"),
        ("amount", True, "invalid amount"),
        ("ntpn", "abcd1234efgh5678", "invalid NTPN"),
        ("ntpn", "ABCD1234", "invalid NTPN"),
        ("ntb", "12AB", "invalid NTB"),
        ("channel", "", "invalid channel"),
        ("notice_id", "x" * 65, "invalid notice id"),
        ("paid_at", "yesterday", "invalid paid_at"),
        ("paid_at", "2025-03-10T09:30:00", "no time zone"),
    ],
)
def test_it_rejects_a_correctly_signed_but_malformed_notice(notice, field, value, reason):
    # A sender holding the secret can still send nonsense; it must not reach the ledger.
    payload = notice_sign(notice=notice, secret=SECRET)
    del payload["signature"]
    payload[field] = value
    payload["signature"] = _signature(fields=payload, secret=SECRET)
    with pytest.raises(CallbackRejected, match=reason):
        notice_verify(payload=payload, secret=SECRET, now=NOW)


def test_it_rejects_a_notice_missing_a_field(notice):
    payload = notice_sign(notice=notice, secret=SECRET)
    del payload["signature"], payload["ntpn"]
    payload["signature"] = _signature(fields=payload, secret=SECRET)
    with pytest.raises(CallbackRejected, match="missing fields: ntpn"):
        notice_verify(payload=payload, secret=SECRET, now=NOW)


def test_it_rejects_an_old_notice(notice):
    payload = notice_sign(notice=notice, secret=SECRET)
    later = NOW + timedelta(hours=24, seconds=1)
    with pytest.raises(CallbackRejected, match="too old"):
        notice_verify(payload=payload, secret=SECRET, now=later)
    with pytest.raises(CallbackRejected, match="too old"):
        notice_verify(
            payload=payload, secret=SECRET, now=NOW + timedelta(hours=2), max_age=timedelta(hours=1)
        )
    assert notice_verify(payload=payload, secret=SECRET, now=NOW + timedelta(hours=23))


def test_it_rejects_a_future_dated_notice_beyond_clock_skew(notice):
    payload = notice_sign(notice=notice, secret=SECRET)
    with pytest.raises(CallbackRejected, match="future"):
        notice_verify(payload=payload, secret=SECRET, now=NOW - timedelta(minutes=6))
    assert notice_verify(payload=payload, secret=SECRET, now=NOW - timedelta(minutes=4))


def test_it_accepts_paid_at_in_another_time_zone(sim):
    code = sim.billing_create(request=_request()).code
    paid_at = NOW.astimezone(ZoneInfo("Asia/Jakarta"))
    notice = sim.payment_make(code=code, amount=150_000, paid_at=paid_at)
    verified = notice_verify(
        payload=notice_sign(notice=notice, secret=SECRET), secret=SECRET, now=NOW
    )
    assert verified.paid_at == paid_at


# --- configuration --------------------------------------------------------------------------------


def test_the_simulated_gateway_is_the_default(settings):
    del settings.BILLING_GATEWAY
    assert isinstance(gateway(), SimulatedGateway)
    settings.BILLING_GATEWAY = "simulated"
    assert isinstance(gateway(), SimulatedGateway)


def test_the_registry_refuses_an_unknown_gateway(settings):
    settings.BILLING_GATEWAY = "simponi-v9"
    with pytest.raises(ImproperlyConfigured, match="simponi-v9"):
        gateway()


def test_the_callback_secret_comes_from_settings(settings):
    settings.BILLING_CALLBACK_SECRET = "from-settings"
    assert callback_secret() == "from-settings"


def test_the_callback_secret_defaults_to_one_derived_from_secret_key(settings):
    del settings.BILLING_CALLBACK_SECRET
    expected = hashlib.sha256(("billing-callback:" + settings.SECRET_KEY).encode()).hexdigest()
    assert callback_secret() == expected
    assert callback_secret() != settings.SECRET_KEY


def test_an_empty_secret_refuses_to_sign(notice):
    with pytest.raises(ImproperlyConfigured):
        notice_sign(notice=notice, secret="")
