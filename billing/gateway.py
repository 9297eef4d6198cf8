"""The government billing gateway (Simponi) behind an adapter, with a simulated stand-in.

The real Simponi cannot be reached from here, so `SimulatedGateway` issues billing codes and takes
simulated bank payments. Payments come back as signed callbacks (`notice_sign` / `notice_verify`)
so the payment service treats a simulated payment exactly like a real one. No database here: the
models enforce uniqueness of codes, NTPNs and notice ids, which is what makes callbacks idempotent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import string
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

# Simponi: a billing code lapses after 7 days (it can be reissued while the invoice runs).
BILLING_CODE_VALIDITY = timedelta(days=7)
# Clocks of the gateway and of this server drift; a notice from slightly "ahead" is still genuine.
CLOCK_SKEW = timedelta(minutes=5)

NTPN_ALPHABET = string.ascii_uppercase + string.digits
NTPN_LENGTH = 16
NTB_LENGTH = 12

_CODE_RE = re.compile(r"[7-9][0-9]{14}")
_NTPN_RE = re.compile(r"[A-Z0-9]{16}")
_NTB_RE = re.compile(r"\d{1,32}")  # the model keeps up to 32; banks differ in length
_NOTICE_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # fits Payment.notice_id
_CHANNEL_MAX = 32
NOTICE_FIELDS = ("amount", "channel", "code", "notice_id", "ntb", "ntpn", "paid_at")
# No invoice of this portal comes near it (a trillion rupiah); anything above is not money.
AMOUNT_MAX = 10**12


class GatewayError(Exception):
    """The gateway refuses a request (what Simponi would answer with an error)."""


class CallbackRejected(Exception):
    """A payment callback that must not be trusted; `reason` is safe to answer with."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class BillingRequest:
    invoice_number: str
    amount: int
    payer_name: str
    payer_email: str
    description: str
    expires_at: datetime  # aware: the invoice's own expiry


@dataclass(frozen=True)
class BillingCodeIssued:
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class PaymentNotice:
    code: str
    amount: int
    ntpn: str
    ntb: str
    paid_at: datetime
    channel: str
    # One per payment: a redelivered callback carries the same notice_id and NTPN.
    notice_id: str


class BillingGateway(Protocol):
    def billing_create(self, *, request: BillingRequest) -> BillingCodeIssued: ...


# --- billing codes --------------------------------------------------------------------------------


def billing_code_valid(code: str) -> bool:
    """What Simponi guarantees of a billing code: 15 digits, the first naming the issuer (7–9,
    the PNBP system). Nothing more: a real code has no check digit ("8", the date, a sequence)."""
    return isinstance(code, str) and bool(_CODE_RE.fullmatch(code))


def billing_code_new(*, on: datetime) -> str:
    """A code of the real shape: 8, the date of issue (YYYYMMDD), a six-digit sequence; a
    collision is caught by the unique constraint on the model."""
    sequence = "".join(secrets.choice(string.digits) for _ in range(6))
    return f"8{timezone.localtime(on):%Y%m%d}{sequence}"


def _aware_check(value: datetime, *, name: str) -> None:
    if timezone.is_naive(value):
        raise ValueError(f"{name} must be an aware datetime")


class SimulatedGateway:
    """Simponi's stand-in: issues codes and pays them as a bank would. Stateless; the clock can be
    passed in so tests need no freezing."""

    def __init__(self, *, clock: Callable[[], datetime] = timezone.now) -> None:
        self._clock = clock

    def billing_create(self, *, request: BillingRequest) -> BillingCodeIssued:
        _aware_check(request.expires_at, name="expires_at")
        now = self._clock()
        if request.amount <= 0:
            raise GatewayError("a billing code needs a positive amount")
        if request.expires_at <= now:
            raise GatewayError("the invoice has already expired")
        # A code must not outlive its invoice: paying it after the invoice lapsed would be refused.
        expires_at = min(now + BILLING_CODE_VALIDITY, request.expires_at)
        return BillingCodeIssued(code=billing_code_new(on=now), expires_at=expires_at)

    def payment_make(
        self,
        *,
        code: str,
        amount: int,
        channel: str = "teller",
        paid_at: datetime | None = None,
    ) -> PaymentNotice:
        """The bank takes the money. It knows no invoices: amount and lapse are checked by the
        payment service, as Simponi would reconcile them."""
        if not billing_code_valid(code):
            raise GatewayError("not a billing code")
        if amount <= 0:
            raise GatewayError("the amount must be positive")
        if paid_at is not None:
            _aware_check(paid_at, name="paid_at")
        return PaymentNotice(
            code=code,
            amount=amount,
            ntpn="".join(secrets.choice(NTPN_ALPHABET) for _ in range(NTPN_LENGTH)),
            ntb="".join(secrets.choice(string.digits) for _ in range(NTB_LENGTH)),
            paid_at=paid_at or self._clock(),
            channel=channel,
            notice_id=uuid.uuid4().hex,
        )


# --- signed callbacks -----------------------------------------------------------------------------


def _signature(*, fields: dict[str, Any], secret: str) -> str:
    if not secret:
        raise ImproperlyConfigured("The billing callback secret is empty.")
    # Sorted keys and no whitespace: sender and receiver must build byte-identical strings.
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(secret.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def notice_sign(*, notice: PaymentNotice, secret: str) -> dict[str, Any]:
    """The JSON body of a payment callback. Signing the same notice twice gives the same body, so
    a redelivery is byte-for-byte a repeat."""
    _aware_check(notice.paid_at, name="paid_at")
    fields: dict[str, Any] = {
        "amount": notice.amount,
        "channel": notice.channel,
        "code": notice.code,
        "notice_id": notice.notice_id,
        "ntb": notice.ntb,
        "ntpn": notice.ntpn,
        "paid_at": notice.paid_at.astimezone(UTC).isoformat(),
    }
    return {**fields, "signature": _signature(fields=fields, secret=secret)}


def _signature_check(*, payload: Any, secret: str) -> None:
    if not isinstance(payload, dict):
        raise CallbackRejected("payload is not an object")
    signature = payload.get("signature")
    if not isinstance(signature, str) or not signature:
        raise CallbackRejected("missing signature")
    # Every field but the signature is signed, so nothing can be added or changed unnoticed.
    fields = {k: v for k, v in payload.items() if k != "signature"}
    try:
        expected = _signature(fields=fields, secret=secret)
    except (TypeError, ValueError) as exc:
        raise CallbackRejected("payload is not JSON") from exc
    # Constant time, so the signature cannot be guessed byte by byte from response times.
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise CallbackRejected("bad signature")


def _notice_parse(payload: dict[str, Any]) -> PaymentNotice:
    missing = [name for name in NOTICE_FIELDS if name not in payload]
    if missing:
        raise CallbackRejected(f"missing fields: {', '.join(missing)}")
    code, amount = payload["code"], payload["amount"]
    ntpn, ntb = payload["ntpn"], payload["ntb"]
    channel, notice_id = payload["channel"], payload["notice_id"]
    if not billing_code_valid(code):
        raise CallbackRejected("invalid billing code")
    # bool is an int in Python; JSON true is not an amount.
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= AMOUNT_MAX:
        raise CallbackRejected("invalid amount")
    if not isinstance(ntpn, str) or not _NTPN_RE.fullmatch(ntpn):
        raise CallbackRejected("invalid NTPN")
    if not isinstance(ntb, str) or not _NTB_RE.fullmatch(ntb):
        raise CallbackRejected("invalid NTB")
    if not isinstance(channel, str) or not 0 < len(channel) <= _CHANNEL_MAX:
        raise CallbackRejected("invalid channel")
    if not isinstance(notice_id, str) or not _NOTICE_ID_RE.fullmatch(notice_id):
        raise CallbackRejected("invalid notice id")
    return PaymentNotice(
        code=code,
        amount=amount,
        ntpn=ntpn,
        ntb=ntb,
        paid_at=_paid_at_parse(payload["paid_at"]),
        channel=channel,
        notice_id=notice_id,
    )


def _paid_at_parse(value: Any) -> datetime:
    try:
        paid_at = datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise CallbackRejected("invalid paid_at") from exc
    if timezone.is_naive(paid_at):
        raise CallbackRejected("paid_at has no time zone")
    return paid_at


def notice_verify(
    *,
    payload: dict[str, Any],
    secret: str,
    max_age: timedelta = timedelta(hours=24),
    now: datetime | None = None,
) -> PaymentNotice:
    """Trust a callback only if it is signed, well formed and recent. A captured callback
    replayed later is refused by age; one replayed within the window is caught by the unique
    NTPN and notice id."""
    _signature_check(payload=payload, secret=secret)
    notice = _notice_parse(payload)
    now = now or timezone.now()
    if notice.paid_at < now - max_age:
        raise CallbackRejected("notice too old")
    if notice.paid_at > now + CLOCK_SKEW:
        raise CallbackRejected("notice dated in the future")
    return notice


# --- configuration --------------------------------------------------------------------------------

GATEWAYS: dict[str, Callable[[], BillingGateway]] = {"simulated": SimulatedGateway}


def gateway() -> BillingGateway:
    """The configured gateway (`settings.BILLING_GATEWAY`, default the simulated one)."""
    name = getattr(settings, "BILLING_GATEWAY", "simulated")
    try:
        factory = GATEWAYS[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"Unknown BILLING_GATEWAY {name!r}; choose one of {sorted(GATEWAYS)}."
        ) from None
    return factory()


def callback_secret() -> str:
    """`settings.BILLING_CALLBACK_SECRET`, else one derived from SECRET_KEY: a separate key per
    purpose, so a signature made here is never valid anywhere else SECRET_KEY signs."""
    secret = getattr(settings, "BILLING_CALLBACK_SECRET", "")
    if secret:
        return secret
    return hashlib.sha256(("billing-callback:" + settings.SECRET_KEY).encode()).hexdigest()
