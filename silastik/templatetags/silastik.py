from django import template
from django.utils.formats import number_format

from silastik import money, text

register = template.Library()


@register.filter
def rupiah(amount: int | None) -> str:
    """Rp24.077.620: the regulation's notation, whatever the interface language."""
    return "" if amount is None else money.rupiah(int(amount))


@register.filter
def place(name: str | None) -> str:
    """A region's official name as people write it: DKI Jakarta, Kota Bau-Bau."""
    return text.place_name(name or "")


@register.filter
def dotted(number: int | None) -> str:
    """A count with dots between thousands, as the tariff's bytes and blocks are written."""
    return "" if number is None else money.dotted(int(number))


UNITS = [(10**9, "GB", 2), (10**6, "MB", 1), (10**3, "KB", 1)]


@register.filter
def size(value: int | None) -> str:
    """Decimal units, as the tariff counts them (1 MB = 1.000.000 bytes): 17,0 KB."""
    value = int(value or 0)
    for factor, unit, decimals in UNITS:
        if value >= factor:
            return f"{number_format(value / factor, decimals)} {unit}"
    return f"{number_format(value)} B"


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)


def _digits(value: str | None) -> str:
    return "".join(ch for ch in str(value or "") if ch.isdigit())


@register.filter
def nip(value: str | None) -> str:
    """A civil servant's NIP as it is printed: 19851105 200801 2 003 (birth date, appointment,
    sex, sequence). Anything that is not 18 digits is shown as given."""
    digits = _digits(value)
    if len(digits) != 18:
        return str(value or "")
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


@register.filter
def npwp(value: str | None) -> str:
    """A tax number as it is printed: 09.254.294.3-407.000 (15 digits); the 16-digit NPWP
    (from 2024, the NIK) in groups of four."""
    digits = _digits(value)
    if len(digits) == 15:
        return f"{digits[:2]}.{digits[2:5]}.{digits[5:8]}.{digits[8]}-{digits[9:12]}.{digits[12:]}"
    if len(digits) == 16:
        return " ".join(digits[i : i + 4] for i in range(0, 16, 4))
    return str(value or "")
