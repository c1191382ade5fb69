"""Cells for CSV and spreadsheet exports: text that starts like a formula is neutralised.

A cell starting with ``=``, ``+``, ``-``, ``@``, tab, carriage return or NUL can run as a formula
when Excel, LibreOffice or Google Sheets opens the file (OWASP's CSV injection advice; ASVS
1.2.10). Prefixing an apostrophe makes the spreadsheet show it as text. openpyxl likewise
writes a string that starts with ``=`` as a formula, so XLSX cells go through the same gate.

Only ``str`` is touched. A real number is passed as a number (``int``, ``float``,
``Decimal``) and is never a formula, so ``-3`` stays ``-3``; the *text* ``"-3"`` is prefixed,
because in a CSV every cell is text and the type is the only sign of what the value is. A writer
that formats numbers itself must neutralise first and format after (see ``cumulus link``).
Dates, booleans and ``None`` pass through too::

    writer.writerow(neutralise_row(["=1+1", -2, "-2", "Neglect"]))  # '=1+1,-2,'-2,Neglect
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise[T](value: T) -> T | str:
    """The value as a spreadsheet must show it: text starting like a formula gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_row[T](values: Iterable[T]) -> list[T | str]:
    """Every cell of one row through ``neutralise``, for ``csv.writer`` and ``Worksheet.append``."""
    return [neutralise(v) for v in values]
