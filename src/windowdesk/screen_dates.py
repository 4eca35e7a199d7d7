"""One style for every date and time a screen shows: 2026-12-07 and 2026-12-07 09:30,
in the center's time zone (times are stored in UTC).

The counter showed three styles (2026年12月7日, 2026/12/7 09:30 and 2026-12-07) side by
side (issue 22). The numeric one is kept: it reads the same in Chinese and English, is as
wide in every row of a table, sorts as it reads, and is what the date fields already
show (``QT_DATE_FORMAT``). Printed documents keep the Chinese form (2026年12月7日,
``printing.blocks.long_date``): that is what an official paper carries.

No Qt here: services and domain word their messages with it too.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

DATE_FORMAT = "%Y-%m-%d"
CLOCK_FORMAT = "%H:%M"
# The same style for QDateEdit.setDisplayFormat (Qt's own pattern letters).
QT_DATE_FORMAT = "yyyy-MM-dd"
# date.isoformat() writes DATE_FORMAT's text (for years 1000-9999) at a twentieth of
# strftime's CPU: a resident lookup shows a birth date per row at every keystroke.
_DATE_IS_ISO = DATE_FORMAT == "%Y-%m-%d"


def on_screen(value: dt.date | dt.datetime, zone: str | ZoneInfo | None = None, *, clock_only: bool = False) -> str:
    """A date as 2026-12-07; a moment as 2026-12-07 09:30 (or 09:30 with ``clock_only``,
    for lists of one day) in ``zone``, the center's time zone.

    A moment must be aware (UTC as stored): a naive one would be shown as if it were local
    time, off by the zone's offset, so it is refused rather than guessed."""
    if isinstance(value, dt.datetime):
        if zone is None:
            raise TypeError("a moment is shown in the center's time zone: pass the zone")
        if value.tzinfo is None:
            raise ValueError("a naive datetime cannot be shown: times are stored in UTC, aware")
        local = value.astimezone(ZoneInfo(zone) if isinstance(zone, str) else zone)
        return local.strftime(CLOCK_FORMAT if clock_only else f"{DATE_FORMAT} {CLOCK_FORMAT}")
    if clock_only:
        raise TypeError("a date has no time of day")
    return value.isoformat() if _DATE_IS_ISO else value.strftime(DATE_FORMAT)
