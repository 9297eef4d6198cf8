"""Verification codes of issued documents and what their public page says.

Every invoice, receipt and SPPD carries a short code (and a QR code of its page's address).
Anyone holding the paper opens `/verifikasi/<code>/` and learns whether this portal issued it
and what became of it — never whose it is. The apps that issue documents register a resolver
per kind (in their AppConfig.ready), which reads the document's current state when asked.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from silastik.codes import code_new, code_normalize
from silastik.links import absolute_reverse

from .models import VerificationCode

# Twelve characters of Crockford's base32 are 60 random bits: nobody guesses a code in use,
# and look-ups are rate-limited besides.
CODE_LENGTH = 12
CODE_ATTEMPTS = 5


class DocumentState(models.TextChoices):
    VALID = "valid", _("Valid")
    PAID = "paid", _("Valid and paid")
    VOID = "void", _("Voided")
    REPLACED = "replaced", _("Replaced")
    EXPIRED = "expired", _("Expired")


@dataclass(frozen=True)
class VerifiedDocument:
    """What the public page shows: the document, not the person it was issued to."""

    kind: str  # its name, as the reader's language says it
    number: str
    issued_on: date
    office: str
    amount: int | None  # None for a document without a sum (the SPPD)
    state: str  # a DocumentState
    replaced_by: str = ""  # the number of the document that replaces it
    note: str = ""

    @property
    def state_label(self) -> str:
        return str(DocumentState(self.state).label)

    @property
    def is_in_force(self) -> bool:
        return self.state in (DocumentState.VALID, DocumentState.PAID)


Resolver = Callable[[int], VerifiedDocument | None]
_RESOLVERS: dict[str, Resolver] = {}


def verification_resolver_register(*, kind: str, resolver: Resolver) -> None:
    _RESOLVERS[kind] = resolver


def verification_code_of(*, kind: str, object_id: int) -> str:
    """The document's code, made on first need; the same code every time after."""
    existing = _code_get(kind=kind, object_id=object_id)
    if existing:
        return existing
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return VerificationCode.objects.create(
                    code=code_new(length=CODE_LENGTH), kind=kind, object_id=object_id
                ).code
        except IntegrityError:
            # Another process made this document's code at the same moment (or, once in
            # 2^60, the same random code for another document): take theirs, or try again.
            existing = _code_get(kind=kind, object_id=object_id)
            if existing:
                return existing
    raise RuntimeError("no free verification code")


def _code_get(*, kind: str, object_id: int) -> str | None:
    return (
        VerificationCode.objects.filter(kind=kind, object_id=object_id)
        .values_list("code", flat=True)
        .first()
    )


def verification_code_normalize(text: str) -> str | None:
    return code_normalize(text, length=CODE_LENGTH)


def verification_url(code: str) -> str:
    return absolute_reverse("verification:check", code)


def verification_lookup(*, text: str) -> VerifiedDocument | None:
    """The document behind a typed or scanned code; None for anything this portal did not
    issue (malformed, unknown, or of a kind no app answers for)."""
    code = verification_code_normalize(text)
    if code is None:
        return None
    row = VerificationCode.objects.filter(code=code).values_list("kind", "object_id").first()
    if row is None:
        return None
    kind, object_id = row
    resolver = _RESOLVERS.get(kind)
    return resolver(object_id) if resolver is not None else None


def verification_qr(url: str) -> str:
    """A QR code of the page's address as an SVG data URI, for an <img> in a document."""
    import segno  # a small pure-Python library; loaded only by the PDF renderers

    # Error correction M survives a fold or a stamp across the code.
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=2)


@dataclass(frozen=True)
class VerificationMark:
    """What a document prints to be verified: the QR code of its page, the page where a code
    is typed, and the code."""

    code: str
    url: str
    page: str
    qr: str


def verification_mark(code: str) -> VerificationMark | None:
    if not code:
        return None
    url = verification_url(code)
    page = absolute_reverse("verification:form").split("://", 1)[-1]
    return VerificationMark(code=code, url=url, page=page, qr=verification_qr(url))
