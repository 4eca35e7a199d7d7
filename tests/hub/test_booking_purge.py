"""Bookings past their day are purged after a set period; the half-day keeps the counts
(issue 27). On SQLite and PostgreSQL, by the service and by ``windowdesk-hub
purge-bookings``."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from windowdesk.hub.cli import main
from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.services import booking_purge
from windowdesk.hub.services import public_bookings as bookings
from windowdesk.hub.services.console_rights import ADMINISTRATOR, ConsoleActor
from windowdesk.hub.storage.models_console import HubAuditEntry
from windowdesk.hub.storage.models_public import Booking, BookingSlot

ADMIN = ConsoleActor("1", "admin", "Admin", ADMINISTRATOR)
ITEM = "MZ-002"
LONG_AGO = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)  # a Monday, 10:00 in Shanghai
LATELY = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)  # a Monday
NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)


def _book_at(hub, when: dt.datetime, phones: list[str], *, cancel: int = 0) -> list[str]:
    day = when.date() + dt.timedelta(days=1)
    with hub.db.write() as session:
        bookings.set_capacity(
            session, by=ADMIN, center_code="JD01", item_code=ITEM, day=day, half_day="am", capacity=5, now=when
        )
    codes = [
        bookings.book(
            hub.db,
            center_code="JD01",
            item_code=ITEM,
            day=day,
            half_day="am",
            name="王建国",
            phone=phone,
            address=f"10.0.0.{n}",
            now=when,
        )
        for n, phone in enumerate(phones)
    ]
    for code in codes[:cancel]:
        bookings.cancel(hub.db, code=code, now=when)
    return codes


@pytest.fixture
def booked_hub(hub, demo_catalog):
    _book_at(hub, LONG_AGO, ["13800138000", "13900139000", "13700137000"], cancel=1)
    _book_at(hub, LATELY, ["13600136000"])
    return hub


def _slots(hub) -> dict[dt.date, tuple[int, int]]:
    with hub.db.read() as session:
        return {s.day: (s.booked, s.purged_cancelled) for s in session.scalars(select(BookingSlot))}


def test_bookings_past_the_period_are_deleted_and_their_half_day_keeps_the_counts(booked_hub) -> None:
    long_ago, lately = LONG_AGO.date() + dt.timedelta(days=1), LATELY.date() + dt.timedelta(days=1)
    assert _slots(booked_hub) == {long_ago: (2, 0), lately: (1, 0)}
    with booked_hub.db.write() as session:
        purged = booking_purge.purge_bookings(session, keep=90, now=NOW)
    assert (purged.bookings, purged.cancelled, purged.before) == (3, 1, NOW.date() - dt.timedelta(days=90))
    with booked_hub.db.read() as session:
        assert [b.day for b in session.scalars(select(Booking))] == [lately]  # within the period: kept
        entry = session.scalars(select(HubAuditEntry).where(HubAuditEntry.action == "bookings.purged")).one()
        assert entry.detail == {"bookings": 3, "cancelled": 1, "keep_days": 90}
    assert _slots(booked_hub) == {long_ago: (2, 1), lately: (1, 0)}  # booked 2, cancelled 1: as before the purge
    # Again: nothing more to delete, the counts stay, no second audit entry.
    with booked_hub.db.write() as session:
        assert booking_purge.purge_bookings(session, keep=90, now=NOW).bookings == 0
    assert _slots(booked_hub) == {long_ago: (2, 1), lately: (1, 0)}
    with booked_hub.db.read() as session:
        assert len(session.scalars(select(HubAuditEntry).where(HubAuditEntry.action == "bookings.purged")).all()) == 1


def test_the_period_comes_from_the_command_or_the_environment_and_must_be_whole_days(
    booked_hub, monkeypatch, capsys
) -> None:
    for bad in ("0", "-3", "soon", "100000"):
        with pytest.raises(InvalidInput):
            booking_purge.keep_days(bad)
    monkeypatch.setenv(booking_purge.ENV_KEEP_DAYS, "7")
    assert booking_purge.keep_days() == 7 and booking_purge.keep_days("30") == 30
    monkeypatch.delenv(booking_purge.ENV_KEEP_DAYS)
    assert booking_purge.keep_days() == booking_purge.DEFAULT_KEEP_DAYS
    assert main(booked_hub.cli_args("purge-bookings", "--keep-days", "0")) == 2
    # Every booking's day is over two days past: a period of one day deletes them all.
    assert main(booked_hub.cli_args("purge-bookings", "--keep-days", "1")) == 0
    assert "4" in capsys.readouterr().out
    with booked_hub.db.read() as session:
        assert session.scalars(select(Booking)).all() == []
