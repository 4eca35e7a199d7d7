"""One date style on screen (issue 22): 2026-12-07 and 2026-12-07 09:30 in the center's
time zone, from the UTC the records store."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import windowdesk
from windowdesk.domain.ids import mask_phone_number
from windowdesk.screen_dates import on_screen


def test_a_date_and_a_moment_in_the_centers_zone():
    assert on_screen(dt.date(2026, 12, 7)) == "2026-12-07"
    late_evening_utc = dt.datetime(2026, 12, 6, 16, 30, tzinfo=dt.UTC)  # already the 7th in Shanghai
    assert on_screen(late_evening_utc, "Asia/Shanghai") == "2026-12-07 00:30"
    assert on_screen(late_evening_utc, ZoneInfo("Asia/Shanghai"), clock_only=True) == "00:30"
    assert on_screen(late_evening_utc, "Asia/Urumqi") == "2026-12-06 22:30"


def test_a_naive_moment_or_a_missing_zone_is_refused_not_guessed():
    with pytest.raises(ValueError, match="naive"):
        on_screen(dt.datetime(2026, 12, 7, 9, 30), "Asia/Shanghai")
    with pytest.raises(TypeError, match="zone"):
        on_screen(dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC))
    with pytest.raises(TypeError):
        on_screen(dt.date(2026, 12, 7), clock_only=True)


def test_a_phone_number_keeps_its_first_three_and_last_four_digits():
    assert mask_phone_number("13904641021") == "139****1021"
    assert mask_phone_number("139 0464-1021") == "139****1021"
    assert mask_phone_number("04648123456") == "046****3456"  # a landline with its area code
    assert mask_phone_number("8123456") == "*****56"
    assert mask_phone_number("") == "" and mask_phone_number(None) == ""


SCREEN_PACKAGES = ("ui", "services", "domain")
# Not screen words: a file name (late-cases-20261207.pdf) and a number's date part are
# f-string format specs, not calls; the documents' own dates live in windowdesk.printing.
OTHER_STYLES = {"format_date", "format_datetime", "strftime", "local_time", "local_clock"}


def _calls(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in OTHER_STYLES:
                found.append((node.lineno, name))
    return found


def test_every_date_on_screen_goes_through_the_one_function():
    """Words that screens show are made in ui/, services/ and domain/: none of them
    formats a date or a time by another way, and every date field shows the same style."""
    root = Path(windowdesk.__file__).parent
    elsewhere, date_fields = [], []
    for package in SCREEN_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            where = path.relative_to(root)
            elsewhere += [f"{where}:{line} {name}()" for line, name in _calls(ast.parse(source))]
            if "QDateEdit(" in source and "setDisplayFormat(QT_DATE_FORMAT)" not in source:
                date_fields.append(str(where))
    assert elsewhere == [], "dates worded outside screen_dates.on_screen"
    assert date_fields == [], "date fields without the screen's date style"
