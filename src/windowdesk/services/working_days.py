"""The working-day calendar in force: the shipped data plus the hub's overrides."""

from __future__ import annotations

from pathlib import Path

from windowdesk.domain.calendar import WorkingCalendar, load_calendar
from windowdesk.storage import queries

SHIPPED_CALENDAR = Path("calendar") / "cn_working_calendar.json"


def load_shipped_calendar(resources: Path) -> WorkingCalendar:
    return load_calendar(resources / SHIPPED_CALENDAR)


def calendar_in_force(session, shipped: WorkingCalendar) -> WorkingCalendar:
    """Inside an open session, so a case's dates use the overrides of that same moment."""
    overrides = queries.calendar_overrides(session)
    return shipped.with_overrides(overrides) if overrides else shipped
