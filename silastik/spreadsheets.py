"""Text that ends up in a spreadsheet (CSV, XLSX exports)."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """Text someone typed, made inert: a spreadsheet runs a cell starting with = + - @ as a
    formula, so such a cell gets a leading apostrophe (OWASP's CSV injection advice)."""
    if value.lstrip(" ").startswith(FORMULA_START):
        return "'" + value
    return value
