"""Numbers from query strings and forms, read strictly.

`str.isdigit()` says yes to "²" and `int()` reads "٣" as 3 and "²" not at all, so a value
checked with one and converted with the other gave a 500 (issue 11). Here a number is ASCII
digits only, and no larger than the database's biggest integer (a bigger one overflows SQLite
and is an error on PostgreSQL); anything else is None, for the caller to answer as a form
error or a 404.
"""

from __future__ import annotations

import re

# The largest value of a 64-bit signed integer column (BigAutoField, BigIntegerField).
MAX_BIG_INTEGER = 2**63 - 1

_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_natural(text: str | None, *, maximum: int = MAX_BIG_INTEGER) -> int | None:
    """The whole number 0 ≤ n ≤ maximum written in `text` in ASCII digits, else None."""
    if text is None or not _ASCII_DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if number <= maximum else None
