"""The period a console page is asked for (``?start=&end=``), read the same on every page."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.web.console.session import utc_now
from windowdesk.i18n import N_

# The city's day, for the periods a page shows when none is asked for.
CITY_ZONE = ZoneInfo("Asia/Shanghai")


def city_today() -> dt.date:
    return utc_now().astimezone(CITY_ZONE).date()


def day_param(text: str | None, default: dt.date) -> dt.date:
    """A day of the query (2026-12-07), ``default`` when none; InvalidInput in plain words."""
    if not text:
        return default
    try:
        return dt.date.fromisoformat(text)
    except ValueError as bad:
        raise InvalidInput(N_("A date is written like 2026-12-07.")) from bad
