"""Booking a visit (预约) on the public pages, and the capacity a center offers.

- An administrator sets, for a center, a business (a catalog item) and a half-day
  ("am"/"pm" of one day on the center's calendar), how many visits the center takes
  (:func:`set_capacity`; never below what is already booked; audited).
- A resident books a place with room left (:func:`book`): the place is taken by one
  conditional ``UPDATE booking_slots SET booked = booked + 1 WHERE ... AND booked <
  capacity``. On PostgreSQL the row lock makes a second booker wait and re-check the
  condition on the committed row; on SQLite write transactions are serialized (BEGIN
  IMMEDIATE). Either way two residents booking the last place at once: exactly one wins,
  and a check constraint (``booked <= capacity``) stands behind it.
- Limits: one phone holds at most MAX_ACTIVE_PER_PHONE bookings still to come; one
  address makes at most MAX_PER_ADDRESS_PER_DAY bookings in 24 hours. Both are counted
  in the database (every worker of the hub counts the same); on PostgreSQL the booking
  takes a transaction lock on the phone first, so two bookings of one phone at once are
  counted one after the other.
- The booking code is what the resident holds: 10 characters from an alphabet without
  look-alikes (0/O, 1/I), random (about 50 bits), so it cannot be guessed; it cancels the
  booking. The address is kept only as a hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import CursorResult, func, select, text, update
from sqlalchemy.orm import Session

from windowdesk.domain.booking_status import BookingStatus, HalfDay
from windowdesk.domain.ids import parse_resident_id
from windowdesk.errors import ValidationError
from windowdesk.hub.errors import Conflict, InvalidInput, NotFound
from windowdesk.hub.language import Text
from windowdesk.hub.services import hub_audit
from windowdesk.hub.services.calendar_years import hub_calendar
from windowdesk.hub.services.console_rights import ConsoleActor, require_administrator
from windowdesk.hub.services.public_cases import mask_name
from windowdesk.hub.services.public_guides import current_catalog
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.models import Center
from windowdesk.hub.storage.models_public import Booking, BookingSlot
from windowdesk.i18n import N_

HALF_DAYS = tuple(HalfDay)
HALF_DAY_LABELS = {HalfDay.AM: N_("morning"), HalfDay.PM: N_("afternoon")}
# A half-day can be booked until it ends, on the center's clock.
HALF_DAY_ENDS: dict[str, dt.time] = {HalfDay.AM: dt.time(12, 0), HalfDay.PM: dt.time(18, 0)}
MAX_RANGE_DAYS = 62
BOOKABLE_DAYS_AHEAD = 14
MAX_CAPACITY = 1000
MAX_ACTIVE_PER_PHONE = 2
MAX_PER_ADDRESS_PER_DAY = 5
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10
BOOKED, CANCELLED = BookingStatus.BOOKED, BookingStatus.CANCELLED

# Why a booking is refused (msgids: the page words them in the reader's language).
NO_ROOM = N_("This half-day is fully booked. Please choose another.")
NO_SUCH_SLOT = N_("The center does not take bookings for this business on this half-day.")
BAD_NAME = N_("Please write your name (at most 30 characters).")
BAD_PHONE = N_("Please write a mobile phone number of 11 digits.")
BAD_ID = N_("The ID number is not right; check it, or leave it empty.")
PHONE_LIMIT = N_("This phone number already holds two bookings still to come. Cancel one before booking again.")
ADDRESS_LIMIT = N_("Too many bookings were made from this network today. Please try again tomorrow or call the center.")
PAST = N_("This half-day has passed or cannot be booked yet.")


class BookingRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Slot:
    center_code: str
    item_code: str
    day: dt.date
    half_day: HalfDay
    capacity: int
    booked: int

    @property
    def left(self) -> int:
        return self.capacity - self.booked


@dataclass(frozen=True)
class BookingView:
    code: str
    center_code: str
    item_code: str
    day: dt.date
    half_day: HalfDay
    masked_name: str
    masked_phone: str
    status: str

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED


def normalize_code(code: str) -> str:
    """As typed or scanned: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:CODE_LENGTH]


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def address_hash(address: str) -> str:
    return hashlib.sha256(f"booking-address:{address}".encode()).hexdigest()


def center_clock(session: Session, center_code: str, now: dt.datetime) -> dt.datetime:
    zone = session.scalar(select(Center.timezone).where(Center.code == center_code)) or "Asia/Shanghai"
    return now.astimezone(ZoneInfo(zone))


def center_today(session: Session, center_code: str, now: dt.datetime) -> dt.date:
    return center_clock(session, center_code, now).date()


def _still_bookable(local_now: dt.datetime, day: dt.date, half_day: str) -> bool:
    """From now (the center's clock) until the half-day ends, at most BOOKABLE_DAYS_AHEAD days on."""
    today = local_now.date()
    if not today <= day <= today + dt.timedelta(days=BOOKABLE_DAYS_AHEAD):
        return False
    return day > today or local_now.time() < HALF_DAY_ENDS.get(half_day, dt.time(0))


# ---- the administrator's side ------------------------------------------------------------


def set_capacity(
    session: Session,
    *,
    by: ConsoleActor,
    center_code: str,
    item_code: str,
    day: dt.date,
    half_day: str,
    capacity: int,
    now: dt.datetime,
    address: str = "",
) -> Slot:
    """How many visits ``center_code`` takes for ``item_code`` on that half-day."""
    require_administrator(by)
    if half_day not in HALF_DAYS:
        raise InvalidInput(N_("Choose the morning or the afternoon."))
    if not 0 <= capacity <= MAX_CAPACITY:
        raise InvalidInput(Text(N_("The number of places is from 0 to {most}."), most=MAX_CAPACITY))
    if session.get(Center, center_code) is None:
        raise NotFound(Text(N_("There is no center {code}."), code=center_code))
    published = current_catalog(session)
    if published is None or not any(item.code == item_code for item in published.catalog.items):
        raise NotFound(Text(N_("There is no published catalog item {code}."), code=item_code))
    slot = session.scalar(
        select(BookingSlot)
        .where(
            BookingSlot.center_code == center_code,
            BookingSlot.item_code == item_code,
            BookingSlot.day == day,
            BookingSlot.half_day == half_day,
        )
        .with_for_update()
    )
    if slot is None:
        slot = BookingSlot(
            center_code=center_code,
            item_code=item_code,
            day=day,
            half_day=half_day,
            capacity=capacity,
            booked=0,
            updated_at=now,
        )
        session.add(slot)
    else:
        if capacity < slot.booked:
            raise Conflict(
                Text(N_("{booked} places are already booked; the number cannot be lower."), booked=slot.booked)
            )
        slot.capacity, slot.updated_at = capacity, now
    session.flush()
    hub_audit.record(
        session,
        actor=by.audit_name,
        action="booking.capacity",
        entity="booking_slot",
        entity_id=str(slot.id),
        now=now,
        address=address,
        detail={
            "center": center_code,
            "item": item_code,
            "day": day.isoformat(),
            "half_day": half_day,
            "capacity": capacity,
        },
    )
    return _slot(slot)


def set_capacity_for_days(
    session: Session,
    *,
    by: ConsoleActor,
    center_code: str,
    item_code: str,
    first: dt.date,
    last: dt.date,
    half_days: tuple[str, ...],
    capacity: int,
    now: dt.datetime,
    address: str = "",
) -> list[Slot]:
    """The same places on every working day (the official calendar) from ``first`` to
    ``last``: one change for the administrator, kept whole or not at all."""
    require_administrator(by)
    if last < first or (last - first).days >= MAX_RANGE_DAYS:
        raise InvalidInput(
            Text(N_("Choose a last day on or after the first, at most {days} days on."), days=MAX_RANGE_DAYS)
        )
    if not half_days:
        raise InvalidInput(N_("Choose the morning or the afternoon."))
    calendar = hub_calendar(session)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    if not any(calendar.is_working_day(day) for day in days):
        raise InvalidInput(N_("There is no working day among the chosen days; nothing was set."))
    return [
        set_capacity(
            session,
            by=by,
            center_code=center_code,
            item_code=item_code,
            day=day,
            half_day=half,
            capacity=capacity,
            now=now,
            address=address,
        )
        for day in days
        if calendar.is_working_day(day)
        for half in half_days
    ]


def _slot(row: BookingSlot) -> Slot:
    return Slot(row.center_code, row.item_code, row.day, row.half_day, row.capacity, row.booked)


def slots_of_center(session: Session, *, by: ConsoleActor, center_code: str, since: dt.date) -> list[Slot]:
    """Every slot of the center from ``since`` on, for the administrator's page."""
    require_administrator(by)
    rows = session.scalars(
        select(BookingSlot)
        .where(BookingSlot.center_code == center_code, BookingSlot.day >= since)
        .order_by(BookingSlot.day, BookingSlot.half_day, BookingSlot.item_code)
    ).all()
    return [_slot(row) for row in rows]


# ---- the resident's side -------------------------------------------------------------------


def open_slots(db: HubDatabase, *, center_code: str, item_code: str, now: dt.datetime) -> list[Slot]:
    """The half-days with room left that can be booked now, soonest first."""
    with db.read() as session:
        local_now = center_clock(session, center_code, now)
        today = local_now.date()
        rows = session.scalars(
            select(BookingSlot)
            .where(
                BookingSlot.center_code == center_code,
                BookingSlot.item_code == item_code,
                BookingSlot.day >= today,
                BookingSlot.day <= today + dt.timedelta(days=BOOKABLE_DAYS_AHEAD),
                BookingSlot.booked < BookingSlot.capacity,
            )
            .order_by(BookingSlot.day, BookingSlot.half_day)
        ).all()
        return [_slot(row) for row in rows if _still_bookable(local_now, row.day, row.half_day)]


def bookable_businesses(db: HubDatabase, *, now: dt.datetime) -> dict[str, set[str]]:
    """center code -> the item codes it takes bookings for (with room, from today on)."""
    found: dict[str, set[str]] = {}
    with db.read() as session:
        since = (now - dt.timedelta(days=1)).date()  # any center's today is on or after this
        for center, item in session.execute(
            select(BookingSlot.center_code, BookingSlot.item_code)
            .where(BookingSlot.day >= since, BookingSlot.booked < BookingSlot.capacity)
            .distinct()
        ):
            found.setdefault(center, set()).add(item)
    return found


def _clean_phone(phone: str) -> str:
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    if len(digits) != 11 or not digits.startswith("1"):
        raise BookingRefused(BAD_PHONE)
    return digits


def _clean_id(id_number: str) -> str:
    if not (id_number or "").strip():
        return ""
    try:
        return parse_resident_id(id_number).number
    except ValidationError:
        raise BookingRefused(BAD_ID) from None


def book(
    db: HubDatabase,
    *,
    center_code: str,
    item_code: str,
    day: dt.date,
    half_day: str,
    name: str,
    phone: str,
    id_number: str = "",
    address: str,
    now: dt.datetime,
) -> str:
    """Books a place and answers the booking code, or raises BookingRefused (a msgid)."""
    name = " ".join((name or "").split())
    if not name or len(name) > 30:
        raise BookingRefused(BAD_NAME)
    phone = _clean_phone(phone)
    id_number = _clean_id(id_number)
    if half_day not in HALF_DAYS:  # a tampered form: no such slot (the column takes no other word)
        raise BookingRefused(NO_SUCH_SLOT)

    def work(session: Session) -> str:
        if not db.is_sqlite:  # one phone's bookings are counted one after the other
            session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"booking:{phone}"})
        if not _still_bookable(center_clock(session, center_code, now), day, half_day):
            raise BookingRefused(PAST)
        hashed = address_hash(address)
        recent = (
            session.scalar(
                select(func.count())
                .select_from(Booking)
                .where(Booking.address_hash == hashed, Booking.booked_at > now - dt.timedelta(days=1))
            )
            or 0
        )
        if recent >= MAX_PER_ADDRESS_PER_DAY:
            raise BookingRefused(ADDRESS_LIMIT)
        today = center_today(session, center_code, now)
        active = (
            session.scalar(
                select(func.count())
                .select_from(Booking)
                .where(Booking.phone == phone, Booking.status == BOOKED, Booking.day >= today)
            )
            or 0
        )
        if active >= MAX_ACTIVE_PER_PHONE:
            raise BookingRefused(PHONE_LIMIT)
        slot_id = session.scalar(
            select(BookingSlot.id).where(
                BookingSlot.center_code == center_code,
                BookingSlot.item_code == item_code,
                BookingSlot.day == day,
                BookingSlot.half_day == half_day,
            )
        )
        if slot_id is None:
            raise BookingRefused(NO_SUCH_SLOT)
        taken = session.execute(
            update(BookingSlot)
            .where(BookingSlot.id == slot_id, BookingSlot.booked < BookingSlot.capacity)
            .values(booked=BookingSlot.booked + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if cast("CursorResult[Any]", taken).rowcount != 1:
            raise BookingRefused(NO_ROOM)
        code = _new_code()
        session.add(
            Booking(
                code=code,
                slot_id=slot_id,
                center_code=center_code,
                item_code=item_code,
                day=day,
                half_day=half_day,
                name=name,
                phone=phone,
                id_number=id_number,
                status=BOOKED,
                address_hash=hashed,
                booked_at=now,
                cancelled_at=None,
            )
        )
        return code

    return db.run_write(work)


def _view(row: Booking) -> BookingView:
    return BookingView(
        row.code,
        row.center_code,
        row.item_code,
        row.day,
        row.half_day,
        mask_name(row.name),
        row.phone[:3] + "****" + row.phone[-4:],
        row.status,
    )


def find_booking(db: HubDatabase, code: str) -> BookingView | None:
    """The booking of a code (the resident's page; the window's look-up), masked."""
    code = normalize_code(code)
    if len(code) != CODE_LENGTH:
        return None
    with db.read() as session:
        row = session.get(Booking, code)
        return _view(row) if row is not None else None


def cancel(db: HubDatabase, *, code: str, now: dt.datetime) -> BookingView:
    """Cancels the booking and gives its place back; cancelling twice changes nothing."""
    code = normalize_code(code)

    def work(session: Session) -> BookingView:
        row = session.get(Booking, code, with_for_update=True) if len(code) == CODE_LENGTH else None
        if row is None:
            raise NotFound(N_("There is no booking with this code."))
        if row.status == BOOKED and row.day < center_today(session, row.center_code, now):
            raise Conflict(N_("The booked day has passed; there is nothing to cancel."))
        if row.status == BOOKED:
            row.status, row.cancelled_at = CANCELLED, now
            session.execute(
                update(BookingSlot)
                .where(BookingSlot.id == row.slot_id)
                .values(booked=BookingSlot.booked - 1, updated_at=now)
                .execution_options(synchronize_session=False)
            )
        return _view(row)

    return db.run_write(work)
