"""Rupiah amounts as figures and as words (terbilang), the way receipts write them."""

import re

from num2words import num2words

from silastik.money import rupiah  # noqa: F401  (figures and words of one sum, side by side)

# num2words says "seribu" only when the thousands lead the number (1.000, 1.100): after a larger
# unit it writes "satu juta satu ribu" for 1.001.000, where terbilang says "satu juta seribu".
_ONE_THOUSAND_AFTER_UNIT = re.compile(r"\b(juta|\w+liar|\w+liun) satu ribu\b")


def amount_in_words(amount: int) -> str:
    """Indonesian terbilang: 24077601 → "Dua puluh empat juta … enam ratus satu rupiah"."""
    if amount < 0:
        raise ValueError(f"An amount in words cannot be negative: {amount}")
    words = num2words(amount, lang="id")
    words = _ONE_THOUSAND_AFTER_UNIT.sub(r"\1 seribu", words)
    return f"{words[0].upper()}{words[1:]} rupiah"
