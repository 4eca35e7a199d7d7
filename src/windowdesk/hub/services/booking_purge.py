"""Bookings are personal data (a name, a phone, maybe an ID number) kept only while they
serve: a booking whose day is more than ``keep_days`` past is deleted
(``windowdesk-hub purge-bookings``; the nightly backup service runs it after a backup
that succeeded, installer/hub/windowdesk-hub-backup.service).

What reports need stays as counts on the half-day's row (``booking_slots``): ``booked``
already counts the bookings kept; the purge adds the cancelled ones it deletes to
``purged_cancelled``, so booked and cancelled of any past half-day are still known.
The slots themselves are kept (one small row per center, business and half-day).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session

from windowdesk.domain.booking_status import BookingStatus
from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.services import hub_audit
from windowdesk.hub.storage.models_public import Booking, BookingSlot
from windowdesk.i18n import N_

ENV_KEEP_DAYS = "WINDOWDESK_HUB_BOOKINGS_KEEP_DAYS"
DEFAULT_KEEP_DAYS = 90
MAX_KEEP_DAYS = 3660


@dataclass(frozen=True)
class Purged:
    bookings: int
    cancelled: int  # of bookings
    before: dt.date  # bookings of days before this one were deleted


def keep_days(value: int | str | None = None) -> int:
    """The days a booking is kept after its day: ``value``, else the environment's
    WINDOWDESK_HUB_BOOKINGS_KEEP_DAYS, else DEFAULT_KEEP_DAYS."""
    value = value if value not in (None, "") else os.environ.get(ENV_KEEP_DAYS) or DEFAULT_KEEP_DAYS
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = -1
    if not 1 <= days <= MAX_KEEP_DAYS:
        raise InvalidInput(
            Text(
                N_("Bookings are kept a whole number of days from 1 to {most} after their day (got {value!r})."),
                most=MAX_KEEP_DAYS,
                value=str(value),
            )
        )
    return days


def purge_bookings(session: Session, *, keep: int, now: dt.datetime, actor: str = "cli") -> Purged:
    """Deletes the bookings of days more than ``keep`` days before ``now``'s UTC date (a
    center's day is at most one day off the UTC date; ``keep`` is at least one)."""
    before = now.astimezone(dt.UTC).date() - dt.timedelta(days=keep)
    old = (Booking.day < before,)
    cancelled_by_slot = session.execute(
        select(Booking.slot_id, func.count())
        .where(*old, Booking.status == BookingStatus.CANCELLED)
        .group_by(Booking.slot_id)
    ).all()
    for slot_id, count in cancelled_by_slot:
        session.execute(
            update(BookingSlot)
            .where(BookingSlot.id == slot_id)
            .values(purged_cancelled=BookingSlot.purged_cancelled + count)
        )
    deleted = cast("CursorResult[Any]", session.execute(delete(Booking).where(*old))).rowcount or 0
    cancelled = sum(count for _slot, count in cancelled_by_slot)
    if deleted:
        hub_audit.record(
            session,
            actor=actor,
            action="bookings.purged",
            entity="bookings",
            entity_id=before.isoformat(),
            now=now,
            detail={"bookings": deleted, "cancelled": cancelled, "keep_days": keep},
        )
    return Purged(deleted, cancelled, before)
