"""CSV files that a spreadsheet opens as data, never as formulas (CSV injection).

A spreadsheet program reads a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a
formula, and a formula can fetch a web page with the sheet's contents, or (DDE) start a
program. Case numbers, names and notes come from windows and operators, so every CSV
file windowdesk writes (the hub's ``refused`` and ``report``, the window's performance
report) goes through :func:`csv_writer`, which neutralises such a cell the way OWASP's
advice on CSV injection says: a single quote before it, which the spreadsheet reads as
"this is text" (Excel hides it; a program reading the file sees it and may strip it).

Which cells:

- text whose first character, or first character after leading white space (an import
  may trim it), is ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, or their
  full-width forms ``＝＋－＠`` (a Chinese input method types those, and a spreadsheet
  set up for Chinese may take them for the ASCII ones: quoting them costs nothing);
- but not a number. A number the program writes as an ``int``, ``float`` or ``Decimal``
  stays a number (a negative amount must add up in the sheet), and so does text that
  is nothing but a plain decimal number (``-12.50``, ``+3``, ``95.0%``) or the dash that
  stands for "no figure": a spreadsheet reads those as a value, and no formula can be
  written that way. Anything more (``-1+2``, ``-2+3+cmd|' /C calc'!A0``) is text.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")
_PLAIN_NUMBER = re.compile(r"-|[-+]?\d+(?:\.\d+)?%?")


def spreadsheet_cell(value: Any) -> Any:
    """``value`` as a CSV cell that a spreadsheet cannot run: numbers as they are,
    text with a leading quote when it would start a formula."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    text = str(value)
    starts = (text[:1], text.lstrip()[:1])
    if any(first in FORMULA_STARTS for first in starts) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


class SpreadsheetCsvWriter:
    """``csv.writer`` whose every cell goes through :func:`spreadsheet_cell`."""

    def __init__(self, out, **options: Any) -> None:  # noqa: ANN001 - a text stream
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([spreadsheet_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out, **options: Any) -> SpreadsheetCsvWriter:  # noqa: ANN001 - a text stream
    """The one way windowdesk writes CSV: ``csv.writer``'s options, safe cells."""
    return SpreadsheetCsvWriter(out, **options)
