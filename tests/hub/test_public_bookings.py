"""Booking a visit (预约): capacity set by an administrator, booking under concurrency,
the per-phone and per-address limits, cancelling. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select

from windowdesk.hub.errors import Conflict, Forbidden, InvalidInput, NotFound
from windowdesk.hub.services import public_bookings as bookings
from windowdesk.hub.services.console_rights import ADMINISTRATOR, SUPERVISOR, ConsoleActor
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.models_console import HubAuditEntry
from windowdesk.hub.storage.models_public import Booking, BookingSlot

ADMIN = ConsoleActor("1", "admin", "Admin", ADMINISTRATOR)
NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai, a Monday
TOMORROW = dt.date(2026, 12, 8)
ITEM = "MZ-002"


def _capacity(hub, places: int, *, day: dt.date = TOMORROW, half: str = "am", center: str = "JD01") -> None:
    with hub.db.write() as session:
        bookings.set_capacity(
            session, by=ADMIN, center_code=center, item_code=ITEM, day=day, half_day=half, capacity=places, now=NOW
        )


def _book(
    db: HubDatabase,
    phone: str = "13800138000",
    *,
    address: str = "10.0.0.1",
    day: dt.date = TOMORROW,
    half: str = "am",
    id_number: str = "",
) -> str:
    return bookings.book(
        db,
        center_code="JD01",
        item_code=ITEM,
        day=day,
        half_day=half,
        name="王建国",
        phone=phone,
        id_number=id_number,
        address=address,
        now=NOW,
    )


@pytest.fixture
def catalog_hub(hub, demo_catalog):
    return hub


def test_only_an_administrator_sets_capacity_and_it_is_audited(catalog_hub) -> None:
    with pytest.raises(Forbidden), catalog_hub.db.write() as session:
        bookings.set_capacity(
            session,
            by=ConsoleActor("2", "sup", "Sup", SUPERVISOR),
            center_code="JD01",
            item_code=ITEM,
            day=TOMORROW,
            half_day="am",
            capacity=3,
            now=NOW,
        )
    _capacity(catalog_hub, 3)
    with catalog_hub.db.read() as session:
        entry = session.scalars(select(HubAuditEntry).where(HubAuditEntry.action == "booking.capacity")).one()
        assert entry.actor == "console:admin" and entry.detail["capacity"] == 3
    slots = bookings.open_slots(catalog_hub.db, center_code="JD01", item_code=ITEM, now=NOW)
    assert [(s.day, s.half_day, s.left) for s in slots] == [(TOMORROW, "am", 3)]
    with pytest.raises(NotFound), catalog_hub.db.write() as session:
        bookings.set_capacity(
            session, by=ADMIN, center_code="JD01", item_code="NO-SUCH", day=TOMORROW, half_day="am", capacity=3, now=NOW
        )
    with pytest.raises(InvalidInput), catalog_hub.db.write() as session:
        bookings.set_capacity(
            session, by=ADMIN, center_code="JD01", item_code=ITEM, day=TOMORROW, half_day="evening", capacity=3, now=NOW
        )


def test_booking_takes_a_place_and_capacity_cannot_go_below_the_booked(catalog_hub) -> None:
    _capacity(catalog_hub, 2)
    code = _book(catalog_hub.db, id_number="230902196210010496")
    assert len(code) == bookings.CODE_LENGTH
    view = bookings.find_booking(catalog_hub.db, code.lower()[:5] + "-" + code[5:])  # as typed
    assert view is not None and view.masked_name == "王*国" and view.masked_phone == "138****8000"
    with catalog_hub.db.read() as session:
        assert session.get(Booking, code).id_number == "230902196210010496"
    _book(catalog_hub.db, "13900139000")
    assert bookings.open_slots(catalog_hub.db, center_code="JD01", item_code=ITEM, now=NOW) == []
    with pytest.raises(bookings.BookingRefused) as refused:
        _book(catalog_hub.db, "13700137000")
    assert refused.value.message == bookings.NO_ROOM
    with pytest.raises(Conflict), catalog_hub.db.write() as session:
        bookings.set_capacity(
            session, by=ADMIN, center_code="JD01", item_code=ITEM, day=TOMORROW, half_day="am", capacity=1, now=NOW
        )


@pytest.mark.parametrize("bookers", [8])
def test_the_last_place_booked_at_once_goes_to_exactly_one(catalog_hub, bookers: int) -> None:
    _capacity(catalog_hub, 1)
    start = threading.Barrier(bookers)
    won: list[str] = []
    refused: list[str] = []
    failed: list[BaseException] = []

    def attempt(index: int) -> None:
        start.wait()
        try:
            won.append(_book(catalog_hub.db, f"1380013{index:04d}", address=f"10.0.1.{index}"))
        except bookings.BookingRefused as refusal:
            refused.append(refusal.message)
        except BaseException as error:  # noqa: BLE001 - any other outcome fails the test below
            failed.append(error)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(bookers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failed == []
    assert len(won) == 1 and refused == [bookings.NO_ROOM] * (bookers - 1)
    with catalog_hub.db.read() as session:
        assert session.scalar(select(BookingSlot.booked)) == 1
        assert session.scalars(select(Booking.code)).all() == won


def test_one_phone_holds_two_bookings_to_come(catalog_hub) -> None:
    _capacity(catalog_hub, 5, half="am")
    _capacity(catalog_hub, 5, half="pm")
    first = _book(catalog_hub.db, address="10.0.0.1")
    _book(catalog_hub.db, address="10.0.0.2", half="pm")
    with pytest.raises(bookings.BookingRefused) as refused:
        _book(catalog_hub.db, " 138 0013 8000 ", address="10.0.0.3")  # the same phone, spaced
    assert refused.value.message == bookings.PHONE_LIMIT
    bookings.cancel(catalog_hub.db, code=first, now=NOW)
    _book(catalog_hub.db, address="10.0.0.3")


def test_one_address_makes_few_bookings_a_day(catalog_hub) -> None:
    _capacity(catalog_hub, 20)
    for index in range(bookings.MAX_PER_ADDRESS_PER_DAY):
        _book(catalog_hub.db, f"1390000{index:04d}")
    with pytest.raises(bookings.BookingRefused) as refused:
        _book(catalog_hub.db, "13911112222")
    assert refused.value.message == bookings.ADDRESS_LIMIT
    _book(catalog_hub.db, "13911112222", address="10.9.9.9")


@pytest.mark.parametrize(
    ("phone", "id_number", "reason"),
    [
        ("12345", "", bookings.BAD_PHONE),
        ("13800138000", "230902196210010497", bookings.BAD_ID),
    ],
)
def test_bad_input_is_refused_in_plain_words(catalog_hub, phone: str, id_number: str, reason: str) -> None:
    _capacity(catalog_hub, 2)
    with pytest.raises(bookings.BookingRefused) as refused:
        _book(catalog_hub.db, phone, id_number=id_number)
    assert refused.value.message == reason
    with pytest.raises(bookings.BookingRefused) as refused:
        _book(catalog_hub.db, day=NOW.date() - dt.timedelta(days=1))
    assert refused.value.message == bookings.PAST
    with pytest.raises(bookings.BookingRefused) as refused:
        _book(catalog_hub.db, half="pm")
    assert refused.value.message == bookings.NO_SUCH_SLOT


def test_cancel_gives_the_place_back_once(catalog_hub) -> None:
    _capacity(catalog_hub, 1)
    code = _book(catalog_hub.db)
    assert bookings.cancel(catalog_hub.db, code=code, now=NOW).cancelled
    assert bookings.cancel(catalog_hub.db, code=code, now=NOW).cancelled  # twice: nothing more changes
    assert [s.left for s in bookings.open_slots(catalog_hub.db, center_code="JD01", item_code=ITEM, now=NOW)] == [1]
    _book(catalog_hub.db, "13900139000")
    with pytest.raises(NotFound):
        bookings.cancel(catalog_hub.db, code="ABCDEFGHJK", now=NOW)
    assert bookings.find_booking(catalog_hub.db, "nonsense") is None


def test_a_half_day_is_bookable_until_it_ends(catalog_hub) -> None:
    today = NOW.date()  # 2026-12-07 in Shanghai too
    _capacity(catalog_hub, 3, day=today, half="am")
    _capacity(catalog_hub, 3, day=today, half="pm")
    afternoon = dt.datetime(2026, 12, 7, 5, 30, tzinfo=dt.UTC)  # 13:30 in Shanghai
    slots = bookings.open_slots(catalog_hub.db, center_code="JD01", item_code=ITEM, now=afternoon)
    assert [(s.day, s.half_day) for s in slots] == [(today, "pm")]
    with pytest.raises(bookings.BookingRefused) as refused:
        bookings.book(
            catalog_hub.db,
            center_code="JD01",
            item_code=ITEM,
            day=today,
            half_day="am",
            name="王建国",
            phone="13800138000",
            address="10.0.0.1",
            now=afternoon,
        )
    assert refused.value.message == bookings.PAST
    bookings.book(
        catalog_hub.db,
        center_code="JD01",
        item_code=ITEM,
        day=today,
        half_day="pm",
        name="王建国",
        phone="13800138000",
        address="10.0.0.1",
        now=afternoon,
    )


def test_places_set_for_a_range_of_working_days_at_once_or_not_at_all(catalog_hub) -> None:
    monday, sunday = dt.date(2026, 12, 7), dt.date(2026, 12, 13)
    with catalog_hub.db.write() as session:
        slots = bookings.set_capacity_for_days(
            session,
            by=ADMIN,
            center_code="JD01",
            item_code=ITEM,
            first=monday,
            last=sunday,
            half_days=bookings.HALF_DAYS,
            capacity=4,
            now=NOW,
        )
    assert sorted({s.day for s in slots}) == [monday + dt.timedelta(days=n) for n in range(5)]  # not the weekend
    assert len(slots) == 10
    _book(catalog_hub.db)  # tomorrow morning: one booked
    with pytest.raises(Conflict), catalog_hub.db.write() as session:
        bookings.set_capacity_for_days(
            session,
            by=ADMIN,
            center_code="JD01",
            item_code=ITEM,
            first=monday,
            last=sunday,
            half_days=("am",),
            capacity=0,
            now=NOW,
        )
    with catalog_hub.db.read() as session:  # nothing of the refused change was kept
        assert sorted(set(session.scalars(select(BookingSlot.capacity)))) == [4]
    with pytest.raises(InvalidInput), catalog_hub.db.write() as session:  # a weekend alone: said, not silently nothing
        bookings.set_capacity_for_days(
            session,
            by=ADMIN,
            center_code="JD01",
            item_code=ITEM,
            first=sunday,
            last=sunday,
            half_days=("am",),
            capacity=2,
            now=NOW,
        )
