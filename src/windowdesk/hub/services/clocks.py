"""Times as people at the centers read them: stored in UTC, shown on a center's clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.hub.storage.models import Center


def _in_zone(at: dt.datetime, zone: str) -> dt.datetime | None:
    try:
        return at.astimezone(ZoneInfo(zone))
    except (ValueError, ZoneInfoNotFoundError):
        return None


def center_time(session: Session, center_code: str, at: dt.datetime) -> dt.datetime:
    """``at`` on the center's clock, as its windows show every time; in UTC where the
    center or its zone is unknown."""
    center = session.get(Center, center_code)
    return (_in_zone(at, center.timezone) if center is not None else None) or at


def city_time(session: Session, at: dt.datetime) -> dt.datetime | None:
    """``at`` on the centers' clock when they all share one zone (they do in one city), for
    a moment that belongs to no center; None when they do not, or there is none."""
    zones = set(session.scalars(select(Center.timezone)))
    return _in_zone(at, zones.pop()) if len(zones) == 1 else None
