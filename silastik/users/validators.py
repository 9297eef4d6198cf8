import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NON_DIGITS = re.compile(r"[\s.\-]")


def digits_only(value: str) -> str:
    """Strip the dots, dashes and spaces people type in NPWP and NIK numbers."""
    return NON_DIGITS.sub("", value or "")


def validate_npwp(value: str) -> None:
    """NPWP: 15 digits (the old format, 99.999.999.9-999.999) or 16 digits (NIK-based, 2024 on)."""
    if not re.fullmatch(r"[0-9]{15,16}", digits_only(value)):
        raise ValidationError(
            _("An NPWP has 15 or 16 digits, for example 01.234.567.8-901.000."),
            code="invalid_npwp",
        )


def validate_nik(value: str) -> None:
    """The KTP number (NIK) has 16 digits."""
    if not re.fullmatch(r"[0-9]{16}", digits_only(value)):
        raise ValidationError(_("A KTP number (NIK) has 16 digits."), code="invalid_nik")


def validate_phone(value: str) -> None:
    if not re.fullmatch(r"\+?[0-9][0-9 \-()]{6,19}", value or ""):
        raise ValidationError(
            _("Enter a phone number such as 0812 3456 7890 or +62 812 3456 7890."),
            code="invalid_phone",
        )


def validate_nip(value: str) -> None:
    """A civil servant's NIP has 18 digits."""
    if not re.fullmatch(r"[0-9]{18}", digits_only(value)):
        raise ValidationError(_("A NIP has 18 digits."), code="invalid_nip")
