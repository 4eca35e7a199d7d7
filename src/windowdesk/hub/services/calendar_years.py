"""A whole year of the official calendar, published to every window at once.

The State Council announces next year's holidays and make-up working days in November or
December; windows ship only the years known when their release was made. The
administrator publishes the new year from a file in the shipped format
(``resources/calendar/cn_working_calendar.json``); windows replace whatever they had for
that year and count its dates by it from their next sync. Publishing the same year again
(a corrected notice) replaces it everywhere. Single-day overrides still win over it.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.domain.calendar import (
    PublishedYear,
    WorkingCalendar,
    calendar_from_json,
    load_calendar,
    published_year_from_json,
)
from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.services import case_figures
from windowdesk.hub.services.admin import Saved
from windowdesk.hub.services.feed import append_change
from windowdesk.hub.storage.models import CalendarOverride, CalendarYear
from windowdesk.i18n import N_
from windowdesk.paths import resources_dir
from windowdesk.sync.protocol import CHANGE_CALENDAR_YEAR

MAX_SOURCE = 200


def year_from_file(path: Path, year: int | None) -> PublishedYear:
    """``year`` (default: the file's last) out of a calendar file, checked; plain words if not."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            Text(
                N_("The file {path} cannot be read ({kind}). Nothing was published."),
                path=path,
                kind=exc.__class__.__name__,
            )
        ) from None
    return year_from_text(text, name=str(path), year=year)


def year_from_text(text: str, *, name: str, year: int | None) -> PublishedYear:
    """As :func:`year_from_file`, from a calendar file's text (an upload in the console);
    ``name`` is the file's name, for the messages and the year's source."""
    try:
        data = json.loads(text)
        calendar = calendar_from_json(data)
    except ValueError as exc:  # not JSON, or MalformedCalendar (a ValueError): says why
        raise InvalidInput(
            Text(
                N_("The file {path} is not a calendar in the shipped format ({problem}). Nothing was published."),
                path=name,
                problem=exc,
            )
        ) from None
    year = calendar.last_year if year is None else year
    if not calendar.first_year <= year <= calendar.last_year:
        raise InvalidInput(
            Text(
                N_("The file covers {first}-{last}, not {year}. Nothing was published."),
                first=calendar.first_year,
                last=calendar.last_year,
                year=year,
            )
        )
    source = data.get("source")  # data is an object: it was read as a calendar
    named = f"{Path(name).name}: {source if isinstance(source, str) else ''}"
    published = calendar.published_year(year, source=named[:MAX_SOURCE])
    if not published.holidays:
        # Every real year has holidays (New Year's Day at least): a year without any is a
        # file whose range claims more than its data holds.
        raise InvalidInput(Text(N_("The file lists no holidays in {year}. Nothing was published."), year=year))
    return published


def publish_year(session: Session, *, year: PublishedYear, now: dt.datetime) -> Saved:
    """Keep ``year`` (replacing an earlier publication of it) and publish it to every
    center. Runs in a ``write(feed=True)`` transaction."""
    document = year.as_json()
    row = session.get(CalendarYear, year.year)
    created = row is None
    if row is None:
        row = CalendarYear(year=year.year)
        session.add(row)
    row.source = year.source[:MAX_SOURCE]
    row.holidays = document["holidays"]
    row.makeup_workdays = document["makeup_workdays"]
    row.published_at = now
    session.flush()
    case_figures.refresh_for_days(session, dt.date(year.year, 1, 1), dt.date(year.year, 12, 31))
    seq = append_change(
        session,
        kind=CHANGE_CALENDAR_YEAR,
        entity="calendar",
        entity_id=str(year.year),
        center_code=None,
        payload=document,
        now=now,
    )
    return Saved(created, seq)


def published_years(session: Session) -> list[PublishedYear]:
    return [
        published_year_from_json({"year": year, "source": source, "holidays": holidays, "makeup_workdays": makeups})
        for year, source, holidays, makeups in session.execute(
            select(
                CalendarYear.year, CalendarYear.source, CalendarYear.holidays, CalendarYear.makeup_workdays
            ).order_by(CalendarYear.year)
        )
    ]


@lru_cache(maxsize=1)
def shipped_calendar() -> WorkingCalendar:
    """The calendar shipped with the hub, read once per process: it is part of the
    installed program (another one comes with another program, and so a restart), and
    reading and decoding it again for every pushed batch cost half of the figures' terms
    (case_figures.Terms). The calendar is frozen: callers derive others from it."""
    return load_calendar(resources_dir() / "calendar" / "cn_working_calendar.json")


def hub_calendar(session: Session) -> WorkingCalendar:
    """The calendar in force at the hub, as at every window after its sync: the shipped
    data, the published years, then the day overrides."""
    shipped = shipped_calendar()
    overrides = dict(session.execute(select(CalendarOverride.day, CalendarOverride.is_working_day)).all())
    return shipped.as_published(published_years(session), overrides)
