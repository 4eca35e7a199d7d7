"""The state and the half-day of a visit booked on the hub's public pages (预约). The
database holds the values; the hub's model reads them back as these members and refuses to write any other
value (hub/storage/models.py, TextEnum)."""

from __future__ import annotations

from enum import StrEnum


class BookingStatus(StrEnum):
    BOOKED = "booked"  # the visit stands
    CANCELLED = "cancelled"  # cancelled by the resident (kept, for the slot's count and the purge)


class HalfDay(StrEnum):
    """Bookings and their slots are by half-day (bookings.half_day, booking_slots.half_day)."""

    AM = "am"  # morning
    PM = "pm"  # afternoon
