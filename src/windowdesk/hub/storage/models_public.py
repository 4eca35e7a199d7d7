"""The hub's tables for the public pages (the online service hall).

Imported at the end of ``hub.storage.models`` so that the schema (and the migration test
comparing it) always includes them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from windowdesk.domain.booking_status import BookingStatus, HalfDay
from windowdesk.hub.storage.models import Base, CenterCode, Counter, TextEnum, UTCDateTime


class LookupFailure(Base):
    """One wrong query code typed on the public case page, counted against the case and
    against the address it came from (two rows). Kept in the database, not in a worker's
    memory, so every worker process of the hub counts the same tries; rows older than the
    counting window are deleted as new ones come."""

    __tablename__ = "lookup_failures"
    __table_args__ = (
        Index("ix_lookup_failures_scope_at", "scope", "failed_at"),
        Index("ix_lookup_failures_failed_at", "failed_at"),
    )
    seq: Mapped[int] = mapped_column(Counter, primary_key=True, autoincrement=True)
    # "case:<case number>" or "addr:<client address>"; an unknown case number counts too.
    scope: Mapped[str] = mapped_column(String(100))
    failed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class BookingSlot(Base):
    """What a center offers for booking (预约): for one business (a catalog item) on one
    half-day, how many visits it takes (``capacity``, set by an administrator) and how many
    are booked. A booking takes a place by one conditional UPDATE (``booked < capacity``),
    so two residents booking the last place at once cannot both get it."""

    __tablename__ = "booking_slots"
    __table_args__ = (
        UniqueConstraint("center_code", "item_code", "day", "half_day"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="places"),
    )
    id: Mapped[int] = mapped_column(Counter, primary_key=True, autoincrement=True)
    center_code: Mapped[str] = mapped_column(CenterCode)
    item_code: Mapped[str] = mapped_column(String(40))
    day: Mapped[dt.date] = mapped_column(Date)  # on the center's calendar
    half_day: Mapped[HalfDay] = mapped_column(TextEnum(HalfDay, 2))
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0)
    # The cancelled bookings of this half-day that services/booking_purge.py deleted: with
    # ``booked`` the counts reports need once the bookings themselves are gone.
    purged_cancelled: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Booking(Base):
    """One resident's booked visit. The code is what the resident holds (and its QR); the
    address the booking came from is kept only as a hash, for the per-address limit."""

    __tablename__ = "bookings"
    __table_args__ = (
        Index("ix_bookings_phone_status", "phone", "status"),
        Index("ix_bookings_address_at", "address_hash", "booked_at"),
        Index("ix_bookings_center_day", "center_code", "day"),
    )
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    slot_id: Mapped[int] = mapped_column(Counter, ForeignKey("booking_slots.id"))
    center_code: Mapped[str] = mapped_column(CenterCode)
    item_code: Mapped[str] = mapped_column(String(40))
    day: Mapped[dt.date] = mapped_column(Date)
    half_day: Mapped[HalfDay] = mapped_column(TextEnum(HalfDay, 2))
    name: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(20))
    id_number: Mapped[str] = mapped_column(String(18), default="")
    status: Mapped[BookingStatus] = mapped_column(TextEnum(BookingStatus, 12))
    address_hash: Mapped[str] = mapped_column(String(64))
    booked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class HallLink(Base):
    """The credential of a center's hall service (windowdesk-hall) at the hub: it reads that
    center's bookings of a day, nothing else. One per center; a new one replaces it."""

    __tablename__ = "hall_links"
    center_code: Mapped[str] = mapped_column(CenterCode, primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
