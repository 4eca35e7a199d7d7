"""Small pieces every windowdesk-hub command module uses."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys

from windowdesk.hub.errors import InvalidInput
from windowdesk.i18n import N_, _


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


def typed_password(login: str) -> str:
    """Asked twice without echo at a terminal; one line of standard input otherwise (a
    script), so the password need not appear in the shell history or the process list."""
    if sys.stdin.isatty():
        first = getpass.getpass(_("New password for {login}: ").format(login=login))
        if getpass.getpass(_("Once more: ")) != first:
            raise InvalidInput(N_("The two passwords differ; nothing was changed."))
        return first
    return sys.stdin.readline().rstrip("\r\n")
