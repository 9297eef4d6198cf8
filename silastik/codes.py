"""Random codes people read, type and say aloud: Crockford's base32 in groups of four.

Without I, L, O and U nothing reads as another character, and a typed O, I or L is taken for
0 or 1. Complaints' tracking codes and documents' verification codes are made here.
"""

import secrets

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LOOKALIKES = str.maketrans("OIL", "011")


def _grouped(chars: str, *, prefix: str) -> str:
    groups = [chars[i : i + 4] for i in range(0, len(chars), 4)]
    return "-".join([prefix, *groups] if prefix else groups)


def code_new(*, length: int, prefix: str = "") -> str:
    """`length` random characters (5 bits each), grouped by four after the prefix."""
    return _grouped("".join(secrets.choice(CODE_ALPHABET) for _i in range(length)), prefix=prefix)


def code_normalize(text: str, *, length: int, prefix: str = "") -> str | None:
    """The stored form of a code as someone typed it, or None if it cannot be one.

    Case, spaces, dashes and the prefix do not matter; O reads as 0, I and L as 1.
    """
    raw = "".join(ch for ch in (text or "").upper() if ch.isascii() and ch.isalnum())
    if prefix and len(raw) == len(prefix) + length and raw.startswith(prefix):
        raw = raw[len(prefix) :]
    raw = raw.translate(_LOOKALIKES)
    if len(raw) != length or any(ch not in CODE_ALPHABET for ch in raw):
        return None
    return _grouped(raw, prefix=prefix)
