"""Figures as the regulation and Indonesian offices write them, whatever the interface
language: a dot between thousands, no space after "Rp"."""


def dotted(number: int) -> str:
    """24077601 → "24.077.601" (bytes, blocks, counts)."""
    sign = "-" if number < 0 else ""
    return f"{sign}{abs(number):,}".replace(",", ".")


def rupiah(amount: int) -> str:
    """24077601 → "Rp24.077.601"."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{dotted(abs(amount))}"
