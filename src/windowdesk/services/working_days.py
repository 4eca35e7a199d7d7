"""The working-day calendar in force: the shipped data, the years the hub published, its overrides."""

from __future__ import annotations

from pathlib import Path

from windowdesk.domain.calendar import WorkingCalendar, load_calendar, published_year_from_json
from windowdesk.storage import queries
from windowdesk.storage.db import Session

SHIPPED_CALENDAR = Path("calendar") / "cn_working_calendar.json"


def load_shipped_calendar(resources: Path) -> WorkingCalendar:
    return load_calendar(resources / SHIPPED_CALENDAR)


def calendar_in_force(session: Session, shipped: WorkingCalendar) -> WorkingCalendar:
    """Inside an open session, so a case's dates use the hub's calendar of that same
    moment: the years it published whole, then its day overrides."""
    years = [
        published_year_from_json({"year": year, "source": source, "holidays": holidays, "makeup_workdays": makeups})
        for year, source, holidays, makeups in queries.calendar_years(session)
    ]
    return shipped.as_published(years, queries.calendar_overrides(session))
