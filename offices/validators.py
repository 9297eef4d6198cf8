"""What an office's codes and numbers look like."""

import ipaddress
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SWIFT = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?")


def validate_office_code(value: str) -> None:
    """0000 the centre, two digits and 00 a province (1600), four digits a regency or city."""
    if not re.fullmatch(r"[0-9]{4}", value or ""):
        raise ValidationError(
            _("An office code has 4 digits: 0000, a province as 1600, a regency as 3304."),
            code="invalid_office_code",
        )


def validate_swift(value: str) -> None:
    if not SWIFT.fullmatch(value or ""):
        raise ValidationError(
            _("A SWIFT/BIC code has 8 or 11 letters and digits, for example BMRIIDJA."),
            code="invalid_swift",
        )


def validate_account_number(value: str) -> None:
    if not re.fullmatch(r"[0-9][0-9 .\-]{4,28}[0-9]", value or ""):
        raise ValidationError(
            _("A bank account number has 6 to 30 digits (spaces, dots and dashes allowed)."),
            code="invalid_account_number",
        )


def validate_ministry_code(value: str) -> None:
    if not re.fullmatch(r"[0-9]{3}", value or ""):
        raise ValidationError(_("A ministry code has 3 digits (BPS: 054)."), code="invalid_code")


def validate_echelon_code(value: str) -> None:
    if not re.fullmatch(r"[0-9]{2}", value or ""):
        raise ValidationError(_("An echelon-I code has 2 digits."), code="invalid_code")


def validate_satker_code(value: str) -> None:
    if not re.fullmatch(r"[0-9]{6}", value or ""):
        raise ValidationError(_("A work-unit (satker) code has 6 digits."), code="invalid_code")


def validate_account_code(value: str) -> None:
    """A revenue account of the standard chart of accounts (BAS): six digits, revenue starting
    with 4 (PNBP 42…)."""
    if not re.fullmatch(r"4[0-9]{5}", value or ""):
        raise ValidationError(
            _("A revenue account code has 6 digits and starts with 4, for example 425xxx."),
            code="invalid_code",
        )


def networks_parse(text: str) -> list[str]:
    """Networks written one per line or separated by commas, as `10.33.4.0/24`."""
    return [part.strip() for part in re.split(r"[,\s]+", text or "") if part.strip()]


def validate_networks(value: str) -> None:
    for network in networks_parse(value):
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ValidationError(
                _("“%(network)s” is not a network such as 10.33.4.0/24.") % {"network": network},
                code="invalid_network",
            ) from None
