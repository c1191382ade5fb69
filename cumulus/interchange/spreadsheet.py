"""Cells for spreadsheets and CSV: text that starts like a formula is neutralised.

A cell starting with ``=``, ``+``, ``-``, ``@`` (or tab / carriage return) would run as a
formula in Excel; prefixing an apostrophe shows it as text (OWASP's CSV injection advice).
Dates and numbers are not strings and pass through.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise[T](value: T) -> T | str:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
