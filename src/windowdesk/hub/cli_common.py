"""Small pieces every windowdesk-hub command module uses."""

from __future__ import annotations

import argparse
import datetime as dt

from windowdesk.i18n import _


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def clock_text(at: dt.datetime) -> str:
    """A moment as the windows show it, to the minute (on whatever clock ``at`` is)."""
    return f"{at:%Y-%m-%d %H:%M}"


def parse_day(text: str) -> dt.date:
    """An argparse type for dates typed as 2026-10-08."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{text!r} is not a date like 2026-10-08").format(text=text)) from None


def at_least_one(text: str) -> int:
    """An argparse type for counts such as --keep and --limit."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(_("{text!r} is not a whole number of at least 1").format(text=text))
    return value
