from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def rupiah(amount: int | None) -> str:
    """Rp24.077.620: the regulation's notation, whatever the interface language."""
    if amount is None:
        return ""
    return "Rp" + f"{int(amount):,}".replace(",", ".")


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
