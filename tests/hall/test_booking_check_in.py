"""Checking a booked visit in at the hall (预约签到, issues 25 and 27): the rules on a real
store with a stepped clock."""

from __future__ import annotations

import pytest

from windowdesk.hall.errors import HallError


def _booking(code: str, *, day: str = "2026-12-07", item: str = "SB-001", status: str = "booked") -> dict:
    return {"code": code, "day": day, "half_day": "am", "item": item, "name": "王*国", "status": status}


@pytest.fixture
def booked_hall(hall):
    hall.set_business(prefix="A", name="社保医保", items=["SB-001", "SB-002"])
    hall.store_bookings(
        [
            _booking("K2E2SLEGLA"),
            _booking("TOMORROW22", day="2026-12-08"),
            _booking("CANCELLED2", status="cancelled"),
            _booking("NOBUSINESS", item="XX-001"),
        ]
    )
    return hall


def test_a_booking_code_gives_a_priority_ticket_of_the_business_serving_its_item_once(booked_hall) -> None:
    booked_hall.issue(business="A")  # a walk-in came first
    ticket = booked_hall.check_in(code="k2e2-slegla")  # as typed: case and dashes do not matter
    assert (ticket["number"], ticket["business"], ticket["priority"], ticket["booking_code"]) == (
        "A002",
        "A",
        True,
        "K2E2SLEGLA",
    )
    assert ticket["waiting_ahead"] == 0  # before the walk-in
    assert booked_hall.call_next(window="01")["number"] == "A002"
    with pytest.raises(HallError) as again:
        booked_hall.check_in(code="K2E2SLEGLA")
    assert again.value.code == "booking_checked_in" and again.value.params["number"] == "A002"


@pytest.mark.parametrize(
    ("code", "refusal"),
    [
        ("TOMORROW22", "booking_other_day"),
        ("CANCELLED2", "no_booking"),
        ("UNKNOWN222", "no_booking"),
        ("NOBUSINESS", "booking_no_business"),
        ("", "no_booking"),
    ],
)
def test_a_booking_that_cannot_check_in_is_refused_in_words_and_issues_nothing(booked_hall, code, refusal) -> None:
    with pytest.raises(HallError) as refused:
        booked_hall.check_in(code=code)
    assert refused.value.code == refusal
    with booked_hall.store.read() as db:
        assert booked_hall.store.tickets_of_day(db, "2026-12-07") == []


def test_a_booking_read_again_keeps_its_check_in_and_a_cancellation_reaches_the_hall(booked_hall) -> None:
    booked_hall.check_in(code="K2E2SLEGLA")
    booked_hall.store_bookings([_booking("K2E2SLEGLA")])  # the next read from the hub
    with pytest.raises(HallError):
        booked_hall.check_in(code="K2E2SLEGLA")
    booked_hall.store_bookings([_booking("TOMORROW22", day="2026-12-07", status="cancelled")])
    with pytest.raises(HallError) as refused:
        booked_hall.check_in(code="TOMORROW22")
    assert refused.value.code == "no_booking"
