"""Writing names as people write them."""

import re

# Abbreviations a province's name starts with, kept in capitals: Daerah Khusus Ibukota,
# Daerah Istimewa (inside a name "di" is the preposition: "Lubuk di Atas").
PLACE_CAPITALS = frozenset({"DKI", "DI"})
# Joining words written small inside a name ("Pangkajene dan Kepulauan").
PLACE_SMALL = frozenset({"dan", "di"})
# Roman numerals name places in Sumatera Barat: "IV Koto", "Koto XI Tarusan".
ROMAN = re.compile(r"X{0,3}(IX|IV|V?I{0,3})", re.IGNORECASE)
WORD_START = re.compile(r"(^|[\s\-(/])(\w)")


def place_name(official: str) -> str:
    """A region's name from BPS's master file ("DKI JAKARTA", "KOTA BAU-BAU") as Indonesians
    write it ("DKI Jakarta", "Kota Bau-Bau", "IV Koto"): unlike str.title(), an apostrophe
    starts no word ("Ma'rang"), and abbreviations and roman numerals keep their capitals."""
    words = WORD_START.sub(lambda m: m.group(1) + m.group(2).upper(), official.lower()).split()
    return " ".join(
        word.upper()
        if (not position and word.upper() in PLACE_CAPITALS) or ROMAN.fullmatch(word)
        else word.lower()
        if position and word.lower() in PLACE_SMALL
        else word
        for position, word in enumerate(words)
    )
