"""Writing names as people write them."""

import re

# Abbreviations the official names keep in capitals: Daerah Khusus Ibukota, Daerah Istimewa.
PLACE_CAPITALS = frozenset({"DKI", "DI"})
# Joining words written small inside a name ("Pangkajene dan Kepulauan").
PLACE_SMALL = frozenset({"dan"})
WORD_START = re.compile(r"(^|[\s\-(/])(\w)")


def place_name(official: str) -> str:
    """A region's name from BPS's master file ("DKI JAKARTA", "KOTA BAU-BAU") as Indonesians
    write it ("DKI Jakarta", "Kota Bau-Bau"): unlike str.title(), an apostrophe starts no word
    ("Ma'rang") and the capitals of DKI and DI stay."""
    words = WORD_START.sub(lambda m: m.group(1) + m.group(2).upper(), official.lower()).split()
    return " ".join(
        word.upper()
        if word.upper() in PLACE_CAPITALS
        else word.lower()
        if position and word.lower() in PLACE_SMALL
        else word
        for position, word in enumerate(words)
    )
